/** The species library is data: its invariants are tested like a binary layout table. */
import { describe, expect, it } from 'vitest';
import { SPECIES_LIBRARY, SCOFIELD_RSF, coreLevelOf } from '../../../src/fit/xps/species.js';
import { parseLineShape } from '../../../src/fit/xps/lineshapes.js';
import { resolveXpsFitOptions, DEFAULT_XPS_FIT_OPTIONS } from '../../../src/fit/xps/fitter.js';

describe('species library', () => {
  it('ids are unique, windows and FWHM ordered, shapes parse, every entry cites a source', () => {
    const ids = SPECIES_LIBRARY.map((s) => s.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const s of SPECIES_LIBRARY) {
      expect(s.window[0]).toBeLessThanOrEqual(s.window[1]);
      expect(s.fwhm[0]).toBeGreaterThan(0);
      expect(s.fwhm[0]).toBeLessThanOrEqual(s.fwhm[1]);
      expect(() => parseLineShape(s.shape)).not.toThrow();
      expect(s.source.length).toBeGreaterThan(5);
      expect(SCOFIELD_RSF[s.core]).toBeGreaterThan(0);
    }
  });

  it('enabled windows of one core level do not overlap (otherwise areas are not identifiable)', () => {
    const on = SPECIES_LIBRARY.filter((s) => s.enabled);
    for (const a of on)
      for (const b of on) {
        if (a === b || a.core !== b.core) continue;
        const overlap = Math.min(a.window[1], b.window[1]) - Math.max(a.window[0], b.window[0]);
        expect(overlap, `${a.id} vs ${b.id}`).toBeLessThanOrEqual(0);
      }
  });

  it("holds the brief's species with DOMAIN §3.1 values", () => {
    const by = (id: string) => SPECIES_LIBRARY.find((s) => s.id === id)!;
    expect(by('LiF:F1s').window[0]).toBe(684.6);
    expect(by('Li2CO3:C1s').window).toEqual([289.8, 290.3]);
    expect(by('Li2O:O1s').window).toEqual([528.3, 528.8]);
    expect(by('Li0:Li1s').cls).toBe('metal');
    for (const sp of ['LiF', 'LixPOyFz', 'Li2O', 'LiOH', 'Li2CO3', 'ROCO2Li', 'ROLi', 'C-C', 'C-O', 'C=O', 'Li3N', 'LiNxOy', 'Li metal', 'BaTiO3']) {
      expect(
        SPECIES_LIBRARY.some((s) => s.species === sp),
        sp,
      ).toBe(true);
    }
    expect(SCOFIELD_RSF['Li 1s']).toBe(0.0568);
    expect(SCOFIELD_RSF['F 1s']).toBe(4.43);
  });

  it('maps region names to core levels', () => {
    expect(coreLevelOf('C1s')).toBe('C 1s');
    expect(coreLevelOf('Li 1s')).toBe('Li 1s');
    expect(coreLevelOf('F_1s')).toBe('F 1s');
    expect(coreLevelOf('Ba3d5')).toBe('Ba 3d');
    expect(coreLevelOf('Survey')).toBeUndefined();
    expect(coreLevelOf('Su1s')).toBeUndefined();
    expect(coreLevelOf('Sn3d5')).toBeUndefined();
  });

  it('options resolver rejects a duplicated species and a missing RSF', () => {
    const s = DEFAULT_XPS_FIT_OPTIONS.species;
    expect(() => resolveXpsFitOptions({ species: [...s, s[0]!] })).toThrow(/appears twice/);
    expect(() => resolveXpsFitOptions({ rsf: { 'C 1s': 1 } })).toThrow(/no RSF for core level/);
  });
});
