/**
 * Pieces of ≥ 24 MB are scanned on two threads, the worker reading its half of the piece straight
 * from the file (a window: piece position p is file byte p + delta) and returning its rows' offsets.
 * The per-cycle analysis must be the whole file's, bit for bit, on two threads and on one. Runs the
 * compiled code in a child process (the worker is compiled JavaScript; `npm test` builds first).
 */
import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const DIST = resolve(__dirname, '../../dist');

const script = (file: string) => `
import { writeArbinCsv } from '${DIST}/bench/cycler-files.js';
import { analyzeCyclerInPieces } from '${DIST}/src/io/cycler-pieces.js';
import { analyzeCycles } from '${DIST}/src/fit/cycles/analyze-cycles.js';
import { arbinCsv } from '${DIST}/parsers/cycler/arbin-csv.js';
import { settingsFromEnv } from '${DIST}/src/settings.js';
import { setParallelScan } from '${DIST}/parsers/text/parallel-scan.js';
import { readFileSync, existsSync } from 'node:fs';
// The script is the edge: INTERPHASE_PARALLEL_SCAN reaches the scanner as a setting (src/settings.ts), as in the CLI.
setParallelScan(settingsFromEnv(process.env).parallelScan);
import { createHash } from 'node:crypto';
const file = '${file}';
if (!existsSync(file)) writeArbinCsv(file, 400000);
// Every value bit for bit (typed arrays as bytes, so -0 and NaN payloads count), keys in sorted order.
const digest = (s) => {
  const h = createHash('sha256');
  const walk = (v) => {
    if (ArrayBuffer.isView(v)) h.update(v.constructor.name).update(new Uint8Array(v.buffer, v.byteOffset, v.byteLength));
    else if (v && typeof v === 'object') for (const k of Object.keys(v).sort()) { h.update(k); walk(v[k]); }
    else h.update(typeof v + ':' + String(v));
  };
  walk(s);
  return h.digest('hex');
};
if (process.argv.includes('--whole')) {
  const b = readFileSync(file);
  const [rec] = await arbinCsv.parse({ path: file, bytes: new Uint8Array(b.buffer, b.byteOffset, b.length) });
  console.log(JSON.stringify({ cycles: analyzeCycles(rec, { cellType: 'Li||Cu' }).summary.cycles, digest: digest(analyzeCycles(rec, { cellType: 'Li||Cu' }).summary) }));
} else {
  const p = await analyzeCyclerInPieces(file, file, arbinCsv, { cellType: 'Li||Cu' }, { pieceBytes: 28 * 1048576 });
  console.log(JSON.stringify({ cycles: p.analysis.summary.cycles, digest: digest(p.analysis.summary), pieces: p.pieces }));
}
`;

describe.skipIf(!existsSync(join(DIST, 'parsers/text/scan-worker.js')))('pieces on two threads', () => {
  it('gives the whole-file per-cycle summary, bit for bit, with and without the second thread', () => {
    const d = mkdtempSync(join(tmpdir(), 'ip-pieces2-'));
    const f = join(d, 'big.csv');
    const run = (args: string[], env: Record<string, string> = {}) => {
      const r = spawnSync(process.execPath, ['--input-type=module', '-e', script(f), '--', ...args], { encoding: 'utf8', env: { ...process.env, ...env } });
      expect(r.status, r.stderr).toBe(0);
      return JSON.parse(r.stdout.trim().split('\n').pop()!);
    };
    const whole = run(['--whole']);
    expect(whole.cycles).toBe(200);
    const two = run([]);
    expect(two.pieces).toBeGreaterThanOrEqual(3);
    expect(two).toMatchObject({ cycles: 200, digest: whole.digest });
    expect(run([], { INTERPHASE_PARALLEL_SCAN: '0' })).toMatchObject({ digest: whole.digest });
  }, 120_000);
});
