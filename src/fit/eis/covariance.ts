/**
 * Parameter covariance from the weighted Jacobian at the optimum: Cov = s² (JᵀJ)⁻¹ with
 * s² = χ²/(N − m) (scipy curve_fit's `absolute_sigma=False`; impedance.py does the same).
 * Columns are scaled to unit norm before the SVD-based inverse so that parameters spanning
 * 1e-12…1e9 do not ruin the conditioning; singular directions (σ_min/σ_max < 1e-12) are reported
 * as non-identifiable (stderr = ∞, correlations NaN).
 */
import { Matrix, SingularValueDecomposition } from 'ml-matrix';

export interface CovarianceResult {
  readonly covariance: number[][];
  readonly stderr: number[];
  readonly correlation: number[][];
  /** σ_max/σ_min of the column-scaled Jacobian. */
  readonly conditionNumber: number;
  readonly identifiable: boolean;
}

export function covarianceFromJacobian(j: Float64Array, n: number, m: number, s2: number): CovarianceResult {
  const norms = new Float64Array(m);
  for (let k = 0; k < m; k++) {
    let s = 0;
    for (let i = 0; i < n; i++) s += j[i * m + k]! * j[i * m + k]!;
    norms[k] = Math.sqrt(s) || 1;
  }
  const js = new Matrix(n, m);
  for (let i = 0; i < n; i++) for (let k = 0; k < m; k++) js.set(i, k, j[i * m + k]! / norms[k]!);
  const svd = new SingularValueDecomposition(js, { autoTranspose: true });
  const sv = svd.diagonal;
  const smax = Math.max(...sv);
  const smin = Math.min(...sv);
  const conditionNumber = smin > 0 ? smax / smin : Infinity;
  const identifiable = smin > 1e-12 * smax;
  const v = svd.rightSingularVectors;
  const keep = (d: number): boolean => d > 1e-12 * smax;
  // parameters with weight in a singular direction are not identifiable
  const loose = Array.from({ length: m }, (_, p) => sv.some((d, k) => !keep(d) && Math.abs(v.get(p, k)) > 1e-6));
  const cov: number[][] = Array.from({ length: m }, () => new Array<number>(m).fill(0));
  for (let p = 0; p < m; p++) {
    for (let q = 0; q < m; q++) {
      let s = 0;
      for (let k = 0; k < sv.length; k++) if (keep(sv[k]!)) s += (v.get(p, k) * v.get(q, k)) / (sv[k]! * sv[k]!);
      cov[p]![q] = loose[p] || loose[q] ? (p === q ? Infinity : NaN) : (s2 * s) / (norms[p]! * norms[q]!);
    }
  }
  const stderr = cov.map((row, p) => Math.sqrt(Math.abs(row[p]!)));
  const correlation = cov.map((row, p) => row.map((c, q) => (Number.isFinite(c) ? c / (stderr[p]! * stderr[q]!) : NaN)));
  return { covariance: cov, stderr, correlation, conditionNumber, identifiable };
}
