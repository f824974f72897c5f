/**
 * Bounded Levenberg–Marquardt for min ½‖r(x)‖² (Madsen, Nielsen & Tingleff, "Methods for
 * non-linear least squares problems", 2004, alg. 3.16, with Marquardt's diagonal scaling).
 * Bounds are handled by reparameterisation (see transforms.ts); the Jacobian is analytic when the
 * problem provides one, otherwise forward differences in the internal coordinates.
 */
import { choleskySolve, normalEquations } from './linalg.js';
import { type Transform, derivative, makeTransform, toExternal, toInternal } from './transforms.js';

export interface LeastSquaresProblem {
  readonly nResiduals: number;
  readonly lower: readonly number[];
  readonly upper: readonly number[];
  residuals(x: readonly number[]): Float64Array;
  /** ∂r_i/∂x_k, row-major nResiduals × nParams (external coordinates). */
  jacobian?(x: readonly number[]): Float64Array;
}

export interface LmOptions {
  /** @default 200 */
  readonly maxIterations: number;
  /** Relative cost reduction below which an accepted step ends the fit. @default 1e-12 */
  readonly ftol: number;
  /** Relative step size (internal coordinates) below which the fit ends. @default 1e-10 */
  readonly xtol: number;
  /** Max |gradient| (internal coordinates) below which the fit ends. @default 1e-12 */
  readonly gtol: number;
  /** @default 'analytic' (falls back to 'forward' when the problem has no Jacobian) */
  readonly jacobian: 'analytic' | 'forward';
}

export const DEFAULT_LM_OPTIONS: LmOptions = { maxIterations: 200, ftol: 1e-12, xtol: 1e-10, gtol: 1e-12, jacobian: 'analytic' };

export type StopReason = 'ftol' | 'xtol' | 'gtol' | 'max-iterations' | 'non-finite' | 'singular';

export interface LmResult {
  readonly x: number[];
  readonly residuals: Float64Array;
  /** Σ r². */
  readonly cost: number;
  readonly iterations: number;
  readonly evaluations: number;
  readonly converged: boolean;
  readonly stopReason: StopReason;
}

const sumSq = (r: Float64Array): number => {
  let s = 0;
  for (let i = 0; i < r.length; i++) s += r[i]! * r[i]!;
  return s;
};

export function levenbergMarquardt(problem: LeastSquaresProblem, x0: readonly number[], opts: LmOptions = DEFAULT_LM_OPTIONS): LmResult {
  const m = x0.length;
  const n = problem.nResiduals;
  const tr: Transform[] = x0.map((_, k) => makeTransform(problem.lower[k]!, problem.upper[k]!));
  const ext = (u: Float64Array): number[] => Array.from(u, (v, k) => toExternal(tr[k]!, v));
  let u = Float64Array.from(x0, (v, k) => toInternal(tr[k]!, v));
  let x = ext(u);
  let r = problem.residuals(x);
  let cost = sumSq(r);
  let evaluations = 1;
  if (!Number.isFinite(cost)) return { x, residuals: r, cost, iterations: 0, evaluations, converged: false, stopReason: 'non-finite' };

  const useAnalytic = opts.jacobian === 'analytic' && problem.jacobian !== undefined;
  const internalJacobian = (): Float64Array => {
    if (useAnalytic) {
      const jx = problem.jacobian!(x);
      for (let k = 0; k < m; k++) {
        const d = derivative(tr[k]!, u[k]!);
        for (let i = 0; i < n; i++) jx[i * m + k] = jx[i * m + k]! * d;
      }
      return jx;
    }
    const j = new Float64Array(n * m);
    for (let k = 0; k < m; k++) {
      const h = 1e-7 * Math.max(1, Math.abs(u[k]!));
      const up = Float64Array.from(u);
      up[k] = up[k]! + h;
      const rp = problem.residuals(ext(up));
      evaluations++;
      for (let i = 0; i < n; i++) j[i * m + k] = (rp[i]! - r[i]!) / h;
    }
    return j;
  };

  let { a, g } = normalEquations(internalJacobian(), r, n, m);
  let mu = 1e-3 * Math.max(...Array.from({ length: m }, (_, k) => a[k * m + k]!), 1e-300);
  let nu = 2;
  let iterations = 0;
  let stopReason: StopReason = 'max-iterations';

  while (iterations < opts.maxIterations) {
    iterations++;
    const gmax = Math.max(...Array.from(g, Math.abs));
    if (gmax <= opts.gtol * Math.max(cost, 1e-300)) {
      stopReason = 'gtol';
      break;
    }
    const aa = Float64Array.from(a);
    for (let k = 0; k < m; k++) aa[k * m + k] = a[k * m + k]! + mu * Math.max(a[k * m + k]!, 1e-12);
    const h = choleskySolve(aa, Float64Array.from(g, (v) => -v), m);
    if (!h) {
      mu *= nu;
      nu *= 2;
      if (!Number.isFinite(mu) || mu > 1e300) {
        stopReason = 'singular';
        break;
      }
      continue;
    }
    let hn = 0;
    let un = 0;
    for (let k = 0; k < m; k++) {
      hn += h[k]! * h[k]!;
      un += u[k]! * u[k]!;
    }
    if (Math.sqrt(hn) <= opts.xtol * (Math.sqrt(un) + opts.xtol)) {
      stopReason = 'xtol';
      break;
    }
    const uNew = Float64Array.from(u, (v, k) => v + h[k]!);
    const xNew = ext(uNew);
    const rNew = problem.residuals(xNew);
    evaluations++;
    const costNew = sumSq(rNew);
    // predicted reduction of ½‖r‖²: −hᵀg − ½hᵀ(JᵀJ)h = ½ hᵀ(μ D h − g)
    let pred = 0;
    for (let k = 0; k < m; k++) pred += h[k]! * (mu * Math.max(a[k * m + k]!, 1e-12) * h[k]! - g[k]!);
    pred *= 0.5;
    const rho = Number.isFinite(costNew) ? (0.5 * (cost - costNew)) / pred : -1;
    if (rho > 0) {
      const rel = (cost - costNew) / Math.max(cost, 1e-300);
      u = uNew;
      x = xNew;
      r = rNew;
      cost = costNew;
      ({ a, g } = normalEquations(internalJacobian(), r, n, m));
      mu *= Math.max(1 / 3, 1 - Math.pow(2 * rho - 1, 3));
      nu = 2;
      if (rel < opts.ftol) {
        stopReason = 'ftol';
        break;
      }
    } else {
      mu *= nu;
      nu *= 2;
      if (!Number.isFinite(mu) || mu > 1e300) {
        stopReason = 'singular';
        break;
      }
    }
  }
  const converged = stopReason === 'ftol' || stopReason === 'xtol' || stopReason === 'gtol';
  return { x, residuals: r, cost, iterations, evaluations, converged, stopReason };
}
