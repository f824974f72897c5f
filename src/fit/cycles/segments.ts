/**
 * Current runs of a cycler record for the voltage-profile features (nucleation dip, Li||Li hysteresis,
 * dQ/dV): contiguous rows of one current sign with |I| above the rest threshold. Unlike the summary's
 * half cycles (merged across rests, charge only), a run keeps its row range so V(t) can be read again.
 */
import type { NumericArray } from '../../records/record.js';
import type { CyclerSeries } from './cycler-series.js';
import type { CycleSummary } from './summarize-cycles.js';
import { medianInPlace } from './quickselect.js';

export interface CurrentRun {
  /** +1 charge (I > 0), −1 discharge (I < 0). */
  readonly sign: number;
  /** First and last row (inclusive) with this sign and |I| above the rest threshold. */
  readonly startRow: number;
  readonly endRow: number;
  /** Index into the cycle summary of the cycle holding startRow. */
  readonly cycleIndex: number;
  /** True when the previous non-rest run had the other sign (or there was none): the run opens a half cycle. */
  readonly opensHalf: boolean;
  /** Rest (s) with |I| below the threshold immediately before the run (0 when none). */
  readonly restBeforeS: number;
}

/** Runs of one sign; a rest or a sign change ends a run. */
export function currentRuns(series: CyclerSeries, summary: CycleSummary): CurrentRun[] {
  const I = series.current;
  const T = series.time;
  const restA = summary.restCurrentA;
  const out: CurrentRun[] = [];
  let sign = 0;
  let start = -1;
  let lastSign = 0;
  const close = (end: number): void => {
    const prevEnd = out.length ? out[out.length - 1]!.endRow : -1;
    const restBefore = prevEnd >= 0 && start - prevEnd > 1 ? T[start - 1]! - T[prevEnd + 1]! : start > 0 && prevEnd < 0 ? T[start - 1]! - T[0]! : 0;
    out.push({
      sign,
      startRow: start,
      endRow: end,
      cycleIndex: cycleIndexOf(summary, start),
      opensHalf: lastSign !== sign,
      restBeforeS: Math.max(0, restBefore),
    });
    lastSign = sign;
  };
  for (let i = 0; i < series.rows; i++) {
    const x = I[i]!;
    const s = x > restA ? 1 : x < -restA ? -1 : 0;
    if (s !== sign) {
      if (sign !== 0) close(i - 1);
      sign = s;
      start = i;
    }
  }
  if (sign !== 0) close(series.rows - 1);
  return out;
}

/** Binary search: the cycle whose row range [startRow, endRow) holds `row`. */
export function cycleIndexOf(s: CycleSummary, row: number): number {
  let lo = 0;
  let hi = s.cycles - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (s.startRow[mid]! <= row) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

/** Charge moved since the run's first row (Ah), trapezoid on Test Time, |I|. */
export function runCapacity(T: NumericArray, I: NumericArray, start: number, end: number): Float64Array {
  const q = new Float64Array(end - start + 1);
  for (let i = start + 1; i <= end; i++) {
    const dt = T[i]! - T[i - 1]!;
    q[i - start] = q[i - start - 1]! + (dt > 0 ? ((Math.abs(I[i]!) + Math.abs(I[i - 1]!)) * dt) / 7200 : 0);
  }
  return q;
}

export function median(values: ArrayLike<number>): number {
  const a = Array.from(values)
    .filter((x) => Number.isFinite(x))
    .sort((x, y) => x - y);
  if (a.length === 0) return NaN;
  const m = a.length >> 1;
  return a.length % 2 ? a[m]! : (a[m - 1]! + a[m]!) / 2;
}

/** Median time step over rows [a, b] (positive steps only). */
export function medianInterval(T: NumericArray, a: number, b: number): number {
  const d = new Float64Array(Math.max(0, b - a));
  let n = 0;
  for (let i = a + 1; i <= b; i++) {
    const x = T[i]! - T[i - 1]!;
    if (x > 0) d[n++] = x;
  }
  return n ? medianInPlace(d, 0, n) : NaN;
}

/** Ordinary least squares y = a + b·x with the slope's standard error. */
export function olsSlope(x: readonly number[], y: readonly number[]): { slope: number; intercept: number; stderr: number; n: number } {
  const n = x.length;
  if (n < 2) return { slope: NaN, intercept: NaN, stderr: NaN, n };
  let mx = 0,
    my = 0;
  for (let i = 0; i < n; i++) {
    mx += x[i]!;
    my += y[i]!;
  }
  mx /= n;
  my /= n;
  let sxx = 0,
    sxy = 0;
  for (let i = 0; i < n; i++) {
    sxx += (x[i]! - mx) ** 2;
    sxy += (x[i]! - mx) * (y[i]! - my);
  }
  const slope = sxx > 0 ? sxy / sxx : NaN;
  const intercept = my - slope * mx;
  let sse = 0;
  for (let i = 0; i < n; i++) sse += (y[i]! - intercept - slope * x[i]!) ** 2;
  const stderr = n > 2 && sxx > 0 ? Math.sqrt(sse / (n - 2) / sxx) : NaN;
  return { slope, intercept, stderr, n };
}
