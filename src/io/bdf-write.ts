/**
 * Battery Data Format (BDF) CSV writer (issue #21 §3; shared/domain/BDF.md): one cycler record → one CSV
 * whose header row uses the BDF preferred labels (`Quantity / unit`, units fixed), every row with the
 * header's column count, plus a `*.metadata.json` sidecar. Canonical cycler columns already carry BDF
 * names and units (src/records/names.ts), so nothing is converted; columns outside the BDF vocabulary are
 * left out and listed in the metadata. Numbers are written with the shortest text that reads back to the
 * same double (JS `String(number)`); a missing value (NaN) is an empty cell; a category (step type)
 * is written as its text, without commas or quotes (`categoryText`).
 */
import type { Column } from '../records/record.js';

/** Canonical cycler column name → BDF preferred label and machine name (vocabulary 1.3.0; legacy labels where the parser reads them). */
export const BDF_VOCABULARY: Readonly<Record<string, { readonly label: string; readonly machine: string; readonly unit: string }>> = {
  'Test Time': { label: 'Test Time / s', machine: 'test_time_second', unit: 's' },
  'Unix Time': { label: 'Unix Time / s', machine: 'unix_time_second', unit: 's' },
  'Step Time': { label: 'Step Time / s', machine: 'step_time_second', unit: 's' },
  Voltage: { label: 'Voltage / V', machine: 'voltage_volt', unit: 'V' },
  Current: { label: 'Current / A', machine: 'current_ampere', unit: 'A' },
  'Cycle Count': { label: 'Cycle Count / 1', machine: 'cycle_count', unit: '1' },
  'Step Count': { label: 'Step Count / 1', machine: 'step_count', unit: '1' },
  'Step Index': { label: 'Step Index / 1', machine: 'step_index', unit: '1' },
  'Step Type': { label: 'Step Type', machine: 'step_type', unit: '' },
  'Record Index': { label: 'Record Index / 1', machine: 'record_index', unit: '1' },
  'Charging Capacity': { label: 'Charging Capacity / Ah', machine: 'charging_capacity_ah', unit: 'Ah' },
  'Discharging Capacity': { label: 'Discharging Capacity / Ah', machine: 'discharging_capacity_ah', unit: 'Ah' },
  'Step Capacity': { label: 'Step Capacity / Ah', machine: 'step_capacity_ah', unit: 'Ah' },
  'Net Capacity': { label: 'Net Capacity / Ah', machine: 'net_capacity_ah', unit: 'Ah' },
  'Charging Energy': { label: 'Charging Energy / Wh', machine: 'charging_energy_wh', unit: 'Wh' },
  'Discharging Energy': { label: 'Discharging Energy / Wh', machine: 'discharging_energy_wh', unit: 'Wh' },
  Power: { label: 'Power / W', machine: 'power_watt', unit: 'W' },
  'Internal Resistance': { label: 'Internal Resistance / ohm', machine: 'internal_resistance_ohm', unit: 'ohm' },
  'Ambient Temperature': { label: 'Ambient Temperature / degC', machine: 'ambient_temperature_celsius', unit: 'degC' },
};

export interface BdfColumnInfo {
  readonly name: string;
  readonly label: string;
  readonly machine_name: string;
  readonly unit: string;
}

export interface BdfTable {
  readonly csv: string;
  readonly rows: number;
  readonly columns: readonly BdfColumnInfo[];
  /** Columns of the record outside the BDF vocabulary (or in another unit): not written. */
  readonly omitted: readonly { readonly name: string; readonly unit: string; readonly reason: string }[];
}

function cell(v: number, levels?: readonly string[]): string {
  if (levels) {
    const s = Number.isInteger(v) && v >= 0 ? levels[v] : undefined;
    if (s === undefined) return '';
    // Readers of BDF CSV (ours included) split on every comma: category text never carries one.
    return categoryText(s);
  }
  return Number.isFinite(v) ? String(v) : '';
}

/** A category as written: commas → `;`, double quotes → `'`, line breaks → space (plain CSV fields only). */
export function categoryText(s: string): string {
  return s
    .replace(/,/g, ';')
    .replace(/"/g, "'")
    .replace(/[\r\n]+/g, ' ');
}

/** The BDF CSV of one cycler record's columns (LF line ends, comma separated, header = preferred labels). */
export function bdfTable(columns: readonly Column[]): BdfTable {
  const kept: { col: Column; info: BdfColumnInfo }[] = [];
  const omitted: { name: string; unit: string; reason: string }[] = [];
  for (const c of columns) {
    const v = BDF_VOCABULARY[c.name];
    if (!v) omitted.push({ name: c.name, unit: c.unit, reason: 'not in the BDF vocabulary' });
    else if (v.unit !== c.unit && !(v.unit === '' && c.levels))
      omitted.push({ name: c.name, unit: c.unit, reason: `unit '${c.unit}' is not BDF's '${v.unit}'` });
    else if (kept.some((k) => k.info.name === c.name)) omitted.push({ name: c.name, unit: c.unit, reason: 'duplicate column name' });
    else kept.push({ col: c, info: { name: c.name, label: v.label, machine_name: v.machine, unit: v.unit } });
  }
  const n = kept.reduce((m, k) => Math.max(m, k.col.values.length), 0);
  const lines: string[] = [kept.map((k) => k.info.label).join(',')];
  for (let i = 0; i < n; i++) {
    let line = '';
    for (let j = 0; j < kept.length; j++) {
      const c = kept[j]!.col;
      if (j) line += ',';
      if (i < c.values.length) line += cell(c.values[i]!, c.levels);
    }
    lines.push(line);
  }
  return { csv: `${lines.join('\n')}\n`, rows: n, columns: kept.map((k) => k.info), omitted };
}

/** A file-name token: letters, digits, `.`, `-` kept; anything else `_`; BDF's `__` separator never produced inside. */
export function bdfToken(s: string): string {
  return (
    s
      .replace(/[^A-Za-z0-9.-]+/g, '_')
      .replace(/_+/g, '_')
      .replace(/^[_.]+|_+$/g, '') || 'x'
  );
}
