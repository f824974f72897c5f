import { Matrix } from 'ml-matrix';
import { describe, expect, it } from 'vitest';
import { gramOf, nnls, nnlsGram } from '../../../src/fit/drt/nnls.js';

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

  it('reaches the same solution from any warm start (regularised, so unique), in fewer iterations from a good one', () => {
    let seed = 11;
    const rnd = (): number => (seed = (seed * 16807) % 2147483647) / 2147483647 - 0.5;
    for (let trial = 0; trial < 20; trial++) {
      const a = Matrix.from1DArray(40, 25, Array.from({ length: 1000 }, rnd));
      const b = Array.from({ length: 40 }, rnd);
      const { g, h } = gramOf(Float64Array.from(a.to1DArray()), a.rows, a.columns, b);
      for (let i = 0; i < 25; i++) g[i * 25 + i] = g[i * 25 + i]! + 1e-3;
      const cold = nnlsGram(g, h);
      const starts = [cold.passive, [0, 1, 2, 3, 4, 5, 6, 7], Array.from({ length: 25 }, (_, i) => i), [24, 3, 3, 99, -1]];
      for (const start of starts) {
        const warm = nnlsGram(g, h, start);
        expect(warm.converged).toBe(true);
        expect(warm.passive).toEqual(cold.passive);
        cold.x.forEach((v, i) => expect(Math.abs(warm.x[i]! - v)).toBeLessThan(1e-10 * Math.max(1, Math.abs(v))));
      }
      expect(nnlsGram(g, h, cold.passive).iterations).toBe(0);
    }
  });
});
