/** Closed-form references for the backgrounds and line shapes. */
import { describe, expect, it } from 'vitest';
import { linearBackground, shirleyBackground, tougaardBackground } from '../../../src/fit/xps/backgrounds.js';
import { parseLineShape, peakValue, shapeValue, unitArea } from '../../../src/fit/xps/lineshapes.js';

/** erf by Abramowitz–Stegun 7.1.26 is too coarse (1e-7 is fine here, but use a series for safety). */
function erf(z: number): number {
  // Maclaurin series converges for |z| < 6 with enough terms; the tails are clamped.
  if (Math.abs(z) > 6) return Math.sign(z);
  let sum = 0;
  let term = z;
  for (let n = 0; n < 200; n++) {
    sum += term / (2 * n + 1);
    term *= (-z * z) / (n + 1);
  }
  return (2 / Math.sqrt(Math.PI)) * sum;
}

describe('Shirley background', () => {
  // y = lo + G(x) + (hi − lo)·Φ(x) with G a Gaussian and Φ its normalised cumulative integral. Then
  // y − B = G exactly for B = lo + (hi − lo)·Φ, the fixed point of the Shirley map: a closed form.
  const c = 685;
  const sigma = 0.7;
  const lo = 200;
  const hi = 1200;
  const x = Array.from({ length: 301 }, (_, i) => 678 + i * 0.05);
  const exact = x.map((v) => lo + (hi - lo) * 0.5 * (1 + erf((v - c) / (sigma * Math.SQRT2))));
  const y = x.map((v, i) => exact[i]! + 5000 * Math.exp(-((v - c) ** 2) / (2 * sigma * sigma)));

  it('converges to the closed-form background of a Gaussian on its own Shirley step', () => {
    const r = shirleyBackground(x, y, { tol: 1e-9 });
    expect(r.converged).toBe(true);
    expect(r.iterations).toBeGreaterThan(2); // a real iteration, not one pass
    let maxErr = 0;
    for (let i = 0; i < x.length; i++) maxErr = Math.max(maxErr, Math.abs(r.background[i]! - exact[i]!));
    expect(maxErr / (hi - lo)).toBeLessThan(2e-3); // trapezoid vs analytic integral on a 0.05 eV grid
    expect(r.background[0]).toBeCloseTo(lo, 6);
    expect(r.background[x.length - 1]).toBeCloseTo(y[x.length - 1]!, 6);
  });

  it('one pass is not enough: the first iterate differs from the converged background', () => {
    const one = shirleyBackground(x, y, { maxIterations: 1 });
    const conv = shirleyBackground(x, y, { tol: 1e-9 });
    expect(one.converged).toBe(false);
    const d = Math.max(...one.background.map((b, i) => Math.abs(b - conv.background[i]!)));
    expect(d).toBeGreaterThan(10);
  });

  it('a flat spectrum has a flat background', () => {
    const r = shirleyBackground([1, 2, 3, 4, 5], [7, 7, 7, 7, 7]);
    expect([...r.background]).toEqual([7, 7, 7, 7, 7]);
  });
});

describe('linear and Tougaard backgrounds', () => {
  it('linear goes through the end points', () => {
    const b = linearBackground([0, 1, 2, 3], [10, 50, 40, 16]);
    expect([...b]).toEqual([10, 12, 14, 16]);
  });

  it('Tougaard (universal B, C) rises monotonically from the low-BE level and, with B fitted, meets the high-BE end', () => {
    const x = Array.from({ length: 401 }, (_, i) => 680 + i * 0.1);
    const y = x.map((v) => 100 + 8000 * Math.exp(-((v - 685) ** 2) / 0.8) + (v > 685 ? 900 * (1 - Math.exp(-(v - 685) / 8)) : 0));
    const { background, B } = tougaardBackground(x, y);
    expect(background[0]).toBeCloseTo(100, 6);
    expect(background[400]).toBeCloseTo(y[400]!, 6);
    for (let i = 1; i < 401; i++) expect(background[i]!).toBeGreaterThanOrEqual(background[i - 1]! - 1e-9);
    expect(B).toBeGreaterThan(0);
    const fixed = tougaardBackground(x, y, { B: 2866, C: 1643, fitB: false });
    expect(fixed.B).toBe(2866);
  });
});

describe('line shapes (CasaXPS conventions)', () => {
  it('GL(0) is a Gaussian with FWHM F: unit area F·√(π/(4 ln 2))', () => {
    expect(unitArea({ kind: 'GL', m: 0 })).toBeCloseTo(Math.sqrt(Math.PI / (4 * Math.LN2)), 4);
    expect(shapeValue({ kind: 'GL', m: 0 }, 0.5, 0, 1)).toBeCloseTo(0.5, 12);
  });
  it('GL(100), SGL(100) and LA(1,1) are the Lorentzian: unit area π/2 (tails beyond ±400 F excepted)', () => {
    for (const s of ['GL(100)', 'SGL(100)', 'LA(1,1)']) expect(unitArea(parseLineShape(s)) / (Math.PI / 2)).toBeCloseTo(1, 2);
  });
  it('GL(30) product differs from SGL(30) sum at the half-width point', () => {
    const gl = shapeValue(parseLineShape('GL(30)'), 0.5, 0, 1);
    const sgl = shapeValue(parseLineShape('SGL(30)'), 0.5, 0, 1);
    expect(gl).toBeCloseTo(Math.exp(-Math.LN2 * 0.7) / 1.3, 12); // exp(−4ln2·0.7·0.25)/(1 + 4·0.3·0.25)
    expect(sgl).toBeCloseTo(0.7 * 0.5 + 0.3 * 0.5, 12);
  });
  it('LA(1.3,2.5) tails to high binding energy', () => {
    const s = parseLineShape('LA(1.3,2.5)');
    expect(shapeValue(s, 1, 0, 1)).toBeGreaterThan(shapeValue(s, -1, 0, 1));
  });
  it('peakValue integrates to the requested area', () => {
    const s = parseLineShape('GL(30)');
    let sum = 0;
    for (let x = 640; x <= 730; x += 0.005) sum += peakValue(s, x, 685, 1.5, 1234) * 0.005;
    expect(sum / 1234).toBeCloseTo(1, 2);
  });
  it('bad notation is refused with the accepted forms', () => {
    expect(() => parseLineShape('Voigt(3)')).toThrow(/GL\(m\), SGL\(m\) or LA\(alpha,beta\)/);
  });
});

import { shirleyBackground as shirley2, stepWithinNoise } from '../../../src/fit/xps/backgrounds.js';
describe('Shirley on a region without an inelastic step', () => {
  it('a step inside the end-point noise gives a flat background (converged, flagged), a real step does not', () => {
    let s = 11;
    const rnd = (): number => (s = (s * 16807) % 2147483647) / 2147483647 - 0.5;
    const x = Array.from({ length: 200 }, (_, i) => 275 + i * 0.1);
    const peak = (e: number): number => 40 * Math.exp(-((e - 286.5) ** 2) / 0.72);
    const flat = x.map((e) => 50 + peak(e) + 14 * rnd());
    expect(stepWithinNoise(flat, 1)).toBe(true);
    const r = shirley2(x, flat);
    expect(r).toMatchObject({ converged: true, flat: true });
    const stepped = x.map((e, i) => 50 + (i > 110 ? 60 : 0) + peak(e) + 2 * rnd());
    expect(stepWithinNoise(stepped, 1)).toBe(false);
    expect(shirley2(x, stepped).flat).toBeUndefined();
  });
});
