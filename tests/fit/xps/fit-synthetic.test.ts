/**
 * Recovering known species amounts: spectra synthesised from atoms × Scofield RSF (GL/LA peaks, a
 * Shirley step, seeded Poisson noise) are fitted back; atomic % within 3 points, charge shift within
 * 0.1 eV, the inorganic fraction and the Li⁰ 50 % depth within their definitions.
 */
import { describe, expect, it } from 'vitest';
import { fitXpsRecord, xpsFitter } from '../../../src/fit/xps/fitter.js';
import { synthRecord, trueAtomicPercent, type SynthLevel } from './synth.js';
import type { CanonicalRecord } from '../../../src/records/record.js';

const SURFACE: SynthLevel = {
  atoms: {
    'C-C:C1s': 30,
    'C-O:C1s': 12,
    'C=O:C1s': 5,
    'ROCO2Li:C1s': 8,
    'Li2CO3:C1s': 6,
    'Li2O:O1s': 6,
    'Li2CO3:O1s': 18,
    'O-C=O:O1s': 6,
    'O-C-O:O1s': 10,
    'LiF:F1s': 20,
    'LixPOyFz:F1s': 6,
    'Li3N:N1s': 2,
    'LiNxOy:N1s': 3,
    'Li0:Li1s': 5,
    'Li+:Li1s': 60,
  },
};
const OPTS = { seed: 7, scale: 400, shift: 0, step: 0.1, regions: ['C1s', 'O1s', 'F1s', 'N1s', 'Li1s'] };

function inorganicTrue(atoms: Record<string, number>): number {
  const inorg = ['Li2CO3:C1s', 'Li2O:O1s', 'Li2CO3:O1s', 'LiF:F1s', 'LixPOyFz:F1s', 'Li3N:N1s', 'LiNxOy:N1s'];
  const org = ['C-C:C1s', 'C-O:C1s', 'C=O:C1s', 'ROCO2Li:C1s', 'O-C=O:O1s', 'O-C-O:O1s'];
  const a = inorg.reduce((s, k) => s + (atoms[k] ?? 0), 0);
  const b = org.reduce((s, k) => s + (atoms[k] ?? 0), 0);
  return a / (a + b);
}

describe('fit of synthetic SEI spectra', () => {
  it("recovers every component's atomic % within 3 points, with a stderr, and the inorganic fraction", () => {
    const rec = synthRecord([SURFACE], OPTS);
    const out = fitXpsRecord(rec);
    const L = out.levels[0]!;
    const truth = trueAtomicPercent(SURFACE.atoms);
    for (const s of L.shares) {
      const want = truth[s.id] ?? 0; // enabled components absent from the synthesis must come out ≈ 0
      expect(Math.abs(s.atomicPercent - want), `${s.id}: fitted ${s.atomicPercent.toFixed(2)} vs ${want.toFixed(2)}`).toBeLessThan(3);
      expect(s.atomicPercentStderr).toBeGreaterThan(0);
    }
    expect(L.referenceUsed).toMatch(/C-C:C1s/);
    expect(Math.abs(L.shift)).toBeLessThan(0.1);
    const f = out.parameters.find((p) => p.name === 'sei_inorganic_fraction' && !p.scope)!;
    expect(Math.abs(f.value - inorganicTrue(SURFACE.atoms))).toBeLessThan(0.03);
    expect(f.stderr).toBeGreaterThan(0);
    expect(out.quality.ok).toBe(true);
  });

  it('measures a +1.2 eV charging shift from C–C and fits every species back to its window', () => {
    const rec = synthRecord([SURFACE], { ...OPTS, seed: 11, shift: 1.2 });
    const L = fitXpsRecord(rec).levels[0]!;
    expect(L.shift).toBeGreaterThan(1.1);
    expect(L.shift).toBeLessThan(1.3);
    const truth = trueAtomicPercent(SURFACE.atoms);
    for (const s of L.shares) expect(Math.abs(s.atomicPercent - (truth[s.id] ?? 0)), s.id).toBeLessThan(3);
  });

  it('falls back to LiF F 1s at 685.0 eV when adventitious C–C is gone', () => {
    const atoms = { ...SURFACE.atoms, 'C-C:C1s': 0.5 };
    const rec = synthRecord([{ atoms, centres: { 'LiF:F1s': 685.0 } }], { ...OPTS, seed: 3, shift: -0.8 });
    const L = fitXpsRecord(rec).levels[0]!;
    expect(L.referenceUsed).toMatch(/LiF:F1s @ 685/);
    expect(L.shift).toBeGreaterThan(-0.9);
    expect(L.shift).toBeLessThan(-0.7);
  });

  it('flags a shift beyond ±3 eV as charging and does not force it', () => {
    const rec = synthRecord([SURFACE], { ...OPTS, seed: 5, shift: 4.5 });
    const out = fitXpsRecord(rec);
    expect(out.levels[0]!.charging).toBe(true);
    expect(out.levels[0]!.shift).toBe(0);
    expect(out.quality.ok).toBe(false);
    expect(out.quality.messages.join('\n')).toMatch(/charge shift 4\.\d\d eV .* flagged as charging, not applied/);
  });

  it('20-level × 6-region depth profile: Li⁰ 50 % crossing, depth average, spread, anions (timing logged)', () => {
    const levels: SynthLevel[] = Array.from({ length: 20 }, (_, i) => {
      const metal = 1 / (1 + Math.exp(-(i * 30 - 300) / 60)); // 50 % at 300 s
      const sei = 1 - metal;
      const lif = 20 + i; // LiF grows with depth (the sputter artefact of §3.2 looks like this too)
      return {
        sputterTime: i * 30,
        atoms: {
          'C-C:C1s': 30 * sei * Math.exp(-i / 3) + 0.5,
          'C-O:C1s': 12 * sei,
          'C=O:C1s': 5 * sei,
          'ROCO2Li:C1s': 8 * sei,
          'Li2CO3:C1s': 6 * sei,
          'Li2O:O1s': 6 + 4 * sei,
          'Li2CO3:O1s': 18 * sei,
          'O-C=O:O1s': 6 * sei,
          'O-C-O:O1s': 10 * sei,
          'LiF:F1s': lif * sei + 1,
          'LixPOyFz:F1s': 6 * sei,
          'Li3N:N1s': 2 * sei + 0.2,
          'LiNxOy:N1s': 3 * sei + 0.2,
          'Li3PO4:P2p': 1 * sei + 0.1,
          'LixPOyFz:P2p': 2 * sei + 0.1,
          'Li0:Li1s': 80 * metal + 1,
          'Li+:Li1s': 80 * sei + 10,
        },
        centres: { 'LiF:F1s': 685.0 },
      };
    });
    const rec = synthRecord(levels, { ...OPTS, seed: 42, regions: ['C1s', 'O1s', 'F1s', 'N1s', 'Li1s', 'P2p'] });
    const t0 = performance.now();
    const out = xpsFitter.fit(rec as unknown as CanonicalRecord, {});
    const ms = performance.now() - t0;
    console.log(`[xps bench] 20 levels × 6 regions fitted in ${ms.toFixed(0)} ms`);
    const th = out.parameters.find((p) => p.name === 'sei_thickness_sputter')!;
    expect(th.unit).toBe('s');
    // True Li⁰ share of Li 1s = (80m+1)/(80m+1 + 80(1−m)+10) crosses 0.5 at m = 0.5625 → t ≈ 315 s.
    expect(th.value).toBeGreaterThan(295);
    expect(th.value).toBeLessThan(335);
    expect(th.censored).toBe(false);
    const avg = out.parameters.find((p) => p.name === 'sei_inorganic_fraction' && !p.scope)!;
    const perLevel = out.parameters.filter((p) => p.name === 'sei_inorganic_fraction' && p.scope);
    expect(perLevel).toHaveLength(20);
    expect(avg.value).toBeGreaterThan(0.4);
    expect(avg.value).toBeLessThan(0.8);
    expect(out.parameters.find((p) => p.name === 'sei_inorganic_fraction_depth_sd')!.value).toBeGreaterThan(0);
    expect(out.parameters.find((p) => p.name === 'lif_to_organic_c')!.value).toBeGreaterThan(0);
    expect(out.parameters.find((p) => p.name === 'anion_f_atomic_percent')!.value).toBeGreaterThan(5);
    expect(out.parameters.find((p) => p.name === 'anion_n_atomic_percent')!.value).toBeGreaterThan(0);
    expect(out.tables!.species!.find((c) => c.name === 'Atomic Percent')!.values.length).toBe(20 * 18); // 18 enabled components in C, O, F, N, Li 1s and P 2p;
  });

  it('does not mutate its input', () => {
    const rec = synthRecord([SURFACE], OPTS);
    const before = Array.from(rec.columns.at(-1)!.values);
    fitXpsRecord(rec);
    expect(Array.from(rec.columns.at(-1)!.values)).toEqual(before);
  });
});

describe('S 2p (LiFSI / LiTFSI electrolytes)', () => {
  it('Li2S and SOx are fitted back within 3 atomic % and give the S anion signature', () => {
    const atoms = { ...SURFACE.atoms, 'Li2S:S2p': 8, 'SOx:S2p': 4 };
    const rec = synthRecord([{ atoms }], { ...OPTS, seed: 21, regions: [...OPTS.regions, 'S2p'] });
    const out = fitXpsRecord(rec);
    const L = out.levels[0]!;
    const truth = trueAtomicPercent(atoms);
    for (const id of ['Li2S:S2p', 'SOx:S2p', 'LiF:F1s', 'C-C:C1s']) {
      const s = L.shares.find((x) => x.id === id)!;
      expect(Math.abs(s.atomicPercent - truth[id]!), `${id}: ${s.atomicPercent.toFixed(2)} vs ${truth[id]!.toFixed(2)}`).toBeLessThan(3);
    }
    const sAt = out.parameters.find((p) => p.name === 'anion_s_atomic_percent')!;
    expect(Math.abs(sAt.value - (truth['Li2S:S2p']! + truth['SOx:S2p']!))).toBeLessThan(3);
    // S species are not in the default inorganic list: the fraction is the one without S.
    const f = out.parameters.find((p) => p.name === 'sei_inorganic_fraction' && !p.scope)!;
    expect(Math.abs(f.value - inorganicTrue(SURFACE.atoms))).toBeLessThan(0.03);
  });
});
