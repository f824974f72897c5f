/**
 * Hand-made ion-image exports in every accepted layout (docs/tofsims.md), and the bad inputs
 * the issue lists: each must be a ParseError naming the file and the line.
 */
import { describe, expect, it } from 'vitest';
import { simsImageText, ionFromFileName } from '../../../parsers/tofsims/image-text.js';
import { iontofDepthProfile } from '../../../parsers/tofsims/iontof-depth-profile.js';
import { iontofSpectrum } from '../../../parsers/tofsims/iontof-spectrum.js';
import { simsFormats } from '../../../parsers/tofsims/index.js';
import { ParseError } from '../../../src/records/errors.js';
import { findColumn, type ParsedRecord } from '../../../src/records/record.js';
import { rank } from './detect.js';

const enc = (s: string): Uint8Array => new TextEncoder().encode(s);
function parse(path: string, text: string, options?: Record<string, unknown>): ParsedRecord {
  const out = simsImageText.parse({ path, bytes: enc(text), options }) as ParsedRecord[];
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

describe('ToF-SIMS image text: matrix layout', () => {
  it('reads one 2D matrix named by the file name (whitespace-separated)', () => {
    const r = parse('/data/cell3 LiF2-.txt', '1 2 3\n4 5 6\n');
    expect(r.kind).toBe('sims-image');
    expect(r.meta).toMatchObject({ width: 3, height: 2, slices: 1, ions: ['LiF2-'], layout: 'matrix', polarity: 'negative' });
    expect(col(r, 'LiF2-')).toEqual([1, 2, 3, 4, 5, 6]);
    expect(col(r, 'X')).toEqual([0, 1, 2, 0, 1, 2]);
    expect(col(r, 'Y')).toEqual([0, 0, 0, 1, 1, 1]);
    expect(findColumn(r, 'Slice')!.values).toBeInstanceOf(Int32Array);
    expect(findColumn(r, 'LiF2-')!.unit).toBe('counts');
  });

  it('reads several ions with # Ion / # Mass headers, comma-separated, and 3D slices', () => {
    const text = [
      '# Polarity: negative',
      '# Primary ion: Bi3+',
      '# Ion: LiF2-',
      '# Mass: 45.01',
      '# Slice: 1',
      '1,2',
      '3,4',
      '# Slice: 2',
      '5,6',
      '7,8',
      '# Ion: C2H-',
      '# Mass: 25.01',
      '1,1',
      '1,1',
      '',
      '2,2',
      '2,2',
      '',
    ].join('\r\n');
    const r = parse('x.csv', text);
    expect(r.meta).toMatchObject({ width: 2, height: 2, slices: 2, ions: ['LiF2-', 'C2H-'], masses: [45.01, 25.01] });
    expect(col(r, 'LiF2-')).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    expect(col(r, 'C2H-')).toEqual([1, 1, 1, 1, 2, 2, 2, 2]);
    expect(col(r, 'Slice')).toEqual([0, 0, 0, 0, 1, 1, 1, 1]);
    expect((r.meta.header as Record<string, string>)['Primary ion']).toBe('Bi3+');
    expect(r.warnings).toHaveLength(0);
  });

  it('warns about unknown header keys by name', () => {
    const r = parse('LiO-.txt', '# Ion: LiO-\n# Frobnication: 3\n1 2\n3 4\n');
    expect(r.warnings.map((w) => w.message).join()).toContain("'Frobnication'");
  });

  it('options.ion overrides the file name', () => {
    expect(parse('img.txt', '1 2\n3 4\n', { ion: 'C2H-' }).meta.ions).toEqual(['C2H-']);
    expect(ionFromFileName('a/b/cell3__C2H-.csv')).toBe('C2H-');
    expect(ionFromFileName('LiO-.txt')).toBe('LiO-');
  });
});

describe('ToF-SIMS image text: table layout (x/y triplets, generic CSV)', () => {
  it('reads x,y,counts triplets with the ion named in a header line, any row order', () => {
    const text = '# Ion: LiF2-\nx,y,counts\n1,0,2\n0,0,1\n0,1,3\n1,1,4\n';
    const r = parse('t.csv', text);
    expect(r.meta).toMatchObject({ width: 2, height: 2, slices: 1, ions: ['LiF2-'], layout: 'table' });
    expect(col(r, 'LiF2-')).toEqual([1, 2, 3, 4]);
  });

  it('reads a generic CSV with z and several ion columns; 1-based coordinates keep their origin', () => {
    const rows = ['x\ty\tz\tLiF2- (counts)\tC2H-'];
    for (let z = 1; z <= 2; z++) for (let y = 1; y <= 2; y++) for (let x = 1; x <= 3; x++) rows.push(`${x}\t${y}\t${z}\t${x + 10 * y + 100 * z}\t${z}`);
    const r = parse('g.tsv', rows.join('\n'));
    expect(r.meta).toMatchObject({ width: 3, height: 2, slices: 2, ions: ['LiF2-', 'C2H-'], origin: { x: 1, y: 1, z: 1 } });
    expect(col(r, 'LiF2-').slice(0, 4)).toEqual([111, 112, 113, 121]);
    expect(col(r, 'C2H-').slice(5, 7)).toEqual([1, 2]);
  });

  it('reads sparse triplets (zeros omitted) with a missing-pixels warning', () => {
    const r = parse('LiF2-.txt', 'x y counts\n0 0 5\n2 1 7\n');
    expect(col(r, 'LiF2-')).toEqual([5, 0, 0, 0, 0, 7]);
    expect(r.warnings.find((w) => w.code === 'missing-pixels')?.rows).toBe(4);
  });

  it('is detected above the threshold only when the content says image', () => {
    expect(rank(simsFormats, 'a.csv', enc('x,y,counts\n0,0,1\n'))[0]).toMatchObject({ id: 'sims-image-text' });
    expect(rank(simsFormats, 'a.txt', enc('# Ion: LiF2-\n1 2\n'))[0]!.confidence).toBeGreaterThanOrEqual(0.9);
    const bare = Array.from({ length: 10 }, () => '1 2 3 4 5 6 7 8 9').join('\n');
    expect(rank(simsFormats, 'a.txt', enc(bare))[0]!.confidence).toBeLessThan(0.5);
  });
});

describe('ToF-SIMS bad input → ParseError naming file and line', () => {
  it('ragged matrix row', () => {
    const e = err(() => parse('bad/ragged.txt', '# Ion: LiF2-\n1 2 3\n4 5\n'));
    expect(e.code).toBe('ragged-row');
    expect(e.line).toBe(3);
    expect(e.message).toContain('bad/ragged.txt:3');
    expect(e.message).toMatch(/expected 3 values, found 2 values/);
  });

  it('ragged slice (a slice with fewer rows)', () => {
    const e = err(() => parse('s.txt', '# Ion: A-\n# Slice: 1\n1 2\n3 4\n# Slice: 2\n5 6\n'));
    expect(e.code).toBe('ragged-row');
    expect(e.line).toBe(6);
    expect(e.message).toContain('slice 2');
  });

  it('negative counts (matrix and table)', () => {
    const e = err(() => parse('neg.txt', '1 2\n3 -4\n'));
    expect(e.code).toBe('invalid');
    expect(e.line).toBe(2);
    expect(e.message).toContain('neg.txt:2');
    expect(e.message).toContain('negative count');
    const t = err(() => parse('negt.csv', 'x,y,LiF2-\n0,0,1\n1,0,-2\n'));
    expect(t.line).toBe(3);
    expect(t.column).toBe('LiF2-');
  });

  it('zero total counts for an ion', () => {
    const e = err(() => parse('z.txt', '# Ion: LiF2-\n1 1\n1 1\n# Ion: C2H-\n0 0\n0 0\n'));
    expect(e.code).toBe('no-data');
    expect(e.line).toBe(4);
    expect(e.message).toContain("ion 'C2H-' has zero total counts");
  });

  it('table without a counts column, and duplicate pixels', () => {
    const e = err(() => parse('nc.csv', 'x,y\n0,0\n'));
    expect(e.code).toBe('missing-column');
    expect(e.line).toBe(1);
    const d = err(() => parse('dup.csv', 'x,y,c\n0,0,1\n0,0,2\n'));
    expect(d.line).toBe(3);
  });

  it('depth profile: missing mass row, missing mass cell, negative count, zero totals', () => {
    const good = [
      '# Profile Smoothing is Disabled',
      '#\t\t\t\ttotal\tLiF_2-\tC_2H-',
      '#\t\t\t\tN/A\t45.0126\t25.0084',
      '#Data Point #\tSputter Time (s)\tDose (ions)\tFluence (ions/cm^2)\tIntensity\tIntensity\tIntensity',
      '1\t0\t1e6\t1e10\t100\t60\t40',
      '2\t1\t2e6\t2e10\t90\t50\t40',
    ];
    const dp = (lines: string[]) => iontofDepthProfile.parse({ path: 'dp.txt', bytes: enc(lines.join('\r\n')) }) as ParsedRecord[];
    expect(dp(good)[0]!.columns.map((c) => c.name)).toEqual(['Data Point', 'Sputter Time', 'Primary Ion Dose', 'Sputter Dose', 'Total', 'LiF_2-', 'C_2H-']);
    const noMassRow = err(() => dp([good[0]!, good[1]!, good[3]!, good[4]!]));
    expect(noMassRow.code).toBe('missing-column');
    expect(noMassRow.message).toContain('dp.txt:');
    const shortMass = err(() => dp([good[0]!, good[1]!, '#\t\t\t\tN/A\t45.0126', good[3]!, good[4]!]));
    expect(shortMass.code).toBe('missing-column');
    expect(shortMass.line).toBe(3);
    expect(shortMass.column).toBe('C_2H-');
    const neg = err(() => dp([...good.slice(0, 5), '2\t1\t2e6\t2e10\t90\t-5\t40']));
    expect(neg.code).toBe('invalid');
    expect(neg.line).toBe(6);
    expect(neg.column).toBe('LiF_2-');
    const zero = err(() => dp([...good.slice(0, 4), '1\t0\t1e6\t1e10\t0\t0\t0']));
    expect(zero.code).toBe('no-data');
    expect(zero.line).toBe(5);
    const ragged = err(() => dp([...good, '3\t2\t3e6']));
    expect(ragged.code).toBe('ragged-row');
    expect(ragged.line).toBe(7);
  });

  it('spectrum: negative intensity names its line', () => {
    const e = err(() => iontofSpectrum.parse({ path: 'sp.txt', bytes: enc('# Binning: 200 channels\nChannel\tm/z\tIntensity\n100\t1.0\t5\n300\t2.0\t-1\n') }));
    expect(e.code).toBe('invalid');
    expect(e.line).toBe(4);
  });
});
