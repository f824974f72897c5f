/**
 * One-way ANOVA (scipy.stats.f_oneway) and Tukey's HSD (Tukey–Kramer for unequal n) with p-values
 * and simultaneous CIs from the studentized range distribution (scipy.stats.tukey_hsd).
 */
import { mean, sum } from './descriptive.js';
import { fSf, studentizedRangeCdf, studentizedRangeSf } from './distributions.js';

export interface AnovaResult {
  readonly method: string;
  readonly n: readonly number[];
  readonly F: number;
  readonly df1: number;
  readonly df2: number;
  readonly p: number;
  readonly etaSquared: number;
  readonly omegaSquared: number;
  readonly mse: number;
}

export function oneWayAnova(groups: readonly (readonly number[])[]): AnovaResult {
  const k = groups.length;
  const N = sum(groups.map((g) => g.length));
  const grand = sum(groups.map((g) => sum(g))) / N;
  let ssb = 0;
  let ssw = 0;
  for (const g of groups) {
    const m = mean(g);
    ssb += g.length * (m - grand) ** 2;
    for (const v of g) ssw += (v - m) ** 2;
  }
  const df1 = k - 1;
  const df2 = N - k;
  const mse = ssw / df2;
  const F = ssb / df1 / mse;
  return {
    method: 'one-way ANOVA',
    n: groups.map((g) => g.length),
    F,
    df1,
    df2,
    p: fSf(F, df1, df2),
    etaSquared: ssb / (ssb + ssw),
    omegaSquared: (ssb - df1 * mse) / (ssb + ssw + mse),
    mse,
  };
}

export interface TukeyPair {
  readonly a: string;
  readonly b: string;
  /** mean(a) − mean(b). */
  readonly diff: number;
  readonly se: number;
  readonly q: number;
  readonly p: number;
  readonly ci: readonly [number, number] | null;
}

export interface TukeyResult {
  readonly method: string;
  readonly groups: readonly string[];
  readonly n: readonly number[];
  readonly df: number;
  readonly mse: number;
  readonly qCrit: number | null;
  readonly pairs: readonly TukeyPair[];
}

/** Critical studentized range value q with P(Q ≤ q) = level. */
export function studentizedRangeQuantile(level: number, k: number, df: number): number {
  let lo = 0;
  let hi = 10;
  while (studentizedRangeCdf(hi, k, df) < level) hi *= 2;
  for (let i = 0; i < 60; i++) {
    const mid = 0.5 * (lo + hi);
    if (studentizedRangeCdf(mid, k, df) < level) lo = mid;
    else hi = mid;
    if (hi - lo < 1e-9) break;
  }
  return 0.5 * (lo + hi);
}

/**
 * Tukey HSD over all pairs (or only the `pairs` given as [i, j] index pairs — they still use the
 * k-group studentized range, so p-values are the same as in the full table).
 */
export function tukeyHsd(
  groups: readonly (readonly number[])[],
  names?: readonly string[],
  opts: { confLevel?: number; ci?: boolean; pairs?: readonly (readonly [number, number])[] } = {},
): TukeyResult {
  const k = groups.length;
  const labels = names ?? groups.map((_, i) => `g${i + 1}`);
  const aov = oneWayAnova(groups);
  const df = aov.df2;
  const wantCi = opts.ci ?? true;
  const qCrit = wantCi ? studentizedRangeQuantile(opts.confLevel ?? 0.95, k, df) : null;
  const pairs: TukeyPair[] = [];
  for (let i = 0; i < k; i++) {
    for (let j = i + 1; j < k; j++) {
      if (opts.pairs && !opts.pairs.some(([a, b]) => (a === i && b === j) || (a === j && b === i))) continue;
      const diff = mean(groups[i]!) - mean(groups[j]!);
      const se = Math.sqrt((aov.mse / 2) * (1 / groups[i]!.length + 1 / groups[j]!.length));
      const q = Math.abs(diff) / se;
      pairs.push({
        a: labels[i]!,
        b: labels[j]!,
        diff,
        se,
        q,
        p: studentizedRangeSf(q, k, df),
        ci: qCrit === null ? null : [diff - qCrit * se, diff + qCrit * se],
      });
    }
  }
  return { method: 'Tukey HSD (Tukey–Kramer)', groups: labels, n: aov.n, df, mse: aov.mse, qCrit, pairs };
}
