/**
 * .nda versions 1–29, 129 and 130/BTS 9.0 on hand-made files written byte by byte in the documented layouts
 * (fixtures/neware-binary/writer.ts). No real file of these versions is in shared/real-data.
 */
import { describe, expect, it } from 'vitest';
import { newareNda } from '../../../../parsers/cycler/neware-nda.js';
import { NDA_LAYOUTS, NDA_V130_BTS90, layoutProblems, ndaLayoutFor } from '../../../../parsers/cycler/neware.layout.js';
import { SYNTH, syntheticNdaFiles, writeNda } from '../../../../fixtures/neware-binary/writer.js';
import { ParseError } from '../../../../src/records/errors.js';
import { findColumn, rowCount, type ParsedRecord } from '../../../../src/records/record.js';
import { sniffOf } from './sniff-input.js';

const col = (r: ParsedRecord, n: string): Float64Array | Int32Array => findColumn(r, n)!.values;
const parse = (bytes: Uint8Array, path = 'hand.nda'): ParsedRecord => (newareNda.parse({ path, bytes }) as ParsedRecord[])[0]!;
function parseError(bytes: Uint8Array, path = 'bad.nda'): ParseError {
  try {
    newareNda.parse({ path, bytes });
  } catch (e) {
    expect(e).toBeInstanceOf(ParseError);
    return e as ParseError;
  }
  throw new Error('expected a ParseError');
}

const FILES = syntheticNdaFiles();

describe('Neware .nda layout tables (versions 1–29, 129, 130/BTS 9.0)', () => {
  it.each([...NDA_LAYOUTS, NDA_V130_BTS90].map((l) => [l.record.id, l] as const))('%s: sound table', (_id, l) => {
    expect(layoutProblems(l.record)).toEqual([]);
    if (l.aux) expect(layoutProblems(l.aux.record)).toEqual([]);
    for (const need of ['voltage', 'current', 'stepIndex', 'status']) expect(l.record.fields.map((f) => f.name)).toContain(need);
  });

  it('every nda version 1–29 that fastnda reads has exactly one layout; 21 (never issued) and 30+ have none', () => {
    const versions = NDA_LAYOUTS.flatMap((l) => l.versions);
    expect(new Set(versions).size).toBe(versions.length);
    for (let v = 1; v <= 29; v++) expect(ndaLayoutFor(v) !== undefined).toBe(v !== 21);
    expect(ndaLayoutFor(129)?.record.id).toBe('nda-129');
    expect(ndaLayoutFor(31)).toBeUndefined();
  });
});

describe.each(FILES.map((f) => [f.id, f] as const))('hand-made %s', (_id, f) => {
  const r = (): ParsedRecord => parse(f.bytes, `${f.id}.nda`);

  it('sniffs as .nda', () => {
    expect(newareNda.sniff(sniffOf('x.nda', f.bytes))).toBeGreaterThan(0.9);
  });

  it('6 rows; first/last voltage, current through the range multiplier, step structure', () => {
    const rec = r();
    expect(rowCount(rec)).toBe(6);
    expect(rec.meta.ndaVersion).toBe(f.version);
    expect(rec.meta.layout).toBe(f.id);
    expect(col(rec, 'Voltage')[0]).toBeCloseTo(3.5, 4);
    expect(col(rec, 'Voltage')[5]).toBeCloseTo(3.55, 4);
    expect(col(rec, 'Current')[0]).toBe(0);
    expect(col(rec, 'Current')[5]).toBeCloseTo(-0.002, 9);
    expect([...col(rec, 'Step Count')]).toEqual([1, 1, 1, 2, 2, 2]);
    expect(findColumn(rec, 'Step Type')!.levels).toEqual(['Rest', 'CC_DChg']);
    expect([...col(rec, 'Record Index')]).toEqual([1, 2, 3, 4, 5, 6]);
  });

  it('step time as stored; test time = running sum of step times (10 … 60 s)', () => {
    const rec = r();
    expect(Array.from(col(rec, 'Step Time'), (x) => Math.round(x * 1000) / 1000)).toEqual([10, 20, 30, 10, 20, 30]);
    expect(Array.from(col(rec, 'Test Time'), (x) => Math.round(x * 1000) / 1000)).toEqual([10, 20, 30, 40, 50, 60]);
  });

  it('discharge capacity 60 mA·s at the last row, in the discharge column whatever the sign convention', () => {
    const rec = r();
    expect(col(rec, 'Discharging Capacity')[5]! * 3.6e6).toBeCloseTo(60, 3);
    expect(col(rec, 'Discharging Capacity')[3]! * 3.6e6).toBeCloseTo(20, 3);
    expect(Math.max(...col(rec, 'Charging Capacity'))).toBe(0);
    if (findColumn(rec, 'Discharging Energy')) expect(col(rec, 'Discharging Energy')[5]! * 3.6e6).toBeCloseTo(210, 2);
  });

  it('cycle 1 throughout; wall clock where the layout has one', () => {
    const rec = r();
    if (f.layout.cycle) expect([...new Set(col(rec, 'Cycle Count'))]).toEqual([1]);
    const hasClock = f.layout.record.fields.some((x) => x.name === 'unixS' || x.name === 'year');
    if (hasClock) {
      expect(col(rec, 'Unix Time')[0]).toBeCloseTo(SYNTH.unix(0), 3);
      expect(col(rec, 'Unix Time')[5]).toBeCloseTo(SYNTH.unix(5), 3);
      expect(rec.meta.startTime).toBe('2019-03-05T12:00:00.000Z');
    } else {
      expect(findColumn(rec, 'Unix Time')).toBeUndefined();
    }
  });

  it('layouts no real file has confirmed upstream say so in a warning', () => {
    const codes = r().warnings.map((w) => w.code);
    expect(codes.includes('layout-unverified')).toBe(!f.layout.verifiedUpstream);
    expect(codes.filter((c) => c !== 'layout-unverified')).toEqual([]);
  });
});

describe('aux records and current ranges', () => {
  it('v29: inline 0x65 aux records → Aux Temperature 1 joined by record index', () => {
    const rec = parse(writeNda(29, ndaLayoutFor(29)!, { aux: true }));
    expect(rowCount(rec)).toBe(6);
    expect(findColumn(rec, 'Aux Temperature 1')!.unit).toBe('degC');
    expect(col(rec, 'Aux Temperature 1')[0]).toBeCloseTo(25.0, 3);
    expect(col(rec, 'Aux Temperature 1')[5]).toBeCloseTo(25.5, 3);
    expect(findColumn(rec, 'Aux Voltage 1')).toBeUndefined(); // all zero → not a column
  });

  it('v11: aux block at the header pointer 72/76', () => {
    const rec = parse(writeNda(11, ndaLayoutFor(11)!, { aux: true }));
    expect(col(rec, 'Aux Temperature 1')[5]).toBeCloseTo(25.5, 3);
  });

  it('v29 without aux records has no aux columns', () => {
    const rec = parse(writeNda(29, ndaLayoutFor(29)!));
    expect(rec.columns.filter((c) => c.name.startsWith('Aux'))).toEqual([]);
  });

  it('a record range of 0 falls back to the header range (here 100 → × 0.01 mA)', () => {
    const rec = parse(writeNda(29, ndaLayoutFor(29)!, { recordRange: 0, headerRange: 100 }));
    expect(col(rec, 'Current')[5]).toBeCloseTo(-0.002, 9);
    expect(rec.warnings).toEqual([]);
  });

  it('header-range layouts (v5) read the range at block(u32 @16) + 26', () => {
    const rec = parse(writeNda(5, ndaLayoutFor(5)!, { headerRange: 10 }));
    expect(col(rec, 'Current')[5]).toBeCloseTo(-0.002, 9);
  });

  it('an unknown range code uses the fastnda rule and warns naming the code', () => {
    const b = writeNda(29, ndaLayoutFor(29)!);
    const L = 86;
    const start = 2048;
    for (let i = 0; i < 6; i++) new DataView(b.buffer).setInt32(start + i * L + 78, 7777, true); // rule: ≥1000 → × 0.1
    const rec = parse(b);
    const w = rec.warnings.find((x) => x.code === 'unknown-current-range')!;
    expect(w.message).toContain('7777');
    expect(col(rec, 'Current')[5]).toBeCloseTo(-0.002, 9);
  });

  it('v5 cycle numbering differs by file version: 5/7 zero-based, 6/8 one-based', () => {
    for (const v of [5, 6, 7, 8]) expect([...new Set(col(parse(writeNda(v, ndaLayoutFor(v)!)), 'Cycle Count'))]).toEqual([1]);
  });
});

describe('.nda error paths name file and byte offset', () => {
  it('v29 cut inside its last record → truncated at that record', () => {
    const b = writeNda(29, ndaLayoutFor(29)!);
    const e = parseError(b.subarray(0, b.length - 30), 'cut29.nda');
    expect(e.code).toBe('truncated');
    expect(e.file).toBe('cut29.nda');
    expect(e.offset).toBe(2048 + 5 * 86);
    expect(e.found).toBe('56 bytes');
  });

  it('v5 cut before the end of the block the header announces → truncated at the end of the file', () => {
    const b = writeNda(5, ndaLayoutFor(5)!);
    const e = parseError(b.subarray(0, 2048 + 100));
    expect(e.code).toBe('truncated');
    expect(e.offset).toBe(2148);
    expect(e.expected).toBe(`${2048 + 6 * 59} bytes`);
  });

  it('v5 header pointing past the end of the file → truncated', () => {
    const b = writeNda(5, ndaLayoutFor(5)!).slice();
    new DataView(b.buffer).setUint32(64, 999_999, true);
    const e = parseError(b);
    expect(e.code).toBe('truncated');
    expect(e.offset).toBe(b.length);
  });

  it('v29 without any record start → no-data naming the bytes searched for', () => {
    const b = writeNda(29, ndaLayoutFor(29)!).slice(0, 2048);
    const e = parseError(b);
    expect(e.code).toBe('no-data');
    expect(e.expected).toContain('55 00 01 00 00 00');
  });

  it('wrong magic', () => {
    const b = writeNda(29, ndaLayoutFor(29)!).slice();
    b[0] = 0x4d;
    expect(parseError(b).code).toBe('bad-magic');
  });

  it.each([21, 30, 77, 128])('unknown version %i → unsupported-version at offset 14, naming it', (v) => {
    const b = writeNda(29, ndaLayoutFor(29)!).slice();
    b[14] = v;
    const e = parseError(b, 'v.nda');
    expect(e.code).toBe('unsupported-version');
    expect(e.offset).toBe(14);
    expect(e.found).toBe(String(v));
    expect(e.message).toContain(`version ${v}`);
    expect(e.file).toBe('v.nda');
  });

  it('v130 with an unknown sub-version → unsupported-version at offset 1024', () => {
    const b = writeNda(130, NDA_V130_BTS90).slice();
    b[1024] = 42;
    const e = parseError(b);
    expect(e.code).toBe('unsupported-version');
    expect(e.offset).toBe(1024);
    expect(e.found).toBe('42');
  });
});
