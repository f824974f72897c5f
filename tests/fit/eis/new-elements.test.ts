/**
 * The elements added for issue #17 (ZARC/RQ, Gerischer, Bisquert transmission lines, lead L+R):
 * impedances against closed forms written out here with real arithmetic only, evaluated at
 * 0.001, 1 and 1000 Hz (1e-10 relative); analytic Jacobian against central differences; grammar;
 * and CNLS recovering planted parameters of a circuit using each element from noisy synthetic data.
 */
import { describe, expect, it } from 'vitest';
import { parseCircuit, resolveParameterName } from '../../../src/fit/eis/circuit.js';
import { ELEMENTS, type ElementSymbol } from '../../../src/fit/eis/elements.js';
import { simulate, simulateWithJacobian } from '../../../src/fit/eis/evaluate.js';
import { fitCircuit } from '../../../src/fit/eis/fit-circuit.js';
import { checkSpectrum } from '../../../src/fit/eis/spectrum.js';
import { CircuitSyntaxError } from '../../../src/fit/eis/errors.js';
import { logFrequencies, synthetic } from './synthetic.js';

const F = [0.001, 1, 1000];
const w = (f: number): number => 2 * Math.PI * f;

/** ZARC: R/(1 + (ωτ)^α (cos απ/2 + j sin απ/2)) = R (a − jb)/(a² + b²). */
function zarc(f: number, r: number, tau: number, alpha: number): [number, number] {
  const m = (w(f) * tau) ** alpha;
  const a = 1 + m * Math.cos((alpha * Math.PI) / 2);
  const b = m * Math.sin((alpha * Math.PI) / 2);
  const d = a * a + b * b;
  return [(r * a) / d, (-r * b) / d];
}

/** Gerischer: 1 + jx = ρ e^{jθ}, ρ = √(1 + x²), θ = atan x; Z = R ρ^(−½) (cos θ/2 − j sin θ/2). */
function gerischer(f: number, r: number, tau: number): [number, number] {
  const x = w(f) * tau;
  const rho = Math.sqrt(1 + x * x);
  const th = Math.atan(x);
  const k = r / Math.sqrt(rho);
  return [k * Math.cos(th / 2), -k * Math.sin(th / 2)];
}

/**
 * Transmission lines: s = √(R Q ω^α) e^{jαπ/4} = p + jq;
 *   tanh(p + jq) = (sinh 2p + j sin 2q)/(cosh 2p + cos 2q), coth(p + jq) = (sinh 2p − j sin 2q)/(cosh 2p − cos 2q);
 *   Z = R (A + jB)/(p + jq) = R ((Ap + Bq) + j(Bp − Aq))/(p² + q²).
 */
function tlm(f: number, r: number, q: number, alpha: number, closed: boolean): [number, number] {
  const M = Math.sqrt(r * q * w(f) ** alpha);
  const p = M * Math.cos((alpha * Math.PI) / 4);
  const qq = M * Math.sin((alpha * Math.PI) / 4);
  const den = closed ? Math.cosh(2 * p) - Math.cos(2 * qq) : Math.cosh(2 * p) + Math.cos(2 * qq);
  const A = Math.sinh(2 * p) / den;
  const B = (closed ? -Math.sin(2 * qq) : Math.sin(2 * qq)) / den;
  const n = p * p + qq * qq;
  return [(r * (A * p + B * qq)) / n, (r * (B * p - A * qq)) / n];
}

const table: [ElementSymbol, number[], (f: number) => [number, number]][] = [
  ['ZARC', [40, 2e-3, 0.85], (f) => zarc(f, 40, 2e-3, 0.85)],
  ['RQ', [12, 0.3, 0.7], (f) => zarc(f, 12, 0.3, 0.7)],
  ['G', [25, 0.05], (f) => gerischer(f, 25, 0.05)],
  ['TLMo', [60, 1e-4, 0.9], (f) => tlm(f, 60, 1e-4, 0.9, false)],
  ['TLMc', [60, 1e-4, 0.9], (f) => tlm(f, 60, 1e-4, 0.9, true)],
  ['TLMo', [8, 2e-2, 0.75], (f) => tlm(f, 8, 2e-2, 0.75, false)],
  ['TLMc', [8, 2e-2, 1], (f) => tlm(f, 8, 2e-2, 1, true)],
  ['LR', [2e-7, 0.35], (f) => [0.35, w(f) * 2e-7]],
];

describe('new circuit elements against hand-derived closed forms', () => {
  it.each(table)('%s %j matches at 0.001, 1, 1000 Hz to 1e-10 relative', (sym, p, expected) => {
    for (const f of F) {
      const z = ELEMENTS[sym].impedance(p, w(f));
      const [er, ei] = expected(f);
      const scale = Math.hypot(er, ei);
      expect(Math.abs(z.re - er), `${sym} Re at ${f} Hz`).toBeLessThanOrEqual(1e-10 * scale);
      expect(Math.abs(z.im - ei), `${sym} Im at ${f} Hz`).toBeLessThanOrEqual(1e-10 * scale);
    }
  });

  it('limits: ZARC α=1 is p(R,C) with C = τ/R; TLMc α=1 is Wo(R, RQ); TLMo α=1 is Ws(R, RQ); RQ ≡ ZARC', () => {
    for (const f of [1e-3, 0.37, 12, 4e4]) {
      const a = ELEMENTS.ZARC.impedance([40, 2e-3, 1], w(f));
      const b = simulate(parseCircuit('p(R1,C1)'), [40, 2e-3 / 40], [f]);
      expect(Math.abs(a.re - b.re[0]!)).toBeLessThan(1e-12 * Math.hypot(a.re, a.im));
      expect(Math.abs(a.im - b.im[0]!)).toBeLessThan(1e-12 * Math.hypot(a.re, a.im));
      for (const [t, wsym] of [
        ['TLMc', 'Wo'],
        ['TLMo', 'Ws'],
      ] as const) {
        const z = ELEMENTS[t].impedance([30, 4e-3, 1], w(f));
        const y = ELEMENTS[wsym].impedance([30, 30 * 4e-3], w(f));
        expect(Math.abs(z.re - y.re)).toBeLessThan(1e-10 * Math.hypot(y.re, y.im));
        expect(Math.abs(z.im - y.im)).toBeLessThan(1e-10 * Math.hypot(y.re, y.im));
      }
      const r = ELEMENTS.RQ.impedance([12, 0.3, 0.7], w(f));
      const zz = ELEMENTS.ZARC.impedance([12, 0.3, 0.7], w(f));
      expect([r.re, r.im]).toEqual([zz.re, zz.im]);
    }
    // low-frequency limits: TLMo → R_ion, TLMc → R_ion/3 (+ the blocking CPE in Im)
    expect(ELEMENTS.TLMo.impedance([60, 1e-4, 0.9], w(1e-6)).re).toBeCloseTo(60, 3);
    expect(ELEMENTS.TLMc.impedance([60, 1e-4, 1], w(1e-6)).re).toBeCloseTo(20, 3);
  });

  it('grammar: new symbols parse with their parameter names and units; positional names resolve', () => {
    const c = parseCircuit('LR0-ZARC1-RQ2-G3-TLMo4-p(R5,TLMc5)');
    expect(c.parameters.map((p) => `${p.name}/${p.unit}`)).toEqual([
      'LR0_L/H',
      'LR0_R/ohm',
      'ZARC1_R/ohm',
      'ZARC1_tau/s',
      'ZARC1_alpha/1',
      'RQ2_R/ohm',
      'RQ2_tau/s',
      'RQ2_alpha/1',
      'G3_R/ohm',
      'G3_tau/s',
      'TLMo4_Rion/ohm',
      'TLMo4_Q/F*s^(a-1)',
      'TLMo4_alpha/1',
      'R5/ohm',
      'TLMc5_Rion/ohm',
      'TLMc5_Q/F*s^(a-1)',
      'TLMc5_alpha/1',
    ]);
    const d = parseCircuit('R0-p(R1,CPE1)-Wo1');
    expect(resolveParameterName(d, 'CPE1_0')).toBe('CPE1_Q');
    expect(resolveParameterName(d, 'CPE1_1')).toBe('CPE1_alpha');
    expect(resolveParameterName(d, 'Wo1_1')).toBe('Wo1_tau');
    expect(resolveParameterName(d, 'R1')).toBe('R1');
    expect(resolveParameterName(d, 'R1_0')).toBe('R1');
    expect(resolveParameterName(d, 'CPE1_2')).toBeUndefined();
    expect(resolveParameterName(d, 'R7')).toBeUndefined();
    // a misspelt symbol points at its first character
    try {
      parseCircuit('R0-TLM1');
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(CircuitSyntaxError);
      expect((e as CircuitSyntaxError).index).toBe(3);
      expect((e as Error).message).toMatch(/unknown element 'TLM'.*TLMo/);
    }
  });

  it('analytic Jacobian agrees with central differences', () => {
    const src = 'LR0-ZARC1-RQ2-G3-TLMo4-p(R5,TLMc5)';
    const p = [2e-7, 0.4, 40, 2e-5, 0.85, 20, 0.3, 0.7, 25, 0.05, 60, 1e-4, 0.9, 300, 10, 5e-3, 0.8];
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
        const tol = 1e-5 * Math.hypot(nr, ni) + (1e-8 * Math.hypot(j.re[i]!, j.im[i]!)) / Math.abs(p[k]!);
        expect(Math.abs(j.dRe[i * m + k]! - nr), `${c.parameters[k]!.name} Re at ${f[i]} Hz`).toBeLessThan(tol);
        expect(Math.abs(j.dIm[i * m + k]! - ni), `${c.parameters[k]!.name} Im at ${f[i]} Hz`).toBeLessThan(tol);
      }
    }
  });
});

/** Planted parameters, 60 points 1 MHz … 1 mHz, 1 % proportional noise, automatic starts. */
const recovery: [string, number[]][] = [
  ['LR0-ZARC1-p(R2,C2)', [2e-7, 3, 40, 1e-4, 0.85, 100, 1e-3]],
  ['R0-RQ1-G1', [5, 30, 1e-5, 0.9, 80, 0.05]],
  ['R0-p(R1,C1)-TLMo1', [4, 20, 1e-6, 60, 1e-3, 0.9]],
  ['R0-p(R1,C1)-TLMc1', [4, 20, 1e-6, 60, 1e-3, 0.8]],
];

describe('CNLS recovers planted parameters of circuits with the new elements', () => {
  it.each(recovery)('%s', (src, truth) => {
    for (const seed of [1, 2]) {
      const d = synthetic(src, truth, logFrequencies(1e6, 1e-3, 60), 0.01, seed);
      const r = fitCircuit(src, checkSpectrum(d.frequency, d.re, d.im), { weighting: 'proportional' });
      expect(r.converged).toBe(true);
      expect(r.identifiable).toBe(true);
      r.names.forEach((nm, i) => {
        // within 5 % and within 4 of the fit's own standard errors
        const err = Math.abs(r.values[i]! - truth[i]!);
        expect(err / truth[i]!, `${nm} seed ${seed}: ${r.values[i]} vs ${truth[i]} (±${r.stderr[i]})`).toBeLessThan(0.05);
        expect(err, `${nm} seed ${seed}: ${r.values[i]} vs ${truth[i]} (±${r.stderr[i]})`).toBeLessThan(4 * r.stderr[i]!);
      });
      expect(r.reducedChi2 / 1e-4).toBeGreaterThan(0.6);
      expect(r.reducedChi2 / 1e-4).toBeLessThan(1.6);
    }
  });
});

describe('two ZARCs are interchangeable: canonical order puts the faster one first', () => {
  it('R0-ZARC1-ZARC2 recovers both arcs with ZARC1 the faster, whichever order they were planted in', () => {
    const fast = [30, 2e-5, 0.9];
    const slow = [80, 5e-2, 0.8];
    for (const planted of [
      [5, ...fast, ...slow],
      [5, ...slow, ...fast],
    ]) {
      const src = 'R0-ZARC1-ZARC2';
      const d = synthetic(src, planted, logFrequencies(1e6, 1e-3, 60), 0.01, 7);
      const r = fitCircuit(src, checkSpectrum(d.frequency, d.re, d.im), { weighting: 'proportional' });
      expect(r.converged).toBe(true);
      const v = Object.fromEntries(r.names.map((n, i) => [n, r.values[i]!]));
      expect(v.ZARC1_tau!).toBeLessThan(v.ZARC2_tau!);
      expect(Math.abs(v.ZARC1_R! / 30 - 1)).toBeLessThan(0.05);
      expect(Math.abs(v.ZARC2_R! / 80 - 1)).toBeLessThan(0.05);
      expect(Math.abs(v.ZARC2_alpha! / 0.8 - 1)).toBeLessThan(0.05);
    }
  });
});
