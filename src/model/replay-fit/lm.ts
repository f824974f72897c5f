/**
 * A small Levenberg–Marquardt for weighted residual vectors with box bounds (parameters live in
 * u = ln θ space, bounds are clamped there). Unlike ml-levenberg-marquardt it reports `converged` and
 * why it stopped (STYLE.md §4 "avoid": no converged flag), and returns JᵀJ for covariances.
 */
import { Matrix, solve } from 'ml-matrix';

export interface LmProblem {
  /** Weighted residuals r(u); χ² = Σ r². */
  residuals(u: Float64Array): Float64Array;
  readonly lower: Float64Array;
  readonly upper: Float64Array;
}

export interface LmResult {
  readonly u: Float64Array;
  readonly chi2: number;
  readonly iterations: number;
  readonly converged: boolean;
  readonly stopReason: string;
  /** JᵀJ at the optimum (k × k, row-major), for the covariance. */
  readonly jtj: Float64Array;
  readonly residuals: Float64Array;
}

const sq = (r: Float64Array): number => {
  let s = 0;
  for (let i = 0; i < r.length; i++) s += r[i]! * r[i]!;
  return s;
};

function clamp(u: Float64Array, lo: Float64Array, hi: Float64Array): Float64Array {
  const o = new Float64Array(u.length);
  for (let i = 0; i < u.length; i++) o[i] = Math.min(hi[i]!, Math.max(lo[i]!, u[i]!));
  return o;
}

function jacobian(p: LmProblem, u: Float64Array, r0: Float64Array): Float64Array[] {
  const cols: Float64Array[] = [];
  for (let j = 0; j < u.length; j++) {
    let h = 1e-5 * Math.max(1, Math.abs(u[j]!));
    const up = Float64Array.from(u);
    if (up[j]! + h > p.upper[j]!) h = -h; // step inwards at the upper bound
    up[j] = up[j]! + h;
    const r1 = p.residuals(up);
    const c = new Float64Array(r0.length);
    for (let i = 0; i < r0.length; i++) c[i] = (r1[i]! - r0[i]!) / h;
    cols.push(c);
  }
  return cols;
}

export function levenbergMarquardt(p: LmProblem, start: Float64Array, maxIterations = 60): LmResult {
  const k = start.length;
  let u = clamp(start, p.lower, p.upper);
  let r = p.residuals(u);
  let chi2 = sq(r);
  let lambda = 1e-3;
  let it = 0;
  let converged = false;
  let stopReason = 'max iterations';
  let jtj = new Float64Array(k * k);
  if (!Number.isFinite(chi2)) return { u, chi2, iterations: 0, converged: false, stopReason: 'non-finite residuals at the start', jtj, residuals: r };
  if (k === 0) return { u, chi2, iterations: 0, converged: true, stopReason: 'no free parameters', jtj, residuals: r };
  for (; it < maxIterations; it++) {
    const J = jacobian(p, u, r);
    const A = new Matrix(k, k);
    const g = new Matrix(k, 1);
    for (let a = 0; a < k; a++) {
      let ga = 0;
      for (let i = 0; i < r.length; i++) ga += J[a]![i]! * r[i]!;
      g.set(a, 0, -ga);
      for (let b = a; b < k; b++) {
        let s = 0;
        for (let i = 0; i < r.length; i++) s += J[a]![i]! * J[b]![i]!;
        A.set(a, b, s);
        A.set(b, a, s);
      }
    }
    for (let a = 0; a < k; a++) for (let b = 0; b < k; b++) jtj[a * k + b] = A.get(a, b);
    let improved = false;
    for (let tries = 0; tries < 12; tries++) {
      const Ad = A.clone();
      for (let a = 0; a < k; a++) Ad.set(a, a, A.get(a, a) * (1 + lambda) + 1e-12);
      let delta: Matrix;
      try {
        delta = solve(Ad, g);
      } catch {
        lambda *= 10;
        continue;
      }
      const un = new Float64Array(k);
      for (let a = 0; a < k; a++) un[a] = u[a]! + delta.get(a, 0);
      const uc = clamp(un, p.lower, p.upper);
      const rn = p.residuals(uc);
      const cn = sq(rn);
      if (Number.isFinite(cn) && cn < chi2) {
        const rel = (chi2 - cn) / Math.max(chi2, 1e-300);
        let step = 0;
        for (let a = 0; a < k; a++) step = Math.max(step, Math.abs(uc[a]! - u[a]!));
        u = uc;
        r = rn;
        chi2 = cn;
        lambda = Math.max(lambda / 5, 1e-9);
        improved = true;
        if (rel < 1e-8 || step < 1e-7) {
          converged = true;
          stopReason = rel < 1e-8 ? 'χ² change below 1e-8' : 'step below 1e-7';
        }
        break;
      }
      lambda *= 8;
    }
    if (converged) break;
    if (!improved) {
      converged = true;
      stopReason = 'no further decrease (local minimum)';
      break;
    }
  }
  return { u, chi2, iterations: it + 1, converged, stopReason, jtj, residuals: r };
}

/** (JᵀJ)⁻¹ diagonal, or null entries when singular. */
export function covarianceDiagonal(jtj: Float64Array, k: number): (number | null)[] {
  if (k === 0) return [];
  try {
    const A = new Matrix(k, k);
    for (let a = 0; a < k; a++) for (let b = 0; b < k; b++) A.set(a, b, jtj[a * k + b]!);
    const inv = solve(A, Matrix.eye(k, k));
    return Array.from({ length: k }, (_, a) => {
      const v = inv.get(a, a);
      return Number.isFinite(v) && v > 0 ? v : null;
    });
  } catch {
    return Array.from({ length: k }, () => null);
  }
}
