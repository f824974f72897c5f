import { describe, expect, it } from 'vitest';
import {
  CURRENT_RANGE_SCALE,
  FIELD_SIZE,
  NDA_V130_AUX_TEMPERATURE,
  NDA_V130_RECORD,
  NDC_LAYOUTS,
  NDC_PAGE,
  STATUS_CODES,
  decodeRecords,
  layoutProblems,
  type RecordLayout,
} from '../../../../parsers/cycler/neware.layout.js';

const ALL: [RecordLayout, ...Parameters<typeof layoutProblems>[1][]][] = [
  [NDA_V130_RECORD],
  [NDA_V130_RECORD, [NDA_V130_AUX_TEMPERATURE]],
  ...Object.values(NDC_LAYOUTS).flatMap((l) => [[l.main], [l.runInfo], [l.step], [l.aux]] as [RecordLayout][]),
];

describe('Neware layout tables', () => {
  it.each(ALL.map(([l, x]) => [l.id + (x ? '+aux' : ''), l, x] as const))('%s: unique names, no overlaps, inside the record', (_id, l, x) => {
    expect(layoutProblems(l, x ?? [])).toEqual([]);
  });

  it('layoutProblems catches overlapping, duplicate and out-of-record fields', () => {
    const bad: RecordLayout = {
      id: 'bad',
      length: 8,
      fields: [
        { name: 'a', offset: 0, type: 'u32le' },
        { name: 'a', offset: 2, type: 'u16le' },
        { name: 'c', offset: 6, type: 'f32le' },
      ],
    };
    const p = layoutProblems(bad);
    expect(p.some((m) => m.includes("duplicate field name 'a'"))).toBe(true);
    expect(p.some((m) => m.includes('overlap'))).toBe(true);
    expect(p.some((m) => m.includes("'c' outside the 8-byte record"))).toBe(true);
  });

  it('ndc rows fit the page: rows per page match the fixtures (495 main, 990 aux)', () => {
    const per = (l: RecordLayout): number => Math.floor((NDC_PAGE.size - NDC_PAGE.dataOffset - NDC_PAGE.endPad) / l.length);
    expect(per(NDC_LAYOUTS[14]!.main)).toBe(495);
    expect(per(NDC_LAYOUTS[14]!.aux)).toBe(990);
  });

  it('status codes and current ranges are well-formed lookups', () => {
    expect(STATUS_CODES[1]).toBe('CC_Chg');
    expect(STATUS_CODES[4]).toBe('Rest');
    expect(new Set(Object.values(STATUS_CODES)).size).toBe(Object.keys(STATUS_CODES).length);
    for (const v of Object.values(CURRENT_RANGE_SCALE)) expect(v).toBeGreaterThan(0);
  });

  it('the decoder reads each type at its offset, with scale', () => {
    const buf = new ArrayBuffer(16);
    const v = new DataView(buf);
    v.setUint16(0, 0x0655, true);
    v.setFloat32(4, 1.5, true);
    v.setInt32(8, -7, true);
    const l: RecordLayout = {
      id: 't',
      length: 16,
      fields: [
        { name: 'id', offset: 0, type: 'u16le' },
        { name: 'f', offset: 4, type: 'f32le', scale: 2 },
        { name: 'i', offset: 8, type: 'i32le' },
      ],
    };
    const d = decodeRecords(v, [0], l);
    expect([d.fields.id![0], d.fields.f![0], d.fields.i![0]]).toEqual([0x0655, 3, -7]);
    expect(FIELD_SIZE.u64le).toBe(8);
  });
});
