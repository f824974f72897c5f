/**
 * pipelines/batch.ts: the staged batch on worker threads and in-process give the same store; reruns are
 * incremental; --force redoes; a cell change re-fits without re-parsing; a duplicate whose original
 * leaves is promoted; work units cross the thread boundary as plain data with typed arrays.
 */
import { describe, it, expect } from 'vitest';
import { mkdtempSync, mkdirSync, writeFileSync, rmSync, existsSync, readFileSync, copyFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runBatch } from '../../pipelines/batch.js';
import { createRunner, workerEntry } from '../../pipelines/pool.js';
import { openCampaign } from '../../pipelines/campaign.js';
import { progressReporter } from '../../pipelines/progress.js';
import type { ParseFileResult, ParseFileUnit } from '../../pipelines/work-units.js';
import { tinyDta, smallArbin, MALFORMED_DTA } from './helpers.js';

const HAVE_WORKER = workerEntry() !== null;

function campaign(): { dir: string; camp: string } {
  const dir = mkdtempSync(join(tmpdir(), 'ip-pipe-batch-'));
  const camp = join(dir, 'camp');
  mkdirSync(join(camp, 'eis'), { recursive: true });
  mkdirSync(join(camp, 'cycling'), { recursive: true });
  writeFileSync(
    join(camp, 'campaign.yaml'),
    'campaign: t\ncells:\n  - { id: A1, group: control }\n  - { id: B1, group: BTO, ferroelectric: BaTiO3, poling: poled }\n',
  );
  for (let k = 0; k < 4; k++) {
    writeFileSync(join(camp, 'eis', `A1_eis_${k}.DTA`), tinyDta(k));
    writeFileSync(join(camp, 'eis', `B1_eis_${k}.DTA`), tinyDta(100 + k));
  }
  writeFileSync(join(camp, 'cycling', 'A1_cycling.csv'), smallArbin(1));
  writeFileSync(join(camp, 'cycling', 'B1_cycling.csv'), smallArbin(2));
  writeFileSync(join(camp, 'eis', 'B1_broken.DTA'), MALFORMED_DTA);
  copyFileSync(join(camp, 'eis', 'A1_eis_0.DTA'), join(camp, 'eis', 'A1_eis_0_copy.DTA'));
  return { dir, camp };
}

async function storeState(camp: string, out: string): Promise<unknown[]> {
  const { ctx } = await openCampaign(camp, { outDir: out });
  try {
    const files = await ctx.store.query(`SELECT path, status, sha256, cell_id, records, rows, duplicate_of FROM files ORDER BY path`);
    const fits = await ctx.store.query(`SELECT r.path, f.fitter, f.ok FROM fits f JOIN records r USING (record_id) ORDER BY r.path, f.fitter`);
    const params = await ctx.store.query(`SELECT count(*)::INTEGER AS n FROM parameters`);
    return [files, fits, params];
  } finally {
    ctx.store.close();
  }
}

describe('runBatch', () => {
  it('in-process (pool size 0): stages, counts, quarantine, incremental re-run, --force', async () => {
    const { dir, camp } = campaign();
    const out = join(dir, 'out0');
    const seen: number[] = [];
    const { summary, report } = await runBatch(camp, {
      outDir: out,
      workers: 0,
      onProgress: (done, total, _o, p) => {
        seen.push(done);
        expect(p.total).toBe(total);
      },
    });
    expect(summary.workers).toBe(0);
    expect(summary.files).toMatchObject({ parsed: 10, failed: 1, quarantined: 1, duplicates: 1, skipped: 0 });
    expect(seen).toEqual(Array.from({ length: 12 }, (_, i) => i + 1));
    expect(readFileSync(join(out, 'quarantine', 'eis', 'B1_broken.DTA.reason.txt'), 'utf8')).toMatch(/eis\/B1_broken\.DTA/);
    expect(report.stages.map((s) => s.name)).toContain('model replay');
    // No cycler records in this campaign: the replay says why it did not run; hypotheses run (all not testable).
    expect(report.stages.find((s) => s.name === 'model replay')?.status).toBe('not available');
    expect(report.stages.find((s) => s.name === 'hypothesis tests')?.status).toBe('done');
    expect(summary.timings.map((t) => t.stage).filter((x) => !x.startsWith(' '))).toEqual([
      'open',
      'detect',
      'parse+store',
      'fit',
      'replay',
      'hypotheses',
      'report',
    ]);

    const again = await runBatch(camp, { outDir: out, workers: 0 });
    expect(again.summary.files).toMatchObject({ parsed: 0, skipped: 12, failed: 1 });
    expect(again.summary.bytesRead).toBe(0); // unchanged files are not even read

    const forced = await runBatch(camp, { outDir: out, workers: 0, force: true });
    expect(forced.summary.files).toMatchObject({ parsed: 10, duplicates: 1, failed: 1, skipped: 0 });
    rmSync(dir, { recursive: true, force: true });
  });

  it.skipIf(!HAVE_WORKER)('on worker threads gives exactly the store the in-process run gives', async () => {
    const { dir, camp } = campaign();
    const a = await runBatch(camp, { outDir: join(dir, 'w0'), workers: 0 });
    const b = await runBatch(camp, { outDir: join(dir, 'w2'), workers: 2 });
    expect(b.summary.workers).toBe(2);
    expect(b.summary.files).toEqual(a.summary.files);
    expect(await storeState(camp, join(dir, 'w2'))).toEqual(await storeState(camp, join(dir, 'w0')));
    // Listing order decides which of two identical files is the parsed one, whatever thread finished first.
    const [files] = (await storeState(camp, join(dir, 'w2'))) as [{ path: string; status: string; duplicate_of: string | null }[]];
    expect(files.find((f) => f.path === 'eis/A1_eis_0_copy.DTA')).toMatchObject({ status: 'duplicate', duplicate_of: 'eis/A1_eis_0.DTA' });
    rmSync(dir, { recursive: true, force: true });
  });

  it('a file moved to another cell is re-assigned and re-fitted without re-parsing', async () => {
    const { dir, camp } = campaign();
    const out = join(dir, 'out');
    await runBatch(camp, { outDir: out, workers: 0 });
    writeFileSync(
      join(camp, 'campaign.yaml'),
      "campaign: t\ncells:\n  - { id: A1, group: control, files: ['eis/A1_*', 'cycling/B1_*'] }\n  - { id: B1, group: BTO, files: ['eis/B1_*'] }\n",
    );
    const r = await runBatch(camp, { outDir: out, workers: 0 });
    expect(r.summary.files.parsed).toBe(0);
    const { ctx } = await openCampaign(camp, { outDir: out });
    try {
      const row = await ctx.store.fileRow('cycling/B1_cycling.csv');
      expect(row?.cellId).toBe('A1');
      const fits = await ctx.store.query(`SELECT DISTINCT f.cell_id FROM fits f JOIN records r USING (record_id) WHERE r.path = 'cycling/B1_cycling.csv'`);
      expect(fits.map((f) => f.cell_id)).toEqual(['A1']);
    } finally {
      ctx.store.close();
    }
    rmSync(dir, { recursive: true, force: true });
  });

  it('when the original of a duplicate leaves, the copy becomes the parsed file', async () => {
    const { dir, camp } = campaign();
    const out = join(dir, 'out');
    await runBatch(camp, { outDir: out, workers: 0 });
    rmSync(join(camp, 'eis', 'A1_eis_0.DTA'));
    const r = await runBatch(camp, { outDir: out, workers: 0 });
    expect(r.summary.files.duplicates).toBe(0);
    const f = r.report.files.find((x) => x.path === 'eis/A1_eis_0_copy.DTA');
    expect(f).toMatchObject({ status: 'parsed', rows: 6 });
    expect(r.report.files.some((x) => x.path === 'eis/A1_eis_0.DTA')).toBe(false);
    rmSync(dir, { recursive: true, force: true });
  });

  it('a quarantined file that is rewritten and parses loses its stale quarantine copy (the original stays)', async () => {
    const { dir, camp } = campaign();
    const out = join(dir, 'out');
    await runBatch(camp, { outDir: out, workers: 0 });
    const q = join(out, 'quarantine', 'eis', 'B1_broken.DTA');
    expect(existsSync(q) && existsSync(`${q}.reason.txt`)).toBe(true);
    writeFileSync(join(camp, 'eis', 'B1_broken.DTA'), tinyDta(999));
    const r = await runBatch(camp, { outDir: out, workers: 0 });
    expect(r.summary.files.failed).toBe(0);
    expect(existsSync(q) || existsSync(`${q}.reason.txt`)).toBe(false);
    expect(existsSync(join(camp, 'eis', 'B1_broken.DTA'))).toBe(true);
    rmSync(dir, { recursive: true, force: true });
  });
});

describe('work units on threads', () => {
  it.skipIf(!HAVE_WORKER)('a parse unit comes back with typed-array columns (buffers transferred) and fit outcomes', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ip-pipe-unit-'));
    writeFileSync(join(dir, 'A1_eis.DTA'), tinyDta(5));
    writeFileSync(join(dir, 'bad.DTA'), MALFORMED_DTA);
    const runner = createRunner(1);
    try {
      expect(runner.size).toBe(1);
      const unit: ParseFileUnit = { type: 'parse-file', folder: dir, path: 'A1_eis.DTA', cellId: null, cell: {}, known: null, force: false, maxBytes: 1e9 };
      // The unit is plain JSON: it survives a JSON round trip (a queue could carry it).
      const r = (await runner.run(JSON.parse(JSON.stringify(unit)))) as ParseFileResult;
      expect(r.status).toBe('parsed');
      if (r.status !== 'parsed') return;
      expect(r.records[0]!.columns[0]!.values).toBeInstanceOf(Float64Array);
      expect(r.records[0]!.columns[0]!.values.length).toBe(6);
      expect(r.fits[0]!.outcomes.length).toBeGreaterThan(0);
      const bad = (await runner.run({ ...unit, path: 'bad.DTA' })) as ParseFileResult;
      expect(bad.status).toBe('failed');
      if (bad.status === 'failed') expect(bad.error.file).toBe('bad.DTA');
      const gone = (await runner.run({ ...unit, path: 'nope.DTA' })) as ParseFileResult;
      expect(gone.status).toBe('vanished');
      const same = (await runner.run({ ...unit, known: { sha256: r.sha256, cellId: null, status: 'parsed' } })) as ParseFileResult;
      expect(same.status).toBe('same-hash');
    } finally {
      await runner.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('progress line', () => {
  const p = (done: number, total: number, bytesDone: number, bytesTotal: number, elapsedMs: number) => ({ done, total, bytesDone, bytesTotal, elapsedMs });

  it('terminal: a redrawn bar with files done/total, files/s, MB/s and ETA, ending with a newline', () => {
    const out: string[] = [];
    const r = progressReporter('bar', (s) => out.push(s));
    r(p(1, 4, 10e6, 40e6, 1000));
    r(p(4, 4, 40e6, 40e6, 4000));
    expect(out[0]).toMatch(/^\r\[#{6}-{18}\] 1\/4 files · 1\.0 files\/s · 10\.0 MB\/s · ETA 3 s/);
    expect(out.at(-1)).toBe('\n');
  });

  it('not a terminal: plain log lines, at most one per interval plus the last', () => {
    const out: string[] = [];
    const r = progressReporter('lines', (s) => out.push(s), 2000);
    for (let i = 1; i <= 10; i++) r(p(i, 10, i * 1e6, 10e6, i * 500));
    expect(out.every((l) => l.startsWith('batch: ') && l.endsWith('\n'))).toBe(true);
    expect(out).toHaveLength(4); // t = 0.5 s, 2.5 s, 4.5 s and the last
    expect(out.at(-1)).toMatch(/10\/10 files/);
  });
});
