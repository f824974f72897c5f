import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { scanDelimited, type CellKind, type ScanResult } from '../../../parsers/text/table.js';

/**
 * The scanner's fused fast path (split + convert in one pass) must give exactly what the general
 * path gives — values, counts, warnings and errors — on any input, including the odd cells it hands over.
 */
const cell = fc.oneof(
  fc.double({ noNaN: true, noDefaultInfinity: true }).map((x) => String(x)),
  fc.integer({ min: -1e9, max: 1e9 }).map(String),
  fc.constantFrom(
    '',
    ' ',
    '1.5 ',
    ' 2',
    '-',
    '+3',
    '.5',
    '5.',
    '1e5',
    '1E-3',
    '1e',
    'nan',
    'NaN',
    'inf',
    '-inf',
    'abc',
    '"7"',
    '"a,b"',
    '0.000000000000000001',
    '12345678901234567890',
    '3,5',
    '1e400',
    '-0',
    '01/13/2024 00:00:10',
    '2024-01-02T03:04:05',
  ),
);
const row = (n: number) => fc.array(cell, { minLength: n - 1, maxLength: n + 1 });
const eolArb = fc.constantFrom('\n', '\r\n', '\r');

function run(text: string, kinds: CellKind[], generalOnly: boolean): ScanResult | string {
  const b = new TextEncoder().encode(text);
  try {
    return scanDelimited(b, {
      path: 'f.csv',
      start: 0,
      firstLine: 2,
      delimiter: ',',
      kinds,
      names: kinds.map((_, i) => `c${i}`),
      onBadNumber: 'nan',
      onShortRow: 'pad',
      generalOnly,
    });
  } catch (e) {
    return String((e as Error).message) + JSON.stringify(e);
  }
}

function plain(r: ScanResult | string): unknown {
  if (typeof r === 'string') return r;
  return { ...r, numbers: r.numbers.map((a) => (a ? Array.from(a, (v) => (Object.is(v, -0) ? '-0' : Number.isNaN(v) ? 'NaN' : v)) : a)) };
}

describe('fused fast path = general path', () => {
  it('on random rows of numbers, dates, text, blanks, quotes and ragged lines', () => {
    const kinds: CellKind[] = ['number', 'number', 'datetime', 'string', 'number'];
    fc.assert(
      fc.property(fc.array(row(kinds.length), { maxLength: 12 }), eolArb, fc.boolean(), (rows, eol, finalEol) => {
        const text = rows.map((r) => r.join(',')).join(eol) + (finalEol ? eol : '');
        expect(plain(run(text, kinds, false))).toEqual(plain(run(text, kinds, true)));
      }),
      { numRuns: 3000, seed: 20261125 },
    );
  });

  it('errors name the same line and column either way', () => {
    const text = '1,2\n3,4\n5,x\n';
    const b = new TextEncoder().encode(text);
    const opts = { path: 'f.csv', start: 0, firstLine: 2, delimiter: ',', kinds: ['number', 'number'] as CellKind[], names: ['a', 'b'] };
    expect(() => scanDelimited(b, opts)).toThrow(/text in a numeric column/);
    try {
      scanDelimited(b, opts);
    } catch (e) {
      expect(e).toMatchObject({ line: 4, column: 'b', found: 'x' });
    }
  });

  it('reads the plain shapes exactly (Clinger fast path values)', () => {
    const r = run('0.017101000,-1.0844410,3.337041e-5,123456789012345,1e22\n', ['number', 'number', 'number', 'number', 'number'], false) as ScanResult;
    expect(Array.from(r.numbers.map((a) => a![0]))).toEqual([0.017101, -1.084441, 3.337041e-5, 123456789012345, 1e22]);
  });
});
