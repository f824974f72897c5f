/**
 * Non-negative least squares, min ‖A x − b‖ subject to x ≥ 0: the active-set algorithm of Lawson &
 * Hanson (Solving Least Squares Problems, 1974, ch. 23). The unconstrained sub-problems on the
 * passive set P are solved from the Gram matrix AᵀA (Cholesky), as in Bro & De Jong's "fast NNLS"
 * (J. Chemometrics 11, 393 (1997)); `nnlsGram` takes AᵀA and Aᵀb directly so a Tikhonov term
 * λ·I can be added to the Gram matrix without building the stacked system.
 *
 * The Cholesky factor of G[P,P] is kept between iterations: an index entering P adds one row
 * (O(|P|²), a triangular solve) instead of a new factorisation (O(|P|³)); an index leaving P
 * refactors. `start` warm-starts from a passive set (e.g. the solution at a neighbouring λ): indices
 * whose sub-problem solution is not positive are dropped until it is, then Lawson–Hanson runs to the
 * same KKT point. With λ > 0 the problem is strictly convex, so the solution does not depend on the start.
 */
import type { Matrix } from 'ml-matrix';
import { choleskyOn, choleskySolve } from '../../stats/cholesky.js';

export interface NnlsResult {
  readonly x: Float64Array;
  readonly iterations: number;
  /** False when the iteration limit stopped it. */
  readonly converged: boolean;
  /** Indices with x > 0, ascending. */
  readonly passive: readonly number[];
}

/** The passive set, in the order indices entered it, and the Cholesky factor of G on it (row-major, stride `cap`). */
class PassiveFactor {
  readonly idx: number[] = [];
  private readonly l: Float64Array;
  private readonly row: Float64Array;

  constructor(
    private readonly g: Float64Array,
    private readonly n: number,
  ) {
    this.l = new Float64Array(n * n);
    this.row = new Float64Array(n);
  }

  /** Append index t: one new row of L. False (and nothing changed) if G[P+t] is not positive definite. */
  add(t: number): boolean {
    const { g, n, l, row, idx } = this;
    const k = idx.length;
    const gt = t * n;
    for (let i = 0; i < k; i++) {
      let s = g[gt + idx[i]!]!;
      const li = i * n;
      for (let q = 0; q < i; q++) s -= l[li + q]! * row[q]!;
      row[i] = s / l[li + i]!;
    }
    let d = g[gt + t]!;
    for (let q = 0; q < k; q++) d -= row[q]! ** 2;
    if (!(d > 0)) return false;
    const lk = k * n;
    for (let q = 0; q < k; q++) l[lk + q] = row[q]!;
    l[lk + k] = Math.sqrt(d);
    idx.push(t);
    return true;
  }

  /** Keep only the indices for which `keep` holds, and refactor. False if the rest is not positive definite. */
  retain(keep: (i: number) => boolean): boolean {
    const kept = this.idx.filter(keep);
    this.idx.length = 0;
    if (!kept.length) return true;
    const f = choleskyOn(this.g, this.n, kept);
    if (!f) return false;
    const k = kept.length;
    for (let i = 0; i < k; i++) for (let q = 0; q <= i; q++) this.l[i * this.n + q] = f[i * k + q]!;
    this.idx.push(...kept);
    return true;
  }

  /** s = G[P,P]⁻¹ h[P], in the order of `idx`. */
  solve(h: Float64Array, s: Float64Array): void {
    const { idx } = this;
    for (let i = 0; i < idx.length; i++) s[i] = h[idx[i]!]!;
    choleskySolve(this.l, idx.length, s, s, this.n);
  }
}

/**
 * NNLS from the Gram matrix G = AᵀA (n×n, row-major) and h = Aᵀb. `start`: a passive set to begin
 * from (indices; those with a non-positive sub-problem solution are dropped first).
 */
export function nnlsGram(g: Float64Array, h: Float64Array, start: readonly number[] = [], maxIterations = 3 * h.length + 30): NnlsResult {
  const n = h.length;
  const x = new Float64Array(n);
  const w = new Float64Array(n);
  const s = new Float64Array(n);
  const inP = new Uint8Array(n);
  const pf = new PassiveFactor(g, n);
  // optimality tolerance on the gradient Aᵀ(b − Ax), relative to its value at x = 0
  let hmax = 1e-300;
  for (let i = 0; i < n; i++) hmax = Math.max(hmax, Math.abs(h[i]!));
  const tol = 1e-11 * hmax;
  const gradient = (): void => {
    // w = Aᵀ(b − A x) = h − G x
    const p = pf.idx;
    for (let i = 0; i < n; i++) {
      let acc = 0;
      const gi = i * n;
      for (let u = 0; u < p.length; u++) acc += g[gi + p[u]!]! * x[p[u]!]!;
      w[i] = h[i]! - acc;
    }
  };
  const setX = (): void => {
    x.fill(0);
    pf.idx.forEach((i, k) => (x[i] = s[k]!));
  };
  let iterations = 0;
  // Warm start: a feasible point on (a subset of) the given passive set.
  for (const i of start) if (i >= 0 && i < n && !inP[i] && pf.add(i)) inP[i] = 1;
  while (pf.idx.length) {
    pf.solve(h, s);
    if (pf.idx.every((_, k) => s[k]! > 0)) break;
    const neg = new Set(pf.idx.filter((_, k) => !(s[k]! > 0)));
    for (const i of neg) inP[i] = 0;
    if (!pf.retain((i) => !neg.has(i))) {
      for (const i of pf.idx) inP[i] = 0;
      pf.idx.length = 0;
    }
  }
  if (pf.idx.length) setX();
  gradient();
  while (iterations < maxIterations) {
    let t = -1;
    let best = tol;
    for (let i = 0; i < n; i++)
      if (!inP[i] && w[i]! > best) {
        best = w[i]!;
        t = i;
      }
    if (t < 0) break;
    iterations++;
    if (!pf.add(t)) {
      // degenerate column set: leave the newest index out and stop growing along it
      w[t] = 0;
      continue;
    }
    inP[t] = 1;
    for (;;) {
      pf.solve(h, s);
      const p = pf.idx;
      if (p.every((_, k) => s[k]! > 0)) {
        setX();
        break;
      }
      let alpha = Infinity;
      p.forEach((i, k) => {
        if (s[k]! <= 0) alpha = Math.min(alpha, x[i]! / (x[i]! - s[k]!));
      });
      p.forEach((i, k) => {
        x[i] = x[i]! + alpha * (s[k]! - x[i]!);
        if (x[i]! <= 1e-15 * Math.max(1, Math.abs(s[k]!))) {
          x[i] = 0;
          inP[i] = 0;
        }
      });
      if (!pf.retain((i) => inP[i] === 1)) {
        for (const i of pf.idx) inP[i] = 0;
        pf.idx.length = 0;
        x.fill(0);
        break;
      }
      iterations++;
      if (iterations >= maxIterations) break;
    }
    gradient();
  }
  const passive: number[] = [];
  for (let i = 0; i < n; i++) if (inP[i] && x[i]! > 0) passive.push(i);
  return { x, iterations, converged: iterations < maxIterations, passive };
}

/** Gram matrix AᵀA (row-major n×n) and Aᵀb of a dense A given row-major (m×n). */
export function gramOf(a: Float64Array, m: number, n: number, b: ArrayLike<number>): { g: Float64Array; h: Float64Array } {
  const g = new Float64Array(n * n);
  const h = new Float64Array(n);
  for (let r = 0; r < m; r++) {
    const ar = r * n;
    for (let i = 0; i < n; i++) {
      const ai = a[ar + i]!;
      if (ai === 0) continue;
      h[i] = h[i]! + ai * b[r]!;
      const gi = i * n;
      for (let j = 0; j < n; j++) g[gi + j] = g[gi + j]! + ai * a[ar + j]!;
    }
  }
  return { g, h };
}

/** NNLS for a dense A (m×n) and b (m). */
export function nnls(a: Matrix, b: ArrayLike<number>): NnlsResult {
  const { g, h } = gramOf(Float64Array.from(a.to1DArray()), a.rows, a.columns, b);
  return nnlsGram(g, h);
}
