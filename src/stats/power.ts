/**
 * Power and minimum detectable effect (MDE) of the two-sample t-test, from the non-central t
 * distribution. `df: 'pooled'` (n1 + n2 − 2) reproduces statsmodels TTestIndPower; `df: 'welch'`
 * uses the Welch–Satterthwaite df under equal variances, the usual planning approximation for Welch.
 * Two-sided power counts both rejection tails.
 */
import { nctCdf, tQuantile } from './distributions.js';
import type { Alternative } from './types.js';

export interface PowerOptions {
  /** @default 0.05 */
  readonly alpha?: number;
  /** @default 'two-sided' */
  readonly alternative?: Alternative;
  /** @default 'welch' */
  readonly df?: 'pooled' | 'welch';
}

function dfFor(n1: number, n2: number, kind: 'pooled' | 'welch'): number {
  if (kind === 'pooled') return n1 + n2 - 2;
  const a = 1 / n1;
  const b = 1 / n2;
  return (a + b) ** 2 / ((a * a) / (n1 - 1) + (b * b) / (n2 - 1));
}

/** Power to detect a standardised difference d (Cohen's d) with n1 and n2 cells. */
export function powerTwoSampleT(d: number, n1: number, n2: number, opts: PowerOptions = {}): number {
  const alpha = opts.alpha ?? 0.05;
  const alt = opts.alternative ?? 'two-sided';
  const df = dfFor(n1, n2, opts.df ?? 'welch');
  const ncp = d * Math.sqrt((n1 * n2) / (n1 + n2));
  if (alt === 'two-sided') {
    const c = tQuantile(1 - alpha / 2, df);
    return 1 - nctCdf(c, df, ncp) + nctCdf(-c, df, ncp);
  }
  if (alt === 'greater') return 1 - nctCdf(tQuantile(1 - alpha, df), df, ncp);
  return nctCdf(tQuantile(alpha, df), df, ncp);
}

/** Smallest |d| detected with the given power (default 0.8) at n1, n2. */
export function mdeTwoSampleT(n1: number, n2: number, power = 0.8, opts: PowerOptions = {}): number {
  const alt = opts.alternative ?? 'two-sided';
  const f = (d: number) => powerTwoSampleT(alt === 'less' ? -d : d, n1, n2, opts) - power;
  let lo = 0;
  let hi = 1;
  while (f(hi) < 0) hi *= 2;
  for (let i = 0; i < 100; i++) {
    const mid = 0.5 * (lo + hi);
    if (f(mid) < 0) lo = mid;
    else hi = mid;
    if (hi - lo < 1e-10) break;
  }
  return 0.5 * (lo + hi);
}

/** Cells per group (equal n) needed for the given power at effect d. */
export function nForPower(d: number, power = 0.8, opts: PowerOptions = {}): number {
  for (let n = 2; n < 100000; n++) if (powerTwoSampleT(d, n, n, opts) >= power) return n;
  return Infinity;
}
