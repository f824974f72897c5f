/**
 * Campaign-level pairing of single-ion ToF-SIMS images (src/derived/sims-pairs.ts): files written by
 * the virtual-lab writer with a planted inorganic-share field, parsed by sims-image-text, paired per cell
 * and acquisition; the heterogeneity index at a fixed physical bin recovers the planted CV.
 */
import { describe, expect, it } from 'vitest';
import { simsImageText } from '../../parsers/tofsims/image-text.js';
import type { ParsedRecord } from '../../src/records/record.js';
import {
  acquisitionKey,
  heterogeneityAtScale,
  pairSimsImages,
  DEFAULT_SIMS_BIN_UM,
  SIMS_PAIRING_FITTER,
  type SimsIonImage,
} from '../../src/derived/sims-pairs.js';
import { plantedSharePair, writeSimsIonImages, type SimsIonMap } from '../../fixtures/virtual-lab/writers/tofsims-ion-images.js';
import { mulberry32, normal } from '../../fixtures/virtual-lab/random.js';

const enc = (s: string): Uint8Array => new TextEncoder().encode(s);

/** Parse a written file as the pipeline would, and shape it as the store loader does. */
function image(cell: string | null, dir: string, f: { name: string; text: string }, id: string): SimsIonImage {
  const r = (simsImageText.parse({ path: f.name, bytes: enc(f.text) }) as ParsedRecord[])[0]!;
  const m = r.meta as Record<string, unknown>;
  const ion = (m.ions as string[])[0]!;
  return {
    cell,
    recordId: id,
    path: `${dir}/${f.name}`,
    ion,
    polarity: m.polarity as string,
    ionInFileName: m.ionInFileName as string | null,
    fovUm: m.fovUm as number | null,
    fovHeightUm: m.fovHeightUm as number | null,
    width: m.width as number,
    height: m.height as number,
    counts: Float64Array.from(r.columns.find((c) => c.name === ion)!.values),
  };
}

function cellImages(
  cell: string,
  o: { pixels: number; fovUm: number; heterogeneity: number; seed: number; countsPerUm2?: number; organic?: string },
  dir = 'sims',
): { images: SimsIonImage[]; fieldCv: number } {
  const rand = mulberry32(o.seed);
  const p = plantedSharePair({ pixels: o.pixels, fovUm: o.fovUm, heterogeneity: o.heterogeneity, countsPerUm2: o.countsPerUm2 ?? 2 }, rand, normal(rand));
  const maps: SimsIonMap[] = [
    { ion: 'LiF2-', polarity: 'negative', counts: p.inorganic, width: o.pixels, fovUm: o.fovUm },
    { ion: o.organic ?? 'C2H-', polarity: 'negative', counts: p.organic, width: o.pixels, fovUm: o.fovUm },
  ];
  const files = writeSimsIonImages(cell, maps);
  return { images: files.map((f, k) => image(cell, dir, f, `${cell}:${o.seed}:${k}`)), fieldCv: p.fieldCv };
}

const group = (): string => 'g';
const param = <P extends { cell: string; name: string }>(ps: readonly P[], cell: string, name: string): P | undefined =>
  ps.find((p) => p.cell === cell && p.name === name);

describe('pairSimsImages: planted heterogeneity recovered per cell', () => {
  // 500 µm / 128 px, 31.25 µm patches of a lognormal share with CV 0.3, ≈ 30 counts per pixel (2 per µm²).
  const a = cellImages('C07', { pixels: 128, fovUm: 500, heterogeneity: 0.3, seed: 7 });
  const b = cellImages('C08', { pixels: 128, fovUm: 500, heterogeneity: 0, seed: 8, organic: 'CH2-' });
  const out = pairSimsImages([...a.images, ...b.images], group, { permutations: 99 });

  it('pairs LiF2- with C2H- (and with CH2-) of the same cell and acquisition; no warnings', () => {
    expect(out.warnings).toEqual([]);
    expect(out.pairs.map((p) => [p.cell, p.polarity, p.acquisition, p.inorganic, p.organic])).toEqual([
      ['C07', 'negative', 'sims/C07_neg_*_500um', ['LiF_2-'], ['C_2H-']],
      ['C08', 'negative', 'sims/C08_neg_*_500um', ['LiF_2-'], ['CH_2-']],
    ]);
  });

  it('heterogeneity_index = the planted field CV within 0.01 (absolute), at 7.81 µm bins of 2 px', () => {
    const h = param(out.parameters, 'C07', 'heterogeneity_index')!;
    expect(a.fieldCv).toBeGreaterThan(0.25); // the drawn field itself, the truth to recover
    // Counting noise alone adds ≈ 0.03 to the observed CV here; removing it is what brings H within 0.01.
    expect(Math.abs(h.value! - a.fieldCv)).toBeLessThan(0.01);
    expect(h).toMatchObject({ fitter: SIMS_PAIRING_FITTER, unit: '1', n: 1, group: 'g', fitOk: true, sources: ['C07:7:0', 'C07:7:1'] });
    expect(h.note).toContain('bin 2×2 px = 7.81 µm (requested 8 µm');
    expect(out.pairs[0]!.analysis).toMatchObject({ binPx: 2, binUm: 7.8125, bins: [64, 64] });
    expect(param(out.parameters, 'C07', 'sims_bin_um')!.value).toBe(7.8125);
    // Patches of 4×4 bins: clustered.
    expect(param(out.parameters, 'C07', 'morans_i')!.value!).toBeGreaterThan(0.5);
    expect(param(out.parameters, 'C07', 'morans_i_p')!.value!).toBe(0.01);
  });

  it('a uniform share gives an index near 0 (counting noise removed), and no clustering', () => {
    const h = param(out.parameters, 'C08', 'heterogeneity_index')!.value!;
    expect(h).toBeLessThan(0.03);
    expect(Math.abs(param(out.parameters, 'C08', 'morans_i')!.value!)).toBeLessThan(0.05);
  });
});

describe('pairSimsImages: warnings instead of an index', () => {
  it('a lone inorganic image names the missing organic partner; a lone organic one the inorganic', () => {
    const a = cellImages('C07', { pixels: 32, fovUm: 500, heterogeneity: 0.2, seed: 1 });
    const out = pairSimsImages([a.images[0]!], group);
    expect(out.parameters).toEqual([]);
    expect(out.warnings).toHaveLength(1);
    expect(out.warnings[0]).toMatchObject({ code: 'sims-missing-organic-partner', path: 'sims/C07_neg_LiF2-_500um.txt', cell: 'C07' });
    expect(out.warnings[0]!.message).toMatch(/LiF_2- image \(inorganic marker\) has no organic-marker partner \(e\.g\. C2H-/);
    const o = pairSimsImages([a.images[1]!], group);
    expect(o.warnings.map((w) => w.code)).toEqual(['sims-missing-inorganic-partner']);
  });

  it('images of another acquisition or another cell are not partners', () => {
    const a = cellImages('C07', { pixels: 32, fovUm: 500, heterogeneity: 0.2, seed: 2 });
    const other = cellImages('C07', { pixels: 32, fovUm: 500, heterogeneity: 0.2, seed: 3 }, 'sims/spot2');
    const c9 = cellImages('C09', { pixels: 32, fovUm: 500, heterogeneity: 0.2, seed: 4 });
    const out = pairSimsImages([a.images[0]!, other.images[1]!, c9.images[1]!], group);
    expect(out.pairs).toEqual([]);
    expect(out.warnings.map((w) => `${w.path} ${w.code}`)).toEqual([
      'sims/C07_neg_LiF2-_500um.txt sims-missing-organic-partner',
      'sims/spot2/C07_neg_C2H-_500um.txt sims-missing-inorganic-partner',
      'sims/C09_neg_C2H-_500um.txt sims-missing-inorganic-partner',
    ]);
  });

  it('a cell with two acquisitions gets the mean of both, n = 2, with a standard error', () => {
    const a = cellImages('C07', { pixels: 64, fovUm: 500, heterogeneity: 0.3, seed: 5 });
    const b = cellImages('C07', { pixels: 64, fovUm: 500, heterogeneity: 0.3, seed: 6 }, 'sims/spot2');
    const out = pairSimsImages([...a.images, ...b.images], group, { permutations: 0 });
    expect(out.pairs).toHaveLength(2);
    const h = param(out.parameters, 'C07', 'heterogeneity_index')!;
    const hs = out.pairs.map((p) => p.analysis.cv.cvTrue);
    expect(h.n).toBe(2);
    expect(h.value).toBeCloseTo((hs[0]! + hs[1]!) / 2, 12);
    expect(h.stderr).toBeCloseTo(Math.abs(hs[0]! - hs[1]!) / 2, 12);
    expect(h.sources).toHaveLength(4);
  });

  it('no field of view, too small an image, pixels coarser than the bin: warning, no index', () => {
    const a = cellImages('C07', { pixels: 32, fovUm: 500, heterogeneity: 0.2, seed: 9 });
    const noFov = a.images.map((x) => ({ ...x, fovUm: null, fovHeightUm: null }));
    expect(pairSimsImages(noFov, group).warnings.map((w) => w.code)).toEqual(['sims-no-field-of-view', 'sims-no-field-of-view']);
    // 20 µm field, 16 px: 1.25 µm pixels → 6 px = 7.5 µm bins, only 2 × 2 of them.
    const small = cellImages('C07', { pixels: 16, fovUm: 20, heterogeneity: 0.2, seed: 10, countsPerUm2: 200 });
    const s = pairSimsImages(small.images, group);
    expect(s.parameters).toEqual([]);
    expect(s.warnings.map((w) => w.code)).toEqual(['sims-image-too-small', 'sims-image-too-small']);
    expect(s.warnings[0]!.message).toMatch(/only 2 × 2 bins of 7\.5 µm \(6 px\); at least 4 × 4/);
    // 500 µm on 16 px: 31 µm pixels cannot make an 8 µm bin.
    const coarse = cellImages('C07', { pixels: 16, fovUm: 500, heterogeneity: 0.2, seed: 11 });
    expect(pairSimsImages(coarse.images, group).warnings[0]!.code).toBe('sims-bin-scale-mismatch');
  });
});

describe('fixed physical scale', () => {
  it('a 128-px and a 256-px image of the same 500 µm field use the same 7.81 µm bins and agree', () => {
    const lo = cellImages('C07', { pixels: 128, fovUm: 500, heterogeneity: 0.3, seed: 21 });
    const hi = cellImages('C07', { pixels: 256, fovUm: 500, heterogeneity: 0.3, seed: 21 });
    expect(hi.fieldCv).toBe(lo.fieldCv); // same planted field
    const a = pairSimsImages(lo.images, group, { permutations: 0 }).pairs[0]!.analysis;
    const b = pairSimsImages(hi.images, group, { permutations: 0 }).pairs[0]!.analysis;
    expect([a.binPx, b.binPx]).toEqual([2, 4]);
    expect(a.binUm).toBe(b.binUm);
    expect(a.bins).toEqual(b.bins);
    expect(Math.abs(a.cv.cvTrue - b.cv.cvTrue)).toBeLessThan(0.01);
    expect(Math.abs(b.cv.cvTrue - hi.fieldCv)).toBeLessThan(0.01);
  });

  it('the bin is a parameter: 15.625 µm → 4 px on 128 px / 500 µm, stated in the note', () => {
    const lo = cellImages('C07', { pixels: 128, fovUm: 500, heterogeneity: 0.3, seed: 22 });
    const out = pairSimsImages(lo.images, group, { binUm: 15.625, permutations: 0 });
    expect(out.pairs[0]!.analysis).toMatchObject({ binPx: 4, binUm: 15.625, bins: [32, 32] });
    expect(param(out.parameters, 'C07', 'heterogeneity_index')!.note).toContain('at a fixed 15.6 µm bin');
    expect(DEFAULT_SIMS_BIN_UM).toBe(8);
  });

  it('heterogeneityAtScale on raw maps: bin from the pixel size, tolerance of the realised bin', () => {
    const I = new Float64Array(100 * 100).fill(30);
    const O = new Float64Array(100 * 100).fill(70);
    // 300 µm / 100 px = 3 µm pixels: 8 µm → 3 px = 9 µm (12.5 % off, inside 25 %).
    const r = heterogeneityAtScale(I, O, 100, 100, 300);
    expect(r.ok && [r.analysis.binPx, r.analysis.binUm, r.analysis.bins[0]]).toEqual([3, 9, 33]);
    expect(r.ok && r.analysis.cv.cvTrue).toBe(0);
    const strict = heterogeneityAtScale(I, O, 100, 100, 300, { binTolerance: 0.1 });
    expect(strict.ok ? '' : strict.code).toBe('bin-scale-mismatch');
  });

  it('acquisitionKey replaces the ion token only', () => {
    expect(acquisitionKey('sims/C07_neg_LiF2-_500um.txt', 'LiF2-')).toBe('sims/C07_neg_*_500um');
    expect(acquisitionKey('C07-CH2--image.txt', 'CH2-')).toBe('C07-*-image');
    expect(acquisitionKey('a/b.txt', null)).toBe('a/b');
  });
});
