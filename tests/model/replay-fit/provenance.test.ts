/**
 * Issue #16, "numbers honest about where they come from": every value the replay fit emits says whether
 * it was fitted, held at a prior (and which), an input, or not identifiable from the data — and only
 * fitted values carry a stderr / CI. P₀ of a poled cell comes from its own Pr (or the manifest's).
 */
import { describe, expect, it } from 'vitest';
import { fdStudyDesign } from '../../../fixtures/virtual-lab/design.js';
import { simulateCampaign } from '../../../fixtures/virtual-lab/simulate.js';
import { fitCampaign, fitCell, freeParametersFor, toCellParameters, type CellObservations } from '../../../src/model/replay-fit/index.js';
import { measuredInputsFromParameters, REFERENCE_PR_UC_CM2 } from '../../../src/model/replay-fit/measured.js';
import type { CellParameter } from '../../../src/report/types.js';

const design = fdStudyDesign({ cellsPerGroup: 2, cycles: 40, seed: 11 });
const cells = simulateCampaign(design);
const control = cells.find((c) => c.group.name === 'control')!;
const PHI0 = 'Dead Li base fraction [1]' as const;
const S0 = 'SEI repair base fraction [1]' as const;

/** The same cell seen through CE alone: no rest in the protocol, no overpotential, no end-of-test measurements. */
function ceOnly(o: CellObservations): CellObservations {
  return {
    ...o,
    protocol: { ...o.protocol, cycles: o.protocol.cycles.map((c) => ({ ...c, restAfterPlate_h: 0, restBefore_h: 0 })) },
    overpotential_V: undefined,
    measured: {},
  };
}

describe('parameter status of the replay fit', () => {
  it('a cell fitted from CE alone: its dead-Li fraction is not identifiable, with no stderr / CI; s₀ is prior-fixed', () => {
    const o = ceOnly(control.observations);
    const fit = fitCell(o, {
      variant: 'M1',
      base: design.parameterSet.values,
      free: freeParametersFor(o, { variant: 'M1', passivation: 'parabolic', stage: 'control' }),
      priorSource: 'parameter set X',
    });
    const rows = toCellParameters(fit, ['r:0']);
    const phi = rows.find((r) => r.name === PHI0)!;
    expect(phi).toMatchObject({ status: 'not identifiable', value: null, stderr: null, ci95: null });
    expect(phi.provenance).toMatch(/CE alone/);
    const dead = rows.find((r) => r.name === 'dead_li_fraction_cycle1')!;
    expect(dead).toMatchObject({ status: 'not identifiable', value: null, stderr: null, ci95: null });
    const s0 = rows.find((r) => r.name === S0)!;
    expect(s0).toMatchObject({ status: 'prior-fixed', value: design.parameterSet.values[S0], stderr: null, ci95: null });
    expect(s0.provenance).toMatch(/^parameter set X/);
    // the corrosion rate cannot enter data without a rest; R_b not without overpotentials
    expect(rows.find((r) => r.name === 'Parabolic corrosion constant [nm2.h-1]')).toMatchObject({ status: 'not identifiable', value: null, stderr: null });
    expect(rows.find((r) => r.name === 'Bulk resistance [Ohm.cm2]')).toMatchObject({ status: 'not identifiable', value: null });
    // the model still ran at a value: the fit result keeps it (replay), the report does not print it as a fit
    expect(fit.values.find((v) => v.name === PHI0)!.value).toBeGreaterThan(0);
    for (const r of rows) if (r.status !== 'fitted') expect([r.name, r.stderr, r.ci95]).toEqual([r.name, null, null]);
  });

  it('a cell with a rest-loss protocol: s₀ is free, and φ₀ is fitted with a profile CI containing the planted value', () => {
    const o = control.observations;
    const free = freeParametersFor(o, { variant: 'M2', passivation: 'parabolic', stage: 'control' });
    expect(free.map((f) => f.name)).toContain(S0);
    const fit = fitCell(o, { variant: 'M2', base: design.parameterSet.values, free });
    const rows = toCellParameters(fit);
    const phi = rows.find((r) => r.name === PHI0)!;
    const s0 = rows.find((r) => r.name === S0)!;
    const truth = control.truth[PHI0];
    console.log(`φ₀ ${phi.value} CI ${phi.ci95} truth ${truth}; s₀ ${s0.value} CI ${s0.ci95} truth ${control.truth[S0]}`);
    expect(s0.status).toBe('fitted');
    expect(phi.status).toBe('fitted');
    expect(phi.stderr).not.toBeNull();
    expect(phi.ci95![0]).toBeLessThan(truth);
    expect(phi.ci95![1]).toBeGreaterThan(truth);
    expect(phi.ci95![1] / phi.ci95![0]).toBeLessThan(1.5); // a real interval, not the prior range
    expect(rows.find((r) => r.name === 'dead_li_fraction_cycle1')).toMatchObject({ status: 'fitted', stderr: null });
    expect(rows.find((r) => r.name === 'dead_li_fraction_cycle1')!.value!).toBeCloseTo(fit.deadLiFraction, 12);
  });
});

const prRow = (cell: string, value: number, fitter = 'pe-pairing', sources = [`${cell}:pe`]): CellParameter => ({
  cell,
  group: 'g',
  name: 'Pr',
  value,
  unit: 'uC/cm2',
  stderr: null,
  ci95: null,
  censored: null,
  n: 1,
  fitter,
  fitOk: true,
  sources,
});

describe('a titrated dead-Li amount', () => {
  it('lets a cell without rests split dead Li from SEI Li: s₀ free, φ₀ fitted with a CI containing the planted value', () => {
    // the same physics without any rest, so the split can only come from the titration
    const base = fdStudyDesign({ cellsPerGroup: 1, cycles: 40, seed: 5 });
    const noRest = simulateCampaign({
      ...base,
      groups: base.groups.filter((g) => g.name === 'control').map((g) => ({ ...g, restHours: 0, restCycles: [] })),
    })[0]!;
    const D = noRest.replay.traces.deadLi_mAh_cm2[noRest.replay.cycles - 1]!;
    const o: CellObservations = {
      ...noRest.observations,
      measured: { ...noRest.observations.measured, deadLiTitration_mAh_cm2: { value: D, stderr: 0.02 * D } },
    };
    const free = freeParametersFor(o, { variant: 'M2', passivation: 'parabolic', stage: 'control' });
    expect(free.map((f) => f.name)).toContain(S0);
    expect(free.map((f) => f.name)).not.toContain('Parabolic corrosion constant [nm2.h-1]');
    const rows = toCellParameters(fitCell(o, { variant: 'M2', base: design.parameterSet.values, free }));
    const phi = rows.find((r) => r.name === PHI0)!;
    console.log(`titration: φ₀ ${phi.value} CI ${phi.ci95} truth ${noRest.truth[PHI0]}`);
    expect(phi.status).toBe('fitted');
    expect(phi.ci95![0]).toBeLessThan(noRest.truth[PHI0]);
    expect(phi.ci95![1]).toBeGreaterThan(noRest.truth[PHI0]);
    // without the titration the same cell's φ₀ is not identifiable
    const bare: CellObservations = { ...noRest.observations };
    const rows0 = toCellParameters(
      fitCell(bare, {
        variant: 'M2',
        base: design.parameterSet.values,
        free: freeParametersFor(bare, { variant: 'M2', passivation: 'parabolic', stage: 'control' }),
      }),
    );
    expect(rows0.find((r) => r.name === PHI0)).toMatchObject({ status: 'not identifiable', value: null, stderr: null });
  });
});

describe('FD cells in the staged campaign fit', () => {
  // P01 / P02: poled cells given different measured Pr (8 and 16 µC cm⁻² → P₀ = 0.4 and 0.8 with Pr_ref = 20)
  const obs = cells.map((c) => {
    if (c.group.name !== 'BTO-poled') return c.observations;
    const pr = c.id === 'P01' ? 8 : 16;
    const m = measuredInputsFromParameters([prRow(c.id, pr)], { poled: true });
    return { ...c.observations, measured: { ...c.observations.measured, initialPolarisation: m.initialPolarisation } };
  });
  const res = fitCampaign(obs, { base: design.parameterSet.values, variants: ['M2'], loco: false, intervals: 'covariance', priorSource: 'parameter set S' });
  const fits = res.variants[0]!.fits;
  const rowsOf = (id: string): CellParameter[] => toCellParameters(fits.find((f) => f.cellId === id)!);

  it("uses each poled cell's measured Pr for P₀ (not 1), and labels P₀ an input with its source", () => {
    expect(REFERENCE_PR_UC_CM2).toBe(20);
    const p01 = fits.find((f) => f.cellId === 'P01')!;
    const p02 = fits.find((f) => f.cellId === 'P02')!;
    expect(p01.parameters['Initial polarisation retention [1]']).toBeCloseTo(0.4, 12);
    expect(p02.parameters['Initial polarisation retention [1]']).toBeCloseTo(0.8, 12);
    const row = rowsOf('P01').find((r) => r.name === 'Initial polarisation retention [1]')!;
    expect(row).toMatchObject({ status: 'input', value: 0.4, stderr: null, ci95: null });
    expect(row.provenance).toMatch(/Pr\/Pr_ref = 8\/20.*measured Pr \(pe-pairing, P01:pe\)/);
    // controls and unpoled cells carry no P₀ row (P ≡ 0)
    expect(rowsOf('C01').find((r) => r.name === 'Initial polarisation retention [1]')).toBeUndefined();
    expect(fits.find((f) => f.cellId === 'U01')!.parameters['Initial polarisation retention [1]']).toBe(0);
  });

  it("labels an FD cell's starting inorganic fraction prior-fixed (the control median), with no stderr / CI", () => {
    const f0 = rowsOf('P01').find((r) => r.name === 'Initial inorganic fraction [1]')!;
    expect(res.shared['Initial inorganic fraction [1]']).toBeDefined();
    expect(f0).toMatchObject({ status: 'prior-fixed', value: res.shared['Initial inorganic fraction [1]'], stderr: null, ci95: null });
    expect(f0.provenance).toMatch(/median of the fitted values of 4 control cell\(s\)/); // C01, C02 and the unpoled U01, U02 (P ≡ 0)
    // the control cells fit their own f₀
    expect(rowsOf('C01').find((r) => r.name === 'Initial inorganic fraction [1]')!.status).toBe('fitted');
    // the FD gain the FD cell does fit is labelled so
    expect(rowsOf('P01').find((r) => r.name === 'FD inorganic fraction gain [1]')!.status).toBe('fitted');
  });
});

describe('measured P₀ sources', () => {
  it('takes the manifest pr_uC_cm2 when no loop was measured, and never gives unpoled layers a P₀', () => {
    const m = measuredInputsFromParameters([], { poled: true, manifestPr_uC_cm2: 12 });
    expect(m.initialPolarisation).toMatchObject({ value: 0.6, kind: 'manifest' });
    expect(m.initialPolarisation!.source).toMatch(/manifest pr_uC_cm2/);
    const viaRow = measuredInputsFromParameters([prRow('P9', 30, 'manifest', ['manifest: datasheet'])], { poled: true });
    expect(viaRow.initialPolarisation).toMatchObject({ value: 1, kind: 'manifest' }); // capped at 1
    expect(viaRow.initialPolarisation!.source).toMatch(/capped at 1.*datasheet/);
    expect(measuredInputsFromParameters([prRow('U9', 5)], { poled: false }).initialPolarisation).toBeUndefined();
    expect(measuredInputsFromParameters([prRow('P9', 5)], { poled: true, prRef_uC_cm2: 10 }).initialPolarisation!.value).toBe(0.5);
  });
});
