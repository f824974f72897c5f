import { describe, expect, it } from 'vitest';
import { HAVE_REAL_DATA, readReal } from '../../../helpers/realData.js';
import { newareNda } from '../../../../parsers/cycler/neware-nda.js';
import { ParseError } from '../../../../src/records/errors.js';
import { findColumn, rowCount, type ParsedRecord } from '../../../../src/records/record.js';
import { sniffOf } from './sniff-input.js';

const NDA = 'cycler/neware-nda/newarenda__TestFile.nda';
const col = (r: ParsedRecord, n: string): Float64Array | Int32Array => findColumn(r, n)!.values;

async function parseError(bytes: Uint8Array): Promise<ParseError> {
  try {
    await newareNda.parse({ path: 'bad.nda', bytes });
  } catch (e) {
    expect(e).toBeInstanceOf(ParseError);
    return e as ParseError;
  }
  throw new Error('expected a ParseError');
}

describe.skipIf(!HAVE_REAL_DATA)('Neware .nda v130 (BTS 9.1) on newarenda__TestFile.nda', () => {
  const bytes = HAVE_REAL_DATA ? readReal(NDA) : new Uint8Array();
  const rec = () => (newareNda.parse({ path: NDA, bytes }) as ParsedRecord[])[0]!;

  it('sniffs by the NEWARE magic', () => {
    expect(newareNda.sniff(sniffOf('TestFile.nda', bytes))).toBeGreaterThan(0.9);
  });

  it('reads all 6670 records the header announces (373520-byte block / 56-byte records)', () => {
    const r = rec();
    expect(rowCount(r)).toBe(6670);
    expect(r.warnings).toEqual([]);
    expect(r.meta.softwareVersion).toBe('9.1.5.7.20240403.R5');
    expect(r.meta.recordLength).toBe(56);
  });

  it('first and last values', () => {
    const r = rec();
    const n = rowCount(r);
    expect(col(r, 'Test Time')[0]).toBeCloseTo(0.01, 6);
    expect(col(r, 'Test Time')[n - 1]).toBeCloseTo(72373.26, 2);
    expect(col(r, 'Voltage')[0]).toBeCloseTo(3.88199, 4);
    expect(col(r, 'Voltage')[n - 1]).toBeCloseTo(4.1587, 4);
    expect(col(r, 'Current')[0]).toBe(0);
    expect(col(r, 'Unix Time')[0]).toBeCloseTo(1716796973.97, 2); // 2024-05-27T08:02:53.97Z
    expect(r.meta.startTime).toBe('2024-05-27T08:02:53.970Z');
    expect(col(r, 'Aux Temperature')[0]).toBeCloseTo(23.0314, 3);
  });

  it('3 cycles, 11 steps, step types from STATUS_CODES; discharge current negative (3 A), charge positive (1.2 A)', () => {
    const r = rec();
    const cyc = col(r, 'Cycle Count');
    expect(Math.max(...cyc)).toBe(3);
    expect(Math.max(...col(r, 'Step Count'))).toBe(11);
    expect(findColumn(r, 'Step Type')!.levels).toEqual(['Rest', 'CC_DChg', 'CC_Chg', 'CV_Chg']);
    const I = col(r, 'Current');
    expect(Math.min(...I)).toBeCloseTo(-3.0, 2);
    expect(Math.max(...I)).toBeCloseTo(1.2, 2);
    // Sign agrees with step type on every row with current.
    const st = findColumn(r, 'Step Type')!;
    for (let i = 0; i < I.length; i++) {
      const name = st.levels![st.values[i]!]!;
      if (name.includes('DChg')) expect(I[i]).toBeLessThanOrEqual(0);
      else if (name.includes('Chg')) expect(I[i]).toBeGreaterThanOrEqual(0);
    }
  });

  it('capacity agrees with the integral of current (independent check of the capacity scale)', () => {
    const r = rec();
    const t = col(r, 'Test Time');
    const I = col(r, 'Current');
    const step = col(r, 'Step Count');
    const q = col(r, 'Discharging Capacity');
    // First discharge step: integrate I dt (trapezoid) and compare with the stored step capacity.
    const s = step[I.findIndex((x) => x < -1)]!;
    let acc = 0;
    let last = -1;
    for (let i = 1; i < I.length; i++) {
      if (step[i] !== s) continue;
      if (step[i - 1] === s) acc += ((-(I[i]! + I[i - 1]!) / 2) * (t[i]! - t[i - 1]!)) / 3600;
      last = i;
    }
    expect(q[last]).toBeGreaterThan(1);
    expect(Math.abs(acc - q[last]!) / q[last]!).toBeLessThan(0.01);
  });
});

describe('Neware .nda bad input', () => {
  it('a truncated file names the offset where it ends and the size expected', async () => {
    if (!HAVE_REAL_DATA) return;
    const cut = readReal(NDA).subarray(0, 200_000);
    const e = await parseError(cut);
    expect(e.code).toBe('truncated');
    expect(e.offset).toBe(200_000);
    expect(e.expected).toBe('374544 bytes');
  });

  it('a header-only stub is truncated, not a crash', async () => {
    const b = new Uint8Array(100);
    b.set([...'NEWARE'].map((c) => c.charCodeAt(0)));
    const e = await parseError(b);
    expect(e.code).toBe('truncated');
  });

  it('wrong magic', async () => {
    const e = await parseError(new TextEncoder().encode('NOT A NEWARE FILE AT ALL'));
    expect(e.code).toBe('bad-magic');
    expect(e.message).toContain('not a Neware .nda file');
  });

  it('an unknown file version is named with its byte offset', async () => {
    const b = new Uint8Array(2048);
    b.set([...'NEWARE'].map((c) => c.charCodeAt(0)));
    b[14] = 77;
    const e = await parseError(b);
    expect(e.code).toBe('unsupported-version');
    expect(e.offset).toBe(14);
    expect(e.found).toBe('77');
  });

  it('an unknown status code is a warning naming the code, not a failure', async () => {
    if (!HAVE_REAL_DATA) return;
    const b = readReal(NDA).slice();
    b[1024 + 3] = 99; // status byte of record 1
    const r = (await newareNda.parse({ path: 'x.nda', bytes: b }))[0]!;
    expect(r.warnings.map((w) => w.code)).toContain('unknown-status-code');
    expect(r.warnings.find((w) => w.code === 'unknown-status-code')!.message).toContain('status code 99');
    expect(findColumn(r, 'Step Type')!.levels).toContain('status 99');
  });
});
