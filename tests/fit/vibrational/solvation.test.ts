/**
 * The solvation band fitter on synthetic Raman spectra with planted band areas (src/fit/vibrational).
 * Planted: FSI⁻ free/CIP/AGG at 718/728/740 cm⁻¹ (inside the 710–745 window of MECHANISMS §5.2) and
 * EC free/bound at 893/904 cm⁻¹ (issue #20's positions), pseudo-Voigt η = 0.5, shared FWHM 9 and
 * 7 cm⁻¹, sloped baseline, Gaussian noise 1 % of the spectrum maximum (a realistic S/N ≈ 100).
 * Tolerance: every fraction within 0.03 of the planted value on each of 8 seeds, and within 4σ of
 * its own stated uncertainty.
 */
import { describe, expect, it } from 'vitest';
import { fitSolvation, vibFitter, regionsFor, BAND_REGIONS } from '../../../src/fit/vibrational/index.js';
import { spectrum, vibRecord, type PlantedBand } from './synthetic.js';

const fsi = (free: number, cip: number, agg: number): PlantedBand[] => [
  { centre: 718, area: 1000 * free, fwhm: 9 },
  { centre: 728, area: 1000 * cip, fwhm: 9 },
  { centre: 740, area: 1000 * agg, fwhm: 9 },
];
const ec = (bound: number): PlantedBand[] => [
  { centre: 893, area: 1000 * (1 - bound), fwhm: 7 },
  { centre: 904, area: 1000 * bound, fwhm: 7 },
];
const value = (out: ReturnType<typeof fitSolvation>, n: string) => out.parameters.find((p) => p.name === n)!;

describe('planted fractions are recovered', () => {
  const cases = [
    { free: 0.3, cip: 0.45, agg: 0.25, bound: 0.3 },
    { free: 0.6, cip: 0.3, agg: 0.1, bound: 0.15 },
    { free: 0.15, cip: 0.35, agg: 0.5, bound: 0.5 },
  ];
  for (const c of cases) {
    it(`free ${c.free}, CIP ${c.cip}, AGG ${c.agg}; EC bound ${c.bound} (8 noise seeds)`, () => {
      for (let seed = 1; seed <= 8; seed++) {
        const { x, y } = spectrum([...fsi(c.free, c.cip, c.agg), ...ec(c.bound)], { seed, noise: 0.01 });
        const out = fitSolvation(vibRecord(x, y, { technique: 'raman', title: '1 M LiFSI in EC' }));
        expect(out.quality.ok, out.quality.messages.join('; ')).toBe(true);
        const want: Record<string, number> = {
          anion_free_fraction: c.free,
          anion_cip_fraction: c.cip,
          anion_agg_fraction: c.agg,
          anion_sheath_fraction: c.cip + c.agg,
          solvent_coordinated_fraction: c.bound,
        };
        for (const [name, v] of Object.entries(want)) {
          const p = value(out, name);
          expect(Math.abs(p.value - v), `${name} seed ${seed}: ${p.value} vs ${v}`).toBeLessThan(0.03);
          expect(p.stderr!).toBeGreaterThan(0);
          expect(Math.abs(p.value - v), `${name} seed ${seed}: ${p.value} ± ${p.stderr}`).toBeLessThan(4 * p.stderr! + 1e-3);
          expect(p.ci95![0]).toBeLessThanOrEqual(p.value);
          expect(p.unit).toBe('1');
        }
        expect(out.quality.metrics['FSI-SNS:r2']).toBeGreaterThan(0.95);
      }
    });
  }
  it('the uncertainty grows with the noise', () => {
    const se = (noise: number) => {
      const { x, y } = spectrum(fsi(0.3, 0.45, 0.25), { seed: 3, noise });
      return value(fitSolvation(vibRecord(x, y, { technique: 'raman', title: 'LiFSI' })), 'anion_sheath_fraction').stderr!;
    };
    expect(se(0.04)).toBeGreaterThan(2 * se(0.01));
  });
  it('the RecordFitter gives the same parameters and names its window and method', () => {
    const { x, y } = spectrum([...fsi(0.3, 0.45, 0.25), ...ec(0.3)], { seed: 2 });
    const r = vibRecord(x, y, { technique: 'raman' }, 'cells/P01_LiFSI-EC_raman.txt');
    const out = vibFitter.fit(r, {});
    expect(out.parameters.map((p) => p.name).sort()).toEqual([
      'anion_agg_fraction',
      'anion_cip_fraction',
      'anion_free_fraction',
      'anion_sheath_fraction',
      'solvent_coordinated_fraction',
    ]);
    expect(value(out as ReturnType<typeof fitSolvation>, 'anion_sheath_fraction').note).toMatch(
      /FSI-SNS: CIP \+ AGG; 3 pseudo-Voigt bands .* 680–780 cm⁻¹ \(window from library\)/,
    );
  });
});

describe('what the library does not source is not fitted, and says so', () => {
  it('PF₆⁻ and NO₃⁻ have no sourced window: no fractions, the reason is given', () => {
    const { x, y } = spectrum([{ centre: 740, area: 500, fwhm: 8 }], { seed: 1 });
    const out = fitSolvation(vibRecord(x, y, { technique: 'raman', title: 'LiPF6 + LiNO3' }));
    expect(out.parameters).toEqual([]);
    expect(out.quality.ok).toBe(false);
    expect(out.quality.messages.join(' ')).toMatch(/PF6-PF not fitted: no source found/);
    expect(out.quality.messages.join(' ')).toMatch(/NO3 not fitted: no source found/);
  });
  it('a window passed by the caller is fitted (PF₆⁻ free/CIP, the overlap caveat stated)', () => {
    const { x, y } = spectrum(
      [
        { centre: 738, area: 600, fwhm: 8 },
        { centre: 748, area: 400, fwhm: 8 },
      ],
      { seed: 1 },
    );
    const out = fitSolvation(vibRecord(x, y, { technique: 'raman', title: 'LiPF6' }), { windows: { 'PF6-PF': [700, 790] } });
    expect(Math.abs(value(out, 'anion_sheath_fraction').value - 0.4)).toBeLessThan(0.05);
    expect(out.quality.messages.join(' ')).toMatch(/Han et al|overlap/i);
  });
  it('FTIR PF₆⁻ is refused: ν1 is IR-active only on coordination (Burba & Frech 2005)', () => {
    const { x, y } = spectrum([{ centre: 740, area: 500, fwhm: 8 }], { seed: 1 });
    const out = fitSolvation(vibRecord(x, y, { technique: 'ftir', title: 'LiPF6' }), { windows: { 'PF6-PF': [700, 790] } });
    expect(out.parameters).toEqual([]);
    expect(out.quality.messages.join(' ')).toMatch(/Burba & Frech/);
  });
  it('a sample that names no salt or solvent gets no numbers', () => {
    const { x, y } = spectrum(fsi(0.3, 0.4, 0.3), { seed: 1 });
    const out = fitSolvation(vibRecord(x, y, {}));
    expect(out.parameters).toEqual([]);
    expect(out.quality.messages[0]).toMatch(/does not name a salt or solvent/);
  });
  it('every library entry cites a source; TFSI wins over the FSI inside its name', () => {
    for (const b of BAND_REGIONS) expect(b.source.length, b.id).toBeGreaterThan(20);
    expect(regionsFor('LiTFSI in DME').map((b) => b.id)).toEqual(['TFSI-SNS', 'DME']);
    expect(regionsFor('LiFSI EC').map((b) => b.id)).toEqual(['FSI-SNS', 'EC-ring']);
  });
  it('transmittance is converted to absorbance; a percent scale is refused', () => {
    const { x, y } = spectrum(fsi(0.3, 0.4, 0.3), { seed: 1, baseline: [0.05, 0], noise: 0.002 });
    const T = Float64Array.from(y, (a) => 10 ** -(a / 20));
    const r = vibRecord(x, T, { technique: 'ftir', title: 'LiFSI' });
    const out = fitSolvation({ ...r, columns: [r.columns[0]!, { ...r.columns[1]!, unit: 'transmittance' }] });
    expect(out.quality.messages[0]).toMatch(/A = −log10 T/);
    const pct = fitSolvation({ ...r, columns: [r.columns[0]!, { ...r.columns[1]!, unit: 'transmittance', values: T.map((t) => t * 100) }] });
    expect(pct.parameters).toEqual([]);
  });
});
