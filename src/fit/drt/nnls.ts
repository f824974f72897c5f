/**
 * Non-negative least squares, min ‖A x − b‖ subject to x ≥ 0: the active-set algorithm of Lawson &
 * Hanson (Solving Least Squares Problems, 1974, ch. 23). The unconstrained sub-problems on the
 * passive set P are solved from the Gram matrix AᵀA (Cholesky), as in Bro & De Jong's "fast NNLS"
 * (J. Chemometrics 11, 393 (1997)); `nnlsGram` takes AᵀA and Aᵀb directly so a Tikhonov term
 * λ·I can be added to the Gram matrix without building the stacked system.
 */
import { Matrix } from 'ml-matrix';

export interface NnlsResult {
  readonly x: Float64Array;
  readonly iterations: number;
  /** False when the iteration limit stopped it. */
  readonly converged: boolean;
  /** Indices with x > 0. */
  readonly passive: readonly number[];
}

/** Cholesky solve of the sub-system G[P,P] s = h[P]; null if not positive definite. */
function solveSub(g: Matrix, h: Float64Array, p: readonly number[]): Float64Array | null {
  const k = p.length;
  const l = new Float64Array(k * k);
  for (let j = 0; j < k; j++) {
    let s = g.get(p[j]!, p[j]!);
    for (let q = 0; q < j; q++) s -= l[j * k + q]! ** 2;
    if (!(s > 0)) return null;
    const d = Math.sqrt(s);
    l[j * k + j] = d;
    for (let i = j + 1; i < k; i++) {
      let t = g.get(p[i]!, p[j]!);
      for (let q = 0; q < j; q++) t -= l[i * k + q]! * l[j * k + q]!;
      l[i * k + j] = t / d;
    }
  }
  const y = new Float64Array(k);
  for (let i = 0; i < k; i++) {
    let t = h[p[i]!]!;
    for (let q = 0; q < i; q++) t -= l[i * k + q]! * y[q]!;
    y[i] = t / l[i * k + i]!;
  }
  const x = new Float64Array(k);
  for (let i = k - 1; i >= 0; i--) {
    let t = y[i]!;
    for (let q = i + 1; q < k; q++) t -= l[q * k + i]! * x[q]!;
    x[i] = t / l[i * k + i]!;
  }
  return x;
}

/** NNLS from the Gram matrix G = AᵀA (n×n) and h = Aᵀb. */
export function nnlsGram(g: Matrix, h: Float64Array, maxIterations = 3 * h.length + 30): NnlsResult {
  const n = h.length;
  const x = new Float64Array(n);
  const inP = new Array<boolean>(n).fill(false);
  // optimality tolerance on the gradient Aᵀ(b − Ax), relative to its value at x = 0
  const tol = 1e-11 * Math.max(...Array.from(h, Math.abs), 1e-300);
  const gradient = (): Float64Array => {
    // w = Aᵀ(b − A x) = h − G x
    const w = Float64Array.from(h);
    for (let i = 0; i < n; i++) {
      let s = 0;
      for (let j = 0; j < n; j++) if (x[j] !== 0) s += g.get(i, j) * x[j]!;
      w[i] = w[i]! - s;
    }
    return w;
  };
  let iterations = 0;
  let w = gradient();
  while (iterations < maxIterations) {
    let t = -1;
    let best = tol;
    for (let i = 0; i < n; i++)
      if (!inP[i] && w[i]! > best) {
        best = w[i]!;
        t = i;
      }
    if (t < 0) break;
    inP[t] = true;
    iterations++;
    for (;;) {
      const p = inP.flatMap((v, i) => (v ? [i] : []));
      const sP = solveSub(g, h, p);
      if (!sP) {
        // degenerate column set: drop the newest index and stop growing along it
        inP[t] = false;
        w[t] = 0;
        break;
      }
      if (sP.every((v) => v > 0)) {
        x.fill(0);
        p.forEach((i, k) => (x[i] = sP[k]!));
        break;
      }
      let alpha = Infinity;
      p.forEach((i, k) => {
        if (sP[k]! <= 0) alpha = Math.min(alpha, x[i]! / (x[i]! - sP[k]!));
      });
      p.forEach((i, k) => {
        x[i] = x[i]! + alpha * (sP[k]! - x[i]!);
        if (x[i]! <= 1e-15 * Math.max(1, Math.abs(sP[k]!))) {
          x[i] = 0;
          inP[i] = false;
        }
      });
      iterations++;
      if (iterations >= maxIterations) break;
    }
    w = gradient();
  }
  const passive = inP.flatMap((v, i) => (v && x[i]! > 0 ? [i] : []));
  return { x, iterations, converged: iterations < maxIterations, passive };
}

/** NNLS for a dense A (m×n) and b (m). */
export function nnls(a: Matrix, b: ArrayLike<number>): NnlsResult {
  const at = a.transpose();
  const g = at.mmul(a);
  const hb = at.mmul(Matrix.columnVector(Array.from(b)));
  return nnlsGram(
    g,
    Float64Array.from({ length: a.columns }, (_, i) => hb.get(i, 0)),
  );
}
