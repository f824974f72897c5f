/**
 * Small dense linear algebra for the optimiser's inner loop (m ≤ ~20 unknowns). Hand-written rather
 * than ml-matrix because the LM loop solves one m×m system per trial step and ml-matrix's object
 * overhead dominated at this size (measured: see docs/eis-fitting.md, "Speed").
 * Larger problems (lin-KK, DRT, covariance) use ml-matrix.
 */

/** Solves A x = b for symmetric positive-definite A (row-major m×m) by Cholesky; null if not SPD. */
export function choleskySolve(a: Float64Array, b: Float64Array, m: number): Float64Array | null {
  const l = new Float64Array(m * m);
  for (let j = 0; j < m; j++) {
    let s = a[j * m + j]!;
    for (let k = 0; k < j; k++) s -= l[j * m + k]! * l[j * m + k]!;
    if (!(s > 0) || !Number.isFinite(s)) return null;
    const d = Math.sqrt(s);
    l[j * m + j] = d;
    for (let i = j + 1; i < m; i++) {
      let t = a[i * m + j]!;
      for (let k = 0; k < j; k++) t -= l[i * m + k]! * l[j * m + k]!;
      l[i * m + j] = t / d;
    }
  }
  const y = new Float64Array(m);
  for (let i = 0; i < m; i++) {
    let t = b[i]!;
    for (let k = 0; k < i; k++) t -= l[i * m + k]! * y[k]!;
    y[i] = t / l[i * m + i]!;
  }
  const x = new Float64Array(m);
  for (let i = m - 1; i >= 0; i--) {
    let t = y[i]!;
    for (let k = i + 1; k < m; k++) t -= l[k * m + i]! * x[k]!;
    x[i] = t / l[i * m + i]!;
  }
  return x;
}

/** JᵀJ (m×m) and Jᵀr (m) for row-major J (n×m). */
export function normalEquations(j: Float64Array, r: Float64Array, n: number, m: number): { a: Float64Array; g: Float64Array } {
  const a = new Float64Array(m * m);
  const g = new Float64Array(m);
  for (let i = 0; i < n; i++) {
    const ri = r[i]!;
    const row = i * m;
    for (let p = 0; p < m; p++) {
      const jp = j[row + p]!;
      if (jp === 0) continue;
      g[p] += jp * ri;
      for (let q = p; q < m; q++) a[p * m + q] += jp * j[row + q]!;
    }
  }
  for (let p = 0; p < m; p++) for (let q = 0; q < p; q++) a[p * m + q] = a[q * m + p]!;
  return { a, g };
}
