/**
 * Linear contrasts of a fitted linear model and an estimable design built column by column.
 *
 * `contrastTest(fit, L)` tests L·β = 0 for a contrast given as coefficient weights: estimate L·β̂,
 * se = √(L Σ Lᵀ), t on the residual df, two-sided p and CI. It is statsmodels'
 * `OLSResults.t_test(L)` (checked to 1e-9 in tests/stats/reference.test.ts).
 *
 * `estimableColumns` adds candidate columns in order and keeps a column only when it is not (to
 * within `tol`) a linear combination of those kept before it (modified Gram–Schmidt): a factor
 * level that is confounded with the ones before it is dropped and named, so a model over a
 * campaign's cells is always full rank and the caller can say which effect the design cannot
 * estimate.
 */
import type { OlsResult } from './ols.js';
import { tQuantile, tTwoSidedP } from './distributions.js';

export interface ContrastResult {
  readonly method: 'linear contrast (OLS t)';
  readonly estimate: number;
  readonly se: number;
  readonly t: number;
  readonly df: number;
  readonly p: number;
  readonly ci: readonly [number, number];
}

/** t-test of Σ w_j β_j = 0 (weights by coefficient name; names not in the fit are an error). */
export function contrastTest(fit: OlsResult, weights: Readonly<Record<string, number>>, confLevel = 0.95): ContrastResult {
  const names = fit.coefficients.map((c) => c.name);
  const L = names.map(() => 0);
  for (const [k, w] of Object.entries(weights)) {
    const j = names.indexOf(k);
    if (j < 0) throw new RangeError(`contrast names '${k}', which is not a coefficient of the model (${names.join(', ')})`);
    L[j] = w;
  }
  let est = 0;
  let v = 0;
  for (let i = 0; i < L.length; i++) {
    if (L[i] === 0) continue;
    est += L[i]! * fit.coefficients[i]!.estimate;
    for (let j = 0; j < L.length; j++) if (L[j] !== 0) v += L[i]! * fit.cov[i]![j]! * L[j]!;
  }
  const se = Math.sqrt(Math.max(v, 0));
  const t = est / se;
  const q = tQuantile(1 - (1 - confLevel) / 2, fit.dfResid);
  return { method: 'linear contrast (OLS t)', estimate: est, se, t, df: fit.dfResid, p: tTwoSidedP(t, fit.dfResid), ci: [est - q * se, est + q * se] };
}

export interface DesignColumn {
  readonly name: string;
  readonly values: readonly number[];
}

export interface EstimableDesign {
  readonly kept: readonly DesignColumn[];
  /** Columns dropped because the design cannot separate them from the columns before them. */
  readonly dropped: readonly string[];
}

export function estimableColumns(columns: readonly DesignColumn[], tol = 1e-8): EstimableDesign {
  const basis: number[][] = [];
  const kept: DesignColumn[] = [];
  const dropped: string[] = [];
  for (const c of columns) {
    const v = [...c.values];
    const norm0 = Math.hypot(...v);
    if (!(norm0 > 0)) {
      dropped.push(c.name);
      continue;
    }
    for (const b of basis) {
      let d = 0;
      for (let i = 0; i < v.length; i++) d += v[i]! * b[i]!;
      for (let i = 0; i < v.length; i++) v[i] = v[i]! - d * b[i]!;
    }
    const norm = Math.hypot(...v);
    if (norm / norm0 < tol) {
      dropped.push(c.name);
      continue;
    }
    basis.push(v.map((x) => x / norm));
    kept.push(c);
  }
  return { kept, dropped };
}

/** Two-sided critical t (exported for callers that build CIs of derived quantities). */
export function tCritical(df: number, confLevel = 0.95): number {
  return tQuantile(1 - (1 - confLevel) / 2, df);
}
