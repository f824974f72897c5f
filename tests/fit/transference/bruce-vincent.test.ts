/**
 * Bruce–Vincent t₊ (MECHANISMS.md §4): the formula against a hand computation, the propagated error
 * against finite differences, the reading rules of I₀ / I_ss / ΔV, and recovery of a planted t₊ from
 * the hand-made CA files (tests/fixtures/transference) with their planted R₀ / R_ss.
 */
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { BV_MAX_DELTA_V, bruceVincent, caCurrents } from '../../../src/fit/transference/bruce-vincent.js';
import { readPolarisation, transferenceFitter } from '../../../src/fit/transference/index.js';
import { parseMpt } from '../../../parsers/biologic/mpt.js';
import { parseGamryChronoa } from '../../../parsers/eis/gamry-chronoa.js';
import { polarisationCurve, steadyCurrentFor } from '../../../fixtures/virtual-lab/writers/chronoamperometry.js';
import type { CanonicalRecord, ParsedRecord } from '../../../src/records/record.js';

const DIR = join(__dirname, '../../fixtures/transference');
const canon = (r: ParsedRecord): CanonicalRecord => ({
  ...r,
  format: 'test',
  provenance: { path: 'x', size: 0, sha256: '', parser: 'test', parserVersion: '0', recordIndex: 0 },
});

describe('bruceVincent: the formula', () => {
  it('matches a hand computation: ΔV 10 mV, I₀ 100 µA, I_ss 60 µA, R₀ 40 Ω, R_ss 50 Ω', () => {
    // t₊ = 60e-6·(0.010 − 100e-6·40) / (100e-6·(0.010 − 60e-6·50)) = 60e-6·0.006 / (100e-6·0.007) = 3.6e-7 / 7e-7
    const r = bruceVincent({ deltaV: 0.01, i0: 1e-4, iss: 6e-5, r0: 40, rss: 50 });
    expect(r.t).toBeCloseTo(3.6e-7 / 7e-7, 14);
    expect(r.t).toBeCloseTo(0.5142857142857143, 14);
    expect(r.stderr).toBe(0);
  });
  it('without interfacial resistance it is I_ss/I₀', () => {
    expect(bruceVincent({ deltaV: 0.005, i0: 2e-4, iss: 5e-5, r0: 0, rss: 0 }).t).toBeCloseTo(0.25, 15);
  });
  it('the propagated 1σ equals the finite-difference propagation', () => {
    const x = { deltaV: 0.01, i0: 9e-5, iss: 6.5e-5, r0: 100, rss: 120 };
    const sd = { deltaV: 2e-5, i0: 1e-6, iss: 2e-7, r0: 3, rss: 4 };
    const r = bruceVincent({ ...x, sd });
    let v = 0;
    for (const k of Object.keys(x) as (keyof typeof x)[]) {
      const h = x[k] * 1e-6;
      const d = (bruceVincent({ ...x, [k]: x[k] + h }).t - bruceVincent({ ...x, [k]: x[k] - h }).t) / (2 * h);
      expect(Math.abs(r.partials[k] - d)).toBeLessThan(1e-6 * Math.abs(d));
      v += (d * sd[k]) ** 2;
    }
    expect(Math.abs(r.stderr - Math.sqrt(v))).toBeLessThan(1e-6 * r.stderr);
    expect(r.ci95[0]).toBeCloseTo(r.t - 1.96 * r.stderr, 12);
  });
  it('refuses what the formula cannot take: I₀R₀ ≥ ΔV, I_ss·R_ss ≥ ΔV, non-positive currents', () => {
    expect(() => bruceVincent({ deltaV: 0.01, i0: 1e-4, iss: 5e-5, r0: 100, rss: 10 })).toThrow(/ΔV − I₀R₀/);
    expect(() => bruceVincent({ deltaV: 0.01, i0: 1e-4, iss: 5e-5, r0: 10, rss: 250 })).toThrow(/I_ss·R_ss/);
    expect(() => bruceVincent({ deltaV: 0.01, i0: 0, iss: 5e-5, r0: 10, rss: 10 })).toThrow(/positive/);
    expect(() => bruceVincent({ deltaV: 0.01, i0: NaN, iss: 5e-5, r0: 10, rss: 10 })).toThrow(/finite/);
  });
});

describe('caCurrents: I₀, I_ss and ΔV from a transient', () => {
  const spec = { deltaV: 0.01, rBulk: 10, r0: 100, rss: 120, tPlus: 0.4, restS: 60, stepS: 3600, sampleS: 10, tauS: 200 };
  const c = polarisationCurve(spec);
  it('I₀ = the first point after the step start, I_ss = mean of the last 10 %, steady', () => {
    const r = caCurrents(c.time, c.voltage, c.current, { potentialV: 0.01, reference: 'open-circuit', startS: 60, endS: 3660 });
    expect(r.i0).toBe(c.current[6]);
    expect(r.i0TimeS).toBe(70);
    expect(r.i0Stderr).toBeCloseTo(Math.abs(c.current[6]! - c.current[7]!) / 2, 18);
    const win = Array.from(c.current).filter((_, k) => c.time[k]! >= 3660 - 360);
    expect(r.iss).toBeCloseTo(win.reduce((s, x) => s + x, 0) / win.length, 18);
    expect(r.issPoints).toBe(win.length);
    expect(r.steady).toBe(true);
    expect(r.deltaV).toBe(0.01);
    expect(r.deltaVSource).toMatch(/settings/);
    expect(r.flags).toEqual([]);
  });
  it('recovers the planted t₊ with the planted R₀ / R_ss', () => {
    const r = caCurrents(c.time, c.voltage, c.current, { potentialV: 0.01, reference: 'open-circuit', startS: 60, endS: 3660 });
    const bv = bruceVincent({ deltaV: r.deltaV, i0: r.i0, iss: r.iss, r0: 100, rss: 120 });
    expect(bv.t).toBeCloseTo(0.4, 6);
    expect(Math.abs(steadyCurrentFor(0.4, 0.01, c.i0, 100, 120) - r.iss) / r.iss).toBeLessThan(1e-6);
  });
  it('a step cut short is flagged not steady', () => {
    const n = 6 + 15; // 150 s of a τ = 200 s decay
    const r = caCurrents(c.time.subarray(0, n), c.voltage.subarray(0, n), c.current.subarray(0, n), {
      potentialV: 0.01,
      reference: 'open-circuit',
      startS: 60,
    });
    expect(r.steady).toBe(false);
    expect(r.flags).toContain('not-steady');
  });
  it('ΔV from the data when the file states no step (rest rows before it: their median is the open circuit)', () => {
    const v = Float64Array.from(c.voltage, (x) => x + 0.002); // a 2 mV offset in the cell voltage
    const r = caCurrents(c.time, v, c.current, undefined);
    // whole record: I₀ is the first row (the rest's 0 A would be wrong): selecting by Ns or span is what files give
    expect(r.flags).toContain('delta-v-from-data');
    const byNs = caCurrents(
      c.time,
      v,
      c.current,
      { potentialV: 0.01, reference: 'reference', ns: 1 },
      { stepIndex: Float64Array.from(c.time, (t) => (t > 60 ? 1 : 0)) },
    );
    expect(byNs.deltaV).toBeCloseTo(0.01, 12); // (0.012 − 0.002): vs. reference without a stated open circuit → from the data
    expect(byNs.i0).toBe(c.current[6]);
  });
  it('vs. reference with a stated open circuit: ΔV = |E_step − E_oc|; above 10 mV is flagged', () => {
    const r = caCurrents(c.time, c.voltage, c.current, { potentialV: 0.035, reference: 'reference', startS: 60 }, { openCircuitV: 0.02 });
    expect(r.deltaV).toBeCloseTo(0.015, 15);
    expect(r.flags).toContain('delta-v-above-10mV');
    expect(BV_MAX_DELTA_V).toBe(0.01);
  });
  it('too few points in the step is an error', () => {
    expect(() =>
      caCurrents(c.time.subarray(0, 9), c.voltage.subarray(0, 9), c.current.subarray(0, 9), { potentialV: 0.01, reference: 'open-circuit', startS: 60 }),
    ).toThrow(/usable point/);
  });
});

describe('the chronoamperometry fitter on the hand-made files', () => {
  it('EC-Lab CA (.mpt): step Ns 1, ΔV 10 mV from the settings, planted t₊ 0.4 recovered with R₀ 100 Ω / R_ss 120 Ω', () => {
    const rec = canon(parseMpt('eclab-ca-lili.mpt', new Uint8Array(readFileSync(join(DIR, 'eclab-ca-lili.mpt'))))[0]!);
    const p = readPolarisation(rec);
    expect(p.deltaV).toBe(0.01);
    expect(p.i0).toBeCloseTo(0.01 / 110, 12);
    expect(bruceVincent({ deltaV: p.deltaV, i0: p.i0, iss: p.iss, r0: 100, rss: 120 }).t).toBeCloseTo(0.4, 6);
    const out = transferenceFitter.fit(rec, {});
    expect(out.quality.ok).toBe(true);
    expect(out.parameters.map((x) => x.name)).toEqual(['ca_initial_current', 'ca_steady_state_current', 'ca_delta_v', 'ca_current_ratio']);
    expect(out.quality.metrics).toMatchObject({ stepStartS: 70, stepEndS: 3660, steady: 1 });
  });
  it('Gamry CHRONOA: step span from TPRESTEP/TSTEP1, ΔV 5 mV, planted t₊ 0.35 recovered within 5e-5 with R₀ 60 Ω / R_ss 75 Ω (the last 10 % still holds e^-11 of the decay)', () => {
    const rec = canon(parseGamryChronoa({ path: 'g.DTA', bytes: new Uint8Array(readFileSync(join(DIR, 'gamry-chronoa-lili.DTA'))) })[0]!);
    const p = readPolarisation(rec);
    expect(p.deltaV).toBe(0.005);
    expect(p.stepStartS).toBe(10);
    expect(p.i0).toBeCloseTo(0.005 / 68, 12);
    expect(Math.abs(bruceVincent({ deltaV: p.deltaV, i0: p.i0, iss: p.iss, r0: 60, rss: 75 }).t - 0.35)).toBeLessThan(5e-5);
  });
  it('a record it cannot read gives a failed fit saying why, never a number', () => {
    const rec = canon({
      kind: 'chronoamperometry',
      meta: {},
      warnings: [],
      columns: [
        { name: 'Test Time', unit: 's', values: Float64Array.from([0, 1]) },
        { name: 'Voltage', unit: 'V', values: Float64Array.from([0.01, 0.01]) },
        { name: 'Current', unit: 'A', values: Float64Array.from([1e-4, 9e-5]) },
      ],
    });
    const out = transferenceFitter.fit(rec, {});
    expect(out.quality.ok).toBe(false);
    expect(out.parameters).toEqual([]);
    expect(out.quality.messages[0]).toMatch(/at least 5/);
  });
});
