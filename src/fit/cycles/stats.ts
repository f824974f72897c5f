/**
 * Small statistics for fitted means: mean, sample SD and the two-sided 95 % Student-t quantile
 * (simple-statistics has no inverse t; a table plus the Cornish–Fisher tail is exact to 3 decimals).
 */
import { mean as ssMean, sampleStandardDeviation } from 'simple-statistics';

const T975 = [NaN, 12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262, 2.228,
  2.201, 2.179, 2.16, 2.145, 2.131, 2.12, 2.11, 2.101, 2.093, 2.086,
  2.08, 2.074, 2.069, 2.064, 2.06, 2.056, 2.052, 2.048, 2.045, 2.042];

/** t_{0.975, df}. */
export function tQuantile975(df: number): number {
  if (!(df >= 1)) return NaN;
  if (df < T975.length && Number.isInteger(df)) return T975[df]!;
  const z = 1.959964;
  const g1 = (z ** 3 + z) / 4;
  const g2 = (5 * z ** 5 + 16 * z ** 3 + 3 * z) / 96;
  return z + g1 / df + g2 / (df * df);
}

export interface MeanEstimate {
  readonly n: number;
  readonly mean: number;
  readonly sd: number;
  readonly stderr: number;
  readonly ci95: readonly [number, number];
}

/** Mean with its standard error and t-interval; sd/stderr/ci are NaN for n < 2. */
export function meanEstimate(values: readonly number[]): MeanEstimate {
  const n = values.length;
  if (n === 0) return { n, mean: NaN, sd: NaN, stderr: NaN, ci95: [NaN, NaN] };
  const m = ssMean(values as number[]);
  if (n < 2) return { n, mean: m, sd: NaN, stderr: NaN, ci95: [NaN, NaN] };
  const sd = sampleStandardDeviation(values as number[]);
  const se = sd / Math.sqrt(n);
  const h = tQuantile975(n - 1) * se;
  return { n, mean: m, sd, stderr: se, ci95: [m - h, m + h] };
}
