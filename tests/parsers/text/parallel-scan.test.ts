/**
 * The two-core scan gives exactly the single-thread result. Runs the compiled code in a child process
 * (the worker is compiled JavaScript; `npm test` builds first) on a generated 30 MB CSV.
 */
import { describe, it, expect } from 'vitest';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const DIST = resolve(__dirname, '../../../dist');
// The script is the edge: INTERPHASE_* reach the code as settings (src/settings.ts), as in the CLI.
const script = (file: string) => `
import { loadFile } from '${DIST}/src/io/load.js';
import { settingsFromEnv } from '${DIST}/src/settings.js';
import { setParallelScan } from '${DIST}/parsers/text/parallel-scan.js';
import { createHash } from 'node:crypto';
const settings = settingsFromEnv(process.env);
setParallelScan(settings.parallelScan);
const r = await loadFile('${file}', { settings });
const h = createHash('sha256');
for (const rec of r.records) for (const c of rec.columns) { h.update(c.name); h.update(new Uint8Array(c.values.buffer, c.values.byteOffset, c.values.byteLength)); }
console.log(JSON.stringify({ rows: r.records[0].columns[0].values.length, hash: h.digest('hex'), warnings: r.records[0].warnings.length }));
`;

describe.skipIf(!existsSync(join(DIST, 'parsers/text/scan-worker.js')))('parallel delimited scan', () => {
  it('is bit-identical to the single-thread in-memory scan on a 30 MB Arbin CSV, in memory or streamed', () => {
    const d = mkdtempSync(join(tmpdir(), 'ip-par-'));
    const f = join(d, 'big.csv');
    const lines = [
      'Data_Point,Test_Time(s),Date_Time,Step_Time(s),Step_Index,Cycle_Index,Current(A),Voltage(V),Charge_Capacity(Ah),Discharge_Capacity(Ah),Charge_Energy(Wh),Discharge_Energy(Wh),dV/dt(V/s),Internal_Resistance(Ohm)',
    ];
    for (let i = 0; i < 260_000; i++) {
      const cyc = 1 + Math.floor(i / 2000);
      const ch = i % 2000 < 1000;
      lines.push(
        `${i + 1},${(i * 10).toFixed(4)},05/01/2024 ${String(Math.floor((i / 360) % 24)).padStart(2, '0')}:${String(Math.floor((i / 6) % 60)).padStart(2, '0')}:${String((i * 10) % 60).padStart(2, '0')},${((i % 1000) * 10).toFixed(4)},${ch ? 2 : 4},${cyc},${ch ? 1.1 : -1.1},${(3.3 + 0.0001 * (i % 1000)).toFixed(7)},${(ch ? (i % 1000) * 0.003 : 3).toFixed(9)},${(ch ? 0 : (i % 1000) * 0.003).toFixed(9)},0.1,0.2,3.3e-5,0.0171`,
      );
    }
    writeFileSync(f, lines.join('\r\n') + '\r\n');
    const run = (env: Record<string, string>) => {
      const r = spawnSync(process.execPath, ['--input-type=module', '-e', script(f)], { encoding: 'utf8', env: { ...process.env, ...env } });
      expect(r.status, r.stderr).toBe(0);
      return JSON.parse(r.stdout.trim().split('\n').pop()!);
    };
    // Reference: the whole file in memory, one thread.
    const one = run({ INTERPHASE_PARALLEL_SCAN: '0', INTERPHASE_STREAM_MB: '100000' });
    expect(one.rows).toBe(260_000);
    // Whole file in memory, two threads (the worker gets a copy of its half).
    expect(run({ INTERPHASE_STREAM_MB: '100000' })).toEqual(one);
    // Streamed from the file in chunks (the default above 24 MB): two threads, each reading its half.
    expect(run({})).toEqual(one);
    // Streamed, one thread.
    expect(run({ INTERPHASE_PARALLEL_SCAN: '0' })).toEqual(one);
  });
});
