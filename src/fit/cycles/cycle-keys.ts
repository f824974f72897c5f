/**
 * Which cycle each row belongs to. The instrument's `Cycle Count` is used when present (NewareNDA's
 * lesson: reproduce the vendor's counting rather than guess it); otherwise cycles are derived from
 * the current sign under the cell's convention.
 */
import type { NumericArray } from '../../records/record.js';
import type { CycleConvention } from './convention.js';
import type { CycleSource } from './options.js';

export interface CycleKeys {
  /** Per-row cycle number (NaN rows inherit the previous row's number in the summary). */
  readonly keys: NumericArray;
  readonly source: 'column' | 'current-sign';
}

export function cycleKeys(cycle: NumericArray | undefined, current: NumericArray, restA: number, conv: CycleConvention, source: CycleSource): CycleKeys {
  if (source === 'column' && !cycle) throw new Error("cycleSource 'column' asked for, but the record has no 'Cycle Count' column");
  if (cycle && source !== 'current-sign') return { keys: cycle, source: 'column' };
  return { keys: deriveCycleNumbers(current, restA, conv.openingSign), source: 'current-sign' };
}

/**
 * Cycle numbers from the current sign: cycle 1 starts at row 0; a new cycle starts at the first
 * non-rest row of the opening sign that follows a non-rest row of the closing sign. Rest rows stay in
 * the cycle they fall in, so a rest between plating and stripping belongs to that cycle.
 */
export function deriveCycleNumbers(current: NumericArray, restA: number, openingSign: 1 | -1): Int32Array {
  const n = current.length;
  const out = new Int32Array(n);
  let cyc = 1;
  let lastSign = 0;
  for (let i = 0; i < n; i++) {
    const I = current[i]!;
    const s = I > restA ? 1 : I < -restA ? -1 : 0;
    if (s !== 0) {
      if (s === openingSign && lastSign === -openingSign) cyc++;
      lastSign = s;
    }
    out[i] = cyc;
  }
  return out;
}
