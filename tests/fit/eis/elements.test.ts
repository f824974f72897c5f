/**
 * Element impedances against values computed by hand (ω = 2πf) at 0.001, 1 and 1000 Hz, like
 * impedance.py's test_each_element; and the analytic Jacobian against central differences.
 */
import { describe, expect, it } from 'vitest';
import { parseCircuit } from '../../../src/fit/eis/circuit.js';
import { ELEMENTS, type ElementSymbol } from '../../../src/fit/eis/elements.js';
import { simulate, simulateWithJacobian } from '../../../src/fit/eis/evaluate.js';

const F = [0.001, 1, 1000];
const w = (f: number): number => 2 * Math.PI * f;

// hand formulas, written out with real arithmetic only
function cothOverU(x: number, r: number): [number, number] {
  // u = sqrt(jx) = sqrt(x/2)(1 + j); coth(u)/u and tanh(u)/u via sinh/cosh of a+ja
  const a = Math.sqrt(x / 2);
  const d = Math.cosh(2 * a) - Math.cos(2 * a); // coth(a+ja) = (sinh 2a − j sin 2a)/(cosh 2a − cos 2a)
  const cr = Math.sinh(2 * a) / d;
  const ci = -Math.sin(2 * a) / d;
  // divide by u = a + ja
  const den = 2 * a * a;
  return [(r * (cr * a + ci * a)) / den, (r * (ci * a - cr * a)) / den];
}
function tanhOverU(x: number, r: number): [number, number] {
  const a = Math.sqrt(x / 2);
  const d = Math.cosh(2 * a) + Math.cos(2 * a);
  const tr = Math.sinh(2 * a) / d;
  const ti = Math.sin(2 * a) / d;
  const den = 2 * a * a;
  return [(r * (tr * a + ti * a)) / den, (r * (ti * a - tr * a)) / den];
}

const table: [ElementSymbol, number[], (f: number) => [number, number]][] = [
  ['R', [10], () => [10, 0]],
  ['C', [1e-6], (f) => [0, -1 / (w(f) * 1e-6)]],
  ['L', [1e-3], (f) => [0, w(f) * 1e-3]],
  ['CPE', [1e-4, 0.8], (f) => [Math.cos(0.4 * Math.PI) / (1e-4 * w(f) ** 0.8), -Math.sin(0.4 * Math.PI) / (1e-4 * w(f) ** 0.8)]],
  ['W', [5], (f) => [5 / Math.sqrt(w(f)), -5 / Math.sqrt(w(f))]],
  ['Wo', [20, 2], (f) => cothOverU(w(f) * 2, 20)],
  ['Ws', [20, 2], (f) => tanhOverU(w(f) * 2, 20)],
];

describe('element table', () => {
  it.each(table)('%s matches the hand-computed impedance at 0.001, 1, 1000 Hz', (sym, p, expected) => {
    for (const f of F) {
      const z = ELEMENTS[sym].impedance(p, w(f));
      const [er, ei] = expected(f);
      const scale = Math.hypot(er, ei);
      expect(Math.abs(z.re - er)).toBeLessThan(1e-12 * scale + 1e-300);
      expect(Math.abs(z.im - ei)).toBeLessThan(1e-12 * scale + 1e-300);
    }
  });

  it('spot values: CPE(Q=1e-4, α=0.8) at 1 Hz and Wo(20 Ω, 2 s) at 0.001 Hz', () => {
    const cpe = ELEMENTS.CPE.impedance([1e-4, 0.8], w(1));
    expect(cpe.re).toBeCloseTo(710.2945, 3); // cos(72°)/(1e-4 · (2π)^0.8), numpy: 710.2945287-2186.0617776j
    expect(cpe.im).toBeCloseTo(-2186.0618, 3);
    // low-frequency limit of Wo: R/3 − jR/(ωτ)
    const wo = ELEMENTS.Wo.impedance([20, 2], w(0.001));
    expect(wo.re).toBeCloseTo(20 / 3, 2);
    expect(wo.im).toBeCloseTo(-20 / (w(0.001) * 2), -1);
  });

  it('every element declares units, bounds and a formula', () => {
    for (const spec of Object.values(ELEMENTS)) {
      expect(spec.formula).toMatch(/Z =/);
      for (const p of spec.params) {
        expect(p.unit.length).toBeGreaterThan(0);
        expect(p.lower).toBeLessThan(p.upper);
      }
    }
  });
});

describe('analytic Jacobian', () => {
  it.each([
    ['R0-p(R1,CPE1)-p(R2,CPE2)', [5, 40, 2e-6, 0.85, 120, 5e-4, 0.9]],
    ['L0-R0-p(R1-Wo1,C1)-p(R2,Ws2,C2)-W3', [1e-6, 3, 30, 50, 2, 1e-5, 20, 40, 0.5, 1e-3, 7]],
  ])('%s agrees with central differences', (src, p) => {
    const c = parseCircuit(src);
    const f = [1e5, 1e3, 10, 0.1, 0.001];
    const j = simulateWithJacobian(c, p, f);
    const m = p.length;
    for (let k = 0; k < m; k++) {
      const h = 1e-6 * p[k]!;
      const up = p.slice();
      const dn = p.slice();
      up[k] = up[k]! + h;
      dn[k] = dn[k]! - h;
      const zu = simulate(c, up, f);
      const zd = simulate(c, dn, f);
      for (let i = 0; i < f.length; i++) {
        const nr = (zu.re[i]! - zd.re[i]!) / (2 * h);
        const ni = (zu.im[i]! - zd.im[i]!) / (2 * h);
        // tolerance: 1e-5 of the derivative, plus 1e-8 of its natural scale |Z|/|p| (where the
        // derivative is tiny, central differences lose digits to cancellation)
        const tol = 1e-5 * Math.hypot(nr, ni) + (1e-8 * Math.hypot(j.re[i]!, j.im[i]!)) / Math.abs(p[k]!);
        expect(Math.abs(j.dRe[i * m + k]! - nr)).toBeLessThan(tol);
        expect(Math.abs(j.dIm[i * m + k]! - ni)).toBeLessThan(tol);
      }
    }
  });
});
