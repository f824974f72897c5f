/**
 * Recovery of known Pr, Ec from synthetic tanh loops with noise, ohmic + DC leakage and an unclosed
 * start, within 2 %; plus the generic CSV reader and bad input.
 */
import { describe, expect, it } from 'vitest';
import { analyseLoop } from '../../../src/fit/ferro/loop.js';
import { fitLogDecay, polarisationRetention } from '../../../src/fit/ferro/retention.js';
import { genericPe } from '../../../parsers/ferro/generic-pe.js';
import { aixacctDat } from '../../../parsers/ferro/aixacct-dat.js';
import { ferroFitter } from '../../../src/fit/ferro/fitter.js';
import { ParseError } from '../../../src/records/errors.js';
import { findColumn, type CanonicalRecord, type ParsedRecord } from '../../../src/records/record.js';
import { mulberry32 } from '../../../src/stats/rng.js';

const Ps = 30; // µC/cm²
const Ec = 50; // kV/cm
const delta = 15;
const Emax = 200;
// Known values of the ideal loop: P_desc(0) = Ps·tanh(Ec/δ), crossing at ±Ec.
const PR = Ps * Math.tanh(Ec / delta);

function loop(
  periods: number,
  nPer: number,
  noise: number,
  g: number,
  j0: number,
  seed: number,
  offset = 0,
): { t: Float64Array; E: Float64Array; P: Float64Array } {
  const n = periods * nPer + 1;
  const T = 0.01;
  const rnd = mulberry32(seed);
  const gauss = (): number => Math.sqrt(-2 * Math.log(Math.max(rnd(), 1e-12))) * Math.cos(2 * Math.PI * rnd());
  const t = new Float64Array(n);
  const E = new Float64Array(n);
  const P = new Float64Array(n);
  let q = 0;
  for (let i = 0; i < n; i++) {
    const ph = (i % nPer) / nPer;
    t[i] = (i / nPer) * T;
    // Triangle 0 → +Emax → −Emax → 0.
    const e = ph < 0.25 ? 4 * ph * Emax : ph < 0.75 ? (2 - 4 * ph) * Emax : (4 * ph - 4) * Emax;
    E[i] = e;
    const rising = ph < 0.25 || ph >= 0.75;
    const pf = Ps * Math.tanh((e + (rising ? -Ec : Ec)) / delta);
    if (i > 0) q += 0.5 * (g * (e + E[i - 1]!) + 2 * j0) * (t[i]! - t[i - 1]!);
    P[i] = pf + q + noise * gauss() + offset;
  }
  return { t, E, P };
}

describe('P–E loop analysis recovers known Pr and Ec', () => {
  const cases = [
    { label: 'clean, one period', periods: 1, noise: 0, g: 0, j0: 0 },
    { label: 'noise σ = 0.3 µC/cm²', periods: 1, noise: 0.3, g: 0, j0: 0 },
    { label: 'DC leakage (unclosed loop)', periods: 1, noise: 0.1, g: 0, j0: 300 },
    { label: 'ohmic + DC leakage, noise, two periods', periods: 2, noise: 0.2, g: 20, j0: 150 },
  ];
  for (const c of cases) {
    it(c.label, () => {
      const { t, E, P } = loop(c.periods, 2000, c.noise, c.g, c.j0, 42);
      const r = analyseLoop(E, P, t, { leakage: c.g ? 'ohmic' : 'none' });
      const pr = (r.prPlus.value - r.prMinus.value) / 2;
      const ec = (r.ecPlus.value - r.ecMinus.value) / 2;
      expect(Math.abs(pr / PR - 1)).toBeLessThan(0.02);
      expect(Math.abs(ec / Ec - 1)).toBeLessThan(0.02);
      expect(Math.abs((r.ecPlus.value + r.ecMinus.value) / 2)).toBeLessThan(0.02 * Ec); // no imprint
      expect(Math.abs((r.pmaxPlus - r.pmaxMinus) / 2 / (Ps * Math.tanh((Emax - Ec) / delta)) - 1)).toBeLessThan(0.02);
    });
  }

  it('an integration offset shifts Pr± but not Pr = (Pr+ − Pr−)/2', () => {
    const { t, E, P } = loop(1, 2000, 0, 0, 0, 1, -5);
    const r = analyseLoop(E, P, t);
    expect(Math.abs((r.prPlus.value - r.prMinus.value) / 2 / PR - 1)).toBeLessThan(0.005);
    expect(r.prPlus.value).toBeCloseTo(PR - 5, 1);
  });

  it('without compensation, ohmic leakage biases Pr (the correction matters)', () => {
    const { t, E, P } = loop(1, 2000, 0, 40, 0, 1);
    const raw = analyseLoop(E, P, t, { leakage: 'none' });
    const fixed = analyseLoop(E, P, t, { leakage: 'ohmic' });
    const pr = (x: typeof raw): number => (x.prPlus.value - x.prMinus.value) / 2;
    expect(Math.abs(pr(raw) / PR - 1)).toBeGreaterThan(0.05);
    expect(Math.abs(pr(fixed) / PR - 1)).toBeLessThan(0.02);
  });

  it('imprint is recovered when the loop is shifted', () => {
    const { t, E, P } = loop(1, 2000, 0, 0, 0, 1);
    const shifted = analyseLoop(
      Float64Array.from(E, (e) => e + 10),
      P,
      t,
    );
    expect((shifted.ecPlus.value + shifted.ecMinus.value) / 2).toBeCloseTo(10, 1);
  });

  it('retention ratio and log-decay fit', () => {
    expect(polarisationRetention(8, 10, 0.1, 0.1).value).toBe(0.8);
    const ts = [1, 10, 100, 1000, 1e4];
    const f = fitLogDecay(
      ts,
      ts.map((x) => 20 - 1.5 * Math.log10(x)),
    );
    expect(f.perDecade).toBeCloseTo(1.5, 10);
    expect(f.p1).toBeCloseTo(20, 10);
    expect(f.r2).toBeCloseTo(1, 10);
  });
});

const enc = (s: string): Uint8Array => new TextEncoder().encode(s);
const canon = (r: ParsedRecord): CanonicalRecord => ({
  ...r,
  format: 'x',
  provenance: { path: 'x', size: 0, sha256: '', parser: 'x', parserVersion: '0', recordIndex: 0 },
});

describe('generic P–E CSV', () => {
  it('E in MV/cm and P in C/m2 are converted; fitter runs', () => {
    const { E, P } = loop(1, 400, 0, 0, 0, 3);
    const rows = ['E (MV/cm),P (C/m2)', ...Array.from(E, (e, i) => `${e / 1000},${P[i]! / 100}`)];
    const [r] = genericPe.parse({ path: 'g.csv', bytes: enc(rows.join('\n')) }) as ParsedRecord[];
    expect(findColumn(r!, 'Electric Field')!.values[100]).toBeCloseTo(E[100]!, 9);
    expect(findColumn(r!, 'Polarization')!.values[100]).toBeCloseTo(P[100]!, 9);
    const out = ferroFitter.fit(canon(r!), {});
    expect(Math.abs(out.parameters.find((q) => q.name === 'Pr')!.value / PR - 1)).toBeLessThan(0.02);
  });

  it('V and Q: field needs thickness, polarisation needs area (warnings, raw kept)', () => {
    const text = 'V;Q (nC)\n0;0\n1;2\n0;1\n-1;-2\n0;0\n';
    const [r] = genericPe.parse({ path: 'vq.txt', bytes: enc(text) }) as ParsedRecord[];
    expect(r!.warnings.map((w) => w.code)).toEqual(expect.arrayContaining(['field-needs-thickness', 'polarization-needs-area']));
    expect(findColumn(r!, 'Charge')!.values[1]).toBeCloseTo(2e-9, 18);
    const [r2] = genericPe.parse({ path: 'vq.txt', bytes: enc(text), options: { thicknessNm: 100, areaMm2: 0.1 } }) as ParsedRecord[];
    expect(findColumn(r2!, 'Electric Field')!.values[1]).toBeCloseTo(100, 9); // 1 V / 100 nm = 100 kV/cm
    expect(findColumn(r2!, 'Polarization')!.values[1]).toBeCloseTo((2e-9 * 1e6) / 1e-3, 9); // 2 µC/cm²
  });

  it('bad input: unknown unit and ragged aixACCT rows are ParseErrors with a line', () => {
    try {
      genericPe.parse({ path: 'u.csv', bytes: enc('E (furlongs),P (uC/cm2)\n1,2\n') });
      throw new Error('no error');
    } catch (e) {
      expect(e).toBeInstanceOf(ParseError);
      expect((e as ParseError).message).toContain("u.csv:1: unit 'furlongs'");
    }
    const dat = 'DynamicHysteresis\nTfaModule: DHM\n\nTable 1\nThickness [nm]: 10\nTime [s]\tV+ [V]\tP1 [uC/cm2]\t\n0\t0\t1\t\n1\t2\n';
    try {
      aixacctDat.parse({ path: 'r.dat', bytes: enc(dat) });
      throw new Error('no error');
    } catch (e) {
      expect((e as ParseError).code).toBe('ragged-row');
      expect((e as ParseError).line).toBe(8);
    }
  });
});
