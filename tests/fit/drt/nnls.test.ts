import { Matrix } from 'ml-matrix';
import { describe, expect, it } from 'vitest';
import { nnls } from '../../../src/fit/drt/nnls.js';

describe('NNLS (Lawson–Hanson)', () => {
  it('recovers an exact non-negative solution', () => {
    const a = new Matrix([
      [1, 2, 0],
      [0, 1, 3],
      [2, 0, 1],
      [1, 1, 1],
    ]);
    const x = [0.5, 0, 2];
    const b = a.mmul(Matrix.columnVector(x)).to1DArray();
    const r = nnls(a, b);
    x.forEach((v, i) => expect(r.x[i]).toBeCloseTo(v, 10));
    expect(r.converged).toBe(true);
  });

  it('clips where the unconstrained solution is negative (known KKT solution)', () => {
    // min ‖x − b‖ with A = I: the answer is max(b, 0)
    const b = [3, -2, 0.5, -1e-3];
    const r = nnls(Matrix.eye(4), b);
    expect(Array.from(r.x)).toEqual([3, 0, 0.5, 0]);
    // A = [[1,1]], b = [−1]: x = 0 is optimal
    expect(Array.from(nnls(new Matrix([[1, 1]]), [-1]).x)).toEqual([0, 0]);
  });

  it('satisfies the KKT conditions on a random over-determined problem', () => {
    let seed = 3;
    const rnd = (): number => (seed = (seed * 16807) % 2147483647) / 2147483647 - 0.5;
    const a = Matrix.from1DArray(30, 8, Array.from({ length: 240 }, rnd));
    const b = Array.from({ length: 30 }, rnd);
    const { x } = nnls(a, b);
    const r = Matrix.columnVector(b).sub(a.mmul(Matrix.columnVector(Array.from(x))));
    const w = a.transpose().mmul(r).to1DArray();
    x.forEach((v, i) => {
      expect(v).toBeGreaterThanOrEqual(0);
      if (v > 0) expect(Math.abs(w[i]!)).toBeLessThan(1e-9);
      else expect(w[i]!).toBeLessThan(1e-9);
    });
  });
});
