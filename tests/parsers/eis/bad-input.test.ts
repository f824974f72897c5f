/**
 * Hand-made inputs: the shared spectrum builder's validation, sign handling of the generic CSV,
 * several spectra per Gamry file, the ism layout table, and bad files with code and line asserted.
 */
import { describe, expect, it } from 'vitest';
import { eisFormats } from '../../../parsers/eis/index.js';
import { ISM_ARRAYS, ISM_HEADER, ISM_HEADER_BYTES, ISM_TYPE_SIZE } from '../../../parsers/eis/zahner-ism.js';
import { buildSpectrum } from '../../../parsers/eis/spectrum.js';
import type { FormatParser } from '../../../parsers/types.js';
import type { ParsedRecord } from '../../../src/records/record.js';
import { ParseError } from '../../../src/records/errors.js';
import { HAVE_REAL_DATA, readReal } from '../../helpers/realData.js';

const enc = new TextEncoder();
const fmt = (id: string): FormatParser => eisFormats.find((f) => f.id === id)!;
const parse = (id: string, text: string, options?: Record<string, unknown>): ParsedRecord[] =>
  fmt(id).parse({ path: 'test.txt', bytes: enc.encode(text), options }) as ParsedRecord[];
const values = (r: ParsedRecord, name: string): number[] => Array.from(r.columns.find((c) => c.name === name)!.values);

function catchParse(fn: () => unknown): ParseError {
  try {
    fn();
  } catch (e) {
    if (e instanceof ParseError) return e;
    throw e;
  }
  throw new Error('expected a ParseError');
}

const ROWS = ['1000,10,-1', '100,12,-5', '10,20,-8', '1,30,-6', '0.1,35,-3'];

describe('shared spectrum builder (through the generic CSV)', () => {
  it('too few points → no-data naming the count and the header line', () => {
    const e = catchParse(() => parse('eis-generic-csv', "# comment\nfreq/Hz,Z'/ohm,-Z''/ohm\n1000,1,1\n100,2,3\n10,3,4\n"));
    expect(e.code).toBe('no-data');
    expect(e.line).toBe(2);
    expect(e.message).toContain('3 usable point(s)');
  });

  it('NaN points dropped with a count; zero/negative frequencies dropped with a warning', () => {
    const r = parse('eis-generic-csv', `freq,Zre,Zim\n${ROWS.join('\n')}\n50,nan,-2\n0,5,-1\n-3,5,-1\n`)[0]!;
    expect(values(r, 'Frequency')).toEqual([1000, 100, 10, 1, 0.1]);
    const byCode = new Map(r.warnings.map((w) => [w.code, w]));
    expect(byCode.get('nan-points-dropped')!.rows).toBe(1);
    expect(byCode.get('nonpositive-frequency-dropped')!.rows).toBe(2);
  });

  it('unsorted and repeated frequencies are kept but flagged', () => {
    const r = parse('eis-generic-csv', `freq,Zre,Zim\n${ROWS.join('\n')}\n100,13,-5\n`)[0]!;
    expect(values(r, 'Frequency')).toHaveLength(6);
    const codes = r.warnings.map((w) => w.code);
    expect(codes).toContain('frequencies-unsorted');
    expect(codes).toContain('frequencies-repeated');
  });

  it('rejects columns of unequal length as invalid input', () => {
    const e = catchParse(() =>
      buildSpectrum({
        path: 'x',
        spectrumIndex: 0,
        meta: {},
        imagSign: { convention: 'im', basis: 'format', detail: '' },
        columns: [
          { name: 'Frequency', unit: 'Hz', values: new Float64Array(5).fill(1) },
          { name: 'Real Impedance', unit: 'ohm', values: new Float64Array(5) },
          { name: 'Imaginary Impedance', unit: 'ohm', values: new Float64Array(4) },
        ],
      }),
    );
    expect(e.code).toBe('invalid');
  });
});

describe('generic CSV sign convention', () => {
  const pos = ROWS.map((r) => r.replace(/,-/, ',')).join('\n');

  it("header '-Z''' → file gives −Im(Z): flipped, basis header", () => {
    const r = parse('eis-generic-csv', `freq/Hz,Z'/ohm,"-Z''/ohm"\n${pos}\n`)[0]!;
    expect(values(r, 'Imaginary Impedance')).toEqual([-1, -5, -8, -6, -3]);
    expect(r.meta.imagSignSource).toMatchObject({ convention: 'minus-im', basis: 'header' });
  });

  it('no sign in header, positive at low frequency → read as −Im(Z) from the data, with a warning', () => {
    const r = parse('eis-generic-csv', `Frequency (Hz);Z' (Ohm);Z'' (Ohm)\n${pos.replace(/,/g, ';')}\n`)[0]!;
    expect(values(r, 'Imaginary Impedance')).toEqual([-1, -5, -8, -6, -3]);
    expect(r.meta.imagSignSource).toMatchObject({ convention: 'minus-im', basis: 'data' });
    expect(r.warnings.map((w) => w.code)).toContain('imag-sign-inferred');
  });

  it('no sign in header, negative at low frequency → kept as Im(Z)', () => {
    const r = parse('eis-generic-csv', `freq,Re(Z),Im(Z)\n${ROWS.join('\n')}\n`)[0]!;
    expect(values(r, 'Imaginary Impedance')).toEqual([-1, -5, -8, -6, -3]);
    expect(r.meta.imagSignSource).toMatchObject({ convention: 'im', basis: 'data' });
  });

  it('the imagSign option overrides; an invalid option is refused', () => {
    const r = parse('eis-generic-csv', `freq,Zre,Zim\n${ROWS.join('\n')}\n`, { imagSign: 'minus-im' })[0]!;
    expect(values(r, 'Imaginary Impedance')).toEqual([1, 5, 8, 6, 3]);
    expect(r.meta.imagSignSource).toMatchObject({ basis: 'option' });
    expect(catchParse(() => parse('eis-generic-csv', `freq,Zre,Zim\n${ROWS.join('\n')}\n`, { imagSign: 'up' })).code).toBe('invalid');
  });

  it('kHz and kOhm headers are converted', () => {
    const r = parse('eis-generic-csv', `f (kHz),Z' (kOhm),-Z'' (kOhm)\n1,1,1\n0.1,2,2\n0.01,3,3\n0.001,4,2\n0.0001,5,1\n`)[0]!;
    expect(values(r, 'Frequency')[0]).toBe(1000);
    expect(values(r, 'Real Impedance')[4]).toBe(5000);
    expect(values(r, 'Imaginary Impedance')[1]).toBe(-2000);
  });
});

describe('bad files: code and line', () => {
  it('text in a number column → bad-number at its line (CHI)', () => {
    const text = 'Feb. 20, 2020   15:55:08\nA.C. Impedance\n\nFreq/Hz, Z\'/ohm, Z"/ohm, Z/ohm, Phase/deg\n\n1e4, 1, -1, 1, -1\n1e3, 2, oops, 2, -2\n';
    const e = catchParse(() => parse('chi-txt', text));
    expect(e.code).toBe('bad-number');
    expect(e.line).toBe(7);
    expect(e.found?.trim()).toBe('oops');
  });

  it('missing Z column → missing-column naming what was expected (generic CSV)', () => {
    const e = catchParse(() => parse('eis-generic-csv', 'freq,Zmod\n1,2\n'));
    expect(e.code).toBe('missing-column');
    expect(e.line).toBe(1);
  });

  it('ZPlot .z without End Comments → truncated', () => {
    const e = catchParse(() => parse('zplot-z', 'ZPLOT2 ASCII\n  Date:  01-13-2018\n'));
    expect(e.code).toBe('truncated');
  });

  it('Gamry table cut before its units row → truncated at the TABLE line', () => {
    const e = catchParse(() => parse('gamry-dta', 'EXPLAIN\nTAG\tEISPOT\nZCURVE\tTABLE\n\tPt\tTime\tFreq\tZreal\tZimag\n'));
    expect(e.code).toBe('truncated');
    expect(e.line).toBe(3);
  });

  it('empty file → empty-file', () => {
    expect(catchParse(() => parse('powersuite-txt', '')).code).toBe('empty-file');
  });

  it('a file that is not the format → bad-header at line 1', () => {
    const e = catchParse(() => parse('maccor-eis-txt', "Today's Date 03/07/2018\nRec#\tCyc#\n"));
    expect(e.code).toBe('bad-header');
    expect(e.line).toBe(1);
  });
});

describe.skipIf(!HAVE_REAL_DATA)('bad and multi-spectrum files built from real ones', () => {
  it('a .z cut in the middle of its last row loses that row with a truncated-last-line warning', () => {
    const bytes = readReal('eis/zview-z/impedancepy__Circuit1_EIS_1.z');
    const text = new TextDecoder().decode(bytes).replace(/\s+$/, '');
    const cut = text.slice(0, text.lastIndexOf('\t', text.lastIndexOf('\t') - 1));
    const r = parse('zplot-z', cut)[0]!;
    expect(values(r, 'Frequency')).toHaveLength(47);
    expect(r.warnings.map((w) => w.code)).toContain('truncated-last-line');
  });

  it('a truncated .ism → truncated with the byte offset', () => {
    const bytes = readReal('eis/zahner-ism/zahner__rc-data.ism').subarray(0, 1000);
    const e = catchParse(() => fmt('zahner-ism').parse({ path: 'cut.ism', bytes }));
    expect(e.code).toBe('truncated');
    expect(e.offset).toBe(1000);
    expect(e.message).toContain('75-point');
  });

  it('two ZCURVE tables in one Gamry file → two records, spectrumIndex 0 and 1', () => {
    const text = new TextDecoder('latin1').decode(readReal('eis/gamry-dta/impedancepy__exampleDataGamry.DTA'));
    const start = text.indexOf('ZCURVE\tTABLE');
    const second = text.slice(start).replace('ZCURVE\tTABLE', 'ZCURVE2\tTABLE');
    const recs = parse('gamry-dta', `${text.trimEnd()}\n${second}`);
    expect(recs).toHaveLength(2);
    expect(recs.map((r) => r.meta.spectrumIndex)).toEqual([0, 1]);
    expect(recs.map((r) => r.meta.table)).toEqual(['ZCURVE', 'ZCURVE2']);
    expect(values(recs[1]!, 'Frequency')).toHaveLength(72);
  });

  it('a Gamry ZCURVE with a word in the Zimag column → bad-number at that line', () => {
    const text = new TextDecoder('latin1').decode(readReal('eis/gamry-dta/gamryparser__eispot_data.dta'));
    const bad = text.replace('-4.283262', 'x4.283');
    const e = catchParse(() => parse('gamry-dta', bad));
    expect(e.code).toBe('bad-number');
    expect(e.line).toBe(23);
  });
});

describe('Zahner .ism layout table', () => {
  it('unique names, header fields inside the header, 34 bytes per point', () => {
    const names = [...ISM_HEADER.map((f) => f.name), ...ISM_ARRAYS.map((a) => a.name)];
    expect(new Set(names).size).toBe(names.length);
    let end = 0;
    for (const f of ISM_HEADER) {
      expect(f.offset).toBeGreaterThanOrEqual(end);
      end = f.offset + ISM_TYPE_SIZE[f.type];
    }
    expect(end).toBe(ISM_HEADER_BYTES);
    expect(ISM_ARRAYS.reduce((s, a) => s + ISM_TYPE_SIZE[a.type], 0)).toBe(34);
  });
});
