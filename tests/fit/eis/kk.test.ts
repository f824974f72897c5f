import { describe, expect, it } from 'vitest';
import { linKK, muOf, tauGrid } from '../../../src/fit/eis/kk.js';
import { checkSpectrum } from '../../../src/fit/eis/spectrum.js';
import { logFrequencies, synthetic } from './synthetic.js';

const f = logFrequencies(1e6, 1e-2, 70);

describe('lin-KK (Schönleber 2014)', () => {
  it('a valid circuit spectrum (0.2 % noise) passes, and the fit is a Voigt series on the log τ grid', () => {
    for (const [src, p] of [
      ['R0-p(R1,C1)-p(R2,C2)', [10, 40, 1e-6, 100, 1e-3]],
      ['R0-p(R1,CPE1)-p(R2,CPE2)', [5, 40, 2e-6, 0.85, 120, 5e-4, 0.9]],
    ] as const) {
      const d = synthetic(src, p as unknown as number[], f, 0.002, 7);
      const kk = linKK(checkSpectrum(d.frequency, d.re, d.im));
      expect(kk.passed, `${src}: max ${kk.maxResidual}`).toBe(true);
      expect(kk.maxResidual).toBeLessThan(0.01);
      expect(kk.mu).toBeLessThan(0.85);
      expect(kk.residualsRe.length).toBe(70);
      expect(kk.r0).toBeGreaterThan(0);
    }
  });

  it('a spectrum with drift (low-frequency points scaled by a growing factor) fails', () => {
    const d = synthetic('R0-p(R1,C1)-p(R2,C2)', [10, 40, 1e-6, 100, 1e-3], f, 0.002, 7);
    // the sweep runs high → low frequency; the last 25 points drift up to +15 %
    const re = d.re.map((v, i) => (i >= 45 ? v * (1 + (0.15 * (i - 44)) / 25) : v));
    const im = d.im.map((v, i) => (i >= 45 ? v * (1 + (0.15 * (i - 44)) / 25) : v));
    const kk = linKK(checkSpectrum(d.frequency, re, im));
    expect(kk.passed).toBe(false);
    expect(kk.maxResidual).toBeGreaterThan(0.01);
  });

  it('μ and the τ grid follow the definitions', () => {
    expect(muOf([1, 2, -0.3])).toBeCloseTo(0.9, 12);
    const t = tauGrid(0.1, 1e4, 6);
    expect(t[0]).toBeCloseTo(1 / (2 * Math.PI * 1e4), 15);
    expect(t[5]).toBeCloseTo(1 / (2 * Math.PI * 0.1), 12);
  });
});
