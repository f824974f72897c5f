/** Small instrument files for the pipeline tests, written with the virtual-lab writers. */
import { writeGamryDta } from '../../fixtures/virtual-lab/writers/gamry-dta.js';
import { writeArbinCsv } from '../../fixtures/virtual-lab/writers/arbin-csv.js';

/** A tiny Gamry EIS spectrum (n ≥ 5 points); `tag` changes the values so each file has its own bytes. */
export function tinyDta(tag: number, n = 6): Buffer {
  const freq = new Float64Array(n);
  const zre = new Float64Array(n);
  const zim = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    freq[i] = 1e5 / 10 ** i;
    zre[i] = 10 + i + tag * 1e-3;
    zim[i] = -1 - i - (tag % 97) * 1e-3;
  }
  return Buffer.from(writeGamryDta({ freq, zre, zim }, { title: `spectrum ${tag}`, date: '11/25/2026', time: '10:00:00', areaCm2: 1.13, vdc: 0 }), 'latin1');
}

/** A small Arbin CSV cycling log: `cycles` galvanostatic cycles of `pts` points per half cycle. */
export function smallArbin(tag: number, cycles = 3, pts = 8): string {
  const n = cycles * 2 * pts;
  const time = new Float64Array(n);
  const voltage = new Float64Array(n);
  const current = new Float64Array(n);
  const cycle = new Int32Array(n);
  const step = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const c = Math.floor(i / (2 * pts));
    const charge = Math.floor(i / pts) % 2 === 1;
    time[i] = i * 60;
    current[i] = charge ? 5e-4 : -5e-4;
    voltage[i] = charge ? 0.05 + 0.001 * (i % pts) + tag * 1e-6 : -0.05 - 0.001 * (i % pts);
    cycle[i] = c + 1;
    step[i] = charge ? 2 : 1;
  }
  return writeArbinCsv({ time, voltage, current, cycle, step, startUnix: 1_780_000_000 + tag });
}

/** A file no parser accepts, with a reason that names it. */
export const MALFORMED_DTA = 'EXPLAIN\r\nTAG\tEISPOT\r\nZCURVE\tTABLE\r\n';
