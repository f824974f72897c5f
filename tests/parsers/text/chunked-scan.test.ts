import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { scanDelimited, type CellKind, type ScanOptions, type ScanResult } from '../../../parsers/text/table.js';
import { memorySource, scanSource } from '../../../parsers/text/chunked-scan.js';

/**
 * A table read from a file in chunks must be exactly the table read from the whole bytes: every
 * value, count and warning, and the same error at the same line, wherever the chunk boundaries fall
 * (inside a number, between CR and LF, inside a quoted field that spans lines).
 */
const cell = fc.oneof(
  fc.double({ noNaN: true, noDefaultInfinity: true }).map((x) => String(x)),
  fc.integer({ min: -1e6, max: 1e6 }).map(String),
  fc.constantFrom('', ' ', '1.5 ', '-', '.5', '1e5', 'nan', 'abc', '"7"', '"a,b"', '"multi\nline"', '01/13/2024 00:00:10'),
);
const eolArb = fc.constantFrom('\n', '\r\n', '\r');

function outcome(f: () => ScanResult): unknown {
  try {
    const r = f();
    return { ...r, numbers: r.numbers.map((a) => (a ? Array.from(a, (v) => (Number.isNaN(v) ? 'NaN' : v)) : a)) };
  } catch (e) {
    return `${(e as Error).message}`;
  }
}

describe('chunked file scan = whole-bytes scan', () => {
  it('on random tables, for chunk sizes from 1 byte up', () => {
    const kinds: CellKind[] = ['number', 'datetime', 'string', 'number'];
    fc.assert(
      fc.property(
        fc.array(fc.array(cell, { minLength: 3, maxLength: 5 }), { maxLength: 10 }),
        eolArb,
        fc.boolean(),
        fc.integer({ min: 1, max: 64 }),
        fc.constantFrom<'error' | 'nan'>('error', 'nan'),
        fc.boolean(),
        (rows, eol, finalEol, chunk, onBad, stopAtBlank) => {
          const text = 'h1,h2,h3,h4' + eol + rows.map((r) => r.join(',')).join(eol) + (finalEol ? eol : '');
          const bytes = new TextEncoder().encode(text);
          const start = text.indexOf(eol) + eol.length;
          const o: ScanOptions = {
            path: 'f.csv',
            start,
            firstLine: 2,
            delimiter: ',',
            kinds,
            names: ['h1', 'h2', 'h3', 'h4'],
            onBadNumber: onBad,
            onShortRow: 'pad',
            stopAtBlankLine: stopAtBlank,
          };
          expect(outcome(() => scanSource(memorySource(bytes), o, undefined, chunk))).toEqual(outcome(() => scanDelimited(bytes, o)));
        },
      ),
      { numRuns: 2000, seed: 1125 },
    );
  });

  it('reports a bad cell at its true line number across chunks', () => {
    const lines = ['a,b'];
    for (let i = 0; i < 5000; i++) lines.push(`${i},${i * 2}`);
    lines[4321] = '4320,oops';
    const bytes = new TextEncoder().encode(lines.join('\n') + '\n');
    const o: ScanOptions = { path: 'f.csv', start: 4, firstLine: 2, delimiter: ',', kinds: ['number', 'number'], names: ['a', 'b'] };
    let err: unknown;
    try {
      scanSource(memorySource(bytes), o, undefined, 1000);
    } catch (e) {
      err = e;
    }
    expect(err).toMatchObject({ line: 4322, column: 'b', found: 'oops' });
  });

  it('reads 200,000 rows with 64 KB chunks to the same columns', () => {
    const lines = ['t,v'];
    for (let i = 0; i < 200_000; i++) lines.push(`${(i * 0.1).toFixed(1)},${Math.sin(i).toFixed(9)}`);
    const bytes = new TextEncoder().encode(lines.join('\r\n'));
    const o: ScanOptions = { path: 'f.csv', start: 5, firstLine: 2, delimiter: ',', kinds: ['number', 'number'], names: ['t', 'v'] };
    const r = scanSource(memorySource(bytes), o, undefined, 65536);
    expect(r.rows).toBe(200_000);
    expect(r.numbers[1]![123_456]).toBe(Number(Math.sin(123_456).toFixed(9)));
    expect(r.numbers[0]).toEqual(scanDelimited(bytes, o).numbers[0]);
  });
});
