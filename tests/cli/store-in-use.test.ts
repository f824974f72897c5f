/**
 * Issue #18: another command run while a watcher holds the store says so in one line (exit 1), with no
 * stack trace. Runs the built CLI (`npm test` builds first).
 */
import { describe, expect, it } from 'vitest';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const CLI = resolve(__dirname, '../../dist/pipelines/cli/main.js');

describe('a store held by a running watcher', () => {
  it('export and report say the store is in use, in one line, exit 1', async () => {
    const d = mkdtempSync(join(tmpdir(), 'ip-inuse-'));
    const camp = join(d, 'c');
    const out = join(d, 'out');
    mkdirSync(camp);
    writeFileSync(join(camp, 'notes.txt'), 'not instrument data\n');
    const w = spawn(process.execPath, [CLI, 'watch', camp, '--out', out], { stdio: 'ignore' });
    try {
      const t0 = Date.now();
      while (!existsSync(join(out, 'store.duckdb')) && Date.now() - t0 < 30_000) await new Promise((r) => setTimeout(r, 200));
      expect(existsSync(join(out, 'store.duckdb'))).toBe(true);
      for (const args of [
        ['export', camp, '--out', out, '--format', 'csv'],
        ['report', camp, '--out', out],
      ]) {
        const r = spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8' });
        expect(r.status, args[0]).toBe(1);
        expect(r.stderr.trim(), args[0]).toMatch(/^interphase: the store .*store\.duckdb is in use by another Interphase process \(a running watch or batch\)/);
        expect(r.stderr, args[0]).not.toMatch(/\n\s+at /); // no stack trace
      }
    } finally {
      w.kill('SIGTERM');
      await new Promise((r) => setTimeout(r, 300));
      rmSync(d, { recursive: true, force: true });
    }
  }, 60_000);
});
