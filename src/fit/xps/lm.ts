/**
 * Bounded Levenberg–Marquardt for sums of peaks, with an analytic Jacobian.
 *
 * Why not ml-levenberg-marquardt (which we used first): v5.1 has no relative-convergence stop (it
 * always runs `maxIterations` unless RSS ≤ errorTolerance, which counts data never reach) and
 * evaluates the model point by point through closures. Measured on the 20-level × 6-region synthetic
 * depth profile (tests/fit/xps/fit-synthetic.test.ts): 33 s with the library, under 2 s with this
 * loop. The algorithm is the textbook one (Marquardt 1963; Madsen, Nielsen & Tingleff 2004, §3.2):
 * solve (JᵀJ + λ·diag(JᵀJ)) δ = Jᵀr, accept if RSS falls (λ ↓), else λ ↑; parameters are clamped
 * to their bounds after each step (projected LM). A parameter sitting on a bound whose gradient points
 * outwards (an area at 0 that would go negative, a centre on its window edge) is held for that step:
 * without this active set the clamped step is not a descent step for the others, and fits with a
 * component at zero crept along for 100–200 iterations at < 1e-5 relative improvement each.
 */
export interface LmProblem {
  readonly n: number;
  readonly p: number;
  /** Fill `f` (length n) with the model and `J` (n×p, row-major) with ∂f/∂θ at θ. */
  evaluate(theta: Float64Array, f: Float64Array, J: Float64Array | null): void;
  readonly y: ArrayLike<number>;
  /** Weights 1/σᵢ² of the residuals (weighted least squares); all 1 when absent. */
  readonly weights?: ArrayLike<number>;
  readonly lower: ArrayLike<number>;
  readonly upper: ArrayLike<number>;
}

export interface LmResult {
  readonly theta: Float64Array;
  /** Σ wᵢ rᵢ² (a χ² when the weights are 1/σᵢ²). */
  readonly rss: number;
  readonly iterations: number;
  readonly converged: boolean;
  /** (JᵀWJ)⁻¹ at the optimum (p×p row-major; W = 1 when unweighted), NaN-filled when singular. */
  readonly jtjInverse: Float64Array;
}

export function levenbergMarquardtBounded(pr: LmProblem, theta0: ArrayLike<number>, maxIterations = 200, tol = 1e-7): LmResult {
  const { n, p } = pr;
  const clamp = (t: Float64Array) => {
    for (let j = 0; j < p; j++) t[j] = Math.min(pr.upper[j]!, Math.max(pr.lower[j]!, t[j]!));
  };
  let theta = Float64Array.from(theta0);
  clamp(theta);
  const f = new Float64Array(n);
  const J = new Float64Array(n * p);
  const trial = new Float64Array(p);
  const ft = new Float64Array(n);
  const A = new Float64Array(p * p);
  const g = new Float64Array(p);
  const rssOf = (fv: Float64Array) => {
    let s = 0;
    const w = pr.weights;
    for (let i = 0; i < n; i++) s += (w ? w[i]! : 1) * (pr.y[i]! - fv[i]!) ** 2;
    return s;
  };
  pr.evaluate(theta, f, J);
  let rss = rssOf(f);
  let lambda = 1e-3;
  let converged = false;
  let it = 0;
  for (; it < maxIterations; it++) {
    // Normal equations.
    A.fill(0);
    g.fill(0);
    for (let i = 0; i < n; i++) {
      const wi = pr.weights ? pr.weights[i]! : 1;
      const r = pr.y[i]! - f[i]!;
      const row = i * p;
      for (let a = 0; a < p; a++) {
        const ja = J[row + a]!;
        if (ja === 0) continue;
        const wja = wi * ja;
        g[a]! += wja * r;
        for (let b = a; b < p; b++) A[a * p + b]! += wja * J[row + b]!;
      }
    }
    for (let a = 0; a < p; a++) for (let b = 0; b < a; b++) A[a * p + b] = A[b * p + a]!;
    let accepted = false;
    let maxDiag = 0;
    for (let a = 0; a < p; a++) maxDiag = Math.max(maxDiag, A[a * p + a]!);
    // Active set: on a bound with the gradient (Jᵀr, the descent direction) pointing out of the box.
    const held = new Uint8Array(p);
    for (let a = 0; a < p; a++) {
      const span = Math.abs(pr.upper[a]! - pr.lower[a]!);
      const eps = 1e-12 * (span < 1e300 ? span : Math.abs(theta[a]!) + 1);
      if ((theta[a]! <= pr.lower[a]! + eps && g[a]! < 0) || (theta[a]! >= pr.upper[a]! - eps && g[a]! > 0)) held[a] = 1;
    }
    const gs = Float64Array.from(g, (v, a) => (held[a] ? 0 : v));
    for (let tries = 0; tries < 12; tries++) {
      const M = Float64Array.from(A);
      for (let a = 0; a < p; a++) {
        if (!held[a]) continue;
        for (let b = 0; b < p; b++) M[a * p + b] = M[b * p + a] = 0;
        M[a * p + a] = 1;
      }
      // The small absolute term keeps M positive definite when a parameter has no effect (area 0 → its centre).
      for (let a = 0; a < p; a++) if (!held[a]) M[a * p + a] = A[a * p + a]! * (1 + lambda) + lambda * 1e-9 * maxDiag + 1e-300;
      const d = solveSpd(M, gs, p);
      if (!d) {
        lambda *= 10;
        continue;
      }
      for (let a = 0; a < p; a++) trial[a] = theta[a]! + d[a]!;
      clamp(trial);
      pr.evaluate(trial, ft, null);
      const r2 = rssOf(ft);
      if (r2 < rss) {
        const rel = (rss - r2) / Math.max(rss, 1e-300);
        theta = Float64Array.from(trial);
        rss = r2;
        lambda = Math.max(lambda / 3, 1e-12);
        pr.evaluate(theta, f, J);
        accepted = true;
        if (rel < tol) converged = true;
        break;
      }
      lambda *= 4;
    }
    if (!accepted) {
      converged = true; // no downhill step at any damping: a (bounded) minimum
      break;
    }
    if (converged) break;
  }
  return { theta, rss, iterations: it, converged, jtjInverse: invertSpd(jtj(J, n, p, pr.weights), p) };
}

function jtj(J: Float64Array, n: number, p: number, w?: ArrayLike<number>): Float64Array {
  const A = new Float64Array(p * p);
  for (let i = 0; i < n; i++) {
    const wi = w ? w[i]! : 1;
    for (let a = 0; a < p; a++) for (let b = 0; b < p; b++) A[a * p + b]! += wi * J[i * p + a]! * J[i * p + b]!;
  }
  return A;
}

/** Cholesky solve of M x = b (M symmetric positive definite); null when not SPD. */
function solveSpd(M: Float64Array, b: Float64Array, p: number): Float64Array | null {
  const L = cholesky(M, p);
  if (!L) return null;
  const z = new Float64Array(p);
  for (let i = 0; i < p; i++) {
    let s = b[i]!;
    for (let k = 0; k < i; k++) s -= L[i * p + k]! * z[k]!;
    z[i] = s / L[i * p + i]!;
  }
  const x = new Float64Array(p);
  for (let i = p - 1; i >= 0; i--) {
    let s = z[i]!;
    for (let k = i + 1; k < p; k++) s -= L[k * p + i]! * x[k]!;
    x[i] = s / L[i * p + i]!;
  }
  return x;
}

function cholesky(M: Float64Array, p: number): Float64Array | null {
  const L = new Float64Array(p * p);
  for (let i = 0; i < p; i++) {
    for (let j = 0; j <= i; j++) {
      let s = M[i * p + j]!;
      for (let k = 0; k < j; k++) s -= L[i * p + k]! * L[j * p + k]!;
      if (i === j) {
        if (!(s > 0)) return null;
        L[i * p + i] = Math.sqrt(s);
      } else L[i * p + j] = s / L[j * p + j]!;
    }
  }
  return L;
}

/** Inverse of an SPD matrix; parameters with a zero diagonal (no influence) get NaN variance alone. */
function invertSpd(M0: Float64Array, p: number): Float64Array {
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
  const out = new Float64Array(p * p).fill(NaN);
  for (let c = 0; c < p; c++) {
    const e = new Float64Array(p);
    e[c] = 1;
    const x = solveSpd(M, e, p);
    if (!x) return new Float64Array(p * p).fill(NaN);
    for (let r = 0; r < p; r++) out[r * p + c] = x[r]!;
  }
  for (const a of dead) out[a * p + a] = NaN;
  return out;
}
