import { describe, expect, it } from 'vitest';
import { basisResponse, makeBasis } from '../../../src/fit/drt/basis.js';
import { computeDrt } from '../../../src/fit/drt/drt.js';
import { checkSpectrum } from '../../../src/fit/eis/spectrum.js';
import { parseCircuit } from '../../../src/fit/eis/circuit.js';
import { simulate } from '../../../src/fit/eis/evaluate.js';
import { gaussian, logFrequencies, prng, synthetic } from '../eis/synthetic.js';

describe('DRT (Tikhonov + NNLS, λ by GCV)', () => {
  it('a two-RC spectrum gives two peaks at the right τ and resistances summing to R1 + R2', () => {
    const [r1, c1, r2, c2] = [40, 1e-6, 100, 1e-3];
    const d = synthetic('R0-p(R1,C1)-p(R2,C2)', [10, r1, c1, r2, c2], logFrequencies(1e6, 1e-2, 70), 0.005, 5);
    const drt = computeDrt(checkSpectrum(d.frequency, d.re, d.im));
    expect(drt.lambdaMethod).toBe('gcv');
    expect(drt.peaks.length).toBe(2);
    const [p1, p2] = drt.peaks;
    expect(Math.abs(p1!.tau / (r1 * c1) - 1)).toBeLessThan(0.1);
    expect(Math.abs(p2!.tau / (r2 * c2) - 1)).toBeLessThan(0.1);
    expect(Math.abs((p1!.r + p2!.r) / (r1 + r2) - 1)).toBeLessThan(0.05);
    expect(Math.abs(drt.rInf / 10 - 1)).toBeLessThan(0.05);
    expect(drt.gcv!.score.length).toBeGreaterThan(5);
  });

  it('the Gaussian basis response integrates like an RC: A_m(ω) → area at ω → 0', () => {
    const b = makeBasis(1e-3, 1, 10, 1);
    const r = basisResponse(b, 10, 1e-9);
    expect(r.re).toBeCloseTo(b.area, 10);
    expect(Math.abs(r.im)).toBeLessThan(1e-9);
  });
});

/**
 * Peak parsimony (issue #16; rule in src/fit/drt/peaks.ts, docs/eis-fitting.md). Li-metal-like ZARC
 * arcs (R‖CPE, τ = (R·Q)^(1/α)) 2.4 decades apart: SEI 25 Ω at 20 µs (α 0.9), charge transfer 60 Ω
 * at 5 ms (α 0.85), a slow 120 Ω arc at 1 s (α 0.8), R0 5 Ω; 1 MHz–10 mHz, 10 points per decade;
 * 1 % multiplicative noise on Re and Im, seeded. Before the rule these gave 5–6, 7–9 and 6–10 maxima.
 */
const ARCS = [
  { r: 25, tau: 2e-5, alpha: 0.9 },
  { r: 60, tau: 5e-3, alpha: 0.85 },
  { r: 120, tau: 1, alpha: 0.8 },
] as const;

function zarcSpectrum(arcs: readonly (typeof ARCS)[number][], seed: number, level = 0.01) {
  const circuit = ['R0', ...arcs.map((_, i) => `p(R${i + 1},CPE${i + 1})`)].join('-');
  const params = [5, ...arcs.flatMap((a) => [a.r, a.tau ** a.alpha / a.r, a.alpha])];
  const f = logFrequencies(1e6, 1e-2, 81);
  const z = simulate(parseCircuit(circuit), params, f);
  const g = gaussian(prng(seed));
  const re = Array.from(z.re, (v) => v * (1 + level * g()));
  const im = Array.from(z.im, (v) => v * (1 + level * g()));
  return checkSpectrum(f, re, im);
}

describe('DRT peaks: resolvability and significance rule', () => {
  const cases = [
    { name: '1 arc (charge transfer)', arcs: [ARCS[1]] },
    { name: '2 arcs (SEI + charge transfer)', arcs: [ARCS[0], ARCS[1]] },
    { name: '3 arcs (SEI + charge transfer + slow)', arcs: [ARCS[0], ARCS[1], ARCS[2]] },
  ];
  for (const c of cases) {
    for (const seed of [1, 2, 3, 4, 5]) {
      it(`${c.name}, seed ${seed}: exactly ${c.arcs.length} peak(s), τ within 0.15 decade and R within 15 % of the planted arcs`, () => {
        const drt = computeDrt(zarcSpectrum(c.arcs, seed));
        expect(drt.peaks.length).toBe(c.arcs.length);
        drt.peaks.forEach((p, i) => {
          const a = c.arcs[i]!;
          expect(Math.abs(Math.log(p.tau / a.tau)), `peak ${i + 1} τ ${p.tau} vs ${a.tau}`).toBeLessThan(0.15 * Math.LN10); // 0.15 decade, < 10 % of an α = 0.85 ZARC's 1.75-decade FWHM
          expect(Math.abs(p.r / a.r - 1), `peak ${i + 1} R ${p.r} vs ${a.r}`).toBeLessThan(0.15);
          expect(p.rStderr).toBeGreaterThan(0);
          expect(p.r).toBeGreaterThan(3 * p.rStderr);
          expect(p.resolution).toBeGreaterThan(0);
        });
        // ringing was there and was merged, not hidden by a threshold
        expect(drt.candidatePeaks).toBeGreaterThanOrEqual(drt.peaks.length);
        expect(drt.peaks.reduce((s, p) => s + p.members, 0)).toBe(drt.candidatePeaks);
        // the noise estimate sees the 1 % (about 0.7 % of |Z| per stacked row)
        expect(drt.noiseSigma).toBeGreaterThan(0.004);
        expect(drt.noiseSigma).toBeLessThan(0.012);
      });
    }
  }

  it('the rule is what removes the extra maxima: with it switched off the 2-arc spectrum shows more than 2', () => {
    const s = zarcSpectrum([ARCS[0], ARCS[1]], 1);
    const off = computeDrt(s, { resolutionFactor: 1e-9, significanceZ: 1e-9, minPeakShare: 1e-9, sideLobeShare: 1e-9 });
    expect(off.peaks.length).toBeGreaterThan(2);
    expect(off.peaks.length).toBe(off.candidatePeaks);
    expect(computeDrt(s).peaks.length).toBe(2);
  });
});
