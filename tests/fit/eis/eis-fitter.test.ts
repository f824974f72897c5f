import { describe, expect, it } from 'vitest';
import { eisFitter } from '../../../src/fit/eis/eis-fitter.js';
import { logFrequencies, synthetic, eisRecord } from './synthetic.js';

const record = eisRecord;

// Li-metal-like: R_b 5 Ω, SEI 40 Ω at τ ≈ 1e-4 s, R_ct 120 Ω at τ ≈ 0.06 s
const truth = [5, 40, 5e-6, 0.9, 120, 5e-4, 0.85];
const f = logFrequencies(1e6, 1e-2, 60);

describe('eisFitter (default Li-metal circuit)', () => {
  it('emits R_bulk, R_SEI, CPE_SEI, R_ct, R_SEI_areal, kk_residual_max and DRT peaks for a valid spectrum', () => {
    const d = synthetic('R0-p(R1,CPE1)-p(R2,CPE2)', truth, f, 0.002, 11);
    const out = eisFitter.fit(record(d.frequency, d.re, d.im), { electrodeAreaCm2: 2, cellType: 'Li||Li' });
    expect(eisFitter.kinds).toEqual(['eis']);
    expect(out.quality.ok).toBe(true);
    const p = Object.fromEntries(out.parameters.map((q) => [q.name, q]));
    expect(p.R_bulk!.value).toBeCloseTo(5, 0);
    expect(Math.abs(p.R_SEI!.value / 40 - 1)).toBeLessThan(0.02);
    expect(Math.abs(p.CPE_SEI_alpha!.value / 0.9 - 1)).toBeLessThan(0.02);
    expect(Math.abs(p.R_ct!.value / 120 - 1)).toBeLessThan(0.02);
    expect(p.R_SEI_areal!.value).toBeCloseTo(p.R_SEI!.value * 2, 9);
    expect(p.R_SEI_areal!.unit).toBe('ohm*cm2');
    expect(p.R_SEI!.stderr).toBeGreaterThan(0);
    expect(p.kk_residual_max!.value).toBeLessThan(0.01);
    expect(p.drt_peak1_tau).toBeDefined();
    for (const k of ['chi2', 'reducedChi2', 'iterations', 'converged', 'kk_residual_max', 'kk_M']) expect(out.quality.metrics[k]).toBeDefined();
  });

  it('a spectrum that fails KK is flagged (ok false) but its parameters are still reported, marked', () => {
    const d = synthetic('R0-p(R1,CPE1)-p(R2,CPE2)', truth, f, 0.002, 11);
    const re = d.re.map((v, i) => (i >= 35 ? v * (1 + (0.2 * (i - 34)) / 25) : v));
    const im = d.im.map((v, i) => (i >= 35 ? v * (1 + (0.2 * (i - 34)) / 25) : v));
    const out = eisFitter.fit(record(d.frequency, re, im), {});
    expect(out.quality.ok).toBe(false);
    expect(out.quality.messages.join(' ')).toMatch(/lin-KK failed/);
    const sei = out.parameters.find((q) => q.name === 'R_SEI')!;
    expect(sei.note).toMatch(/failed lin-KK/);
    expect(out.parameters.find((q) => q.name === 'R_SEI_areal')).toBeUndefined();
  });
});
