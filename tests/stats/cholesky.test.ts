import { Matrix, inverse, solve } from 'ml-matrix';
import { describe, expect, it } from 'vitest';
import { choleskyInverse, choleskyInverseDiagonal, choleskyOn, choleskySolve } from '../../src/stats/cholesky.js';
import { mulberry32 } from '../../src/stats/rng.js';

/** A random SPD matrix BᵀB + δI (k×k), row-major, and the same as an ml-matrix Matrix. */
function spd(k: number, seed: number): { flat: Float64Array; m: Matrix } {
  const r = mulberry32(seed);
  const b = Matrix.from1DArray(
    k + 3,
    k,
    Array.from({ length: (k + 3) * k }, () => r() - 0.5),
  );
  const m = b.transpose().mmul(b).add(Matrix.eye(k).mul(1e-3));
  return { flat: Float64Array.from(m.to1DArray()), m };
}

describe('Cholesky on flat row-major matrices (against ml-matrix LU / SVD)', () => {
  it('solves and inverts random SPD systems to 1e-9 relative', () => {
    for (const [k, seed] of [
      [1, 1],
      [5, 2],
      [17, 3],
      [60, 4],
    ] as const) {
      const { flat, m } = spd(k, seed);
      const l = choleskyOn(
        flat,
        k,
        Array.from({ length: k }, (_, i) => i),
      )!;
      const rhs = Array.from({ length: k }, (_, i) => Math.sin(i + 1));
      const x = choleskySolve(l, k, rhs);
      const ref = solve(m, Matrix.columnVector(rhs)).to1DArray();
      const scale = Math.max(...ref.map(Math.abs));
      ref.forEach((v, i) => expect(Math.abs(x[i]! - v) / scale).toBeLessThan(1e-9));
      const inv = choleskyInverse(l, k);
      const refInv = inverse(m, true).to1DArray();
      const s2 = Math.max(...refInv.map(Math.abs));
      refInv.forEach((v, i) => expect(Math.abs(inv[i]! - v) / s2).toBeLessThan(1e-9));
      const diag = choleskyInverseDiagonal(l, k);
      for (let j = 0; j < k; j++) expect(Math.abs(diag[j]! - refInv[j * k + j]!) / s2).toBeLessThan(1e-9);
    }
  });

  it('factors a sub-matrix picked by indices, in the order given', () => {
    const { flat, m } = spd(8, 9);
    const idx = [6, 1, 3];
    const l = choleskyOn(flat, 8, idx)!;
    // L Lᵀ reproduces A[idx, idx]
    for (let i = 0; i < 3; i++)
      for (let j = 0; j < 3; j++) {
        let s = 0;
        for (let q = 0; q < 3; q++) s += l[i * 3 + q]! * l[j * 3 + q]!;
        expect(s).toBeCloseTo(m.get(idx[i]!, idx[j]!), 12);
      }
  });

  it('refuses a matrix that is not positive definite', () => {
    expect(choleskyOn(Float64Array.of(1, 2, 2, 1), 2, [0, 1])).toBeNull();
    expect(choleskyOn(Float64Array.of(0), 1, [0])).toBeNull();
  });
});
