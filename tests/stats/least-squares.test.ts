/**
 * The one bounded least-squares engine (src/stats/least-squares.ts): each bounds handling and damping
 * reaches the known optimum of small problems, the covariance is (JᵀWJ)⁻¹ in the problem's coordinates
 * whatever the bounds handling, and both problem forms (residuals; model + data + weights) agree.
 */
import { describe, expect, it } from 'vitest';
import { leastSquares, PROJECTED_MARQUARDT, type LeastSquaresOptions } from '../../src/stats/least-squares.js';
import { REPLAY_LEAST_SQUARES } from '../../src/model/replay-fit/objective.js';

const xs = Array.from({ length: 25 }, (_, i) => i / 4);
const yExp = xs.map((t) => 2 * Math.exp(-0.7 * t));
const expResiduals = (p: ArrayLike<number>): Float64Array => Float64Array.from(xs, (t, i) => p[0]! * Math.exp(-p[1]! * t) - yExp[i]!);
const expJacobian = (p: ArrayLike<number>): Float64Array => {
  const J = new Float64Array(xs.length * 2);
  xs.forEach((t, i) => {
    J[2 * i] = Math.exp(-p[1]! * t);
    J[2 * i + 1] = -p[0]! * t * Math.exp(-p[1]! * t);
  });
  return J;
};

const SETTINGS: Record<string, Partial<LeastSquaresOptions>> = {
  'transform + nielsen (impedance)': { bounds: 'transform', damping: 'nielsen' },
  'clamp-active-set + marquardt (peaks)': { ...PROJECTED_MARQUARDT, ftol: 1e-12 },
  'clamp + marquardt, forward differences, LU (replay)': { ...REPLAY_LEAST_SQUARES, ftol: 1e-14, steptol: 0, covariance: 'solution' },
};

describe('leastSquares', () => {
  for (const [label, opts] of Object.entries(SETTINGS)) {
    it(`${label}: finds the exponential and says why it stopped`, () => {
      const r = leastSquares({ lower: [0, 0], upper: [10, 5], residuals: expResiduals, jacobian: expJacobian }, [1, 0.2], opts);
      expect(r.converged, r.stopReason).toBe(true);
      expect(r.x[0]).toBeCloseTo(2, 5);
      expect(r.x[1]).toBeCloseTo(0.7, 5);
      expect(r.cost).toBeLessThan(1e-12);
    });
  }

  it('holds the optimum on a bound (clamped modes) or just inside it (transform)', () => {
    // unconstrained optimum a = 2 lies above the upper bound 1.5
    for (const [label, opts] of Object.entries(SETTINGS)) {
      const r = leastSquares({ lower: [0, 0], upper: [1.5, 5], residuals: expResiduals, jacobian: expJacobian }, [1, 0.5], { ...opts, maxIterations: 400 });
      expect(r.x[0], label).toBeLessThanOrEqual(1.5);
      expect(r.x[0], label).toBeGreaterThan(1.499);
    }
  });

  it('covariance is (XᵀWX)⁻¹ of a weighted straight line in every mode, model or residual form', () => {
    const x = [0, 1, 2, 3, 4, 5];
    const y = [1.1, 2.9, 5.2, 6.8, 9.1, 11.0];
    const w = [1, 2, 1, 0.5, 1, 2];
    // closed form
    let s = 0,
      sx = 0,
      sxx = 0;
    x.forEach((xi, i) => {
      s += w[i]!;
      sx += w[i]! * xi;
      sxx += w[i]! * xi * xi;
    });
    const det = s * sxx - sx * sx;
    const want = [sxx / det, -sx / det, -sx / det, s / det];
    const model = {
      lower: [-100, -100],
      upper: [100, 100],
      y,
      weights: w,
      evaluate(p: Float64Array, f: Float64Array, J: Float64Array | null) {
        x.forEach((xi, i) => {
          f[i] = p[0]! + p[1]! * xi;
          if (J) {
            J[2 * i] = 1;
            J[2 * i + 1] = xi;
          }
        });
      },
    };
    const residual = {
      lower: [-100, -100],
      upper: [100, 100],
      residuals: (p: ArrayLike<number>) => Float64Array.from(x, (xi, i) => Math.sqrt(w[i]!) * (p[0]! + p[1]! * xi - y[i]!)),
    };
    for (const [label, opts] of Object.entries(SETTINGS)) {
      for (const r of [
        leastSquares(model, [0, 0], { ...opts, covariance: 'solution' }),
        leastSquares(residual, [0, 0], { ...opts, covariance: 'solution', jacobian: 'forward' }),
      ]) {
        want.forEach((v, i) => expect(r.covariance[i]!, `${label} [${i}]`).toBeCloseTo(v, 5));
      }
    }
  });

  it('a parameter without influence gets NaN variance alone (Cholesky), the others theirs', () => {
    const r = leastSquares(
      {
        lower: [-10, -10],
        upper: [10, 10],
        y: [1, 2, 3],
        evaluate(p: Float64Array, f: Float64Array, J: Float64Array | null) {
          for (let i = 0; i < 3; i++) {
            f[i] = p[0]!;
            if (J) J[2 * i] = 1;
          }
        },
      },
      [0, 0],
      PROJECTED_MARQUARDT,
    );
    expect(r.x[0]).toBeCloseTo(2, 8);
    expect(r.covariance[0]).toBeCloseTo(1 / 3, 12);
    expect(r.covariance[3]).toBeNaN();
  });

  it('reports a non-finite start and no free parameters', () => {
    expect(leastSquares({ lower: [0], upper: [1], residuals: () => Float64Array.of(NaN) }, [0.5]).stopReason).toBe('non-finite');
    const none = leastSquares({ lower: [], upper: [], residuals: () => Float64Array.of(1, 2) }, []);
    expect([none.stopReason, none.converged, none.cost]).toEqual(['no-parameters', true, 5]);
  });
});
