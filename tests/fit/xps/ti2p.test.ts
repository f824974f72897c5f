/**
 * Ti 2p (BaTiO3 reduced by Li, MECHANISMS §7): a synthetic Ti 2p region with a planted Ti³⁺ fraction
 * (2p3/2 + 2p1/2 doublets 5.7 eV apart, seeded Poisson noise) is fitted back; the Ti³⁺ fraction
 * Ti³⁺/(Ti³⁺ + Ti⁴⁺) is recovered within 0.03 (absolute) per level and depth-averaged, with a stderr;
 * Ba 3d is fitted with its 3d3/2 partner; a scan that stops short of 2p1/2 drops those components.
 */
import { describe, expect, it } from 'vitest';
import { fitXpsRecord } from '../../../src/fit/xps/fitter.js';
import { SPECIES_LIBRARY } from '../../../src/fit/xps/species.js';
import { synthRecord, type SynthLevel } from './synth.js';

function tiLevel(r: number, t: number, ti = 10): SynthLevel {
  // 2p3/2 : 2p1/2 areas 2 : 1 in the synthesis (the fitter does not force it)
  return {
    sputterTime: t,
    atoms: {
      'C-C:C1s': 20,
      'C-O:C1s': 5,
      'BaTiO3:Ti2p': ti * (1 - r),
      'BaTiO3:Ti2p1/2': (ti * (1 - r)) / 2,
      'Ti3+:Ti2p': ti * r,
      'Ti3+:Ti2p1/2': (ti * r) / 2,
      'BaTiO3:Ba3d': 4,
      'BaTiO3:Ba3d3/2': 4 * (2 / 3),
    },
    centres: { 'BaTiO3:Ti2p': 458.5, 'BaTiO3:Ti2p1/2': 464.2, 'Ti3+:Ti2p': 456.8, 'Ti3+:Ti2p1/2': 462.5, 'BaTiO3:Ba3d': 778.82, 'BaTiO3:Ba3d3/2': 794.12 },
  };
}

describe('Ti³⁺ fraction from Ti 2p', () => {
  it('the library cites MECHANISMS §7.1 for every Ti 2p and Ba 3d entry', () => {
    const ti = SPECIES_LIBRARY.filter((s) => s.core === 'Ti 2p' || s.core === 'Ba 3d');
    expect(ti.length).toBeGreaterThanOrEqual(6);
    for (const s of ti) expect(s.source).toMatch(/MECHANISMS\.md §7\.1/);
  });

  it('recovers planted Ti³⁺ fractions within 0.03, per level and depth-averaged', () => {
    const planted = [0.1, 0.3, 0.5];
    const rec = synthRecord(
      planted.map((r, i) => tiLevel(r, i * 30)),
      { seed: 11, scale: 400, shift: 0, step: 0.1, regions: ['C1s', 'Ti2p', 'Ba3d'] },
    );
    const out = fitXpsRecord(rec);
    const per = out.parameters.filter((p) => p.name === 'ti3_fraction' && p.scope);
    expect(per).toHaveLength(3);
    per.forEach((p, i) => {
      expect(Math.abs(p.value - planted[i]!), `level ${i}: ${p.value.toFixed(3)} vs ${planted[i]}`).toBeLessThan(0.03);
      expect(p.stderr).toBeGreaterThan(0);
      expect(p.stderr).toBeLessThan(0.05);
    });
    expect(per[1]!.flags).toContain('sputter-reduction');
    const avg = out.parameters.find((p) => p.name === 'ti3_fraction' && !p.scope)!;
    // sputter-time weights (trapezoid): 15, 30, 15 s over 0.1, 0.3, 0.5
    expect(Math.abs(avg.value - 0.3)).toBeLessThan(0.03);
    expect(avg.stderr).toBeGreaterThan(0);
    // Ba 3d fitted with its 3d3/2 partner
    const ba = out.levels[0]!.fits.get('Ba 3d')!;
    expect(ba.components.map((c) => c.id).sort()).toEqual(['BaTiO3:Ba3d', 'BaTiO3:Ba3d3/2']);
  });

  it('no Ti³⁺ planted gives ≈ 0; no Ti 2p region gives no parameter', () => {
    const rec = synthRecord([tiLevel(0, 0)], { seed: 12, scale: 400, shift: 0, step: 0.1, regions: ['C1s', 'Ti2p'] });
    const p = fitXpsRecord(rec).parameters.find((q) => q.name === 'ti3_fraction' && !q.scope)!;
    expect(p.value).toBeLessThan(0.03);
    const noTi = synthRecord([tiLevel(0.3, 0)], { seed: 13, scale: 400, shift: 0, step: 0.1, regions: ['C1s'] });
    expect(fitXpsRecord(noTi).parameters.some((q) => q.name === 'ti3_fraction')).toBe(false);
  });

  it('a scan that stops before 2p1/2 leaves the 2p1/2 components out of the fit', () => {
    const rec = synthRecord([tiLevel(0.3, 0)], { seed: 14, scale: 400, shift: 0, step: 0.1, regions: ['C1s', 'Ti2p'] });
    // cut the Ti 2p region at 460 eV
    const reg = rec.columns.find((c) => c.name === 'Region')!;
    const be = rec.columns.find((c) => c.name === 'Binding Energy')!;
    const keep = Array.from(be.values, (x, i) => reg.values[i] !== 1 || x <= 460);
    const cut = {
      ...rec,
      columns: rec.columns.map((c) => ({
        ...c,
        values: (c.values instanceof Int32Array ? Int32Array : Float64Array).from(Array.from(c.values).filter((_, i) => keep[i])),
      })),
    };
    const out = fitXpsRecord(cut);
    const ids = out.levels[0]!.fits.get('Ti 2p')!.components.map((c) => c.id);
    expect(ids).not.toContain('BaTiO3:Ti2p1/2');
    expect(ids).toContain('Ti3+:Ti2p');
    const r = out.parameters.find((q) => q.name === 'ti3_fraction' && !q.scope)!;
    expect(Math.abs(r.value - 0.3)).toBeLessThan(0.05);
  });
});
