/** Descriptive helpers shared by the tests: mean, variance, ranks with mid-ranks for ties, median; a mean with its t-interval. */
import { mean as compensatedMean, sampleStandardDeviation } from 'simple-statistics';
import { tQuantile975 } from './distributions.js';

export function sum(x: readonly number[]): number {
  let s = 0;
  for (const v of x) s += v;
  return s;
}
export function mean(x: readonly number[]): number {
  return x.length === 0 ? NaN : sum(x) / x.length;
}
/** Sample variance (n − 1 denominator). */
export function variance(x: readonly number[]): number {
  const n = x.length;
  if (n < 2) return NaN;
  const m = mean(x);
  let s = 0;
  for (const v of x) s += (v - m) * (v - m);
  return s / (n - 1);
}
export function sd(x: readonly number[]): number {
  return Math.sqrt(variance(x));
}
export function median(x: readonly number[]): number {
  return quantile(x, 0.5);
}
/** Linear-interpolation quantile (type 7, numpy/R default). */
export function quantile(x: readonly number[], p: number): number {
  const s = [...x].sort((a, b) => a - b);
  if (s.length === 0) return NaN;
  const h = (s.length - 1) * p;
  const lo = Math.floor(h);
  const hi = Math.ceil(h);
  return s[lo]! + (h - lo) * (s[hi]! - s[lo]!);
}
/** Ranks 1..n with ties given their average rank. */
export function ranks(x: readonly number[]): number[] {
  const idx = x.map((_, i) => i).sort((a, b) => x[a]! - x[b]!);
  const r = new Array<number>(x.length);
  let i = 0;
  while (i < idx.length) {
    let j = i;
    while (j + 1 < idx.length && x[idx[j + 1]!] === x[idx[i]!]) j++;
    const avg = (i + j) / 2 + 1;
    for (let k = i; k <= j; k++) r[idx[k]!] = avg;
    i = j + 1;
  }
  return r;
}
/** Sizes of tie groups (only groups with ≥ 2 members). */
export function tieSizes(x: readonly number[]): number[] {
  const counts = new Map<number, number>();
  for (const v of x) counts.set(v, (counts.get(v) ?? 0) + 1);
  return [...counts.values()].filter((c) => c > 1);
}
export function pearson(x: readonly number[], y: readonly number[]): number {
  const mx = mean(x);
  const my = mean(y);
  let sxy = 0;
  let sxx = 0;
  let syy = 0;
  for (let i = 0; i < x.length; i++) {
    sxy += (x[i]! - mx) * (y[i]! - my);
    sxx += (x[i]! - mx) ** 2;
    syy += (y[i]! - my) ** 2;
  }
  return sxy / Math.sqrt(sxx * syy);
}
/** Round half to even (numpy's np.round). */
export function roundHalfEven(x: number): number {
  const r = Math.round(x);
  return Math.abs(x % 1) === 0.5 && r % 2 !== 0 ? r - 1 : r;
}

export interface MeanEstimate {
  readonly n: number;
  readonly mean: number;
  readonly sd: number;
  readonly stderr: number;
  readonly ci95: readonly [number, number];
}

/**
 * Mean of fitted per-cycle values with its standard error and 95 % t-interval (exact t quantile); sd/stderr/ci
 * are NaN for n < 2. The mean is simple-statistics' compensated (Neumaier) sum, as the cycling fits have always
 * reported it: `mean` above would move it by an ulp and a constant series' sd from ~1e-18 noise to ~4e-18.
 */
export function meanEstimate(values: readonly number[]): MeanEstimate {
  const n = values.length;
  if (n === 0) return { n, mean: NaN, sd: NaN, stderr: NaN, ci95: [NaN, NaN] };
  const m = compensatedMean(values as number[]);
  if (n < 2) return { n, mean: m, sd: NaN, stderr: NaN, ci95: [NaN, NaN] };
  const s = sampleStandardDeviation(values as number[]);
  const se = s / Math.sqrt(n);
  const h = tQuantile975(n - 1) * se;
  return { n, mean: m, sd: s, stderr: se, ci95: [m - h, m + h] };
}
