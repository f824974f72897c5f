/**
 * The project's one bounded non-linear least-squares engine (Levenberg–Marquardt): impedance circuits
 * (src/fit/eis/fit-circuit.ts), XPS peaks (src/fit/xps/region-fit.ts), Raman/FTIR bands
 * (src/fit/vibrational/fit.ts) and the replay-model cell fits (src/model/replay-fit/objective.ts) all run here.
 *
 * Minimises χ² = Σ wᵢ rᵢ² over box bounds. A problem gives either
 *   - residuals r(x) (already weighted) and optionally their Jacobian ∂r/∂x, or
 *   - a model f(x) with data y and optional weights w (r = f − y): `evaluate` fills f and, when asked,
 *     ∂f/∂x in one pass (peak sums share their work between the value and the slopes).
 * The Jacobian is analytic when the problem has one, else forward differences.
 *
 * Bounds (option `bounds`):
 *   'transform'         optimise an unconstrained u with x = T(u) (log / shifted-log / logistic maps,
 *                       below); the step never leaves the box and a bound is approached, not reached.
 *   'clamp'             projected LM: each trial point is clamped to the box.
 *   'clamp-active-set'  projected LM that holds, for the step, a parameter on a bound whose gradient
 *                       points out of the box (an area at 0 that would go negative, a centre on its window
 *                       edge): without it the clamped step is not a descent step for the others, and fits
 *                       with a component at zero crept along for 100–200 iterations at < 1e-5 relative
 *                       improvement each.
 *
 * Damping (option `damping`):
 *   'nielsen'     Madsen, Nielsen & Tingleff, "Methods for non-linear least squares problems" (2004),
 *                 alg. 3.16 with Marquardt's diagonal scaling: (JᵀWJ + μ·diag) h = −JᵀWr, μ updated from
 *                 the gain ratio; one trial per iteration.
 *   'marquardt'   Marquardt (1963): (JᵀWJ·(1 + λ) + floors) h = −JᵀWr, λ ↓ on an accepted step, ↑ on a
 *                 rejected one, up to `tries` trials per iteration; no downhill step at any damping = a
 *                 (bounded) minimum. The schedule's numbers are options (`marquardt`).
 *
 * Why not ml-levenberg-marquardt (v5.1, which the XPS fit used first): bounds by clamping only, no active
 * set and no reparameterisation; a Jacobian given point by point through closures (x ↦ ∂f/∂θ), which
 * cannot share work across points or stack the real and imaginary parts of an impedance; no relative
 * convergence stop (it runs `maxIterations` unless RSS ≤ errorTolerance) and no converged flag or stop
 * reason; no covariance; weights as σ only. Measured on the 20-level × 6-region XPS depth profile: 33 s
 * with the library, under 2 s with this loop.
 */
import { Matrix, solve as luSolve } from 'ml-matrix';

/** Residual form: r(x) already weighted; χ² = Σ r². */
export interface ResidualProblem {
  readonly lower: ArrayLike<number>;
  readonly upper: ArrayLike<number>;
  residuals(x: Float64Array): Float64Array;
  /** ∂rᵢ/∂x_k at x, row-major n × p. A fresh array (the engine scales it in place). */
  jacobian?(x: Float64Array): Float64Array;
}

/** Model form: r = f(x) − y, χ² = Σ wᵢ rᵢ². */
export interface ModelProblem {
  readonly lower: ArrayLike<number>;
  readonly upper: ArrayLike<number>;
  readonly y: ArrayLike<number>;
  /** Weights 1/σᵢ² (all 1 when absent). */
  readonly weights?: ArrayLike<number>;
  /** Fill `f` (length n) with the model and, when `J` is given (n × p row-major, zero-filled), ∂f/∂x. */
  evaluate(x: Float64Array, f: Float64Array, J: Float64Array | null): void;
}

export type LeastSquaresProblem = ResidualProblem | ModelProblem;

export interface MarquardtSchedule {
  /** Starting λ. */
  readonly initial: number;
  /** λ ×= up after a rejected trial. */
  readonly up: number;
  /** λ = max(λ / down, floor) after an accepted one. */
  readonly down: number;
  readonly floor: number;
  /** λ ×= singularUp when the damped system cannot be solved. */
  readonly singularUp: number;
  /** Trials per iteration before the point is taken as a (bounded) minimum. */
  readonly tries: number;
  /** Damped diagonal: dₖ·(1 + λ) + λ·relativeFloor·max(d) + absoluteFloor (keeps it positive when a parameter has no effect). */
  readonly relativeFloor: number;
  readonly absoluteFloor: number;
}

export interface LeastSquaresOptions {
  /** @default 200 */
  readonly maxIterations: number;
  /** @default 'transform' */
  readonly bounds: 'transform' | 'clamp' | 'clamp-active-set';
  /** @default 'nielsen' */
  readonly damping: 'nielsen' | 'marquardt';
  /** Used with damping 'marquardt'. @default MARQUARDT */
  readonly marquardt: MarquardtSchedule;
  /** An accepted step whose relative χ² decrease is below ftol ends the fit. @default 1e-12 */
  readonly ftol: number;
  /** A proposed step with ‖h‖ ≤ xtol·(‖u‖ + xtol) (optimiser coordinates) ends the fit; 0 = off. @default 1e-10 */
  readonly xtol: number;
  /** An accepted step with max |Δu| < steptol (absolute) ends the fit; 0 = off. @default 0 */
  readonly steptol: number;
  /** max |Jᵀr| ≤ gtol·χ² ends the fit; 0 = off. @default 1e-12 */
  readonly gtol: number;
  /** 'forward' differences even when the problem has a Jacobian. @default 'analytic' */
  readonly jacobian: 'analytic' | 'forward';
  /** Forward-difference step, relative: h = fdStep·max(1, |u|) (stepping inwards at an upper bound). @default 1e-7 */
  readonly fdStep: number;
  /**
   * Linear solves: 'cholesky' (hand-written, no allocation beyond the factor: the inner loop of the EIS
   * and XPS fits) or 'lu' (ml-matrix, partial pivoting). @default 'cholesky'
   */
  readonly solver: 'cholesky' | 'lu';
  /**
   * JᵀWJ and its inverse: from the Jacobian at the solution ('solution'), from the last Jacobian the
   * iterations computed ('last-jacobian': saves one Jacobian — p model evaluations with finite
   * differences — at the price of JᵀWJ from the iterate before the last accepted step), or not at all.
   * @default 'solution'
   */
  readonly covariance: 'solution' | 'last-jacobian' | 'none';
}

/** The schedule of the peak fits (XPS, vibrational). */
export const MARQUARDT: MarquardtSchedule = {
  initial: 1e-3,
  up: 4,
  down: 3,
  floor: 1e-12,
  singularUp: 10,
  tries: 12,
  relativeFloor: 1e-9,
  absoluteFloor: 1e-300,
};

/** Peak fits (XPS regions, vibrational bands): projected Marquardt with the active set, analytic Jacobian, stop on ftol alone. */
export const PROJECTED_MARQUARDT: Partial<LeastSquaresOptions> = {
  bounds: 'clamp-active-set',
  damping: 'marquardt',
  marquardt: MARQUARDT,
  xtol: 0,
  steptol: 0,
  gtol: 0,
  solver: 'cholesky',
  covariance: 'solution',
};

export const DEFAULT_LEAST_SQUARES_OPTIONS: LeastSquaresOptions = {
  maxIterations: 200,
  bounds: 'transform',
  damping: 'nielsen',
  marquardt: MARQUARDT,
  ftol: 1e-12,
  xtol: 1e-10,
  steptol: 0,
  gtol: 1e-12,
  jacobian: 'analytic',
  fdStep: 1e-7,
  solver: 'cholesky',
  covariance: 'solution',
};

export type StopReason =
  | 'ftol'
  | 'xtol'
  | 'steptol'
  | 'gtol'
  /** Marquardt: no downhill trial at any damping (a bounded minimum). */
  | 'no-decrease'
  | 'max-iterations'
  /** χ² not finite at the start. */
  | 'non-finite'
  /** Nielsen: the damping ran away (no solvable or downhill step). */
  | 'singular'
  | 'no-parameters';

export interface LeastSquaresResult {
  readonly x: Float64Array;
  /** r at x (model form: f − y, unweighted). */
  readonly residuals: Float64Array;
  /** χ² = Σ wᵢ rᵢ². */
  readonly cost: number;
  /** Iterations begun (each builds or reuses one Jacobian and tries up to `tries` steps). */
  readonly iterations: number;
  /** Residual (model) evaluations, finite differences included. */
  readonly evaluations: number;
  readonly converged: boolean;
  readonly stopReason: StopReason;
  /** JᵀWJ (p × p row-major, in x; see the `covariance` option), zero-filled when no Jacobian was formed. */
  readonly jtj: Float64Array;
  /** (JᵀWJ)⁻¹ (p × p row-major); NaN where it does not exist (a parameter without influence: its row alone). */
  readonly covariance: Float64Array;
}

export function leastSquares(problem: LeastSquaresProblem, x0: ArrayLike<number>, options: Partial<LeastSquaresOptions> = {}): LeastSquaresResult {
  const o: LeastSquaresOptions = { ...DEFAULT_LEAST_SQUARES_OPTIONS, ...options };
  const p = x0.length;
  const { lower, upper } = problem;
  const transform = o.bounds === 'transform';
  const activeSet = o.bounds === 'clamp-active-set';
  const nielsen = o.damping === 'nielsen';
  const sched = o.marquardt;
  const tr: Transform[] = transform ? Array.from({ length: p }, (_, k) => makeTransform(lower[k]!, upper[k]!)) : [];
  // Bounds in the optimiser's coordinates u (none when transformed).
  const uLo = transform ? new Float64Array(p).fill(-Infinity) : Float64Array.from({ length: p }, (_, k) => lower[k]!);
  const uHi = transform ? new Float64Array(p).fill(Infinity) : Float64Array.from({ length: p }, (_, k) => upper[k]!);
  const clampInPlace = (u: Float64Array): Float64Array => {
    for (let k = 0; k < p; k++) u[k] = Math.min(uHi[k]!, Math.max(uLo[k]!, u[k]!));
    return u;
  };
  const ext = (u: Float64Array): Float64Array => (transform ? Float64Array.from(u, (v, k) => toExternal(tr[k]!, v)) : u);

  // Residuals and Jacobian of either problem form.
  const model = 'evaluate' in problem ? problem : null;
  const w = model?.weights;
  let evaluations = 0;
  // Model form: buffers reused across evaluations (the current and the trial residuals swap on acceptance).
  const fScratch = model ? new Float64Array(model.y.length) : null;
  let spare: Float64Array | null = model ? new Float64Array(model.y.length) : null;
  /** r at x; for a model problem written into `into` (fresh when absent). */
  const residualsAt = (x: Float64Array, into?: Float64Array): Float64Array => {
    evaluations++;
    if (!model) return (problem as ResidualProblem).residuals(x);
    const f = into ?? new Float64Array(model.y.length);
    model.evaluate(x, f, null);
    subtractInPlace(f, model.y);
    return f;
  };
  const costOf = (r: Float64Array): number => weightedSumOfSquares(r, w);

  let u = transform ? Float64Array.from({ length: p }, (_, k) => toInternal(tr[k]!, x0[k]!)) : clampInPlace(Float64Array.from(x0));
  let x = ext(u);
  // The last Jacobian formed and the point u it was formed at (model form: always in jBuffer).
  let J: Float64Array | null = null;
  let jBuffer: Float64Array | null = null;
  let uAtJ: Float64Array | null = null;
  let r: Float64Array;
  if (model && o.jacobian === 'analytic') {
    // model and slopes at the start in one evaluation (the first iteration needs both)
    r = new Float64Array(model.y.length);
    jBuffer = new Float64Array(r.length * p);
    model.evaluate(x, r, jBuffer);
    evaluations++;
    subtractInPlace(r, model.y);
    J = jBuffer;
    if (transform) scaleColumns(J, r.length);
    uAtJ = u;
  } else r = residualsAt(x);
  let cost = costOf(r);
  const n = r.length;
  const finish = (iterations: number, stopReason: StopReason): LeastSquaresResult => {
    const converged =
      stopReason === 'ftol' ||
      stopReason === 'xtol' ||
      stopReason === 'steptol' ||
      stopReason === 'gtol' ||
      stopReason === 'no-decrease' ||
      stopReason === 'no-parameters';
    let jtj: Float64Array = new Float64Array(p * p);
    if (o.covariance === 'solution' && uAtJ !== u) {
      J = jacobianAt();
      uAtJ = u;
    }
    if (o.covariance !== 'none' && J && uAtJ) {
      let Jx: Float64Array = J;
      if (transform) {
        // ∂r/∂x = (∂r/∂u) / (dx/du)
        Jx = new Float64Array(J.length);
        for (let k = 0; k < p; k++) {
          const d = derivative(tr[k]!, uAtJ[k]!);
          for (let i = 0; i < n; i++) Jx[i * p + k] = J[i * p + k]! / d;
        }
      }
      jtj = weightedGram(Jx, n, p, w);
    }
    const covariance = o.covariance === 'none' ? new Float64Array(p * p).fill(NaN) : o.solver === 'lu' ? invertLu(jtj, p) : invertSpd(jtj, p);
    return { x, residuals: r, cost, iterations, evaluations, converged, stopReason, jtj, covariance };
  };

  /** Jacobian of r in the optimiser's coordinates u at the current point. */
  function jacobianAt(): Float64Array {
    let J: Float64Array;
    const analytic = o.jacobian === 'analytic';
    if (model && analytic) {
      J = jBuffer ??= new Float64Array(n * p);
      J.fill(0);
      model.evaluate(x, fScratch!, J);
      evaluations++;
    } else if (!model && analytic && (problem as ResidualProblem).jacobian) {
      J = (problem as ResidualProblem).jacobian!(x);
    } else {
      J = new Float64Array(n * p);
      for (let k = 0; k < p; k++) {
        let h = o.fdStep * Math.max(1, Math.abs(u[k]!));
        if (u[k]! + h > uHi[k]!) h = -h; // step inwards at the upper bound
        const up = Float64Array.from(u);
        up[k] = up[k]! + h;
        const rp = residualsAt(ext(up), fScratch ?? undefined);
        for (let i = 0; i < n; i++) J[i * p + k] = (rp[i]! - r[i]!) / h;
      }
      return J;
    }
    if (transform) scaleColumns(J, n);
    return J;
  }

  /** ∂r/∂x → ∂r/∂u at the current u (in place). */
  function scaleColumns(Jx: Float64Array, rows: number): void {
    for (let k = 0; k < p; k++) {
      const d = derivative(tr[k]!, u[k]!);
      for (let i = 0; i < rows; i++) Jx[i * p + k] = Jx[i * p + k]! * d;
    }
  }

  if (!Number.isFinite(cost)) return finish(0, 'non-finite');
  if (p === 0) return finish(0, 'no-parameters');

  // Normal equations A = JᵀWJ (upper triangle accumulated, then mirrored) and g = JᵀWr.
  const A = new Float64Array(p * p);
  const g = new Float64Array(p);
  let uAtNormal: Float64Array | null = null;
  const normalEquations = (): void => {
    if (uAtJ !== u) {
      J = jacobianAt();
      uAtJ = u;
    }
    fillNormalEquations(J!, r, w, n, p, A, g);
    uAtNormal = u;
  };

  let lambda = sched.initial; // Marquardt
  let mu = 0; // Nielsen
  let nu = 2;
  let iterations = 0;
  let stopReason: StopReason = 'max-iterations';
  const M = new Float64Array(p * p);
  const rhs = new Float64Array(p);
  const held = new Uint8Array(p);
  outer: while (iterations < o.maxIterations) {
    iterations++;
    if (uAtNormal !== u) {
      normalEquations();
      if (nielsen && iterations === 1) {
        let dmax = 1e-300;
        for (let k = 0; k < p; k++) dmax = Math.max(dmax, A[k * p + k]!);
        mu = 1e-3 * dmax;
      }
    }
    if (o.gtol > 0) {
      let gmax = -Infinity;
      for (let k = 0; k < p; k++) gmax = Math.max(gmax, Math.abs(g[k]!));
      if (gmax <= o.gtol * Math.max(cost, 1e-300)) {
        stopReason = 'gtol';
        break;
      }
    }
    let maxDiag = 0;
    if (!nielsen) for (let a = 0; a < p; a++) maxDiag = Math.max(maxDiag, A[a * p + a]!);
    if (activeSet) {
      // On a bound with the descent direction −g pointing out of the box: held for this iteration.
      for (let a = 0; a < p; a++) {
        const span = Math.abs(uHi[a]! - uLo[a]!);
        const eps = 1e-12 * (span < 1e300 ? span : Math.abs(u[a]!) + 1);
        held[a] = (u[a]! <= uLo[a]! + eps && g[a]! > 0) || (u[a]! >= uHi[a]! - eps && g[a]! < 0) ? 1 : 0;
      }
    }
    const tries = nielsen ? 1 : sched.tries;
    let accepted = false;
    for (let t = 0; t < tries; t++) {
      M.set(A);
      for (let a = 0; a < p; a++) rhs[a] = held[a] ? 0 : -g[a]!;
      if (activeSet) {
        for (let a = 0; a < p; a++) {
          if (!held[a]) continue;
          for (let b = 0; b < p; b++) M[a * p + b] = M[b * p + a] = 0;
          M[a * p + a] = 1;
        }
      }
      for (let a = 0; a < p; a++) {
        if (held[a]) continue;
        const d = A[a * p + a]!;
        if (nielsen) M[a * p + a] = d + mu * Math.max(d, 1e-12);
        else {
          let v = d * (1 + lambda);
          if (sched.relativeFloor !== 0) v = v + lambda * sched.relativeFloor * maxDiag;
          M[a * p + a] = v + sched.absoluteFloor;
        }
      }
      const h = o.solver === 'lu' ? solveLu(M, rhs, p) : choleskySolve(M, rhs, p);
      if (!h) {
        if (nielsen) {
          mu *= nu;
          nu *= 2;
          if (!Number.isFinite(mu) || mu > 1e300) {
            stopReason = 'singular';
            break outer;
          }
          continue outer;
        }
        lambda *= sched.singularUp;
        continue;
      }
      if (o.xtol > 0) {
        let hn = 0;
        let un = 0;
        for (let k = 0; k < p; k++) {
          hn += h[k]! * h[k]!;
          un += u[k]! * u[k]!;
        }
        if (Math.sqrt(hn) <= o.xtol * (Math.sqrt(un) + o.xtol)) {
          stopReason = 'xtol';
          break outer;
        }
      }
      const uNew = new Float64Array(p);
      for (let k = 0; k < p; k++) uNew[k] = u[k]! + h[k]!;
      if (!transform) clampInPlace(uNew);
      const xNew = ext(uNew);
      const rNew = residualsAt(xNew, spare ?? undefined);
      const costNew = costOf(rNew);
      let ok: boolean;
      let rho = 0;
      if (nielsen) {
        // predicted decrease of ½χ²: −hᵀg − ½hᵀ(JᵀWJ)h = ½ hᵀ(μ D h − g)
        let pred = 0;
        for (let k = 0; k < p; k++) pred += h[k]! * (mu * Math.max(A[k * p + k]!, 1e-12) * h[k]! - g[k]!);
        pred *= 0.5;
        rho = Number.isFinite(costNew) ? (0.5 * (cost - costNew)) / pred : -1;
        ok = rho > 0;
      } else ok = Number.isFinite(costNew) && costNew < cost;
      if (!ok) {
        if (nielsen) {
          mu *= nu;
          nu *= 2;
          if (!Number.isFinite(mu) || mu > 1e300) {
            stopReason = 'singular';
            break outer;
          }
        } else lambda *= sched.up;
        continue;
      }
      const rel = (cost - costNew) / Math.max(cost, 1e-300);
      let step = 0;
      if (o.steptol > 0) for (let k = 0; k < p; k++) step = Math.max(step, Math.abs(uNew[k]! - u[k]!));
      u = uNew;
      x = xNew;
      if (spare) spare = r;
      r = rNew;
      cost = costNew;
      // the Jacobian is formed again at the next iteration (or for the covariance)
      accepted = true;
      if (nielsen) {
        mu *= Math.max(1 / 3, 1 - (2 * rho - 1) ** 3);
        nu = 2;
      } else lambda = Math.max(lambda / sched.down, sched.floor);
      if (rel < o.ftol) {
        stopReason = 'ftol';
        break outer;
      }
      if (o.steptol > 0 && step < o.steptol) {
        stopReason = 'steptol';
        break outer;
      }
      break;
    }
    if (!accepted && !nielsen) {
      stopReason = 'no-decrease';
      break;
    }
  }
  return finish(iterations, stopReason);
}

function subtractInPlace(f: Float64Array, y: ArrayLike<number>): void {
  for (let i = 0; i < f.length; i++) f[i] = f[i]! - y[i]!;
}

function weightedSumOfSquares(r: Float64Array, w: ArrayLike<number> | undefined): number {
  let s = 0;
  if (w) for (let i = 0; i < r.length; i++) s += w[i]! * (r[i]! * r[i]!);
  else for (let i = 0; i < r.length; i++) s += r[i]! * r[i]!;
  return s;
}

/** A = JᵀWJ (upper triangle accumulated row by row, skipping zero entries of J, then mirrored), g = JᵀWr. */
function fillNormalEquations(J: Float64Array, r: Float64Array, w: ArrayLike<number> | undefined, n: number, p: number, A: Float64Array, g: Float64Array): void {
  A.fill(0);
  g.fill(0);
  for (let i = 0; i < n; i++) {
    const wi = w ? w[i]! : 1;
    const ri = r[i]!;
    const row = i * p;
    for (let a = 0; a < p; a++) {
      const ja = J[row + a]!;
      if (ja === 0) continue;
      const wja = wi * ja;
      g[a]! += wja * ri;
      for (let b = a; b < p; b++) A[a * p + b]! += wja * J[row + b]!;
    }
  }
  for (let a = 0; a < p; a++) for (let b = 0; b < a; b++) A[a * p + b] = A[b * p + a]!;
}

/** JᵀWJ (p × p) by the full double loop (entry (a, b) sums (wᵢ Jᵢₐ) Jᵢ_b in row order). */
function weightedGram(J: Float64Array, n: number, p: number, w?: ArrayLike<number>): Float64Array {
  const A = new Float64Array(p * p);
  for (let i = 0; i < n; i++) {
    const wi = w ? w[i]! : 1;
    for (let a = 0; a < p; a++) for (let b = 0; b < p; b++) A[a * p + b]! += wi * J[i * p + a]! * J[i * p + b]!;
  }
  return A;
}

/** Cholesky factor (lower, row-major) of a symmetric positive-definite M, reading its lower triangle; null if not SPD. */
function cholesky(M: Float64Array, p: number): Float64Array | null {
  const L = new Float64Array(p * p);
  for (let j = 0; j < p; j++) {
    let s = M[j * p + j]!;
    for (let k = 0; k < j; k++) s -= L[j * p + k]! * L[j * p + k]!;
    if (!(s > 0) || !Number.isFinite(s)) return null;
    const d = Math.sqrt(s);
    L[j * p + j] = d;
    for (let i = j + 1; i < p; i++) {
      let t = M[i * p + j]!;
      for (let k = 0; k < j; k++) t -= L[i * p + k]! * L[j * p + k]!;
      L[i * p + j] = t / d;
    }
  }
  return L;
}

function choleskySubstitute(L: Float64Array, b: ArrayLike<number>, p: number): Float64Array {
  const y = new Float64Array(p);
  for (let i = 0; i < p; i++) {
    let t = b[i]!;
    for (let k = 0; k < i; k++) t -= L[i * p + k]! * y[k]!;
    y[i] = t / L[i * p + i]!;
  }
  const x = new Float64Array(p);
  for (let i = p - 1; i >= 0; i--) {
    let t = y[i]!;
    for (let k = i + 1; k < p; k++) t -= L[k * p + i]! * x[k]!;
    x[i] = t / L[i * p + i]!;
  }
  return x;
}

/** Solves M x = b for symmetric positive-definite M (row-major p × p) by Cholesky; null if not SPD. */
export function choleskySolve(M: Float64Array, b: ArrayLike<number>, p: number): Float64Array | null {
  const L = cholesky(M, p);
  return L ? choleskySubstitute(L, b, p) : null;
}

function solveLu(M: Float64Array, b: Float64Array, p: number): Float64Array | null {
  const A = new Matrix(p, p);
  for (let a = 0; a < p; a++) for (let c = 0; c < p; c++) A.set(a, c, M[a * p + c]!);
  try {
    const x = luSolve(A, Matrix.columnVector(Array.from(b)));
    return Float64Array.from({ length: p }, (_, a) => x.get(a, 0));
  } catch {
    return null; // singular
  }
}

/** Inverse of an SPD matrix; a parameter with a zero diagonal (no influence) gets NaN variance alone; all NaN when not SPD. */
export function invertSpd(M0: Float64Array, p: number): Float64Array {
  const M = Float64Array.from(M0);
  let maxDiag = 0;
  for (let a = 0; a < p; a++) maxDiag = Math.max(maxDiag, M[a * p + a]!);
  const dead: number[] = [];
  for (let a = 0; a < p; a++) {
    if (M[a * p + a]! <= 1e-14 * maxDiag) {
      dead.push(a);
      for (let b = 0; b < p; b++) M[a * p + b] = M[b * p + a] = 0;
      M[a * p + a] = 1;
    }
  }
  const L = cholesky(M, p);
  if (!L) return new Float64Array(p * p).fill(NaN);
  const out = new Float64Array(p * p);
  const e = new Float64Array(p);
  for (let c = 0; c < p; c++) {
    e.fill(0);
    e[c] = 1;
    const col = choleskySubstitute(L, e, p);
    for (let r = 0; r < p; r++) out[r * p + c] = col[r]!;
  }
  for (const a of dead) out[a * p + a] = NaN;
  return out;
}

/** Inverse by LU (ml-matrix); all NaN when singular. */
function invertLu(M0: Float64Array, p: number): Float64Array {
  if (p === 0) return new Float64Array(0);
  const A = new Matrix(p, p);
  for (let a = 0; a < p; a++) for (let c = 0; c < p; c++) A.set(a, c, M0[a * p + c]!);
  try {
    const inv = luSolve(A, Matrix.eye(p, p));
    return Float64Array.from({ length: p * p }, (_, i) => inv.get(Math.floor(i / p), i % p));
  } catch {
    return new Float64Array(p * p).fill(NaN);
  }
}

/*
 * Bound-respecting reparameterisation (bounds 'transform'). A parameter x with bounds [lo, hi] is
 * optimised through an unconstrained u:
 *   lo = 0, hi = ∞      x = exp(u)                    (log scale: 1e-12 F and 1e9 Ω alike)
 *   lo > −∞, hi = ∞     x = lo + exp(u)
 *   lo = −∞, hi < ∞     x = hi − exp(u)
 *   both finite          x = lo + (hi − lo)/(1 + e^−u)  (logistic; e.g. CPE α in [0, 1])
 *   both infinite        x = u
 */
type TransformKind = 'log' | 'lower' | 'upper' | 'logistic' | 'identity';

interface Transform {
  readonly kind: TransformKind;
  readonly lo: number;
  readonly hi: number;
}

function makeTransform(lo: number, hi: number): Transform {
  if (lo === 0 && hi === Infinity) return { kind: 'log', lo, hi };
  if (Number.isFinite(lo) && hi === Infinity) return { kind: 'lower', lo, hi };
  if (lo === -Infinity && Number.isFinite(hi)) return { kind: 'upper', lo, hi };
  if (Number.isFinite(lo) && Number.isFinite(hi)) return { kind: 'logistic', lo, hi };
  return { kind: 'identity', lo, hi };
}

/** Smallest relative distance kept from a bound when mapping x → u (the map is open at bounds). */
const EDGE = 1e-9;

function toInternal(t: Transform, x: number): number {
  switch (t.kind) {
    case 'log':
      return Math.log(Math.max(x, Number.MIN_VALUE * 1e10));
    case 'lower':
      return Math.log(Math.max(x - t.lo, EDGE * (1 + Math.abs(t.lo))));
    case 'upper':
      return Math.log(Math.max(t.hi - x, EDGE * (1 + Math.abs(t.hi))));
    case 'logistic': {
      const s = Math.min(1 - EDGE, Math.max(EDGE, (x - t.lo) / (t.hi - t.lo)));
      return Math.log(s / (1 - s));
    }
    case 'identity':
      return x;
  }
}

function toExternal(t: Transform, u: number): number {
  switch (t.kind) {
    case 'log':
      return Math.exp(u);
    case 'lower':
      return t.lo + Math.exp(u);
    case 'upper':
      return t.hi - Math.exp(u);
    case 'logistic':
      return t.lo + (t.hi - t.lo) / (1 + Math.exp(-u));
    case 'identity':
      return u;
  }
}

/** dx/du at u. */
function derivative(t: Transform, u: number): number {
  switch (t.kind) {
    case 'log':
    case 'lower':
      return Math.exp(u);
    case 'upper':
      return -Math.exp(u);
    case 'logistic': {
      const s = 1 / (1 + Math.exp(-u));
      return (t.hi - t.lo) * s * (1 - s);
    }
    case 'identity':
      return 1;
  }
}
