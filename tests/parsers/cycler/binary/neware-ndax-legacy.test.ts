/**
 * .ndax archives whose .ndc members are version 2 or 5 (self-contained records, no runInfo/step members),
 * hand-made byte by byte in the documented layouts (fixtures/neware-binary/writer.ts).
 */
import { describe, expect, it } from 'vitest';
import { unzipSync, zipSync } from 'fflate';
import { newareNdax } from '../../../../parsers/cycler/neware-ndax.js';
import { NDC_LEGACY_LAYOUTS, layoutProblems } from '../../../../parsers/cycler/neware.layout.js';
import { SYNTH, writeLegacyNdax } from '../../../../fixtures/neware-binary/writer.js';
import { ParseError } from '../../../../src/records/errors.js';
import { findColumn, rowCount, type ParsedRecord } from '../../../../src/records/record.js';
import { sniffOf } from './sniff-input.js';

const col = (r: ParsedRecord, n: string): Float64Array | Int32Array => findColumn(r, n)!.values;
const parse = async (bytes: Uint8Array, path = 'old.ndax'): Promise<ParsedRecord> => (await newareNdax.parse({ path, bytes }))[0]!;
async function parseError(bytes: Uint8Array, path = 'bad.ndax'): Promise<ParseError> {
  try {
    await newareNdax.parse({ path, bytes });
  } catch (e) {
    expect(e).toBeInstanceOf(ParseError);
    return e as ParseError;
  }
  throw new Error('expected a ParseError');
}

describe('ndc 2 / 5 layout tables', () => {
  it.each([2, 5])('ndc %i: sound main and aux tables; rows per page as documented (5 of 94 B; 45 of 87 B)', (v) => {
    const l = NDC_LEGACY_LAYOUTS[v]!;
    expect(layoutProblems(l.main)).toEqual([]);
    expect(layoutProblems(l.aux)).toEqual([]);
    const per = Math.floor((l.page.size - l.page.dataOffset - l.page.endPad) / l.main.length);
    expect([l.main.length, per]).toEqual(v === 2 ? [94, 5] : [87, 45]);
  });
});

describe.each([2, 5] as const)('hand-made .ndax with ndc %i', (v) => {
  it('sniffs as .ndax', () => {
    expect(newareNdax.sniff(sniffOf('x.ndax', writeLegacyNdax(v)))).toBeGreaterThan(0.9);
  });

  it('no aux channels: 6 rows, values, steps, capacities, clock', async () => {
    const r = await parse(writeLegacyNdax(v));
    expect(rowCount(r)).toBe(6);
    expect(r.warnings).toEqual([]);
    expect(r.meta.ndcVersion).toBe(v);
    expect(r.meta.auxMembers).toBe(0);
    expect(r.meta.softwareVersion).toBe('BTS 8.0.0.test');
    expect(col(r, 'Voltage')[0]).toBeCloseTo(3.5, 4);
    expect(col(r, 'Voltage')[5]).toBeCloseTo(3.55, 4);
    expect(col(r, 'Current')[5]).toBeCloseTo(-0.002, 9);
    expect([...col(r, 'Step Count')]).toEqual([1, 1, 1, 2, 2, 2]);
    expect(findColumn(r, 'Step Type')!.levels).toEqual(['Rest', 'CC_DChg']);
    expect(Array.from(col(r, 'Test Time'), (x) => Math.round(x * 1000) / 1000)).toEqual([10, 20, 30, 40, 50, 60]);
    expect(col(r, 'Discharging Capacity')[5]! * 3.6e6).toBeCloseTo(60, 3);
    expect(col(r, 'Discharging Energy')[5]! * 3.6e6).toBeCloseTo(210, 2);
    expect([...new Set(col(r, 'Cycle Count'))]).toEqual([1]);
    expect(col(r, 'Unix Time')[0]).toBe(SYNTH.unix(0));
    expect(r.meta.startTime).toBe('2019-03-05T12:00:00.000Z');
    expect(r.columns.filter((c) => c.name.startsWith('Aux'))).toEqual([]);
  });

  it('two aux members (data_AUX_1.ndc, data_AUX_2.ndc) joined by record index', async () => {
    const r = await parse(writeLegacyNdax(v, { auxChannels: [1, 2] }));
    expect(r.meta.auxMembers).toBe(2);
    expect(col(r, 'Aux Temperature 1')[0]).toBeCloseTo(26.0, 3);
    expect(col(r, 'Aux Temperature 2')[5]).toBeCloseTo(27.5, 3);
    expect(findColumn(r, 'Aux Voltage 1')).toBeUndefined();
  });

  it('rows across several pages (ndc 2: 5 rows a page; ndc 5: 45 rows a page)', async () => {
    const n = v === 2 ? 12 : 100;
    const r = await parse(writeLegacyNdax(v, { rows: n }));
    expect(rowCount(r)).toBe(n);
    expect(col(r, 'Record Index')[n - 1]).toBe(n);
    expect(col(r, 'Voltage')[n - 1]).toBeCloseTo(3.5 + 0.01 * ((n - 1) % 6), 4);
  });

  it('a data.ndc cut inside a page → truncated naming the member and the offset of the cut page', async () => {
    const files = unzipSync(writeLegacyNdax(v));
    const P = NDC_LEGACY_LAYOUTS[v]!.page.size;
    files['data.ndc'] = files['data.ndc']!.subarray(0, P + 100);
    const e = await parseError(zipSync(files), 'cut.ndax');
    expect(e.code).toBe('truncated');
    expect(e.file).toBe('cut.ndax!data.ndc');
    expect(e.offset).toBe(P);
  });
});

describe('.ndax ndc version errors', () => {
  it.each([1, 3, 9, 11, 99])('ndc version %i → unsupported-version at offset 2 of data.ndc, naming it', async (ver) => {
    const files = unzipSync(writeLegacyNdax(5));
    files['data.ndc']![2] = ver;
    const e = await parseError(zipSync(files), 'v.ndax');
    expect(e.code).toBe('unsupported-version');
    expect(e.file).toBe('v.ndax!data.ndc');
    expect(e.offset).toBe(2);
    expect(e.found).toBe(String(ver));
    expect(e.message).toContain(`version ${ver}`);
  });

  it('an aux member of another ndc version is skipped with a warning, the data still read', async () => {
    const files = unzipSync(writeLegacyNdax(2, { auxChannels: [1] }));
    files['data_AUX_1.ndc']![2] = 5;
    const r = await parse(zipSync(files));
    expect(rowCount(r)).toBe(6);
    expect(r.warnings.map((w) => w.code)).toEqual(['aux-unsupported']);
  });

  it('aux-identifier rows inside data.ndc are skipped and counted', async () => {
    const files = unzipSync(writeLegacyNdax(2));
    files['data.ndc']![512 + 5] = 0x65; // first row becomes an aux row
    const r = await parse(zipSync(files));
    expect(rowCount(r)).toBe(5);
    expect(r.warnings.find((w) => w.code === 'rows-skipped')!.rows).toBe(1);
  });
});
