/**
 * Standardised mean differences. Cohen's d uses the pooled SD; Hedges' g multiplies by the exact
 * small-sample factor J(df) = Γ(df/2) / (√(df/2) Γ((df−1)/2)). The CI inverts the non-central t
 * distribution of t = d·√(n1 n2/(n1+n2)) (Steiger & Fouladi 1997; what MBESS::ci.smd does).
 */
import { mean, variance } from './descriptive.js';
import { nctCdf } from './distributions.js';
import { lnGamma } from './special.js';
import type { EffectSize } from './types.js';

export function pooledSd(x: readonly number[], y: readonly number[]): number {
  const n1 = x.length;
  const n2 = y.length;
  return Math.sqrt(((n1 - 1) * variance(x) + (n2 - 1) * variance(y)) / (n1 + n2 - 2));
}

export function hedgesJ(df: number): number {
  return Math.exp(lnGamma(df / 2) - 0.5 * Math.log(df / 2) - lnGamma((df - 1) / 2));
}

/** Non-centrality λ with P(T ≤ t | df, λ) = target (monotone decreasing in λ). */
function ncpFor(t: number, df: number, target: number): number {
  let lo = t - 10;
  let hi = t + 10;
  while (nctCdf(t, df, lo) < target) lo -= 10;
  while (nctCdf(t, df, hi) > target) hi += 10;
  for (let i = 0; i < 200; i++) {
    const mid = 0.5 * (lo + hi);
    if (nctCdf(t, df, mid) > target) lo = mid;
    else hi = mid;
    if (hi - lo < 1e-12) break;
  }
  return 0.5 * (lo + hi);
}

/** CI for the standardised difference from its t statistic (non-central t inversion). */
export function smdCi(d: number, n1: number, n2: number, confLevel = 0.95): [number, number] {
  const df = n1 + n2 - 2;
  const k = Math.sqrt((n1 * n2) / (n1 + n2));
  const t = d * k;
  const a = (1 - confLevel) / 2;
  return [ncpFor(t, df, 1 - a) / k, ncpFor(t, df, a) / k];
}

/** Cohen's d = (mean x − mean y)/pooled SD, with the non-central-t CI. */
export function cohensD(x: readonly number[], y: readonly number[], confLevel = 0.95): EffectSize {
  const d = (mean(x) - mean(y)) / pooledSd(x, y);
  return { name: "Cohen's d", value: d, ci: smdCi(d, x.length, y.length, confLevel) };
}

/** Hedges' g = J·d with the CI of d scaled by J. */
export function hedgesG(x: readonly number[], y: readonly number[], confLevel = 0.95): EffectSize {
  const df = x.length + y.length - 2;
  const J = hedgesJ(df);
  const d = cohensD(x, y, confLevel);
  return { name: "Hedges' g", value: J * d.value, ci: d.ci ? [J * d.ci[0], J * d.ci[1]] : null };
}
