/**
 * Issue #18, "Refresh stays fast when one log is large": a refresh touches only what changed. Checked by
 * counting work (src/records/work.ts), never by timing: with a cycler log too large to keep its columns in
 * the store, `report` and `batch` with nothing changed read no file, fit no record, analyse no cycles,
 * compute no KK residuals, run no campaign analysis, compile no figure and write no workbook; a new spectrum under a running
 * watcher is the one file read and fitted (its KK residuals come with its fit); a watcher restarted with nothing changed does nothing. The
 * report built from the caches is the one built without them (same parameters, same figure specs).
 */
import { describe, it, expect, afterAll } from 'vitest';

import { mkdtempSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runBatch, runReport } from '../../pipelines/batch.js';
import { startWatch } from '../../pipelines/watch.js';
import { openCampaign } from '../../pipelines/campaign.js';
import { resetWork, uncounted, work } from '../../src/records/work.js';
import { warmUpParsing } from '../../pipelines/process-file.js';
import { warmUpReport } from '../../pipelines/summary.js';
import { DEFAULT_SETTINGS } from '../../src/settings.js';

// Columns of any record above 10 KB stay out of the store (the large-log case).
const settings = { ...DEFAULT_SETTINGS, storeRawBytes: 0.01 * 1024 * 1024 };
import { eisDta, cyclerCsv } from '../../bench/pipeline.js';
import type { CampaignReport } from '../../src/report/types.js';

const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

function campaign(): { camp: string; out: string } {
  const dir = mkdtempSync(join(tmpdir(), 'ip-refresh-'));
  dirs.push(dir);
  const camp = join(dir, 'camp');
  mkdirSync(join(camp, 'eis'), { recursive: true });
  mkdirSync(join(camp, 'cycling'), { recursive: true });
  writeFileSync(
    join(camp, 'campaign.yaml'),
    'campaign: t\ndefaults:\n  cell_type: Li||Cu\n  electrode_area_cm2: 1.13\ncells:\n  - { id: A1, group: control }\n  - { id: B1, group: BTO }\n',
  );
  writeFileSync(join(camp, 'cycling', 'A1_cycling.csv'), cyclerCsv(6_000, 1, 100)); // 30 cycles; its columns are not stored
  writeFileSync(join(camp, 'cycling', 'B1_cycling.csv'), cyclerCsv(2_000, 2, 100));
  for (const [k, cell] of ['A1', 'A1', 'B1'].entries()) writeFileSync(join(camp, 'eis', `${cell}_eis_${k}.DTA`), eisDta(100 + k, 20 + 5 * k));
  return { camp, out: join(dir, 'out') };
}

const idle = { filesParsed: 0, fits: {}, cycleAnalyses: 0, figuresCompiled: 0, kkComputed: 0, workbooksWritten: 0, analyses: 0 };

/** The figure specs of report.html and every cell page (what the page draws), as text. */
function pageSpecs(out: string): string[] {
  const spec = (f: string): string => /<script type="application\/json" id="ip-specs">(.*?)<\/script>/s.exec(readFileSync(f, 'utf8'))?.[1] ?? '';
  return [
    spec(join(out, 'report.html')),
    ...readdirSync(join(out, 'cells'))
      .sort()
      .map((f) => spec(join(out, 'cells', f))),
  ];
}

const numbers = (r: CampaignReport): unknown => r.parameters.map((p) => [p.cell, p.fitter, p.name, p.value, p.stderr]);

/** report.json as written, without the time it was generated. */
const reportJson = (out: string): string => readFileSync(join(out, 'report.json'), 'utf8').replace(/"generatedAt": "[^"]*"/, '');

describe('refresh touches only what changed (issue #18)', () => {
  it('report / batch with nothing changed redo no work; the cached report equals the fresh one', async () => {
    const { camp, out } = campaign();
    const first = await runBatch(camp, { outDir: out, settings, workers: 0 });
    expect(first.summary.files.parsed).toBe(5);
    const { ctx } = await openCampaign(camp, { outDir: out, settings });
    try {
      // The large log's columns are not in the store; its per-cycle table and fits are.
      const recs = await ctx.store.query(`SELECT path, data_stored FROM records WHERE kind = 'cycler' ORDER BY path`);
      expect(recs).toEqual([
        { path: 'cycling/A1_cycling.csv', data_stored: false },
        { path: 'cycling/B1_cycling.csv', data_stored: false },
      ]);
      expect((await ctx.store.query(`SELECT DISTINCT kind FROM derived ORDER BY kind`)).map((r) => r.kind)).toEqual(['analysis', 'analysis-stored', 'figure']);
      // Each spectrum's lin-KK residuals come with its fit (the report does not run the test again).
      expect((await ctx.store.query(`SELECT count(DISTINCT record_id)::INTEGER AS n FROM fit_tables WHERE table_name = 'kk'`))[0]!.n).toBe(3);
    } finally {
      ctx.store.close();
    }
    const specs = pageSpecs(out);
    expect(specs[0]!.length).toBeGreaterThan(100);
    const doc = reportJson(out);

    resetWork();
    const again = await runReport(camp, { outDir: out, settings });
    expect(work).toEqual(idle);
    expect(again.report.generatedAt).not.toBe(first.report.generatedAt); // rebuilt (report always rebuilds) …
    expect(numbers(again.report)).toEqual(numbers(first.report)); // … to the same numbers
    expect(pageSpecs(out)).toEqual(specs); // and the same figures, from the cache
    expect(reportJson(out)).toBe(doc); // the same document: analysis (replay, hypotheses) reused as it was

    resetWork();
    const batch = await runBatch(camp, { outDir: out, settings, workers: 0 });
    expect(batch.summary.files.skipped).toBe(5);
    expect(work).toEqual(idle);

    // A rebuild without the caches (nor the fits' KK tables) gives the same figures: they change nothing.
    const { ctx: c2 } = await openCampaign(camp, { outDir: out, settings });
    await c2.store.query(`DELETE FROM derived`);
    await c2.store.query(`DELETE FROM fit_tables WHERE table_name = 'kk'`);
    c2.store.close();
    resetWork();
    await runReport(camp, { outDir: out, settings });
    expect(work.figuresCompiled).toBeGreaterThan(5);
    expect(work.kkComputed).toBe(3);
    expect(work.analyses).toBe(1);
    expect(work.filesParsed + work.cycleAnalyses).toBe(0);
    expect(pageSpecs(out)).toEqual(specs);
    expect(reportJson(out)).toBe(doc);
  });

  it('watch: a new spectrum is the one file read and fitted; a restart with nothing changed does nothing', async () => {
    const { camp, out } = campaign();
    await runBatch(camp, { outDir: out, settings, workers: 0 });
    const before = pageSpecs(out);

    let reports = 0;
    const h = startWatch(camp, { outDir: out, settings, settleMs: 80, debounceMs: 20, workers: 0, onReport: () => reports++ });
    await h.ready;
    await h.idle();
    resetWork();
    reports = 0;
    writeFileSync(join(camp, 'eis', 'B1_eis_9.DTA'), eisDta(999, 40));
    for (let i = 0; i < 200 && reports === 0; i++) await new Promise((r) => setTimeout(r, 25));
    await h.idle();
    await h.close();
    expect(reports).toBe(1);
    expect(work.filesParsed).toBe(1);
    expect(work.fits).toEqual({ eis: 1 }); // only the new spectrum: no cycler log re-fitted
    expect(work.cycleAnalyses).toBe(0);
    expect(work.analyses).toBe(1); // the campaign analysis runs again: its input changed
    expect(work.kkComputed).toBe(0); // its KK residuals came with its fit
    // B1's Nyquist and Bode plots, and figures over every spectrum, at most; the other cell's stay cached.
    expect(work.figuresCompiled).toBeGreaterThan(0);
    expect(work.figuresCompiled).toBeLessThan(before.join('').split('"$schema"').length);
    const after = pageSpecs(out);
    const cellPages = readdirSync(join(out, 'cells')).sort();
    expect(after[1 + cellPages.indexOf('A1.html')]).toEqual(before[1 + cellPages.indexOf('A1.html')]);
    expect(after[1 + cellPages.indexOf('B1.html')]).not.toEqual(before[1 + cellPages.indexOf('B1.html')]);

    resetWork();
    const generated = (JSON.parse(readFileSync(join(out, 'report.json'), 'utf8')) as CampaignReport).generatedAt;
    let announced = 0;
    const h2 = startWatch(camp, { outDir: out, settings, settleMs: 80, debounceMs: 20, workers: 0, onReport: () => announced++ });
    await h2.ready;
    await h2.idle();
    await h2.close();
    expect(work).toEqual(idle);
    expect(announced).toBe(1); // the report on disk is announced as current …
    expect((JSON.parse(readFileSync(join(out, 'report.json'), 'utf8')) as CampaignReport).generatedAt).toBe(generated); // … not rebuilt
  });

  it("a watcher's idle warm-ups read the smallest file of each format and write the report to a throw-away folder: nothing stored, written or counted", async () => {
    const { camp, out } = campaign();
    await runBatch(camp, { outDir: out, settings, workers: 0 });
    const { ctx } = await openCampaign(camp, { outDir: out, settings });
    const privateTmp = mkdtempSync(join(tmpdir(), 'ip-warm-tmp-'));
    dirs.push(privateTmp);
    const savedTmp = process.env.TMPDIR;
    process.env.TMPDIR = privateTmp; // os.tmpdir() reads it: the warm-up's folder is made (and removed) here
    try {
      const generation = await ctx.store.generation();
      const files = readdirSync(out).sort();
      const reportBytes = readFileSync(join(out, 'report.json'), 'utf8');
      resetWork();
      const read = await uncounted(async () => {
        const paths = await warmUpParsing(ctx);
        await warmUpReport(ctx, []);
        expect(work.filesParsed).toBe(2); // counted inside …
        return paths;
      });
      expect(work).toEqual(idle); // … not after
      // the smallest of each format: the 2,000-row log and the smallest spectrum (sizes differ by a few bytes)
      expect(read.map((p) => p.split('/')[0]).sort()).toEqual(['cycling', 'eis']);
      expect(read).toContain('cycling/B1_cycling.csv');
      expect(await ctx.store.generation()).toBe(generation);
      expect(readdirSync(out).sort()).toEqual(files);
      expect(readFileSync(join(out, 'report.json'), 'utf8')).toBe(reportBytes);
      expect(readdirSync(privateTmp)).toEqual([]);
    } finally {
      if (savedTmp === undefined) delete process.env.TMPDIR;
      else process.env.TMPDIR = savedTmp;
      ctx.store.close();
    }
  });
});
