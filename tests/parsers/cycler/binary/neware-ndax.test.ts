import { describe, expect, it } from 'vitest';
import { zipSync, strToU8 } from 'fflate';
import { HAVE_REAL_DATA, readReal } from '../../../helpers/realData.js';
import { newareNdax } from '../../../../parsers/cycler/neware-ndax.js';
import { extractZip } from '../../../../parsers/cycler/spreadsheet/zip.js';
import { NDC_LAYOUTS, NDC_PAGE, decodeRecords } from '../../../../parsers/cycler/neware.layout.js';
import { ParseError } from '../../../../src/records/errors.js';
import { findColumn, rowCount, type ParsedRecord } from '../../../../src/records/record.js';
import { sniffOf } from './sniff-input.js';

const UNIT27 = 'cycler/neware-ndax/newarenda__123456789012_Unit27_Example_Data_File.ndax';
const BTS85 = 'cycler/neware-ndax/cellpy__20260302_IFE_BTS85_2_9_8_1.ndax';
const col = (r: ParsedRecord, n: string): Float64Array | Int32Array => findColumn(r, n)!.values;
const parse = async (path: string, bytes: Uint8Array): Promise<ParsedRecord> => (await newareNdax.parse({ path, bytes }))[0]!;

describe.skipIf(!HAVE_REAL_DATA)('Neware .ndax, ndc 14 (Unit27 example, BTS 8.0 2023)', () => {
  const bytes = HAVE_REAL_DATA ? readReal(UNIT27) : new Uint8Array();

  it('sniffs the zip member names in the head', () => {
    expect(newareNdax.sniff(sniffOf('x.ndax', bytes))).toBeGreaterThan(0.9);
  });

  it('301 rows of a 300 s rest at 1 s, two aux thermocouples', async () => {
    const r = await parse(UNIT27, bytes);
    expect(rowCount(r)).toBe(301);
    expect(r.warnings).toEqual([]);
    expect(col(r, 'Test Time')[0]).toBe(0);
    expect(col(r, 'Test Time')[300]).toBeCloseTo(300, 6);
    expect(col(r, 'Voltage')[0]).toBeCloseTo(2.98299, 4);
    expect(col(r, 'Voltage')[300]).toBeCloseTo(2.98288, 4);
    expect(Math.max(...col(r, 'Current').map(Math.abs))).toBe(0);
    expect(findColumn(r, 'Step Type')!.levels).toEqual(['Rest']);
    expect(Math.max(...col(r, 'Cycle Count'))).toBe(1);
    // TestInfo.xml says StartTime 12:43:31 and EndTime 12:48:45 local; Unix Time spans the same 300 s.
    expect(r.meta.startTime).toBe('2024-11-18T12:43:31');
    expect(r.meta.cellId).toBe('123456789012');
    const u = col(r, 'Unix Time');
    expect(u[300]! - u[0]!).toBeCloseTo(300, 3);
    expect(findColumn(r, 'Aux Temperature 1')!.unit).toBe('degC');
    expect(col(r, 'Aux Temperature 1')[0]).toBeCloseTo(25.487, 3);
    expect(findColumn(r, 'Aux Temperature 2')).toBeDefined();
  });
});

describe.skipIf(!HAVE_REAL_DATA)('Neware .ndax, ndc 17 (IFE BTS85, BTS 8.0 2025, aux .ndc)', () => {
  const bytes = HAVE_REAL_DATA ? readReal(BTS85) : new Uint8Array();
  let rec: ParsedRecord | undefined;
  const get = async (): Promise<ParsedRecord> => (rec ??= await parse(BTS85, bytes));

  it('252951 rows; 5 steps Control → CC_Chg → CV_Chg → CC_Chg → CC_Chg in cycle 1', async () => {
    const r = await get();
    expect(rowCount(r)).toBe(252951);
    const st = findColumn(r, 'Step Type')!;
    const seq: string[] = [];
    for (let i = 0; i < st.values.length; i++) if (i === 0 || col(r, 'Step Count')[i] !== col(r, 'Step Count')[i - 1]) seq.push(st.levels![st.values[i]!]!);
    expect(seq).toEqual(['Control', 'CC_Chg', 'CV_Chg', 'CC_Chg', 'CC_Chg']);
    expect(col(r, 'Voltage')[0]).toBeCloseTo(0.20695, 4);
    expect(col(r, 'Voltage')[252950]).toBeCloseTo(4.74833, 4);
    expect(col(r, 'Current')[252950]).toBeCloseTo(0.0019356, 6);
    expect(Array.from(col(r, 'Current')).reduce((a, b) => Math.max(a, b), -Infinity)).toBeCloseTo(0.11967, 4); // C/10 formation of a 1 Ah cell
    expect(r.meta.startTime).toBe('2026-02-27T11:17:33');
  });

  it('step starts agree between data_step.ndc (its own first-row index) and the runInfo step counter', async () => {
    const r = await get();
    const files = extractZip(BTS85, bytes, new Set(['data_step.ndc']));
    const b = files['data_step.ndc']!;
    const l = NDC_LAYOUTS[17]!.step;
    const per = Math.floor((NDC_PAGE.size - NDC_PAGE.dataOffset - NDC_PAGE.endPad) / l.length);
    const starts: number[] = [];
    for (let r0 = 0; r0 < per; r0++) if ((b[NDC_PAGE.size + 4 + (r0 >> 3)]! >> (r0 & 7)) & 1) starts.push(NDC_PAGE.size + NDC_PAGE.dataOffset + r0 * l.length);
    const firstIndex = [...decodeRecords(new DataView(b.buffer, b.byteOffset, b.length), starts, l).fields.firstIndex!];
    const idx = col(r, 'Record Index');
    const sc = col(r, 'Step Count');
    const fromRows: number[] = [];
    for (let i = 0; i < sc.length; i++) if (i === 0 || sc[i] !== sc[i - 1]) fromRows.push(idx[i]!);
    expect(fromRows).toEqual(firstIndex);
    expect(firstIndex.slice(0, 3)).toEqual([1, 3602, 3623]);
  });

  it('filled-in capacity between runInfo rows matches the integral of current', async () => {
    const r = await get();
    const q = col(r, 'Charging Capacity');
    const I = col(r, 'Current');
    const t = col(r, 'Test Time');
    const sc = col(r, 'Step Count');
    let acc = 0;
    let last = 0;
    for (let i = 1; i < I.length; i++) {
      if (sc[i] !== 2) continue;
      if (sc[i - 1] === 2) acc += (I[i]! * (t[i]! - t[i - 1]!)) / 3600;
      last = i;
    }
    expect(q[last]).toBeGreaterThan(0);
    expect(Math.abs(acc - q[last]!) / q[last]!).toBeLessThan(0.01);
  });

  it('aux channels are matched to TestInfo.xml by channel and type; an unknown type is a warning naming it', async () => {
    const r = await get();
    expect(findColumn(r, 'Aux Temperature 1')!.unit).toBe('degC');
    expect(col(r, 'Aux Temperature 1')[0]).toBeCloseTo(25.634, 3);
    expect(findColumn(r, 'Aux Voltage 1')!.unit).toBe('V');
    const w = r.warnings.find((x) => x.code === 'unknown-aux-type');
    expect(w?.message).toContain('1122');
  });
});

describe('Neware .ndax bad input', () => {
  it('a zip without data.ndc names the members it has', async () => {
    const z = zipSync({ 'VersionInfo.xml': strToU8('<root/>'), 'Step.xml': strToU8('<root/>') });
    await expect(Promise.resolve().then(() => newareNdax.parse({ path: 'x.ndax', bytes: z }))).rejects.toMatchObject({
      code: 'no-data',
      found: 'VersionInfo.xml, Step.xml',
    });
  });

  it('not a zip at all', async () => {
    await expect(Promise.resolve().then(() => newareNdax.parse({ path: 'x.ndax', bytes: new Uint8Array([1, 2, 3, 4, 5]) }))).rejects.toBeInstanceOf(ParseError);
  });

  it('an unsupported ndc version is named with its offset', async () => {
    const ndc = new Uint8Array(8192);
    ndc[0] = 1;
    ndc[2] = 42;
    const z = zipSync({ 'data.ndc': ndc, 'data_runInfo.ndc': ndc });
    await expect(Promise.resolve().then(() => newareNdax.parse({ path: 'x.ndax', bytes: z }))).rejects.toMatchObject({
      code: 'unsupported-version',
      offset: 2,
      found: '42',
    });
  });

  it('a cut archive (central directory lost) is a ParseError, not a crash', async () => {
    if (!HAVE_REAL_DATA) return;
    const b = readReal(UNIT27).subarray(0, 3000);
    await expect(Promise.resolve().then(() => newareNdax.parse({ path: 'cut.ndax', bytes: b }))).rejects.toMatchObject({ code: 'invalid' });
  });
});
