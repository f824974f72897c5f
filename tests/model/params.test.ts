/** Parameter sets: one test per source file, each checking its own anchors (PyBaMM test_parameter_sets). */
import { describe, expect, it } from 'vitest';
import {
  BASE_VALUES,
  PARAMETER_SETS,
  carbonateFec_Gunnarsdottir2020,
  carbonate_Gunnarsdottir2020,
  ether_Boyle2021,
  dense_Lu2022,
  porous_Lu2022,
  hce_Adams2018,
  resolveParameters,
  withValues,
  parameterSetById,
} from '../../src/model/params/index.js';
import { buildModel } from '../../src/model/index.js';
import { restLossFraction, replayCell } from '../../src/model/solve/index.js';
import { protocol } from '../../src/model/protocol/index.js';

const cycling = protocol(['Plate at 0.5 mA cm-2 for 2 hours', 'Strip at 0.5 mA cm-2 to 1 V', 'Repeat 20 times']);

describe('every set', () => {
  it.each(PARAMETER_SETS.map((s) => [s.id, s] as const))('%s: complete, valid, cited, units in every name', (_id, s) => {
    expect(Object.keys(s.values).sort()).toEqual(Object.keys(BASE_VALUES).sort());
    expect(() => resolveParameters(s.values)).not.toThrow();
    expect(s.citations.length).toBeGreaterThan(0);
    for (const c of s.citations) expect(c.doi).toMatch(/^(10\.|arXiv:)/);
    for (const k of Object.keys(s.values)) expect(k).toMatch(/ \[[^\]]+\]$/);
  });
  it('looks up by id and suggests the closest name for a typo', () => {
    expect(parameterSetById('boyle2021_ether')).toBe(ether_Boyle2021);
    expect(() => parameterSetById('Chen2020')).toThrow(/available: Gunnarsdottir2020_carbonate_FEC/);
    expect(() => withValues(BASE_VALUES, { 'Dead Li base fraction': 0.1 })).toThrow(/did you mean 'Dead Li base fraction \[1\]'/);
    expect(() => resolveParameters({ ...BASE_VALUES, 'Initial inorganic fraction [1]': 1.5 })).toThrow(/is a fraction in \[0, 1\], found 1.5/);
  });
});

describe('Gunnarsdottir2020 (carbonate ± FEC)', () => {
  it('puts the cycle-1 dead-Li share on the NMR values 3.3 % and 9.4 %', () => {
    const m = buildModel({ variant: 'M0' });
    expect(replayCell(m, carbonateFec_Gunnarsdottir2020.values, cycling).phiDead[0]).toBeCloseTo(0.033, 6);
    expect(replayCell(m, carbonate_Gunnarsdottir2020.values, cycling).phiDead[0]).toBeCloseTo(0.094, 6);
  });
  it('gives carbonate-range CE: 95–97 % with FEC, 85–93 % without (DOMAIN.md §2.3)', () => {
    const m = buildModel({ variant: 'M0' });
    const a = replayCell(m, carbonateFec_Gunnarsdottir2020.values, cycling).ce[0]!;
    const b = replayCell(m, carbonate_Gunnarsdottir2020.values, cycling).ce[0]!;
    expect(a).toBeGreaterThan(0.95);
    expect(a).toBeLessThan(0.97);
    expect(b).toBeGreaterThan(0.85);
    expect(b).toBeLessThan(0.93);
  });
});

describe('Boyle2021', () => {
  it('loses 2–3 % of a 1 mAh cm⁻² deposit in 24 h (corroded + stranded)', () => {
    const r = restLossFraction(buildModel({ variant: 'M0', passivation: 'parabolic' }), ether_Boyle2021.values, 24);
    expect(r.total).toBeGreaterThan(0.02);
    expect(r.total).toBeLessThan(0.03);
  });
});

describe('Lu2022', () => {
  it('reproduces 0.08 %/day (dense) and 1.71 %/day (porous) as irreversible corrosion, linear law', () => {
    const m = buildModel({ variant: 'M0', passivation: 'linear' });
    expect(restLossFraction(m, dense_Lu2022.values, 24).irreversible).toBeCloseTo(0.0008, 8);
    expect(restLossFraction(m, porous_Lu2022.values, 24).irreversible).toBeCloseTo(0.0171, 8);
    // linear: a week costs seven days
    expect(restLossFraction(m, porous_Lu2022.values, 168).irreversible).toBeCloseTo(7 * 0.0171, 8);
  });
});

describe('Adams2018', () => {
  it('gives CE ≈ 99.5 % (HCE ether)', () => {
    const ce = replayCell(buildModel({ variant: 'M0' }), hce_Adams2018.values, cycling).ce[0]!;
    expect(Math.abs(ce - 0.995)).toBeLessThan(0.002);
  });
});
