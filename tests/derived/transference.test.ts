/**
 * The campaign-level Bruce–Vincent t₊: spectra placed before and after each polarisation step by time,
 * R = R_SEI + R_ct, t₊ with its propagated 1σ, and nothing guessed when a side is missing.
 */
import { describe, expect, it } from 'vitest';
import { transferenceParameters, type InterfaceSpectrum, type PolarisationAt } from '../../src/derived/transference.js';
import { steadyCurrentFor } from '../../fixtures/virtual-lab/writers/chronoamperometry.js';

const T0 = Date.UTC(2026, 10, 25, 10) / 1000;
const spec = (id: string, cell: string, time: number, rSei: number | null, rCt: number | null, rBulk = 10): InterfaceSpectrum => ({
  recordId: id,
  cell,
  path: `${id}.DTA`,
  time,
  rSei,
  rSeiStderr: 1,
  rCt,
  rCtStderr: 2,
  rBulk,
});
const i0 = 0.01 / (10 + 100);
const step = (cell: string, start = T0, extra: Partial<PolarisationAt> = {}): PolarisationAt => ({
  recordId: `ca-${cell}`,
  cell,
  path: `${cell}_ca.mpt`,
  start,
  end: start + 3600,
  i0,
  i0Stderr: 1e-7,
  iss: steadyCurrentFor(0.4, 0.01, i0, 100, 120),
  issStderr: 1e-8,
  deltaV: 0.01,
  deltaVStderr: null,
  steady: true,
  ...extra,
});

describe('transferenceParameters', () => {
  it('takes R₀ from the last spectrum before and R_ss from the first after the step (R_SEI + R_ct) and recovers the planted t₊', () => {
    const spectra = [
      spec('early', 'L1', T0 - 86400, 500, 500), // an older spectrum: not the one before the step
      spec('before', 'L1', T0 - 600, 40, 60), // R₀ = 100
      spec('after', 'L1', T0 + 3700, 50, 70), // R_ss = 120
      spec('later', 'L1', T0 + 86400, 900, 900),
      spec('other-cell', 'L2', T0 - 10, 1, 1),
    ];
    const r = transferenceParameters([step('L1')], spectra, () => 'g');
    expect(r.warnings).toEqual([]);
    const t = r.parameters.find((p) => p.name === 'transference_number')!;
    expect(t.value).toBeCloseTo(0.4, 12);
    expect(t.stderr).toBeGreaterThan(0);
    expect(t.sources).toEqual(['ca-L1', 'before', 'after']);
    expect(t.fitOk).toBe(true);
    expect(t.note).toMatch(/check I₀\(R_s \+ R₀\)\/ΔV = 1\.00/);
    expect(r.parameters.find((p) => p.name === 'R_interface_before_ca')!.value).toBe(100);
    expect(r.parameters.find((p) => p.name === 'R_interface_after_ca')!.value).toBe(120);
    expect(r.parameters.find((p) => p.name === 'R_interface_before_ca')!.stderr).toBeCloseTo(Math.hypot(1, 2), 12);
  });
  it('a spectrum without a charge-transfer arc gives R_SEI alone, and says so', () => {
    const r = transferenceParameters([step('L1')], [spec('b', 'L1', T0 - 1, 100, null), spec('a', 'L1', T0 + 3600, 120, null)]);
    expect(r.parameters.find((p) => p.name === 'transference_number')!.value).toBeCloseTo(0.4, 12);
    expect(r.parameters.find((p) => p.name === 'R_interface_before_ca')!.provenance).toMatch(/no charge-transfer arc/);
  });
  it('no spectrum after the step, or no time: no t₊ and a warning naming the file', () => {
    const r = transferenceParameters([step('L1'), step('L2', NaN)], [spec('b', 'L1', T0 - 1, 40, 60), spec('b2', 'L2', T0 - 1, 40, 60)]);
    expect(r.parameters).toEqual([]);
    expect(r.warnings).toHaveLength(2);
    expect(r.warnings[0]).toMatch(/L1_ca\.mpt: no impedance spectrum after the step/);
    expect(r.warnings[1]).toMatch(/L2_ca\.mpt: .*no start time/);
  });
  it('a step whose I_ss is not steady gives a t₊ that the hypotheses do not use', () => {
    const r = transferenceParameters([step('L1', T0, { steady: false })], [spec('b', 'L1', T0 - 1, 40, 60), spec('a', 'L1', T0 + 3600, 50, 70)]);
    const t = r.parameters.find((p) => p.name === 'transference_number')!;
    expect(t.fitOk).toBe(false);
    expect(t.note).toMatch(/not steady/);
  });
  it('I₀R₀ ≥ ΔV (I₀ read in the double-layer spike) is refused with the reason', () => {
    const r = transferenceParameters([step('L1', T0, { i0: 2e-4 })], [spec('b', 'L1', T0 - 1, 40, 60), spec('a', 'L1', T0 + 3600, 50, 70)]);
    expect(r.parameters).toEqual([]);
    expect(r.warnings[0]).toMatch(/ΔV − I₀R₀/);
  });
});
