/**
 * Issue #5: low-count (Poisson-noisy) regions and regions whose Shirley step is large against the peak
 * area. There the data-driven Shirley iteration often has no fixed point (its end condition fixes the
 * background only through e^(−κℓ), κ = step / peak area, so a noisy end level is out of reach); the
 * region fit therefore fits the Shirley end level and step with the peaks (active Shirley) and must
 * report such regions usable, with the species amounts they were synthesised from. Also: no charge
 * reference taken on an aliased template.
 */
import { describe, expect, it } from 'vitest';
import { fitXpsRecord, splitRecord } from '../../../src/fit/xps/fitter.js';
import { fitRegion } from '../../../src/fit/xps/region-fit.js';
import { shirleyBackground } from '../../../src/fit/xps/backgrounds.js';
import { SPECIES_LIBRARY } from '../../../src/fit/xps/species.js';
import { parseLineShape, peakValue } from '../../../src/fit/xps/lineshapes.js';
import { mulberry32, poisson, synthRecord, trueAtomicPercent, type SynthLevel } from './synth.js';

/** Normalised running trapezoidal integral: the Shirley shape of a noise-free peak. */
function cumulative(x: readonly number[], p: readonly number[]): number[] {
  const c = x.map(() => 0);
  for (let i = 1; i < x.length; i++) c[i] = c[i - 1]! + 0.5 * (p[i - 1]! + p[i]!) * (x[i]! - x[i - 1]!);
  return c.map((v) => v / c[x.length - 1]!);
}

describe('a Shirley step large against the peak area, noise-free (κ·ℓ ≈ 20)', () => {
  // y = lo + P + s·Φ_P with Φ_P the (trapezoidal) normalised integral of the peak P: the Shirley
  // background of this spectrum is lo + s·Φ_P exactly.
  const x = Array.from({ length: 261 }, (_, i) => 680 + i * 0.05);
  const area = 1500;
  const lo = 150;
  const step = 4000;
  const P = x.map((v) => peakValue(parseLineShape('GL(30)'), v, 685.1, 1.6, area));
  const phi = cumulative(x, P);
  const exact = x.map((_, i) => lo + step * phi[i]!);
  const y = x.map((_, i) => exact[i]! + P[i]!);

  it('the data-driven iteration converges (slowly) where a fixed point exists', () => {
    const r = shirleyBackground(x, y, { endpointAverage: 3 });
    expect(r.converged).toBe(true);
    expect(r.iterations).toBeGreaterThan(10);
    expect(Math.max(...r.background.map((b, i) => Math.abs(b - exact[i]!))) / step).toBeLessThan(1e-5);
  });

  it('the region fit (active Shirley) recovers the area, the end level and the step', () => {
    const r = fitRegion(
      x,
      y,
      SPECIES_LIBRARY.filter((s) => s.enabled && s.core === 'F 1s'),
      0,
    );
    expect(r.backgroundConverged).toBe(true);
    expect(r.messages).toEqual([]);
    const lif = r.components.find((c) => c.id === 'LiF:F1s')!;
    expect(Math.abs(lif.area / area - 1)).toBeLessThan(1e-3);
    expect(Math.abs(lif.center - 685.1)).toBeLessThan(1e-3);
    expect(r.components.find((c) => c.id === 'LixPOyFz:F1s')!.area).toBeLessThan(1e-3 * area);
    expect(Math.abs(r.shirley!.lo - lo)).toBeLessThan(0.5);
    expect(Math.abs(r.shirley!.step / step - 1)).toBeLessThan(1e-3);
    let maxErr = 0;
    for (let i = 0; i < x.length; i++) maxErr = Math.max(maxErr, Math.abs(r.background[i]! - exact[i]!));
    expect(maxErr / step).toBeLessThan(1e-3);
  });
});

describe('a low-count F 1s: 30-count floor, a 300-count Shirley step under a 600 counts·eV peak, Poisson noise', () => {
  const x = Array.from({ length: 131 }, (_, i) => 680 + i * 0.1);
  const area = 600;
  const lo = 30;
  const step = 300;
  const P = x.map((v) => peakValue(parseLineShape('GL(30)'), v, 685.1, 1.6, area));
  const phi = cumulative(x, P);
  const mean = x.map((_, i) => lo + step * phi[i]! + P[i]!);

  it('the data-driven iteration often has no fixed point and says so; the active Shirley fits all 10 seeds', () => {
    let noFixedPoint = 0;
    for (let seed = 1; seed <= 10; seed++) {
      const rnd = mulberry32(seed);
      const y = mean.map((m) => poisson(m, rnd));
      const s = shirleyBackground(x, y, { endpointAverage: 3 });
      if (!s.converged) {
        noFixedPoint++;
        expect(s.message, `seed ${seed}`).toMatch(/no Shirley fixed point|cap/);
        for (const b of s.background) expect(Math.abs(b), `seed ${seed}: a bounded background, not a diverged iterate`).toBeLessThan(2 * Math.max(...y));
      }
      const r = fitRegion(
        x,
        y,
        SPECIES_LIBRARY.filter((q) => q.enabled && q.core === 'F 1s'),
        0,
      );
      expect(r.backgroundConverged, `seed ${seed}: ${r.messages.join('; ')}`).toBe(true);
      const lif = r.components.find((c) => c.id === 'LiF:F1s')!;
      expect(Math.abs(lif.area - area), `seed ${seed}: area ${lif.area.toFixed(0)} ± ${lif.areaStderr.toFixed(0)}`).toBeLessThan(
        Math.min(0.1 * area, 3 * lif.areaStderr),
      );
      expect(Math.abs(r.shirley!.step - step), `seed ${seed}`).toBeLessThan(0.05 * step);
    }
    expect(noFixedPoint).toBeGreaterThanOrEqual(3); // the situation of issue #5 is in the sample
  });
});

/** An SEI surface without the unresolvable neighbours (Li2CO3 / organic C=O in O 1s, 0.5 eV apart). */
const SEI: SynthLevel = {
  atoms: {
    'C-C:C1s': 14,
    'C-O:C1s': 10,
    'ROCO2Li:C1s': 5,
    'Li2CO3:C1s': 4,
    'Li2O:O1s': 8,
    'Li2CO3:O1s': 12,
    'O-C-O:O1s': 10,
    'LiF:F1s': 24,
    'LixPOyFz:F1s': 5,
    'Li3N:N1s': 3,
    'LiNxOy:N1s': 3,
    'Li0:Li1s': 6,
    'Li+:Li1s': 70,
  },
};
const REGIONS = ['C1s', 'O1s', 'F1s', 'N1s', 'Li1s'];

function inorganicTrue(atoms: Readonly<Record<string, number>>): number {
  const inorg = ['Li2CO3:C1s', 'Li2O:O1s', 'Li2CO3:O1s', 'LiF:F1s', 'LixPOyFz:F1s', 'Li3N:N1s', 'LiNxOy:N1s'];
  const org = ['C-C:C1s', 'C-O:C1s', 'ROCO2Li:C1s', 'O-C-O:O1s'];
  const a = inorg.reduce((s, k) => s + (atoms[k] ?? 0), 0);
  const b = org.reduce((s, k) => s + (atoms[k] ?? 0), 0);
  return a / (a + b);
}

describe('low-count Poisson SEI spectra (N 1s and Li 1s at ~10–200 counts per channel, Shirley steps)', () => {
  it('are fitted back within 3 atomic % per component and reported usable, for 8 noise seeds', () => {
    const truth = trueAtomicPercent(SEI.atoms);
    for (let seed = 1; seed <= 8; seed++) {
      const rec = synthRecord([SEI], { seed, scale: 40, shift: 0, step: 0.1, regions: REGIONS });
      // Low count indeed: the weakest regions peak below a few hundred counts on a ~20-count floor.
      const regions = splitRecord(rec).levels.get(0)!.regions;
      for (const core of ['N 1s', 'Li 1s'] as const) expect(Math.max(...regions.get(core)!.y)).toBeLessThan(300);
      const out = fitXpsRecord(rec);
      expect(out.quality.ok, `seed ${seed}: ${out.quality.messages.join('; ')}`).toBe(true);
      expect(
        out.quality.messages.filter((m) => /did not converge|still moved|stopped at/.test(m)),
        `seed ${seed}`,
      ).toEqual([]);
      const L = out.levels[0]!;
      for (const [core, f] of L.fits) {
        expect(f.backgroundConverged, `seed ${seed} ${core}`).toBe(true);
        expect(f.shirley!.step, `seed ${seed} ${core}: the synthesised step is > 0`).toBeGreaterThan(0);
      }
      for (const s of L.shares) {
        const want = truth[s.id] ?? 0;
        expect(Math.abs(s.atomicPercent - want), `seed ${seed} ${s.id}: fitted ${s.atomicPercent.toFixed(2)} vs ${want.toFixed(2)}`).toBeLessThan(3);
      }
      const f = out.parameters.find((p) => p.name === 'sei_inorganic_fraction' && !p.scope)!;
      expect(Math.abs(f.value - inorganicTrue(SEI.atoms)), `seed ${seed}`).toBeLessThan(0.03);
    }
  });
});

describe('charge referencing on a level without adventitious carbon', () => {
  it('does not slide the C–C template onto C–O (an alias): LiF F 1s references the level, 12 seeds', () => {
    for (let seed = 1; seed <= 12; seed++) {
      const level: SynthLevel = { atoms: { 'C-O:C1s': 10, 'O-C-O:O1s': 10, 'LiF:F1s': 12, 'Li+:Li1s': 60, 'Li0:Li1s': 10 }, centres: { 'LiF:F1s': 685.3 } };
      const L = fitXpsRecord(synthRecord([level], { seed, scale: 20, shift: 0, step: 0.1, regions: ['C1s', 'O1s', 'F1s', 'Li1s'] })).levels[0]!;
      expect(L.referenceUsed, `seed ${seed}`).toMatch(/^LiF:F1s @ 685/);
      expect(Math.abs(L.shift - 0.3), `seed ${seed}: shift ${L.shift.toFixed(2)}`).toBeLessThan(0.1);
      expect(L.charging).toBe(false);
    }
  });
});
