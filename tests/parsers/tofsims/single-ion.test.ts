/**
 * Single-ion ToF-SIMS image exports (one file per ion, IONTOF SurfaceLab's usual way): a `#` header naming
 * the ion and polarity, field of view, pixels and scans over a count matrix, or an x/y/counts list; the
 * ion and field of view from the file name when the header does not say. Hand-made files, exact values.
 */
import { describe, expect, it } from 'vitest';
import { simsImageText, ionFromFileName } from '../../../parsers/tofsims/image-text.js';
import { simsFormats } from '../../../parsers/tofsims/index.js';
import { ParseError } from '../../../src/records/errors.js';
import { findColumn, type ParsedRecord } from '../../../src/records/record.js';
import { writeSimsIonImages } from '../../../fixtures/virtual-lab/writers/tofsims-ion-images.js';
import { rank } from './detect.js';

const enc = (s: string): Uint8Array => new TextEncoder().encode(s);
function parse(path: string, text: string): ParsedRecord {
  const out = simsImageText.parse({ path, bytes: enc(text) }) as ParsedRecord[];
  expect(out).toHaveLength(1);
  return out[0]!;
}
function err(fn: () => unknown): ParseError {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(ParseError);
    return e as ParseError;
  }
  throw new Error('expected a ParseError');
}
const col = (r: ParsedRecord, n: string): number[] => Array.from(findColumn(r, n)!.values);
const codes = (r: ParsedRecord): string[] => r.warnings.map((w) => w.code);

const SURFACELAB = [
  '# ION-TOF SurfaceLab 7 ASCII image export',
  '# Image: LiF_2-, negative ions',
  '# Field of view (µm): 500.000000 x 500.000000',
  '# Pixels: 4 x 3',
  '# Scans: 50',
  '1 2 3 4',
  '5 6 7 8',
  '9 10 11 12',
  '',
].join('\r\n');

describe('single-ion image: SurfaceLab matrix with header', () => {
  it('reads ion, polarity, field of view, pixels, scans and the counts', () => {
    const r = parse('sims/C07_spot1.txt', SURFACELAB);
    expect(r.kind).toBe('sims-image');
    expect(r.meta).toMatchObject({
      ions: ['LiF_2-'],
      polarity: 'negative',
      width: 4,
      height: 3,
      slices: 1,
      layout: 'matrix',
      fovUm: 500,
      fovHeightUm: 500,
      pixelUm: 125,
      fovSource: 'header',
      scans: 50,
      ionSource: 'header',
      ionInFileName: null,
    });
    expect(col(r, 'LiF_2-')).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]);
    expect(col(r, 'X').slice(4, 6)).toEqual([0, 1]);
    expect(col(r, 'Y').slice(4, 6)).toEqual([1, 1]);
    expect(r.warnings).toEqual([]);
  });

  it('notes the ion token of the file name when it is the header ion (the pairing key)', () => {
    const r = parse('sims/C07_neg_LiF2-_500um.txt', SURFACELAB);
    expect(r.meta.ionInFileName).toBe('LiF2-');
    expect(r.meta.fovSource).toBe('header');
  });

  it('reads the other header spellings: FOV in mm, square pixel count, positive polarity key', () => {
    const text = '# Ion: Li2F+\n# Polarity: positive ions\n# FOV: 0.2 mm\n# Number of pixels: 2\n# Number of scans: 7\n3 4\n5 6\n';
    const r = parse('x.txt', text);
    expect(r.meta).toMatchObject({ ions: ['Li2F+'], polarity: 'positive', fovUm: 200, pixelUm: 100, scans: 7, width: 2, height: 2 });
    expect(r.warnings).toEqual([]);
  });

  it('a unit-less field of view is read as µm and said so; a pixel size gives the field of view', () => {
    const a = parse('a.txt', '# Image: C2H-\n# Field of view: 300\n1 2\n3 4\n');
    expect(a.meta.fovUm).toBe(300);
    expect(a.warnings.find((w) => w.code === 'fov-unit-assumed')?.line).toBe(2);
    const b = parse('b.txt', '# Image: C2H-\n# Pixel size: 2.5 µm\n1 2 3 4\n5 6 7 8\n');
    expect(b.meta).toMatchObject({ fovUm: 10, fovHeightUm: 5, fovSource: 'header pixel size × pixels' });
  });

  it('`Image size` is a field of view with a length unit, pixels without; anything else is kept with a warning', () => {
    expect(parse('d.txt', '# Image: C2H-\n# Image size: 500 x 500 µm²\n1 2\n3 4\n').meta.fovUm).toBe(500);
    expect(() => parse('e.txt', '# Image: C2H-\n# Image size: 3 x 3\n1 2\n3 4\n')).toThrow(/header says 3 × 3 pixels but the data have 2 × 2/);
    const f = parse('f.txt', '# Image: C2H-\n# Image size: 1.13 cm2\n1 2\n3 4\n');
    expect(f.meta.fovUm).toBeNull();
    expect(f.warnings.map((w) => [w.code, w.line])).toEqual([
      ['unread-header', 2],
      ['no-field-of-view', undefined],
    ]);
  });

  it('header polarity that contradicts the ion charge is kept, with a warning', () => {
    const r = parse('c.txt', '# Image: Li2F+, negative ions\n# Field of view: 100 um\n1 2\n3 4\n');
    expect(r.meta.polarity).toBe('negative');
    expect(r.warnings.find((w) => w.code === 'polarity-conflict')?.line).toBe(1);
  });
});

describe('single-ion image: ion and field of view from the file name', () => {
  it('C07_neg_LiF2-_500um.txt, bare matrix', () => {
    const r = parse('/data/sims/C07_neg_LiF2-_500um.txt', '0 1 2\n3 4 5\n');
    expect(r.meta).toMatchObject({
      ions: ['LiF2-'],
      polarity: 'negative',
      fovUm: 500,
      fovSource: 'file name',
      ionSource: 'file name',
      ionInFileName: 'LiF2-',
      scans: null,
    });
    expect(col(r, 'LiF2-')).toEqual([0, 1, 2, 3, 4, 5]);
    expect(r.warnings).toEqual([]);
  });

  it('C07-CH2--image.txt: the ion is found between hyphens; no field of view → warning', () => {
    const r = parse('C07-CH2--image.txt', '7 8\n9 10\n');
    expect(r.meta).toMatchObject({ ions: ['CH2-'], polarity: 'negative', fovUm: null, pixelUm: null, ionInFileName: 'CH2-' });
    expect(codes(r)).toEqual(['no-field-of-view']);
    expect(r.warnings[0]!.message).toMatch(/field of view/);
  });

  it('other real-world names', () => {
    expect(ionFromFileName('33.3.2_tomog_ (7) - Cl-.txt')).toBe('Cl-');
    expect(ionFromFileName('C12-LiF2-.txt')).toBe('LiF2-');
    expect(ionFromFileName('B1-C2H-.txt')).toBe('C2H-');
    expect(ionFromFileName('cell 4 - LiF_2-.txt')).toBe('LiF_2-');
    expect(ionFromFileName('A1_pos_Li2F+_0.5mm.txt')).toBe('Li2F+');
    const r = parse('A1_pos_Li2F+_0.5mm.txt', '1 1\n1 1\n');
    expect(r.meta).toMatchObject({ fovUm: 500, polarity: 'positive' });
    expect(parse('C3_neg_CO3-_500x500um.txt', '1 1\n1 1\n').meta.fovUm).toBe(500);
    expect(parse('C3_neg_CO3-_fov200.txt', '1 1\n1 1\n').meta.fovUm).toBe(200);
  });

  it('no ion in header or name → named after the file, with a warning', () => {
    const r = parse('spot3_500um.txt', '1 2\n3 4\n');
    expect(r.meta.ions).toEqual(['spot3_500um']);
    expect(codes(r)).toEqual(['no-ion-name']);
  });
});

describe('single-ion image: x/y/counts variant', () => {
  it('with a header and a column header row', () => {
    const text =
      '# Image: C_2H-, negative ions\n# Field of view (µm): 200 x 200\n# Pixels: 2 x 2\n# Scans: 20\nx\ty\tcounts\n1\t0\t20\n0\t0\t10\n0\t1\t30\n1\t1\t40\n';
    const r = parse('sims/C07_neg_C2H-.txt', text);
    expect(r.meta).toMatchObject({
      ions: ['C_2H-'],
      layout: 'table',
      polarity: 'negative',
      fovUm: 200,
      pixelUm: 100,
      scans: 20,
      ionInFileName: 'C2H-',
      width: 2,
      height: 2,
    });
    expect(col(r, 'C_2H-')).toEqual([10, 20, 30, 40]);
  });

  it('headerless x y counts rows (IONTOF list export) are a list, not a 3-pixel-wide matrix', () => {
    const rows: string[] = [];
    for (let y = 0; y < 4; y++) for (let x = 0; x < 5; x++) rows.push(`${x} ${y} ${x + 10 * y}`);
    const r = parse('33.3.2_tomog_ (7) - Cl-_100um.txt', rows.join('\n'));
    expect(r.meta).toMatchObject({ ions: ['Cl-'], layout: 'table', width: 5, height: 4, fovUm: 100, pixelUm: 20 });
    expect(col(r, 'Cl-').slice(0, 7)).toEqual([0, 1, 2, 3, 4, 10, 11]);
    // An incomplete grid is not proof of coordinates: still a matrix.
    const m = parse('m.txt', rows.slice(0, 19).join('\n'));
    expect(m.meta).toMatchObject({ layout: 'matrix', width: 3, height: 19 });
  });
});

describe('single-ion image: bad headers are ParseErrors naming file and line', () => {
  it('pixel count that disagrees with the data', () => {
    const e = err(() => parse('bad/px.txt', '# Image: LiF2-\n# Pixels: 128 x 128\n1 2\n3 4\n'));
    expect(e.code).toBe('invalid');
    expect(e.line).toBe(2);
    expect(e.message).toContain('bad/px.txt:2');
    expect(e.message).toMatch(/128 × 128 pixels but the data have 2 × 2/);
  });

  it('unreadable field of view, unreadable scans, wrong unit', () => {
    const a = err(() => parse('fov.txt', '# Image: LiF2-\n# Field of view: wide\n1 2\n'));
    expect([a.code, a.line]).toEqual(['bad-header', 2]);
    const b = err(() => parse('scans.txt', '# Image: LiF2-\n# Scans: many\n1 2\n'));
    expect([b.code, b.line]).toEqual(['bad-header', 2]);
    const c = err(() => parse('unit.txt', '# Image: LiF2-\n# Field of view: 500 px\n1 2\n'));
    expect([c.code, c.line]).toEqual(['bad-header', 2]);
  });
});

describe('single-ion image: detection and the virtual-lab writer', () => {
  it('is detected from its header; a bare matrix only when the file name names an ion', () => {
    expect(rank(simsFormats, 'C07_spot1.txt', enc(SURFACELAB))[0]).toMatchObject({ id: 'sims-image-text' });
    expect(rank(simsFormats, 'C07_spot1.txt', enc(SURFACELAB))[0]!.confidence).toBeGreaterThanOrEqual(0.9);
    const fovOnly = '# Field of view: 500 um\n' + Array.from({ length: 4 }, () => '1 2 3 4').join('\n');
    expect(rank(simsFormats, 'x.txt', enc(fovOnly))[0]!.confidence).toBeGreaterThanOrEqual(0.8);
    const bare = Array.from({ length: 10 }, () => '1 2 3 4 5 6 7 8 9').join('\n');
    expect(rank(simsFormats, 'C07_neg_LiF2-_500um.txt', enc(bare))[0]!.confidence).toBeGreaterThanOrEqual(0.5);
    expect(rank(simsFormats, 'C07_neg_500um.txt', enc(bare))[0]!.confidence).toBeLessThan(0.5);
    const list = Array.from({ length: 16 }, (_, k) => `${k % 4} ${Math.floor(k / 4)} ${k}`).join('\n');
    expect(rank(simsFormats, 'x - Cl-.txt', enc(list))[0]!.confidence).toBeGreaterThanOrEqual(0.5);
    expect(rank(simsFormats, 'x.txt', enc(list)).every((c) => c.confidence < 0.5)).toBe(true);
  });

  it('writeSimsIonImages files parse back to the same counts, ion, polarity and field of view', () => {
    const counts = Float64Array.from({ length: 12 }, (_, k) => k * 3);
    const files = writeSimsIonImages('C07', [
      { ion: 'LiF2-', polarity: 'negative', counts, width: 4, fovUm: 500 },
      {
        ion: 'C2H-',
        polarity: 'negative',
        counts: [
          [1, 2, 3, 4],
          [5, 6, 7, 8],
          [9, 10, 11, 12],
        ],
        fovUm: 500,
        scans: 12,
      },
    ]);
    expect(files.map((f) => f.name)).toEqual(['C07_neg_LiF2-_500um.txt', 'C07_neg_C2H-_500um.txt']);
    const a = parse(files[0]!.name, files[0]!.text);
    expect(a.meta).toMatchObject({ ions: ['LiF_2-'], polarity: 'negative', fovUm: 500, width: 4, height: 3, scans: 50, ionInFileName: 'LiF2-' });
    expect(col(a, 'LiF_2-')).toEqual(Array.from(counts));
    const b = parse(files[1]!.name, files[1]!.text);
    expect(b.meta).toMatchObject({ ions: ['C_2H-'], scans: 12, ionInFileName: 'C2H-' });
    expect(col(b, 'C_2H-').slice(-2)).toEqual([11, 12]);
    expect(a.warnings.concat(b.warnings)).toEqual([]);
  });
});
