/**
 * Non-identifiable parameters are reported as such (flat profile), fixed at their prior, and not
 * fitted to noise; the data decide which parameters are free at all; fits are pure.
 */
import { describe, expect, it } from 'vitest';
import { fdStudyDesign } from '../../../fixtures/virtual-lab/design.js';
import { simulateCampaign } from '../../../fixtures/virtual-lab/simulate.js';
import { fitCell, fitObjective, freeParametersFor, type CellObservations } from '../../../src/model/replay-fit/index.js';

const design = fdStudyDesign({ cellsPerGroup: 1, cycles: 40 });
const cells = simulateCampaign(design);
const control = cells.find((c) => c.group.name === 'control')!;
const poled = cells.find((c) => c.group.name === 'BTO-poled')!;

describe('identifiability', () => {
  it('flags FD smoothing on a control cell (P ≡ 0) as non-identifiable and keeps it at the prior', () => {
    const free = [
      ...freeParametersFor(control.observations, { variant: 'M2', passivation: 'parabolic', stage: 'control' }),
      { name: 'FD heterogeneity smoothing [cycle-1]' as const, lower: 1e-4, upper: 1 },
    ];
    const fit = fitCell(control.observations, { variant: 'M2', base: design.parameterSet.values, free });
    const eps = fit.values.find((v) => v.name === 'FD heterogeneity smoothing [cycle-1]')!;
    expect(eps.identifiability).toBe('non-identifiable');
    expect(eps.value).toBe(design.parameterSet.values['FD heterogeneity smoothing [cycle-1]']);
    expect(eps.note).toMatch(/flat profile/);
    expect(fit.k).toBe(free.length - 1);
    expect(fit.values.find((v) => v.name === 'Dead Li base fraction [1]')!.identifiability).toBe('identifiable');
  });

  it('does not free a corrosion rate or γ_H for a cell without a rest, nor R_b without overpotentials', () => {
    const noRest: CellObservations = {
      ...control.observations,
      protocol: { ...control.observations.protocol, cycles: control.observations.protocol.cycles.map((c) => ({ ...c, restAfterPlate_h: 0 })) },
      overpotential_V: undefined,
    };
    const names = freeParametersFor(noRest, { variant: 'M1', passivation: 'parabolic', stage: 'control' }).map((f) => f.name);
    expect(names).not.toContain('Parabolic corrosion constant [nm2.h-1]');
    expect(names).not.toContain('Corrosion heterogeneity gain [1]');
    expect(names).not.toContain('Bulk resistance [Ohm.cm2]');
    const fd = freeParametersFor(poled.observations, { variant: 'M2', passivation: 'linear', stage: 'fd' }).map((f) => f.name);
    expect(fd).toEqual(expect.arrayContaining(['Linear corrosion rate [nm.h-1]', 'FD inorganic fraction gain [1]', 'FD heterogeneity smoothing [cycle-1]']));
    expect(fd).not.toContain('Initial inorganic fraction [1]');
  });

  it('reports the composition factor β_f as non-identifiable next to k_p0 when f barely moves', () => {
    // k = k_p0 exp(−β_f f): with f ≈ constant over the test only the product is seen (a flat profile).
    const free = [
      ...freeParametersFor(control.observations, { variant: 'M1', passivation: 'parabolic', stage: 'control' }),
      { name: 'Passivation composition factor [1]' as const, lower: 0.01, upper: 5 },
    ];
    const fit = fitCell(control.observations, { variant: 'M1', base: design.parameterSet.values, free });
    const beta = fit.values.find((v) => v.name === 'Passivation composition factor [1]')!;
    console.log('β_f next to k_p0:', beta.identifiability, beta.note ?? '');
    expect(beta.identifiability).not.toBe('identifiable');
  });

  it('is pure: observations are not mutated', () => {
    const before = JSON.stringify({ ce: Array.from(control.observations.ce), m: control.observations.measured });
    fitCell(control.observations, {
      variant: 'M1',
      base: design.parameterSet.values,
      free: freeParametersFor(control.observations, { variant: 'M1', passivation: 'parabolic', stage: 'control' }),
      intervals: 'covariance',
    });
    expect(JSON.stringify({ ce: Array.from(control.observations.ce), m: control.observations.measured })).toBe(before);
  });
});

describe("fitObjective (the replay fits' least squares)", () => {
  it('fits a closed-form exponential and says it converged', () => {
    const x = Array.from({ length: 30 }, (_, i) => i / 3);
    const y = x.map((t) => 2 * Math.exp(-0.7 * t));
    const r = fitObjective(
      {
        lower: Float64Array.from([-5, -5]),
        upper: Float64Array.from([5, 5]),
        residuals: (u) => Float64Array.from(x, (t, i) => Math.exp(u[0]!) * Math.exp(-Math.exp(u[1]!) * t) - y[i]!),
      },
      Float64Array.from([0, 0]),
    );
    expect(r.converged).toBe(true);
    expect(Math.exp(r.u[0]!)).toBeCloseTo(2, 6);
    expect(Math.exp(r.u[1]!)).toBeCloseTo(0.7, 6);
  });
});

describe('toCellParameters', () => {
  it('turns a fit into report rows: units from the names, non-identifiable values null', async () => {
    const { toCellParameters } = await import('../../../src/model/replay-fit/index.js');
    const free = [
      ...freeParametersFor(control.observations, { variant: 'M2', passivation: 'parabolic', stage: 'control' }),
      { name: 'FD heterogeneity smoothing [cycle-1]' as const, lower: 1e-4, upper: 1 },
    ];
    const rows = toCellParameters(fitCell(control.observations, { variant: 'M2', base: design.parameterSet.values, free }), ['abc:0']);
    expect(rows.find((r) => r.name === 'Parabolic corrosion constant [nm2.h-1]')).toMatchObject({
      unit: 'nm2.h-1',
      fitter: 'replay-model/M2/parabolic',
      fitOk: true,
      sources: ['abc:0'],
    });
    expect(rows.find((r) => r.name === 'FD heterogeneity smoothing [cycle-1]')!.value).toBeNull();
    expect(rows.find((r) => r.name === 'dead_li_fraction_cycle1')!.value!).toBeGreaterThan(0.02);
  });
});

describe('measuredInputsFromParameters', () => {
  it('reads the pipeline rows by their PARAMETERS names and states default uncertainties', async () => {
    const { measuredInputsFromParameters, DEFAULT_MEASUREMENT_UNCERTAINTY } = await import('../../../src/model/replay-fit/measured.js');
    const row = (name: string, value: number, stderr: number | null = null) => ({
      cell: 'P01',
      group: 'g',
      name,
      value,
      unit: '1',
      stderr,
      ci95: null,
      censored: null,
      n: 1,
      fitter: 'x',
      fitOk: true,
      sources: [],
    });
    const m = measuredInputsFromParameters(
      [
        row('sei_inorganic_fraction', 0.6, 0.01),
        row('heterogeneity_index', 0.2),
        row('R_SEI_areal', 30),
        row('polarisation_retention', 0.7),
        row('Pr', 10, 0.5),
      ],
      { prRef_uC_cm2: 20 },
    );
    expect(m.inorganicFraction).toEqual({ value: 0.6, stderr: 0.01 });
    expect(m.heterogeneityIndex!.stderr).toBe(DEFAULT_MEASUREMENT_UNCERTAINTY.heterogeneityIndex);
    expect(m.rSei_Ohm_cm2!.stderr).toBeCloseTo(3, 12);
    expect(m.initialPolarisation).toMatchObject({ value: 0.5, stderr: 0.025, kind: 'measured' });
    expect(measuredInputsFromParameters([], { poled: true }).initialPolarisation).toMatchObject({ value: 1, stderr: 0.1, kind: 'assumed' });
  });
});
