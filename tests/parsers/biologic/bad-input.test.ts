/** Hand-made bad inputs: each must fail with a ParseError that says where, or warn and keep what is readable. */
import { describe, expect, it } from 'vitest';
import { HAVE_REAL_DATA, readReal } from '../../helpers/realData.js';
import { parseMpr, readModules } from '../../../parsers/biologic/mpr.js';
import { parseMpt } from '../../../parsers/biologic/mpt.js';
import { ParseError } from '../../../src/records/errors.js';
import { col } from './helpers.js';

function catchParse(f: () => unknown): ParseError {
  try {
    f();
  } catch (e) {
    if (e instanceof ParseError) return e;
    throw e;
  }
  throw new Error('expected a ParseError');
}

const enc = (s: string): Uint8Array => new TextEncoder().encode(s);

describe('biologic-mpt bad input', () => {
  it('"Nb header lines" beyond the end of the file', () => {
    const e = catchParse(() => parseMpt('short.mpt', enc('EC-Lab ASCII FILE\r\nNb header lines : 40\r\n\r\nModulo Bat\r\n')));
    expect(e.code).toBe('bad-header');
    expect(e.line).toBe(2);
    expect(e.found).toBe('40');
    expect(e.message).toContain('short.mpt:2: the header is longer than the file');
  });
  it('missing header count line', () => {
    const e = catchParse(() => parseMpt('x.mpt', enc('EC-Lab ASCII FILE\r\nsomething else\r\n')));
    expect([e.code, e.line]).toEqual(['bad-header', 2]);
  });
  it('header but no data rows', () => {
    const e = catchParse(() => parseMpt('x.mpt', enc('EC-Lab ASCII FILE\r\nNb header lines : 3\r\nmode\ttime/s\tEwe/V\tI/mA\r\n')));
    expect(e.code).toBe('no-data');
  });
  it('text in a numeric cell names line and column', () => {
    const e = catchParse(() =>
      parseMpt('x.mpt', enc('EC-Lab ASCII FILE\r\nNb header lines : 3\r\nmode\ttime/s\tEwe/V\tI/mA\r\n1\t0.0\t3.1\t0.5\r\n1\t1.0\tabc\t0.5\r\n')),
    );
    expect([e.code, e.line, e.column]).toEqual(['bad-number', 5, 'Ewe/V']);
  });
  it('empty file', () => {
    expect(catchParse(() => parseMpt('x.mpt', new Uint8Array(0))).code).toBe('empty-file');
  });
  it('a file that is not EC-Lab text', () => {
    expect(catchParse(() => parseMpt('x.mpt', enc('a,b,c\n1,2,3\n'))).code).toBe('unrecognised-format');
  });
});

describe.skipIf(!HAVE_REAL_DATA)('biologic-mpr bad input (edited copies of real files)', () => {
  const REL = 'cycler/biologic-mpr/yadg__mb.issue_95.mpr';
  const original = (): Uint8Array => readReal(REL).slice();

  it('wrong magic → bad-magic at offset 0', () => {
    const b = original();
    b[0] = 0x58;
    const e = catchParse(() => parseMpr('m.mpr', b));
    expect([e.code, e.offset]).toEqual(['bad-magic', 0]);
  });

  it('truncated inside the data module → truncated, at the module data offset', () => {
    const data = readModules(REL, original()).find((m) => m.shortName === 'VMP data')!;
    const b = original().subarray(0, data.dataStart + 500);
    const e = catchParse(() => parseMpr('m.mpr', b));
    expect(e.code).toBe('truncated');
    expect(e.offset).toBe(data.dataStart);
    expect(e.message).toContain(`m.mpr@${data.dataStart}: module 'VMP data' is cut short`);
  });

  it('truncated inside a module header', () => {
    const e = catchParse(() => parseMpr('m.mpr', original().subarray(0, 52 + 20)));
    expect(e.code).toBe('truncated');
    expect(e.offset).toBeGreaterThanOrEqual(52);
  });

  it('unknown data-module version → unsupported-version naming the known ones', () => {
    const b = original();
    const data = readModules(REL, b).find((m) => m.shortName === 'VMP data')!;
    new DataView(b.buffer).setUint32(data.offset + 6 + 39, 7, true); // v1 header: version at +39
    const e = catchParse(() => parseMpr('m.mpr', b));
    expect(e.code).toBe('unsupported-version');
    expect(e.found).toBe('v1/7');
  });

  /** Column list of mb.issue_95 (v1, version 3): ids at data +5, two bytes each; index 19 = id 125. */
  function withIds(patch: Record<number, number>): Uint8Array {
    const b = original();
    const data = readModules(REL, b).find((m) => m.shortName === 'VMP data')!;
    const v = new DataView(b.buffer);
    for (const [k, id] of Object.entries(patch)) v.setUint16(data.dataStart + 5 + 2 * Number(k), id, true);
    return b;
  }

  it('one unknown column id: warning naming it and the previous column; every other column still read', () => {
    const good = parseMpr('m.mpr', original())[0]!;
    const r = parseMpr('m.mpr', withIds({ 19: 999 }))[0]!;
    const w = r.warnings.find((x) => x.code === 'unknown-column-id')!;
    expect(w.message).toContain("column id 999 after column 'Energy discharge/W.h' is unknown; its 8 bytes per row were skipped");
    expect(r.columns.find((c) => c.name === 'Capacitance charge')).toBeUndefined();
    expect(Array.from(col(r, 'Capacitance discharge'))).toEqual(Array.from(col(good, 'Capacitance discharge')));
    expect(Array.from(col(r, 'Voltage'))).toEqual(Array.from(col(good, 'Voltage')));
  });

  it('two unknown column ids: row size unknown → ParseError naming the first id and its byte offset', () => {
    const b = withIds({ 19: 999, 20: 998 });
    const data = readModules(REL, b).find((m) => m.shortName === 'VMP data')!;
    const e = catchParse(() => parseMpr('m.mpr', b));
    expect(e.code).toBe('bad-header');
    expect(e.offset).toBe(data.dataStart + 5 + 2 * 19);
    expect(e.message).toContain("column id 999 after column 'Energy discharge/W.h' is unknown and the row size cannot be inferred");
  });
});
