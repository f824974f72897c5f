/**
 * Raman/FTIR readers (issue #20 §3) on hand-made files in the documented layouts
 * (tests/fixtures/vibrational; no public real file of these formats is in shared/real-data):
 * row counts, first/last values, technique, detection, and typed errors on bad input.
 */
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { detectFormat, formatById, sniffInput } from '../../../parsers/index.js';
import { expandAsdf, tokenizeAsdf } from '../../../parsers/vibrational/jcamp.js';
import { ParseError } from '../../../src/records/errors.js';
import type { ParsedRecord } from '../../../src/records/record.js';

const DIR = join(__dirname, '../../fixtures/vibrational');
const bytes = (f: string): Uint8Array => new Uint8Array(readFileSync(join(DIR, f)));
const enc = (s: string): Uint8Array => new TextEncoder().encode(s);
const detect = (name: string, b: Uint8Array) => detectFormat(sniffInput(name, b, b.length)).best?.format.id;
async function parse(id: string, name: string, b: Uint8Array = bytes(name)): Promise<ParsedRecord[]> {
  return await formatById(id)!.parse({ path: name, bytes: b });
}
const col = (r: ParsedRecord, n: string) => Array.from(r.columns.find((c) => c.name === n)!.values);
async function parseError(id: string, text: string, name = 'bad.txt'): Promise<ParseError> {
  try {
    await parse(id, name, enc(text));
  } catch (e) {
    expect(e).toBeInstanceOf(ParseError);
    return e as ParseError;
  }
  throw new Error('no error thrown');
}

describe('detection by content', () => {
  it.each([
    ['affn.jdx', 'jcamp-dx'],
    ['difdup.jdx', 'jcamp-dx'],
    ['xypoints.jdx', 'jcamp-dx'],
    ['wire-single.txt', 'renishaw-wire-txt'],
    ['wire-map.txt', 'renishaw-wire-txt'],
    ['labspec.txt', 'horiba-labspec-txt'],
    ['opus.dpt', 'opus-dpt'],
    ['generic-raman.txt', 'vibrational-two-column'],
  ])('%s → %s', (f, id) => expect(detect(f, bytes(f))).toBe(id));
  it('a headerless two-column table without the .dpt extension is the generic reader (extension breaks the tie only)', () => {
    expect(detect('opus.txt', bytes('opus.dpt'))).toBe('vibrational-two-column');
  });
  it('a short or non-monotonic two-column table is not claimed', () => {
    expect(detect('x.txt', enc('1,2\n2,3\n3,4\n'))).toBeUndefined();
    expect(detect('x.txt', enc(Array.from({ length: 20 }, (_, i) => `${(i * 7) % 11},${i}`).join('\n')))).toBeUndefined();
  });
});

describe('JCAMP-DX', () => {
  it('AFFN (X++(Y..Y)): 11 points 700–710 cm⁻¹, Raman from ##DATA TYPE', async () => {
    const [r] = await parse('jcamp-dx', 'affn.jdx');
    expect(r!.kind).toBe('vibrational-spectrum');
    const x = col(r!, 'Wavenumber'),
      y = col(r!, 'Intensity');
    expect(x).toHaveLength(11);
    expect([x[0], x[10]]).toEqual([700, 710]);
    expect([y[0], y[5], y[10]]).toEqual([10, 42.25, 10]);
    expect(r!.meta.technique).toBe('raman');
    expect(r!.columns[1]!.unit).toBe('a.u.');
  });
  it('SQZ + DIF + DUP with the DIF Y check and YFACTOR', async () => {
    const [r] = await parse('jcamp-dx', 'difdup.jdx');
    expect(col(r!, 'Wavenumber')).toEqual([100, 101, 102, 103, 104, 105, 106, 107]);
    expect(col(r!, 'Intensity').map((v) => +v.toFixed(6))).toEqual([1, 1.01, 1.02, 1.02, 1.02, 1.015, 1.03, 1.015]); // J5 = +15, j5 = −15;
    expect(r!.meta.technique).toBe('ftir');
    expect(r!.columns[1]!.unit).toBe('absorbance');
  });
  it('ASDF tokens: SQZ/DIF signs, DUP counts, PAC signs', () => {
    expect(expandAsdf(tokenizeAsdf('@j5U')).values).toEqual([0, -15, -30, -45]);
    expect(expandAsdf(tokenizeAsdf('a2b')).values).toEqual([-12, -2]);
    expect(expandAsdf(tokenizeAsdf('1+2-3')).values).toEqual([1, 2, -3]);
    expect(expandAsdf(tokenizeAsdf('1.5E+02 3')).values).toEqual([150, 3]);
  });
  it('XYPOINTS in micrometres: converted to cm⁻¹ and sorted ascending', async () => {
    const [r] = await parse('jcamp-dx', 'xypoints.jdx');
    expect(col(r!, 'Wavenumber')).toEqual([400, 500, 800, 1000]);
    expect(col(r!, 'Intensity')).toEqual([0.95, 0.7, 0.8, 0.9]);
    expect(r!.warnings.map((w) => w.code)).toEqual(expect.arrayContaining(['unit-converted', 'axis-reversed']));
  });
  const head = '##TITLE=t\n##JCAMP-DX=4.24\n##DATA TYPE=INFRARED SPECTRUM\n##XUNITS=1/CM\n##YUNITS=ABSORBANCE\n';
  it.each([
    ['a count short of NPOINTS', `${head}##FIRSTX=1\n##LASTX=4\n##NPOINTS=4\n##XYDATA=(X++(Y..Y))\n1 1 2 3\n##END=\n`, 'truncated', /NPOINTS=4 but 3/],
    ['a wrong Y check', `${head}##FIRSTX=1\n##LASTX=4\n##NPOINTS=4\n##XYDATA=(X++(Y..Y))\n1 A0J1\n2 A2J1J1\n##END=\n`, 'invalid', /Y check/],
    ['a bad character', `${head}##FIRSTX=1\n##LASTX=2\n##NPOINTS=2\n##XYDATA=(X++(Y..Y))\n1 1 !\n##END=\n`, 'bad-number', /not AFFN, SQZ, DIF or DUP/],
    ['a compound file', `##TITLE=c\n##JCAMP-DX=4.24\n##BLOCKS=2\n`, 'unsupported-version', /BLOCKS/],
    ['an NMR n-tuple file', `##TITLE=n\n##JCAMP-DX=5.01\n##DATA TYPE=NMR SPECTRUM\n##NTUPLES=NMR SPECTRUM\n`, 'unsupported-version', /NTUPLES/],
    ['a mass spectrum', `##TITLE=m\n##JCAMP-DX=4.24\n##DATA TYPE=MASS SPECTRUM\n##XYDATA=(XY..XY)\n`, 'not-this-kind', /not an infrared or Raman/],
    ['an (X++(R..R)) form', `${head}##FIRSTX=1\n##LASTX=2\n##NPOINTS=2\n##XYDATA=(X++(R..R))\n1 1 2\n`, 'unsupported-version', /only \(X\+\+\(Y\.\.Y\)\)/],
    [
      'a Raman spectrum in nm',
      `##TITLE=r\n##JCAMP-DX=4.24\n##DATA TYPE=RAMAN SPECTRUM\n##XUNITS=NANOMETERS\n##FIRSTX=1\n##LASTX=2\n##NPOINTS=2\n##XYDATA=(X++(Y..Y))\n1 1 2\n`,
      'bad-header',
      /laser wavelength/,
    ],
    ['no data block', `${head}##END=\n`, 'missing-column', /no ##XYDATA/],
  ])('%s → %s', async (_w, text, code, msg) => {
    const e = await parseError('jcamp-dx', text, 'bad.jdx');
    expect(e.code).toBe(code);
    expect(e.message).toMatch(msg);
    expect(e.message).toMatch(/^bad\.jdx/);
  });
});

describe('text exports', () => {
  it('Renishaw WiRE single spectrum: 12 rows, descending axis reversed, Raman', async () => {
    const [r] = await parse('renishaw-wire-txt', 'wire-single.txt');
    const x = col(r!, 'Wavenumber'),
      y = col(r!, 'Intensity');
    expect(x).toHaveLength(12);
    expect([x[0], x[11], y[0], y[11]]).toEqual([922.5, 950, 1077, 1000]);
    expect(r!.meta.technique).toBe('raman');
  });
  it('Renishaw WiRE map: one record per position, with the position in meta', async () => {
    const rs = await parse('renishaw-wire-txt', 'wire-map.txt');
    expect(rs).toHaveLength(2);
    expect(rs.map((r) => [r.meta.x, r.meta.y])).toEqual([
      [-10, 5],
      [-8, 5],
    ]);
    expect(col(rs[1]!, 'Wavenumber')).toEqual([720, 730, 740, 750, 760]);
  });
  it('Horiba LabSpec: header kept, 10 rows 650–654.5, laser line in meta', async () => {
    const [r] = await parse('horiba-labspec-txt', 'labspec.txt');
    const x = col(r!, 'Wavenumber');
    expect(x).toHaveLength(10);
    expect([x[0], x[9]]).toEqual([650, 654.5]);
    expect(r!.meta.laserNm).toBe(532.06);
    expect(r!.meta.title).toBe('LiTFSI in EC');
    expect((r!.meta.header as Record<string, string>)['Accumulations']).toBe('2');
  });
  it('Bruker OPUS data point table: 15 rows, FTIR', async () => {
    const [r] = await parse('opus-dpt', 'opus.dpt');
    const x = col(r!, 'Wavenumber');
    expect(x).toHaveLength(15);
    expect([x[0], x[14]]).toEqual([3972, 4000]);
    expect(col(r!, 'Intensity')[14]).toBe(0);
    expect(r!.meta.technique).toBe('ftir');
  });
  it('generic two-column with an axis header: 20 rows, technique from the header', async () => {
    const [r] = await parse('vibrational-two-column', 'generic-raman.txt');
    expect(col(r!, 'Wavenumber')).toHaveLength(20);
    expect(r!.meta.technique).toBe('raman');
  });
  it('technique from the file name when the file does not say; a warning when neither does', async () => {
    const t = Array.from({ length: 12 }, (_, i) => `${1000 + i}\t${i}`).join('\n');
    expect((await parse('vibrational-two-column', 'S1_ftir.txt', enc(t)))[0]!.meta.technique).toBe('ftir');
    const [r] = await parse('vibrational-two-column', 'S1.txt', enc(t));
    expect(r!.meta.technique).toBeUndefined();
    expect(r!.warnings.map((w) => w.code)).toContain('technique-unknown');
  });
  it.each([
    ['renishaw-wire-txt', '#Wave\t\t#Intensity\n100\t1\n101\tabc\n', 'bad-number', 3],
    ['renishaw-wire-txt', '#Wave\t\t#Intensity\n100\t1\t5\n', 'ragged-row', 2],
    ['vibrational-two-column', '100 1\n101 2\n100.5 3\n', 'invalid', undefined],
    ['horiba-labspec-txt', '#Laser (nm)=\t532\n#Grating=\t600\n1\t2\t3\t4\n', 'not-this-kind', 3],
    ['opus-dpt', 'wavenumber,abs\n1,2\n', 'bad-header', 1],
    ['vibrational-two-column', '100 1\n', 'no-data', undefined],
  ])('%s rejects bad input with %s', async (id, text, code, line) => {
    const e = await parseError(id, text);
    expect(e.code).toBe(code);
    if (line !== undefined) expect(e.line).toBe(line);
  });
});
