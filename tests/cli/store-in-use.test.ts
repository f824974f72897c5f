/**
 * Issue #18: other commands run while a watcher holds the store. `export` reads the snapshot the
 * watcher keeps beside the store (written after each report) and says so; `report` points at the
 * report the watcher keeps current; `batch`, which writes, says the store is in use in one line
 * (exit 1). No stack trace anywhere. Runs the built CLI (`npm test` builds first).
 */
import { describe, expect, it } from 'vitest';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { eisDta } from '../../bench/pipeline.js';

const CLI = resolve(__dirname, '../../dist/pipelines/cli/main.js');

describe('a store held by a running watcher', () => {
  it('export reads its snapshot, report points at its report, batch says the store is in use', async () => {
    const d = mkdtempSync(join(tmpdir(), 'ip-inuse-'));
    const camp = join(d, 'c');
    const out = join(d, 'out');
    mkdirSync(camp);
    writeFileSync(join(camp, 'campaign.yaml'), 'campaign: t\ncells:\n  - { id: A1, group: control, files: ["*.DTA"] }\n');
    writeFileSync(join(camp, 'A1_eis.DTA'), eisDta(7, 20));
    const w = spawn(process.execPath, [CLI, 'watch', camp, '--out', out, '--workers', '0'], { stdio: 'ignore' });
    try {
      const snap = join(out, 'store.snapshot.duckdb');
      const t0 = Date.now();
      while (!existsSync(snap) && Date.now() - t0 < 60_000) await new Promise((r) => setTimeout(r, 200));
      expect(existsSync(snap)).toBe(true);

      // The first snapshot may predate the spectrum (a file written just before the start settles first):
      // export until the snapshot holds it.
      const exportCsv = () => spawnSync(process.execPath, [CLI, 'export', camp, '--out', out, '--format', 'csv'], { encoding: 'utf8' });
      const rows = (): string[] =>
        readFileSync(join(out, 'export', 'files.csv'), 'utf8')
          .trim()
          .split('\n');
      let ex = exportCsv();
      for (const t1 = Date.now(); ex.status === 0 && rows().length < 2 && Date.now() - t1 < 60_000; ex = exportCsv())
        await new Promise((r) => setTimeout(r, 500));
      expect(ex.status, ex.stderr).toBe(0);
      expect(ex.stderr).toMatch(/^interphase: a running watcher holds the store; exporting its snapshot of \d{4}-\d\d-\d\dT/);
      const files = rows();
      expect(files).toHaveLength(2); // header + the spectrum
      expect(files[1]).toContain('A1_eis.DTA');
      expect(readFileSync(join(out, 'export', 'parameters.csv'), 'utf8')).toMatch(/R_SEI/);

      const rep = spawnSync(process.execPath, [CLI, 'report', camp, '--out', out], { encoding: 'utf8' });
      expect(rep.status, rep.stderr).toBe(0);
      expect(rep.stdout).toMatch(/a running watcher holds the store and keeps the report current: .*report\.html \(written .*\); nothing rebuilt/);

      const b = spawnSync(process.execPath, [CLI, 'batch', camp, '--out', out], { encoding: 'utf8' });
      expect(b.status).toBe(1);
      expect(b.stderr.trim()).toMatch(/^interphase: the store .*store\.duckdb is in use by another Interphase process \(a running watch or batch\)/);
      for (const r of [ex, rep, b]) expect(r.stderr).not.toMatch(/\n\s+at /); // no stack trace
    } finally {
      w.kill('SIGTERM');
      await new Promise((r) => setTimeout(r, 300));
      rmSync(d, { recursive: true, force: true });
    }
  }, 120_000);
});
