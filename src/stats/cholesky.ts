/**
 * Dense Cholesky factorisation of small symmetric positive-definite systems held as flat row-major
 * Float64Arrays (k×k): the solver under NNLS (src/fit/drt/nnls.ts) and the DRT's hat-matrix trace and
 * covariance. Plain loops, no allocation per element; the summation order is the textbook one
 * (Golub & Van Loan, Matrix Computations, alg. 4.2.1), so results do not depend on who calls.
 */

/**
 * Lower factor L (row-major k×k, upper triangle left zero) of the k×k sub-matrix of `a` (row-major,
 * `stride` columns) on the indices `idx`: A[idx, idx] = L Lᵀ. Returns null if it is not positive definite.
 * `out` is reused when given (length ≥ k²).
 */
export function choleskyOn(a: Float64Array, stride: number, idx: ArrayLike<number>, out?: Float64Array): Float64Array | null {
  const k = idx.length;
  const l = out && out.length >= k * k ? out : new Float64Array(k * k);
  for (let j = 0; j < k; j++) {
    const rowJ = j * k;
    const aj = idx[j]! * stride;
    let s = a[aj + idx[j]!]!;
    for (let q = 0; q < j; q++) s -= l[rowJ + q]! ** 2;
    if (!(s > 0)) return null;
    const d = Math.sqrt(s);
    l[rowJ + j] = d;
    for (let q = j + 1; q < k; q++) l[rowJ + q] = 0;
    for (let i = j + 1; i < k; i++) {
      const rowI = i * k;
      let t = a[idx[i]! * stride + idx[j]!]!;
      for (let q = 0; q < j; q++) t -= l[rowI + q]! * l[rowJ + q]!;
      l[rowI + j] = t / d;
    }
  }
  return l;
}

/**
 * Solve L Lᵀ x = b for x (b of length k, not modified; it may be `x` itself); `x` is reused when given.
 * `stride`: columns of the array holding L (a k×k factor kept inside a larger one), default k.
 */
export function choleskySolve(l: Float64Array, k: number, b: ArrayLike<number>, x?: Float64Array, stride = k): Float64Array {
  const y = x && x.length >= k ? x : new Float64Array(k);
  for (let i = 0; i < k; i++) {
    const row = i * stride;
    let t = b[i]!;
    for (let q = 0; q < i; q++) t -= l[row + q]! * y[q]!;
    y[i] = t / l[row + i]!;
  }
  for (let i = k - 1; i >= 0; i--) {
    let t = y[i]!;
    for (let q = i + 1; q < k; q++) t -= l[q * stride + i]! * y[q]!;
    y[i] = t / l[i * stride + i]!;
  }
  return y;
}

/** A⁻¹ (row-major k×k, symmetric) from its Cholesky factor: column by column, k solves. */
export function choleskyInverse(l: Float64Array, k: number): Float64Array {
  const inv = new Float64Array(k * k);
  const e = new Float64Array(k);
  const col = new Float64Array(k);
  for (let j = 0; j < k; j++) {
    e.fill(0);
    e[j] = 1;
    choleskySolve(l, k, e, col);
    for (let i = 0; i < k; i++) inv[i * k + j] = col[i]!;
  }
  return inv;
}

/**
 * The diagonal of A⁻¹ from A's Cholesky factor: (A⁻¹)_jj = ‖L⁻¹ e_j‖², one forward solve from row j
 * each (≈ k³/6 flops, a sixth of the full inverse).
 */
export function choleskyInverseDiagonal(l: Float64Array, k: number): Float64Array {
  const diag = new Float64Array(k);
  const y = new Float64Array(k);
  for (let j = 0; j < k; j++) {
    let s = 0;
    for (let i = j; i < k; i++) {
      const row = i * k;
      let t = i === j ? 1 : 0;
      for (let q = j; q < i; q++) t -= l[row + q]! * y[q]!;
      y[i] = t / l[row + i]!;
      s += y[i]! * y[i]!;
    }
    diag[j] = s;
  }
  return diag;
}
