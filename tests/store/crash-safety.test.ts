/**
 * Store safety:
 *  1. kill -9 in the middle of `interphase batch` leaves the DuckDB store consistent (each file is
 *     written in one transaction), and a re-run completes the work with every file stored exactly once
 *     and a complete report.json;
 *  2. a full disk while writing a report leaves the previous report byte-identical (writeAtomic).
 * Spawns the compiled CLI (dist/pipelines/cli/main.js; `npm test` compiles first).
 */
import { describe, expect, it, afterEach, vi } from 'vitest';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { CampaignStore } from '../../src/store/store.js';
import { writeAtomic } from '../../src/io/atomic.js';
import { writeGamryDta } from '../../fixtures/virtual-lab/writers/gamry-dta.js';
import { writeArbinCsv } from '../../fixtures/virtual-lab/writers/arbin-csv.js';

const fail = vi.hoisted(() => ({ mode: null as null | 'enospc-mid-write' | 'rename' }));
vi.mock('node:fs/promises', async (importOriginal) => {
  const real = await importOriginal<typeof import('node:fs/promises')>();
  return {
    ...real,
    writeFile: async (p: Parameters<typeof real.writeFile>[0], data: string | Uint8Array, ...rest: unknown[]) => {
      if (fail.mode === 'enospc-mid-write' && String(p).endsWith('.tmp')) {
        // the disk fills half way through the temporary file
        const buf = typeof data === 'string' ? Buffer.from(data) : Buffer.from(data);
        await real.writeFile(p, buf.subarray(0, buf.length >> 1));
        throw Object.assign(new Error(`ENOSPC: no space left on device, write '${String(p)}'`), { code: 'ENOSPC' });
      }
      return (real.writeFile as (...a: unknown[]) => Promise<void>)(p, data, ...rest);
    },
    rename: async (a: string, b: string) => {
      if (fail.mode === 'rename') throw Object.assign(new Error(`EIO: i/o error, rename '${a}'`), { code: 'EIO' });
      return real.rename(a, b);
    },
  };
});

const CLI = resolve(__dirname, '../../dist/pipelines/cli/main.js');
const dirs: string[] = [];
afterEach(() => {
  fail.mode = null;
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

/** A campaign of `n` Gamry spectra and `n/2` Arbin logs, all with distinct bytes. */
function buildCampaign(dir: string, n: number): string[] {
  mkdirSync(join(dir, 'eis'), { recursive: true });
  mkdirSync(join(dir, 'cycling'), { recursive: true });
  const names: string[] = [];
  for (let k = 0; k < n; k++) {
    const freq = Float64Array.from({ length: 40 }, (_, i) => 1e5 * 10 ** (-i / 6));
    const r = 20 + k;
    const w = (f: number): number => 2 * Math.PI * f * r * 1e-5;
    const zre = Float64Array.from(freq, (f) => 5 + r / (1 + w(f) ** 2));
    const zim = Float64Array.from(freq, (f) => (-r * w(f)) / (1 + w(f) ** 2));
    const name = `eis/S${String(k).padStart(3, '0')}_eis.DTA`;
    writeFileSync(
      join(dir, name),
      Buffer.from(writeGamryDta({ freq, zre, zim }, { title: `S${k}`, date: '11/25/2026', time: '10:00:00', areaCm2: 1.13, vdc: 0 }), 'latin1'),
    );
    names.push(name);
  }
  for (let k = 0; k < n / 2; k++) {
    const m = 60;
    const t = Float64Array.from({ length: m }, (_, i) => i * 60);
    const series = {
      time: t,
      voltage: Float64Array.from(t, (_, i) => 0.05 + 0.01 * Math.sin(i / 4 + k)),
      current: Float64Array.from(t, (_, i) => (Math.floor(i / 10) % 2 ? -5e-4 : 5e-4)),
      cycle: Int32Array.from(t, (_, i) => 1 + Math.floor(i / 20)),
      step: Int32Array.from(t, (_, i) => 1 + Math.floor(i / 10)),
      startUnix: 1_780_000_000 + k,
    };
    const name = `cycling/S${String(k).padStart(3, '0')}_cycling.csv`;
    writeFileSync(join(dir, name), writeArbinCsv(series));
    names.push(name);
  }
  return names.sort();
}

async function consistency(storeFile: string): Promise<{ files: number; problems: Record<string, unknown>[] }> {
  const s = await CampaignStore.open(storeFile);
  try {
    const q = async (sql: string) => (await s.query(sql)) as Record<string, unknown>[];
    const problems = [
      ...(await q(`SELECT 'record without file' AS p, r.path FROM records r LEFT JOIN files f USING (path) WHERE f.path IS NULL`)),
      ...(await q(
        `SELECT 'records count mismatch' AS p, f.path FROM files f WHERE f.status = 'parsed' AND f.records <> (SELECT count(*) FROM records r WHERE r.path = f.path)`,
      )),
      ...(await q(`SELECT 'column without record' AS p, c.record_id FROM record_columns c LEFT JOIN records r USING (record_id) WHERE r.record_id IS NULL`)),
      ...(await q(
        `SELECT 'record without columns' AS p, r.record_id FROM records r WHERE NOT EXISTS (SELECT 1 FROM record_columns c WHERE c.record_id = r.record_id)`,
      )),
      ...(await q(`SELECT 'duplicate path' AS p, path FROM files GROUP BY path HAVING count(*) > 1`)),
      ...(await q(`SELECT 'duplicate record' AS p, record_id FROM records GROUP BY record_id HAVING count(*) > 1`)),
    ];
    const files = Number((await q(`SELECT count(*) AS n FROM files`))[0]!.n);
    return { files, problems };
  } finally {
    s.close();
  }
}

describe('store crash safety', () => {
  it.skipIf(!existsSync(CLI))(
    'kill -9 mid-batch leaves a consistent store; a re-run stores every file exactly once',
    async () => {
      const root = mkdtempSync(join(tmpdir(), 'ip-crash-'));
      dirs.push(root);
      const camp = join(root, 'campaign');
      const out = join(root, 'out');
      const names = buildCampaign(camp, 60); // 60 spectra + 30 cycler logs
      const storeFile = join(out, 'store.duckdb');

      // 1. start the batch and SIGKILL it 1.5 s after the store appears
      const child = spawn(process.execPath, [CLI, 'batch', camp, '--out', out, '--json'], { stdio: 'ignore' });
      const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((r) => child.on('exit', (code, signal) => r({ code, signal })));
      const t0 = Date.now();
      while (!existsSync(storeFile) && Date.now() - t0 < 30_000) await new Promise((r) => setTimeout(r, 20));
      await new Promise((r) => setTimeout(r, 1500));
      child.kill('SIGKILL');
      const ex = await exited;
      const reportAtKill = existsSync(join(out, 'report.json'));
      expect(ex.signal, 'the batch finished before the kill; raise the file count').toBe('SIGKILL');
      expect(reportAtKill).toBe(false); // killed mid-batch, before the report stage

      // 2. the store after the crash: consistent (every file row matches its records), maybe partial
      const after = await consistency(storeFile);
      expect(after.problems).toEqual([]);
      expect(after.files).toBeLessThan(names.length);
      console.log(`[crash-safety] after SIGKILL the store held ${after.files} of ${names.length} files, consistent`);

      // 3. re-run to completion
      const rerun = spawnSync(process.execPath, [CLI, 'batch', camp, '--out', out, '--json'], { encoding: 'utf8', timeout: 180_000 });
      expect(rerun.status, rerun.stderr).toBe(0);
      const summary = JSON.parse(rerun.stdout) as { files: { parsed: number; failed: number; skipped: number; duplicates: number } };
      expect(summary.files.failed).toBe(0);
      expect(summary.files.parsed + summary.files.skipped).toBe(names.length);

      const done = await consistency(storeFile);
      expect(done.problems).toEqual([]);
      expect(done.files).toBe(names.length);
      const s = await CampaignStore.open(storeFile);
      try {
        const rows = await s.query(
          `SELECT path, status, records, (SELECT count(*) FROM records r WHERE r.path = f.path)::INT AS stored FROM files f ORDER BY path`,
        );
        expect(rows.map((r) => r.path)).toEqual(names);
        for (const r of rows) {
          expect(r.status, String(r.path)).toBe('parsed');
          expect(Number(r.stored), String(r.path)).toBe(Number(r.records));
          expect(Number(r.stored)).toBeGreaterThan(0);
        }
      } finally {
        s.close();
      }
      const report = JSON.parse(readFileSync(join(out, 'report.json'), 'utf8')) as { files: { path: string; status: string }[] };
      expect(report.files.map((f) => f.path).sort()).toEqual(names);
      expect(report.files.every((f) => f.status === 'parsed')).toBe(true);
    },
    240_000,
  );
});

describe('writeAtomic: a failed write keeps the previous file', () => {
  const setup = async (): Promise<{ dir: string; path: string; before: Buffer }> => {
    const dir = mkdtempSync(join(tmpdir(), 'ip-atomic-'));
    dirs.push(dir);
    const path = join(dir, 'report.json');
    await writeAtomic(path, JSON.stringify({ version: 1, files: ['a', 'b'] }, null, 2));
    return { dir, path, before: readFileSync(path) };
  };

  it('disk full half way through the temporary file: previous report byte-identical, no temp file left', async () => {
    const { dir, path, before } = await setup();
    fail.mode = 'enospc-mid-write';
    await expect(writeAtomic(path, JSON.stringify({ version: 2, files: Array(1000).fill('x') }))).rejects.toThrow(/ENOSPC/);
    fail.mode = null;
    expect(readFileSync(path).equals(before)).toBe(true);
    expect(readdirSync(dir)).toEqual(['report.json']);
  });

  it('rename failing after a complete temp write: previous report byte-identical, temp removed', async () => {
    const { dir, path, before } = await setup();
    fail.mode = 'rename';
    await expect(writeAtomic(path, 'new content')).rejects.toThrow(/EIO/);
    fail.mode = null;
    expect(readFileSync(path).equals(before)).toBe(true);
    expect(readdirSync(dir)).toEqual(['report.json']);
  });

  it('without a fault the new content replaces the old', async () => {
    const { path } = await setup();
    await writeAtomic(path, 'v3');
    expect(readFileSync(path, 'utf8')).toBe('v3');
  });
});
