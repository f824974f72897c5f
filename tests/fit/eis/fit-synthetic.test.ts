/**
 * Parameter recovery from generated spectra: 60 points, 1 MHz … 1 mHz, 1 % proportional Gaussian
 * noise (σ_re = 1 %·|Z'|, σ_im = 1 %·|Z''|, seeded), fitted with matching 'proportional' weighting
 * and NO hand-given initial guess. Every parameter must come back within 2 %. Parameter sets are
 * chosen so that 2 % is ≥ 2σ of the fit's own standard error (a CPE Q is only as well determined as
 * |ln τ|·σ_α allows — see docs/eis-fitting.md).
 */
import { describe, expect, it } from 'vitest';
import { fitCircuit } from '../../../src/fit/eis/fit-circuit.js';
import { checkSpectrum } from '../../../src/fit/eis/spectrum.js';
import { logFrequencies, synthetic } from './synthetic.js';

const cases: [string, number[]][] = [
  ['R0-p(R1,CPE1)-p(R2,CPE2)', [10, 50, 2e-4, 0.9, 200, 2e-2, 0.8]],
  ['R0-p(R1,C1)-p(R2,C2)', [10, 40, 1e-6, 100, 1e-3]],
  ['R0-p(R1,C1)-p(R2-Wo1,C2)', [10, 50, 1e-6, 100, 500, 100, 1e-3]],
  ['L0-R0-p(R1,CPE1)-W1', [1e-7, 3, 30, 1e-5, 0.8, 20]],
];

describe('CNLS recovers generated parameters within 2 % with automatic initial guesses', () => {
  it.each(cases)('%s', (src, truth) => {
    for (const seed of [1, 2, 3]) {
      const d = synthetic(src, truth, logFrequencies(1e6, 1e-3, 60), 0.01, seed);
      const input = { f: d.frequency.slice(), re: d.re.slice(), im: d.im.slice() };
      const r = fitCircuit(src, checkSpectrum(d.frequency, d.re, d.im), { weighting: 'proportional' });
      expect(r.converged).toBe(true);
      r.names.forEach((nm, i) => {
        expect(Math.abs(r.values[i]! / truth[i]! - 1), `${nm} seed ${seed}: ${r.values[i]} vs ${truth[i]}`).toBeLessThan(0.02);
        expect(r.stderr[i]!).toBeGreaterThan(0);
        expect(r.ci95[i]![0]).toBeLessThan(r.values[i]!);
      });
      // reduced χ² ≈ 1 when the weighting matches the noise
      expect(r.reducedChi2 / 1e-4).toBeGreaterThan(0.6);
      expect(r.reducedChi2 / 1e-4).toBeLessThan(1.6);
      expect(r.residuals.re.length).toBe(60);
      expect(r.correlation[0]![0]).toBeCloseTo(1, 12);
      // inputs not mutated
      expect(d.frequency).toEqual(input.f);
      expect(d.re).toEqual(input.re);
    }
  });

  it('a noise-free spectrum is fitted exactly, with analytic and forward-difference Jacobians alike', () => {
    const src = 'R0-p(R1,CPE1)-p(R2,CPE2)';
    const truth = [5, 40, 2e-6, 0.85, 120, 5e-4, 0.9];
    const d = synthetic(src, truth, logFrequencies(1e6, 1e-3, 60), 0, 1);
    const s = checkSpectrum(d.frequency, d.re, d.im);
    for (const jacobian of ['analytic', 'forward'] as const) {
      const r = fitCircuit(src, s, { jacobian });
      r.names.forEach((nm, i) => expect(Math.abs(r.values[i]! / truth[i]! - 1), nm).toBeLessThan(1e-4));
      expect(r.chi2).toBeLessThan(1e-12);
    }
  });

  it('honours constants and bounds', () => {
    const src = 'R0-p(R1,C1)';
    const d = synthetic(src, [10, 100, 1e-5], logFrequencies(1e5, 0.1, 40), 0.001, 4);
    const s = checkSpectrum(d.frequency, d.re, d.im);
    const fixed = fitCircuit(src, s, { constants: { R0: 12 } });
    expect(fixed.values[0]).toBe(12);
    expect(fixed.fixed).toEqual([true, false, false]);
    const bounded = fitCircuit(src, s, { bounds: { R1: [0, 90] } });
    expect(bounded.values[1]!).toBeLessThanOrEqual(90);
    expect(() => fitCircuit(src, s, { constants: { R9: 1 } })).toThrow(/R9.*not a parameter/);
  });
});
