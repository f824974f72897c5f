/** The replay model: closed forms, nesting of M0/M1/M2, failure and censoring, and the published checks (DOMAIN.md §9). */
import { describe, expect, it } from 'vitest';
import { buildModel, linear, logarithmic, parabolic, restStep, tipAmplification, ModelOptionError } from '../../src/model/index.js';
import { replayCell, restLossFraction, initialState } from '../../src/model/solve/index.js';
import { protocol } from '../../src/model/protocol/index.js';
import {
  BASE_VALUES,
  carbonateFec_Gunnarsdottir2020,
  carbonate_Gunnarsdottir2020,
  ether_Boyle2021,
  hce_Adams2018,
  resolveParameters,
  withValues,
} from '../../src/model/params/index.js';
import type { ReplayParameterValues } from '../../src/model/params/index.js';

const P = resolveParameters(BASE_VALUES);

describe('closed forms', () => {
  it('tip amplification M = exp(z σ − σ²/2), σ = √ln(1 + H²)', () => {
    expect(tipAmplification(0, 2.33)).toBe(1);
    const s = Math.sqrt(Math.log(2));
    expect(tipAmplification(1, 2.33)).toBeCloseTo(Math.exp(2.33 * s - (s * s) / 2), 12);
  });
  it('passivation laws', () => {
    expect(parabolic.grow(15, 24, 1, P)).toBeCloseTo(Math.sqrt(225 + 2 * P.kp0 * 24), 12);
    expect(linear.grow(15, 24, 0.5, P)).toBeCloseTo(15 + P.kl * 0.5 * 24, 12);
    expect(logarithmic.grow(15, 24, 1, P)).toBeCloseTo(15 + P.lambda * Math.log(1 + (P.kLog * 24) / P.lambda), 12);
  });
  it('a rest loses c_SEI·A_r·ΔL, strands χ_r of it, and (M1) raises H by γ_H Q_corr/Q_ref', () => {
    const s0 = initialState(P);
    const r = restStep(s0, 24, buildModel({ variant: 'M1' }), P, 10);
    const L1 = Math.sqrt(P.L0 ** 2 + 2 * P.kp0 * Math.exp(-P.betaF * P.f0) * 24);
    expect(r.qCorr_mAh_cm2).toBeCloseTo(P.cSei * P.A0 * (L1 - P.L0), 12);
    expect(r.stranded_mAh_cm2).toBeCloseTo(P.chiR * r.qCorr_mAh_cm2, 12);
    expect(r.state.heterogeneity - P.H0).toBeCloseTo((P.gammaH * r.qCorr_mAh_cm2) / P.qRef, 12);
    expect(restStep(s0, 24, buildModel({ variant: 'M0' }), P, 10).state.heterogeneity).toBe(P.H0);
  });
  it('rejects unknown variants and laws with the allowed list', () => {
    expect(() => buildModel({ variant: 'M3' as never })).toThrow(ModelOptionError);
    expect(() => buildModel({ passivation: 'cubic' as never })).toThrow(/parabolic, linear, logarithmic/);
  });
});

describe('nesting', () => {
  const rest = protocol([
    'Plate at 0.5 mA cm-2 for 2 hours',
    'Strip at 0.5 mA cm-2 to 1 V',
    'Repeat 4 times',
    'Plate at 0.5 mA cm-2 for 2 hours',
    'Rest for 24 hours',
    'Strip at 0.5 mA cm-2 to 1 V',
    'Plate at 0.5 mA cm-2 for 2 hours',
    'Strip at 0.5 mA cm-2 to 1 V',
    'Repeat 30 times',
  ]);
  const v = carbonateFec_Gunnarsdottir2020.values;
  it('M2 with P₀ = 0 is M1; M1 without rests is M0', () => {
    const m1 = replayCell(buildModel({ variant: 'M1' }), v, rest);
    const m2 = replayCell(buildModel({ variant: 'M2' }), v, rest);
    expect(Array.from(m2.ce)).toEqual(Array.from(m1.ce));
    const noRest = protocol(['Plate at 0.5 mA cm-2 for 2 hours', 'Strip at 0.5 mA cm-2 to 1 V', 'Repeat 30 times']);
    expect(Array.from(replayCell(buildModel({ variant: 'M0' }), v, noRest).ce)).toEqual(Array.from(replayCell(buildModel({ variant: 'M1' }), v, noRest).ce));
  });
  it('corrosion → heterogeneity makes the cycles after a rest lose more in M1 than in M0', () => {
    const m0 = replayCell(buildModel({ variant: 'M0' }), v, rest);
    const m1 = replayCell(buildModel({ variant: 'M1' }), v, rest);
    expect(m1.ce[4]).toBeCloseTo(m0.ce[4]!, 12); // the rest cycle itself: same corrosion
    expect(m1.ce[10]!).toBeLessThan(m0.ce[10]! - 0.002);
    expect(m1.traces.heterogeneity[4]!).toBeGreaterThan(m0.traces.heterogeneity[4]! + 0.05);
  });
  it('poled FD (M2, P₀ = 1) raises CE and f and lowers H against the control', () => {
    const fd = replayCell(buildModel({ variant: 'M2' }), withValues(v, { 'Initial polarisation retention [1]': 1 }), rest);
    const ctl = replayCell(buildModel({ variant: 'M2' }), v, rest);
    expect(fd.ce[0]!).toBeGreaterThan(ctl.ce[0]!);
    expect(fd.traces.inorganicFraction[20]!).toBeGreaterThan(ctl.traces.inorganicFraction[20]!);
    expect(fd.traces.heterogeneity[20]!).toBeLessThan(ctl.traces.heterogeneity[20]!);
  });
  it('is pure: frozen inputs, identical outputs on repeat', () => {
    const frozen = Object.freeze({ ...v }) as ReplayParameterValues;
    Object.freeze(rest.cycles);
    rest.cycles.forEach((c) => Object.freeze(c));
    const a = replayCell(buildModel(), frozen, rest);
    const b = replayCell(buildModel(), frozen, rest);
    expect(Array.from(a.ce)).toEqual(Array.from(b.ce));
  });
});

describe('failure and censoring (§7.4)', () => {
  const cyc = (n: number) => protocol(['Plate at 0.5 mA cm-2 for 2 hours', 'Strip at 0.5 mA cm-2 to 1 V', `Repeat ${n} times`]);
  const m = buildModel({ variant: 'M1' });
  it('short circuit when M exceeds j_crit/j', () => {
    const r = replayCell(m, withValues(BASE_VALUES, { 'Initial heterogeneity [1]': 2 }), cyc(10));
    expect(r.failure).toMatchObject({ mode: 'short-circuit', cycle: 1, censored: false });
    expect(r.cycles).toBe(1);
  });
  it('overpotential limit', () => {
    expect(replayCell(m, withValues(BASE_VALUES, { 'Bulk resistance [Ohm.cm2]': 2000 }), cyc(10)).failure.mode).toBe('overpotential');
  });
  it('inventory exhausted in Li||Cu when the counter electrode cannot supply the plating', () => {
    const r = replayCell(m, withValues(BASE_VALUES, { 'Initial Li inventory [mAh.cm-2]': 3, 'Capacity retention limit [1]': 0 }), cyc(200));
    expect(r.failure.mode).toBe('inventory');
  });
  it('right-censored when the protocol ends first', () => {
    const r = replayCell(m, carbonateFec_Gunnarsdottir2020.values, cyc(20));
    expect(r.failure).toEqual({ mode: null, cycle: 20, cycleFractional: null, censored: true });
  });
  it('stopAtFailure: false keeps replaying (fits need every cycle) but keeps the first failure', () => {
    const r = replayCell(m, withValues(BASE_VALUES, { 'Bulk resistance [Ohm.cm2]': 2000 }), cyc(10), { stopAtFailure: false });
    expect(r.cycles).toBe(10);
    expect(r.failure.cycle).toBe(1);
  });
});

describe('published checks (DOMAIN.md §9)', () => {
  /** Anode-free, constant CE: H = 0 (M = 1), μ = 0, no SEI repair, no roughness growth, j = j_ref. */
  function constantCe(ce: number): number {
    const v = withValues(BASE_VALUES, {
      'Initial Li inventory [mAh.cm-2]': 1,
      'Initial heterogeneity [1]': 0,
      'Heterogeneity self-amplification [1]': 0,
      'Dead Li composition exponent [1]': 0,
      'SEI repair base fraction [1]': 0,
      'Roughness growth [cm2.mAh-1]': 0,
      'Dead Li base fraction [1]': 1 - ce,
    });
    const p = protocol(['Plate 1 mAh cm-2 at 0.5 mA cm-2', 'Strip at 0.5 mA cm-2 to 1 V', 'Repeat 2000 times']);
    const r = replayCell(buildModel({ variant: 'M0' }), v, p, { cellType: 'anode-free', capacityReference: 'initial-charge', failureModes: ['capacity'] });
    for (let n = 0; n < Math.min(r.cycles, 50); n++) expect(r.retention[n]).toBeCloseTo(ce ** (n + 1), 12); // Q_n = Q₀ CEⁿ
    expect(r.failure.mode).toBe('capacity');
    return Math.round(r.failure.cycleFractional!);
  }
  it.each([
    [0.9, 2],
    [0.95, 4],
    [0.98, 11],
    [0.99, 22],
    [0.995, 45],
    [0.999, 223],
  ])('CE %f → %i cycles to 80 % (anode-free, no excess)', (ce, n) => {
    expect(constantCe(ce)).toBe(n);
  });
  it('calendar loss of the corrosion parameter sets: 0.1–3 % per day (Boyle 2021, Lu 2022)', () => {
    for (const s of [carbonateFec_Gunnarsdottir2020, carbonate_Gunnarsdottir2020, ether_Boyle2021, hce_Adams2018]) {
      const r = restLossFraction(buildModel({ variant: 'M0' }), s.values, 24);
      expect(r.total, s.id).toBeGreaterThan(0.001);
      expect(r.total, s.id).toBeLessThan(0.03);
    }
  });
  it('calendar loss over the k_p0 prior 2–50 nm² h⁻¹ stays within 0.1–3 %/day (irreversible part)', () => {
    for (const k of [2, 5, 10, 30, 50]) {
      const r = restLossFraction(buildModel({ variant: 'M0' }), withValues(BASE_VALUES, { 'Parabolic corrosion constant [nm2.h-1]': k }), 24);
      expect(r.irreversible, `k_p0 = ${k}`).toBeGreaterThan(0.001);
      expect(r.irreversible, `k_p0 = ${k}`).toBeLessThan(0.03);
    }
  });
  it('parabolic corrosion slows with time (Boyle: the loss rate falls), linear does not', () => {
    const m = buildModel({ variant: 'M0', passivation: 'parabolic' });
    const day1 = restLossFraction(m, ether_Boyle2021.values, 24).irreversible;
    const day7 = restLossFraction(m, ether_Boyle2021.values, 168).irreversible;
    expect(day7).toBeLessThan(7 * day1 * 0.7);
  });
});
