import { describe, expect, it } from 'vitest';
import { basisResponse, makeBasis } from '../../../src/fit/drt/basis.js';
import { computeDrt } from '../../../src/fit/drt/drt.js';
import { checkSpectrum } from '../../../src/fit/eis/spectrum.js';
import { logFrequencies, synthetic } from '../eis/synthetic.js';

describe('DRT (Tikhonov + NNLS, λ by GCV)', () => {
  it('a two-RC spectrum gives two peaks at the right τ and resistances summing to R1 + R2', () => {
    const [r1, c1, r2, c2] = [40, 1e-6, 100, 1e-3];
    const d = synthetic('R0-p(R1,C1)-p(R2,C2)', [10, r1, c1, r2, c2], logFrequencies(1e6, 1e-2, 70), 0.005, 5);
    const drt = computeDrt(checkSpectrum(d.frequency, d.re, d.im));
    expect(drt.lambdaMethod).toBe('gcv');
    expect(drt.peaks.length).toBe(2);
    const [p1, p2] = drt.peaks;
    expect(Math.abs(p1!.tau / (r1 * c1) - 1)).toBeLessThan(0.1);
    expect(Math.abs(p2!.tau / (r2 * c2) - 1)).toBeLessThan(0.1);
    expect(Math.abs((p1!.r + p2!.r) / (r1 + r2) - 1)).toBeLessThan(0.05);
    expect(Math.abs(drt.rInf / 10 - 1)).toBeLessThan(0.05);
    expect(drt.gcv!.score.length).toBeGreaterThan(5);
  });

  it('the Gaussian basis response integrates like an RC: A_m(ω) → area at ω → 0', () => {
    const b = makeBasis(1e-3, 1, 10, 1);
    const r = basisResponse(b, 10, 1e-9);
    expect(r.re).toBeCloseTo(b.area, 10);
    expect(Math.abs(r.im)).toBeLessThan(1e-9);
  });
});
