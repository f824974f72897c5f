/**
 * Two one-sided tests (TOST) for equivalence: H0 is |Δ| outside [low, upp]; equivalence is shown when
 * both one-sided tests reject, p = max(p_low, p_upp). The matching CI is the (1 − 2α) interval.
 * `tostWelch` matches statsmodels.stats.weightstats.ttost_ind(x, y, low, upp, usevar='unequal').
 */
import { mean, variance } from './descriptive.js';
import { tCdf, tQuantile } from './distributions.js';

export interface TostResult {
  readonly method: string;
  readonly n: readonly number[];
  readonly estimate: number;
  readonly se: number;
  readonly df: number;
  readonly low: number;
  readonly upp: number;
  readonly pLow: number;
  readonly pUpp: number;
  /** max(pLow, pUpp). */
  readonly p: number;
  /** (1 − 2α) CI with α = 0.05 → 90 % CI. */
  readonly ci90: readonly [number, number];
  readonly equivalent: boolean;
}

/** TOST from an estimate, its standard error and t df (use df = Infinity for a z-based estimate). */
export function tostFromEstimate(estimate: number, se: number, df: number, low: number, upp: number, alpha = 0.05, n: readonly number[] = []): TostResult {
  const tLow = (estimate - low) / se;
  const tUpp = (estimate - upp) / se;
  const pLow = tCdf(-tLow, df); // H0: Δ ≤ low
  const pUpp = tCdf(tUpp, df); // H0: Δ ≥ upp
  const q = tQuantile(1 - alpha, df);
  const p = Math.max(pLow, pUpp);
  return {
    method: 'TOST equivalence',
    n,
    estimate,
    se,
    df,
    low,
    upp,
    pLow,
    pUpp,
    p,
    ci90: [estimate - q * se, estimate + q * se],
    equivalent: p < alpha,
  };
}

/** Welch TOST for mean(x) − mean(y) within [low, upp]. */
export function tostWelch(x: readonly number[], y: readonly number[], low: number, upp: number, alpha = 0.05): TostResult {
  const n1 = x.length;
  const n2 = y.length;
  const v1 = variance(x) / n1;
  const v2 = variance(y) / n2;
  const se = Math.sqrt(v1 + v2);
  const df = (v1 + v2) ** 2 / ((v1 * v1) / (n1 - 1) + (v2 * v2) / (n2 - 1));
  return { ...tostFromEstimate(mean(x) - mean(y), se, df, low, upp, alpha, [n1, n2]), method: 'TOST equivalence (Welch)' };
}
