/**
 * Two "already normalised" CSV layouts:
 * - Battery Data Format (BDF) CSV: `Quantity / unit` headers (preferred labels) or machine names
 *   (`test_time_second`). Units are read from the header and converted (`Test Time / h` → s); writers
 *   in the wild also use `Quantity (unit)` / `Quantity [unit]` and `Charge Capacity` for `Charging Capacity`.
 * - BatteryArchive.org normalised timeseries CSV: `Date_Time,Test_Time (s),Cycle_Index,Current (A),…`.
 * Both state positive current = charge.
 */
import type { FormatParser, ParseInput, SniffInput } from '../types.js';
import type { ColumnRule } from '../text/columns.js';
import type { ParsedRecord } from '../../src/model/record.js';
import { CYCLER } from '../../src/model/names.js';
import { ParseError } from '../../src/model/errors.js';
import { detectDelimiter } from '../text/table.js';
import { cyclerRecord } from './record.js';
import { commonUnitSpelling, headLines, looksDecimalComma, readTable, respellHeader, textSource } from './text-source.js';
import { ensureTestTime, stitchCounters } from './column-ops.js';

/** BDF machine-name suffix → unit, so `current_milliampere` reads as `Current (mA)`. */
const MACHINE_UNIT: Readonly<Record<string, string>> = {
  second: 's', millisecond: 'ms', hour: 'h', volt: 'V', millivolt: 'mV', ampere: 'A', milliampere: 'mA',
  ah: 'Ah', wh: 'Wh', watt: 'W', ohm: 'ohm', celsius: 'degC', pa: 'Pa',
};

/** `test_time_second` → `Test Time (s)`, `cycle_count` → `Cycle Count`; anything else as vendors spell it. */
export function bdfLabel(field: string): string {
  const f = field.trim();
  if (!/^[a-z0-9_]+$/.test(f) || !f.includes('_')) return commonUnitSpelling(f);
  const parts = f.split('_');
  const unit = MACHINE_UNIT[parts[parts.length - 1]!];
  // Empty segments (`a__b`, a mangled header) stay empty rather than crash (fuzz regression).
  const words = (unit ? parts.slice(0, -1) : parts).map((w) => (/^t\d$/.test(w) ? w.toUpperCase() : w ? w[0]!.toUpperCase() + w.slice(1) : w));
  return unit ? `${words.join(' ')} (${unit})` : words.join(' ');
}

const BDF_RULES: readonly ColumnRule[] = [
  { match: ['Test Time'], to: CYCLER.testTime, unit: 's' },
  { match: ['Unix Time'], to: CYCLER.unixTime, unit: 's' },
  { match: ['Step Time'], to: CYCLER.stepTime, unit: 's' },
  { match: ['Voltage'], to: CYCLER.voltage, unit: 'V', required: true },
  { match: ['Current'], to: CYCLER.current, unit: 'A', required: true },
  { match: ['Cycle Count', 'Cycle Index'], to: CYCLER.cycle },
  { match: ['Step Count'], to: CYCLER.step },
  { match: ['Step Index', 'Step ID'], to: CYCLER.stepIndex },
  { match: ['Step Type'], to: CYCLER.stepType, parse: 'category' },
  { match: ['Record Index'], to: CYCLER.recordIndex },
  { match: ['Charging Capacity', 'Charge Capacity'], to: CYCLER.chargeCapacity, unit: 'Ah' },
  { match: ['Discharging Capacity', 'Discharge Capacity'], to: CYCLER.dischargeCapacity, unit: 'Ah' },
  { match: ['Step Capacity'], to: CYCLER.stepCapacity, unit: 'Ah' },
  { match: ['Net Capacity'], to: CYCLER.netCapacity, unit: 'Ah' },
  { match: ['Charging Energy', 'Charge Energy'], to: CYCLER.chargeEnergy, unit: 'Wh' },
  { match: ['Discharging Energy', 'Discharge Energy'], to: CYCLER.dischargeEnergy, unit: 'Wh' },
  { match: ['Power'], to: CYCLER.power, unit: 'W' },
  { match: ['Internal Resistance'], to: CYCLER.internalResistance, unit: 'ohm' },
  { match: ['Ambient Temperature'], to: CYCLER.temperature, unit: 'degC' },
];

const SURFACE_TEMPERATURE = { name: 'Surface Temperature', unit: 'degC' } as const;

const BATTERY_ARCHIVE_RULES: readonly ColumnRule[] = [
  { match: ['Date_Time'], to: CYCLER.unixTime, parse: 'datetime' },
  { match: ['Test_Time'], to: CYCLER.testTime, unit: 's', required: true },
  { match: ['Cycle_Index'], to: CYCLER.cycle },
  { match: ['Current'], to: CYCLER.current, unit: 'A', required: true },
  { match: ['Voltage'], to: CYCLER.voltage, unit: 'V', required: true },
  { match: ['Charge_Capacity'], to: CYCLER.chargeCapacity, unit: 'Ah' },
  { match: ['Discharge_Capacity'], to: CYCLER.dischargeCapacity, unit: 'Ah' },
  { match: ['Charge_Energy'], to: CYCLER.chargeEnergy, unit: 'Wh' },
  { match: ['Discharge_Energy'], to: CYCLER.dischargeEnergy, unit: 'Wh' },
  { match: ['Environment_Temperature'], to: CYCLER.temperature, unit: 'degC' },
  { match: ['Cell_Temperature'], to: SURFACE_TEMPERATURE, unit: 'degC' },
];

function headerLine(headText: string): string {
  const s = headText.startsWith('\xef\xbb\xbf') ? headText.slice(3) : headText;
  const i = s.search(/[\r\n]/);
  return i < 0 ? s : s.slice(0, i);
}

// [^\S\t]* rather than \s*: the same matches on one header line, but linear on tab runs (fuzz regression).
const BDF_TIME = /(^|[,;\t"])[^\S\t]*(Test Time\s*(\/|\(|\[)|test_time_(second|millisecond|hour))/;
const BDF_VOLTAGE = /(^|[,;\t"])[^\S\t]*(Voltage\s*(\/|\(|\[)\s*m?V|voltage_(milli)?volt)/;
const BDF_CURRENT = /(^|[,;\t"])[^\S\t]*(Current\s*(\/|\(|\[)\s*m?A|current_(milli)?ampere)/;

function sniffBdf(input: SniffInput): number {
  const h = headerLine(input.headText);
  if (!BDF_TIME.test(h) || !BDF_VOLTAGE.test(h) || !BDF_CURRENT.test(h)) return 0;
  if (/Test_Time|Cycle_Index|Data_Point/.test(h)) return 0; // Arbin / BatteryArchive spelling
  return / \/ /.test(h) || /_second|_volt|_ampere/.test(h) ? 0.9 : 0.7;
}

function sniffBatteryArchive(input: SniffInput): number {
  const h = headerLine(input.headText);
  if (/\bData_Point\b/.test(h)) return 0; // Arbin
  return /\bTest_Time \(s\)/.test(h) && /\bCycle_Index\b/.test(h) && /\bCurrent \(A\)/.test(h) && /\bVoltage \(V\)/.test(h) ? 0.9 : 0;
}

function parseWith(what: string, rules: readonly ColumnRule[], meta: Record<string, string>) {
  return ({ path, bytes, source }: ParseInput): ParsedRecord[] => {
    const src = textSource(path, bytes, undefined, source);
    const lines = headLines(src, 30);
    if (lines.length === 0 || lines[0]!.text.trim() === '') {
      throw new ParseError({ file: path, code: 'bad-header', line: 1, message: `${what}: the first line must be the header`, expected: 'a header row', found: lines[0]?.text ?? '' });
    }
    const delimiter = detectDelimiter(lines.slice(0, 6).map((l) => l.text));
    const sample = lines.slice(1, 20).map((l) => l.text);
    const table = readTable(src, lines, 0, {
      delimiter, rules, what, decimalComma: looksDecimalComma(sample, delimiter),
      header: respellHeader(lines[0]!.text, delimiter, bdfLabel),
    });
    const columns = [...table.columns];
    const warnings = [...table.warnings];
    ensureTestTime(columns, warnings);
    stitchCounters(columns);
    return [cyclerRecord(path, columns, { ...meta }, warnings)];
  };
}

export const bdfCsv: FormatParser = {
  id: 'bdf-csv',
  family: 'cycler',
  kind: 'cycler',
  title: 'Battery Data Format (BDF) CSV',
  version: '1.0.0',
  extensions: ['.csv', '.bdf'],
  sniff: sniffBdf,
  parse: parseWith('BDF CSV', BDF_RULES, { software: 'Battery Data Format CSV' }),
  streams: true,
};

export const batteryArchiveCsv: FormatParser = {
  id: 'batteryarchive-csv',
  family: 'cycler',
  kind: 'cycler',
  title: 'BatteryArchive.org normalised timeseries CSV',
  version: '1.0.0',
  extensions: ['.csv'],
  sniff: sniffBatteryArchive,
  parse: parseWith('BatteryArchive CSV', BATTERY_ARCHIVE_RULES, { software: 'BatteryArchive.org timeseries CSV' }),
  streams: true,
};
