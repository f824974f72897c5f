/**
 * The one zip reader's sniffing helper (parsers/cycler/spreadsheet/zip.ts `memberFromHead`, used by the
 * Thermo Avantage sniff): a member whose local entry lies wholly in the head is returned stored or
 * inflated; refused (null) when it declares too many bytes; not seen (undefined) when the head ends first.
 */
import { describe, expect, it } from 'vitest';
import { zipSync, strToU8 } from 'fflate';
import { memberFromHead, listZip, extractZip } from '../../parsers/cycler/spreadsheet/zip.js';

const xml = '<workbook><sheets><sheet name="Titles"/><sheet name="C1s Scan"/></sheets></workbook>'.repeat(20);
const zip = (level: 0 | 6) =>
  zipSync({
    '[Content_Types].xml': strToU8('<Types/>'),
    'xl/workbook.xml': [strToU8(xml), { level }],
    'xl/worksheets/sheet1.xml': strToU8('<x/>'.repeat(500)),
  });

describe('memberFromHead', () => {
  for (const level of [0, 6] as const) {
    it(`reads a ${level ? 'deflated' : 'stored'} member from the head, the same bytes extractZip gives`, () => {
      const z = zip(level);
      const got = memberFromHead(z, 'xl/workbook.xml', 1 << 20);
      expect(new TextDecoder().decode(got!)).toBe(xml);
      const whole = extractZip('t.zip', z, new Set(['xl/workbook.xml']))['xl/workbook.xml']!;
      expect(Array.from(got!)).toEqual(Array.from(whole));
      expect(listZip('t.zip', z).map((e) => e.name)).toContain('xl/workbook.xml');
    });
  }
  it('null when the member declares more than the limit; undefined when the head ends before it or it is absent', () => {
    const z = zip(6);
    expect(memberFromHead(z, 'xl/workbook.xml', 10)).toBeNull();
    const at = listZip('t.zip', z).findIndex((e) => e.name === 'xl/workbook.xml');
    expect(at).toBeGreaterThan(0);
    expect(memberFromHead(z.subarray(0, 60), 'xl/workbook.xml', 1 << 20)).toBeUndefined();
    expect(memberFromHead(z, 'xl/nothing.xml', 1 << 20)).toBeUndefined();
    expect(memberFromHead(strToU8('not a zip at all, just text'), 'xl/workbook.xml', 1 << 20)).toBeUndefined();
  });
});
