import { describe, it, expect } from 'vitest';
import { parseNumberBytes, scanDelimited, splitFields, detectDelimiter } from '../../../parsers/text/table.js';
import { readMappedTable } from '../../../parsers/text/columns.js';
import { CYCLER } from '../../../src/records/names.js';
import { ParseError } from '../../../src/records/errors.js';
import { unitFactor, splitHeaderUnit } from '../../../parsers/text/units.js';
import { parseDuration, detectDecimalComma } from '../../../parsers/text/numbers.js';
import { parseDateTime } from '../../../parsers/text/datetime.js';
import { decodeText } from '../../../parsers/text/decode.js';
import { mulberry32 } from '../../../fixtures/virtual-lab/random.js';

const enc = new TextEncoder();

describe('parseNumberBytes', () => {
  it('agrees with Number() bit for bit on 20,000 random decimal strings', () => {
    const r = mulberry32(7);
    for (let i = 0; i < 20000; i++) {
      const mag = Math.floor(r() * 40) - 20;
      const v = (r() - 0.5) * 10 ** mag;
      const s = [v.toString(), v.toExponential(Math.floor(r() * 16)), v.toFixed(Math.floor(r() * 10)), v.toPrecision(1 + Math.floor(r() * 20))][i % 4]!;
      const b = enc.encode(s);
      expect(parseNumberBytes(b, 0, b.length, 46)).toBe(Number(s));
    }
  });
  it('reads decimal commas, signs, spaces, inf; rejects text', () => {
    const p = (s: string, dec = 46): number => parseNumberBytes(enc.encode(s), 0, enc.encode(s).length, dec);
    expect(p('  -1,25e-3 ', 44)).toBe(-0.00125);
    expect(p('+7.')).toBe(7);
    expect(p('.5')).toBe(0.5);
    expect(p('inf')).toBe(Infinity);
    expect(p('12a')).toBeNaN();
    expect(p('1e')).toBeNaN();
    expect(p('123456789012345678901234567890')).toBe(1.2345678901234568e29);
  });
});

describe('scanDelimited / readMappedTable', () => {
  const csv = '\ufeffTime(min),Voltage(mV),Current(mA),Step\r\n0,3000,1.5,CC\r\n1,3100.5,-2,CV\r\n\r\n2,3200,0,Rest\r\n';
  const bytes = enc.encode(csv);
  const header = 'Time(min),Voltage(mV),Current(mA),Step';
  const dataStart = enc.encode('\ufeff' + header + '\r\n').length;

  it('maps headers by rule, converts units, keeps unmapped columns, skips blank lines', () => {
    const t = readMappedTable({
      path: 'x.csv',
      bytes,
      header,
      headerLine: 0,
      dataStart,
      sample: ['0,3000,1.5,CC'],
      delimiter: ',',
      rules: [
        { match: ['Time'], to: CYCLER.testTime, required: true },
        { match: ['Voltage'], to: CYCLER.voltage },
        { match: ['Current'], to: CYCLER.current },
      ],
    });
    expect(t.rows).toBe(3);
    const col = (n: string) => t.columns.find((c) => c.name === n)!;
    expect(Array.from(col('Test Time').values)).toEqual([0, 60, 120]);
    expect(Array.from(col('Voltage').values)).toEqual([3, 3.1005, 3.2]);
    expect(Array.from(col('Current').values)).toEqual([0.0015, -0.002, 0]);
    expect(col('Step').levels).toEqual(['CC', 'CV', 'Rest']);
  });

  it('throws a located ParseError for text in a numeric column', () => {
    const b = enc.encode('a,b\n1,2\n3,x7\n');
    try {
      scanDelimited(b, { path: 'f.csv', start: 4, firstLine: 2, delimiter: ',', kinds: ['number', 'number'], names: ['a', 'b'] });
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(ParseError);
      const pe = e as ParseError;
      expect(pe.code).toBe('bad-number');
      expect(pe.line).toBe(3);
      expect(pe.column).toBe('b');
      expect(pe.message).toBe("f.csv:3: text in a numeric column [column 'b'] (expected a number, found x7)");
    }
  });

  it('a truncated last line is not read and is reported', () => {
    const b = enc.encode('a,b,c\n1,2,3\n4,5');
    const r = scanDelimited(b, { path: 'f.csv', start: 6, firstLine: 2, delimiter: ',', kinds: ['number', 'number', 'number'], names: ['a', 'b', 'c'] });
    expect(r.rows).toBe(1);
    expect(r.truncatedLastLine).toBe(true);
  });

  it('quoted fields with delimiters, trailing delimiter, whitespace-delimited', () => {
    const b = enc.encode('"1,5",2,\n3,4,\n');
    const r = scanDelimited(b, { path: 'f', start: 0, firstLine: 1, delimiter: ',', decimalComma: true, kinds: ['number', 'number'], names: ['a', 'b'] });
    expect(Array.from(r.numbers[0]!)).toEqual([1.5, 3]);
    const w = enc.encode('  1   2\t3\n4 5 6\n');
    const r2 = scanDelimited(w, { path: 'f', start: 0, firstLine: 1, delimiter: ' ', kinds: ['number', 'number', 'number'], names: ['a', 'b', 'c'] });
    expect(Array.from(r2.numbers[2]!)).toEqual([3, 6]);
    expect(splitFields('a,"b,c",d', ',')).toEqual(['a', 'b,c', 'd']);
    expect(detectDelimiter(['a;b;c', '1,5;2;3'])).toBe(';');
  });
});

describe('units, durations, dates, decoding', () => {
  it('converts the units instruments write', () => {
    expect(unitFactor('mA', 'A')).toBe(1e-3);
    expect(unitFactor('mA.h', 'Ah')).toBeCloseTo(1e-3, 15);
    expect(unitFactor('µAh', 'Ah')).toBeCloseTo(1e-6, 18);
    expect(unitFactor('kOhm', 'ohm')).toBe(1e3);
    expect(unitFactor('min', 's')).toBe(60);
    expect(unitFactor('h', 's')).toBe(3600);
    expect(unitFactor('mWh', 'Wh')).toBe(1e-3);
    expect(unitFactor('C', 'Ah')).toBeCloseTo(1 / 3600, 15);
    expect(() => unitFactor('mA', 'V')).toThrow(/cannot convert/);
    expect(splitHeaderUnit('Capacity(mAh)')).toEqual({ name: 'Capacity', unit: 'mAh' });
    expect(splitHeaderUnit('Ewe/V')).toEqual({ name: 'Ewe', unit: 'V' });
    expect(splitHeaderUnit('Test Time / h')).toEqual({ name: 'Test Time', unit: 'h' });
  });
  it('durations and dates', () => {
    expect(parseDuration('01:02:03.5')).toBe(3723.5);
    expect(parseDuration('1d 00:00:10')).toBe(86410);
    expect(parseDuration('2.01:00:00')).toBe(2 * 86400 + 3600);
    expect(parseDateTime('2017-07-02T14:39:13Z')).toBe(1499006353);
    expect(parseDateTime('07/02/2017 2:39:13 PM')).toBe(1499006353);
    expect(parseDateTime('02.07.2017 14:39:13')).toBe(1499006353);
    expect(parseDateTime('23-Nov-23 3:56:11 PM')).toBe(Date.UTC(2023, 10, 23, 15, 56, 11) / 1000);
    expect(detectDecimalComma(['1,5\t2,25', '3,1\t4'], '\t')).toBe(true);
  });
  it('decodes BOMs, UTF-16 and latin-1 fallbacks', () => {
    expect(decodeText(new Uint8Array([0xef, 0xbb, 0xbf, 0x61])).text).toBe('a');
    expect(decodeText(new Uint8Array([0xff, 0xfe, 0x61, 0x00, 0x62, 0x00])).text).toBe('ab');
    const l1 = decodeText(new Uint8Array([0x54, 0xb0, 0x43]));
    expect(l1.text).toBe('T°C');
    expect(l1.fellBack).toBe(true);
  });
});

describe('toolkit edge cases found by the EIS readers', () => {
  it('a quote inside a header field is text, not a quoted field', () => {
    expect(splitFields('Freq/Hz, Z\'/ohm, Z"/ohm, Z/ohm', ',')).toEqual(['Freq/Hz', "Z'/ohm", 'Z"/ohm', 'Z/ohm']);
    const b = enc.encode('1,2"x,3\n4,5,6\n');
    const r = scanDelimited(b, { path: 'f', start: 0, firstLine: 1, delimiter: ',', kinds: ['number', 'string', 'number'], names: ['a', 'b', 'c'] });
    expect(r.rows).toBe(2);
    expect(r.strings[1]).toEqual(['2"x', '5']);
  });
  it('names with letters in brackets are not units; Sec is seconds', () => {
    expect(splitHeaderUnit("Z'(a)")).toEqual({ name: "Z'(a)", unit: '' });
    expect(splitHeaderUnit('Re(Z)/Ohm')).toEqual({ name: 'Re(Z)', unit: 'Ohm' });
    expect(splitHeaderUnit('SpeCap(mAh/g)')).toEqual({ name: 'SpeCap', unit: 'mAh/g' });
    expect(unitFactor('Sec', 's')).toBe(1);
    expect(unitFactor('Min', 's')).toBe(60);
  });
  it('a short final row that ends with a newline is a short row, not a truncated write', () => {
    const b = enc.encode('1,2,3\n4,5\n');
    expect(() =>
      scanDelimited(b, { path: 'f', start: 0, firstLine: 1, delimiter: ',', kinds: ['number', 'number', 'number'], names: ['a', 'b', 'c'] }),
    ).toThrow(/row has 2 fields but the header has 3/);
  });
});

describe('dates with milliseconds', () => {
  it('a dot in the time part does not switch the date to day-first', () => {
    expect(parseDateTime('11/20/2024 11:38:41.707')).toBeCloseTo(Date.UTC(2024, 10, 20, 11, 38, 41, 707) / 1000, 6);
    expect(parseDateTime('20.11.2024 11:38:41.5')).toBeCloseTo(Date.UTC(2024, 10, 20, 11, 38, 41, 500) / 1000, 6);
  });
});

import { parseDateTimeBytes } from '../../../parsers/text/datetime.js';
describe('parseDateTimeBytes agrees with parseDateTime', () => {
  it('on the layouts cyclers write, and falls back for the rest', () => {
    const cases = [
      '07/02/2017 2:39:13 PM',
      '12/31/1999 23:59:59',
      '2017-07-02T14:39:13',
      '2017-07-02 14:39:13.25',
      '02.07.2017 14:39:13',
      '1/2/24 12:00:00 AM',
      '2024-02-29',
      '31-Dec-20 3:56:11 PM',
      '2017-07-02T14:39:13+02:00',
      '13/13/2020 00:00:00',
      'garbage',
    ];
    for (const c of cases) {
      const b = enc.encode(`  ${c} `);
      const want = parseDateTime(c);
      const got = parseDateTimeBytes(b, 0, b.length);
      if (Number.isNaN(want)) expect(got, c).toBeNaN();
      else expect(got, c).toBeCloseTo(want, 6);
    }
    const d = enc.encode('05/04/2020 10:00:00');
    expect(parseDateTimeBytes(d, 0, d.length, 'dmy')).toBe(parseDateTime('05/04/2020 10:00:00', 'dmy'));
  });
});

describe('units used by ferroelectric and XPS files', () => {
  it('fields, areal charge, lengths and areas', () => {
    expect(unitFactor('MV/cm', 'kV/cm')).toBeCloseTo(1000, 9);
    expect(unitFactor('V/µm', 'kV/cm')).toBeCloseTo(10, 12);
    expect(unitFactor('C/m²', 'uC/cm2')).toBeCloseTo(100, 9);
    expect(unitFactor('mC/m2', 'uC/cm2')).toBeCloseTo(0.1, 12);
    expect(unitFactor('uC_per_cm2', 'uC/cm2')).toBe(1);
    expect(unitFactor('um', 'nm')).toBeCloseTo(1000, 9);
    expect(unitFactor('mm²', 'cm2')).toBeCloseTo(0.01, 15);
    expect(unitFactor('\uFFFDC', 'degC')).toBe(1);
  });
});
