/** The .mpr declarations themselves: a broken table would mis-read every file silently. */
import { describe, expect, it } from 'vitest';
import {
  COLUMN_IDS,
  COLUMN_SIZE,
  DATA_LAYOUTS,
  FIELD_SIZE,
  FLAG_COLUMNS,
  LOG_FIELDS,
  MAGIC,
  MODULE_HEADER_V1,
  MODULE_HEADER_V2,
  SETTINGS_FIELDS,
  V2_SENTINEL,
  type FieldDecl,
} from '../../../parsers/biologic/mpr-layout.js';
import { TECHNIQUES } from '../../../parsers/biologic/techniques.js';
import { splitEcLabLabel } from '../../../parsers/biologic/labels.js';

function extent(f: FieldDecl): number {
  if (f.type === 'ascii') return f.size!;
  if (f.type === 'pascal') return 1;
  return FIELD_SIZE[f.type];
}

describe('mpr layout declarations', () => {
  it('magic is the 52-byte BioLogic signature', () => {
    expect(MAGIC.length).toBe(52);
    expect(String.fromCharCode(...MAGIC.subarray(0, 23))).toBe('BIO-LOGIC MODULAR FILE\x1a');
  });

  it.each([MODULE_HEADER_V1, MODULE_HEADER_V2])('module header $id: fields inside the header, not overlapping, names unique', (h) => {
    const names = new Set<string>();
    let end = 0;
    for (const f of [...h.fields].sort((a, b) => a.offset - b.offset)) {
      expect(f.offset).toBeGreaterThanOrEqual(end);
      end = f.offset + extent(f);
      expect(names.has(f.name)).toBe(false);
      names.add(f.name);
    }
    expect(end).toBe(h.size);
    for (const need of ['shortName', 'length', 'version', 'date']) expect(names.has(need)).toBe(true);
  });

  it('v2 sentinel sits on the v2 maxLength field and on the v1 length field', () => {
    expect(MODULE_HEADER_V2.fields.find((f) => f.name === 'maxLength')!.offset).toBe(V2_SENTINEL.offset);
    expect(MODULE_HEADER_V1.fields.find((f) => f.name === 'length')!.offset).toBe(V2_SENTINEL.offset);
  });

  it('column ids: known types, names without unit, no id shared with a flag', () => {
    for (const [id, c] of Object.entries(COLUMN_IDS)) {
      expect(COLUMN_SIZE[c.type], `id ${id}`).toBeGreaterThan(0);
      expect(c.name.length, `id ${id}`).toBeGreaterThan(0);
      expect(FLAG_COLUMNS[Number(id)], `id ${id}`).toBeUndefined();
      // The label we build splits back into the same name and unit.
      const label = c.unit ? `${c.name}/${c.unit}` : c.name;
      expect(splitEcLabLabel(label), `id ${id}`).toEqual({ name: c.name, unit: c.unit });
    }
  });

  it('flag masks are disjoint bits of one byte and names unique', () => {
    let seen = 0;
    const names = new Set<string>();
    for (const f of Object.values(FLAG_COLUMNS)) {
      expect(f.mask & ~0xff).toBe(0);
      expect(seen & f.mask).toBe(0);
      seen |= f.mask;
      expect(names.has(f.name)).toBe(false);
      names.add(f.name);
    }
  });

  it('data layouts: one per (header, version), ids and rows inside the module', () => {
    const keys = DATA_LAYOUTS.map((l) => `${l.header}/${l.version}`);
    expect(new Set(keys).size).toBe(keys.length);
    for (const l of DATA_LAYOUTS) {
      expect(l.idsOffset).toBeGreaterThan(l.columnCount.offset);
      expect(l.rowsOffset).toBeGreaterThan(l.idsOffset);
      expect(l.provenBy.length).toBeGreaterThan(0);
    }
  });

  it('LOG and settings fields: unique names and offsets', () => {
    for (const fields of [LOG_FIELDS, SETTINGS_FIELDS]) {
      expect(new Set(fields.map((f) => f.name)).size).toBe(fields.length);
      expect(new Set(fields.map((f) => f.offset)).size).toBe(fields.length);
    }
  });

  it('techniques: codes, names and .mpr ids unique', () => {
    expect(new Set(TECHNIQUES.map((t) => t.code)).size).toBe(TECHNIQUES.length);
    expect(new Set(TECHNIQUES.map((t) => t.name)).size).toBe(TECHNIQUES.length);
    const ids = TECHNIQUES.flatMap((t) => t.mprIds);
    expect(new Set(ids).size).toBe(ids.length);
  });
});

describe('EC-Lab label splitting', () => {
  it.each([
    ['I/mA', 'I', 'mA'],
    ['Q charge/discharge/mA.h', 'Q charge/discharge', 'mA.h'],
    ['ox/red', 'ox/red', ''],
    ['control/V/mA', 'control', 'V/mA'],
    ['Re(Conductivity)/mS/cm', 'Re(Conductivity)', 'mS/cm'],
    ['Temperature/\uFFFDC', 'Temperature', '°C'],
    ['cycle number', 'cycle number', ''],
    ['-Im(Z)/Ohm', '-Im(Z)', 'Ohm'],
  ])('%s → %s | %s', (label, name, unit) => {
    expect(splitEcLabLabel(label)).toEqual({ name, unit });
  });
});
