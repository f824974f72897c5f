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
import type { ParsedRecord } from '../../src/records/record.js';
import { CYCLER } from '../../src/records/names.js';
import { ParseError } from '../../src/records/errors.js';
import { detectDelimiter } from '../text/table.js';
import { cyclerRecord } from './record.js';
import { commonUnitSpelling, headLines, looksDecimalComma, readTable, respellHeader, textSource } from './text-source.js';
import { ensureTestTime, stitchCounters } from './column-ops.js';

/** BDF machine-name suffix → unit, so `current_milliampere` reads as `Current (mA)`. */
const MACHINE_UNIT: Readonly<Record<string, string>> = {
  second: 's',
  millisecond: 'ms',
  hour: 'h',
  volt: 'V',
  millivolt: 'mV',
  ampere: 'A',
  milliampere: 'mA',
  ah: 'Ah',
  wh: 'Wh',
  watt: 'W',
  ohm: 'ohm',
  celsius: 'degC',
  pa: 'Pa',
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

/**
 * "Battery data tools" / BatteryData CSV (issue #19): the processed current-voltage-time table of the
 * public MATLAB battery-data toolkit (`process_IVt_data`, `check_IVt_data_formatting`,
 * `plot_measurements`), saved as CSV. Columns are `Name_unit` tokens: `Time_s`, `Datenum_d` (MATLAB
 * datenum, days since year 0), `Cycle_Index`, `Step_Index`, `Current_A` (> 0 = charge, as the
 * toolkit's charge mask reads it), `Voltage_V`, `Charge/Discharge_Capacity_Ah`, `…_Energy_Wh`,
 * `Power_W`, `Cell_Temperature_C`. Impedance points may share the table (`Frequency_Hz`,
 * `Z_Real_Ohm`, `Z_Imag_Ohm`, `Z_Mag_Ohm`, `Z_Phase_Degree`), NaN on every DC row; they are not cycler
 * data and are left out, with a note saying how many rows held values.
 */
const BDT_DATENUM = { name: 'Datenum', unit: 'd' } as const;
const BDT_RULES: readonly ColumnRule[] = [
  { match: ['Time_s'], to: CYCLER.testTime, unit: 's', required: true },
  { match: ['Datenum_d'], to: BDT_DATENUM },
  { match: ['Cycle_Index'], to: CYCLER.cycle },
  { match: ['Step_Index'], to: CYCLER.stepIndex },
  { match: ['Current_A'], to: CYCLER.current, unit: 'A', required: true },
  { match: ['Voltage_V'], to: CYCLER.voltage, unit: 'V', required: true },
  { match: ['Charge_Capacity_Ah'], to: CYCLER.chargeCapacity, unit: 'Ah' },
  { match: ['Discharge_Capacity_Ah'], to: CYCLER.dischargeCapacity, unit: 'Ah' },
  { match: ['Charge_Energy_Wh'], to: CYCLER.chargeEnergy, unit: 'Wh' },
  { match: ['Discharge_Energy_Wh'], to: CYCLER.dischargeEnergy, unit: 'Wh' },
  { match: ['Power_W'], to: CYCLER.power, unit: 'W' },
  { match: ['Ambient_Temperature_C'], to: CYCLER.temperature, unit: 'degC' },
  { match: ['Cell_Temperature_C'], to: SURFACE_TEMPERATURE, unit: 'degC' },
];
/** Impedance columns the toolkit writes into the same table (NaN on DC rows). */
export const BDT_IMPEDANCE_COLUMNS = ['Frequency_Hz', 'Z_Real_Ohm', 'Z_Imag_Ohm', 'Z_Mag_Ohm', 'Z_Phase_Degree'] as const;
/** MATLAB datenum of 1970-01-01 00:00. */
const DATENUM_UNIX_EPOCH = 719529;

function sniffBdt(input: SniffInput): number {
  const h = headerLine(input.headText);
  const tokens = new Set(h.split(/[,;\t]/).map((x) => x.trim().replace(/^"|"$/g, '')));
  if (tokens.has('Data_Point') || tokens.has('Test_Time (s)')) return 0; // Arbin / BatteryArchive
  return tokens.has('Time_s') && tokens.has('Current_A') && tokens.has('Voltage_V') && (tokens.has('Cycle_Index') || tokens.has('Datenum_d')) ? 0.9 : 0;
}

function parseBdt({ path, bytes, source }: ParseInput): ParsedRecord[] {
  const what = 'battery-data-tools CSV';
  const src = textSource(path, bytes, undefined, source);
  const lines = headLines(src, 30);
  if (lines.length === 0 || lines[0]!.text.trim() === '') {
    throw new ParseError({
      file: path,
      code: 'bad-header',
      line: 1,
      message: `${what}: the first line must be the header`,
      expected: 'Time_s,Datenum_d,Cycle_Index,…,Current_A,Voltage_V,…',
      found: lines[0]?.text ?? '',
    });
  }
  const delimiter = detectDelimiter(lines.slice(0, 6).map((l) => l.text));
  const sample = lines.slice(1, 20).map((l) => l.text);
  const table = readTable(src, lines, 0, { delimiter, rules: BDT_RULES, what, decimalComma: looksDecimalComma(sample, delimiter) });
  const warnings = [...table.warnings];
  const meta: Record<string, unknown> = { software: 'battery-data tools (MATLAB) processed CSV' };
  const impedance = new Set<string>(BDT_IMPEDANCE_COLUMNS);
  const dropped: string[] = [];
  let rowsWithValues = 0;
  const columns = table.columns.filter((c) => {
    const key = c.unit ? `${c.name}_${c.unit}` : c.name;
    if (!impedance.has(c.name) && !impedance.has(key)) return true;
    dropped.push(c.name);
    let n = 0;
    for (let i = 0; i < c.values.length; i++) if (!Number.isNaN(c.values[i]!)) n++;
    rowsWithValues = Math.max(rowsWithValues, n);
    return false;
  });
  // Their NaN cells are not news: the generic empty/non-numeric notes for these columns go, one note replaces them.
  const notes = warnings.filter((w) => !dropped.some((d) => w.message.includes(`'${d}'`)));
  if (dropped.length) {
    notes.push({
      code: 'impedance-columns-ignored',
      message:
        rowsWithValues === 0
          ? `impedance columns ${dropped.join(', ')} are NaN on every row and were ignored`
          : `impedance columns ${dropped.join(', ')} ignored: ${rowsWithValues} row(s) hold impedance values, which this reader does not turn into spectra`,
      rows: rowsWithValues,
    });
    meta.impedanceColumnsIgnored = { columns: dropped, rowsWithValues };
  }
  const dn = columns.findIndex((c) => c.name === BDT_DATENUM.name);
  if (dn >= 0) {
    const d = columns[dn]!.values;
    const unix = new Float64Array(d.length);
    for (let i = 0; i < d.length; i++) unix[i] = (d[i]! - DATENUM_UNIX_EPOCH) * 86400;
    columns[dn] = { name: CYCLER.unixTime.name, unit: CYCLER.unixTime.unit, values: unix };
    meta.unixTimeFrom = 'Datenum_d (MATLAB datenum, days; wall clock read as UTC)';
  }
  ensureTestTime(columns, notes);
  stitchCounters(columns);
  return [cyclerRecord(path, columns, meta as Record<string, string>, notes)];
}

export const batteryDataToolsCsv: FormatParser = {
  id: 'battery-data-tools-csv',
  family: 'cycler',
  kind: 'cycler',
  title: 'battery-data tools / BatteryData processed CSV (Time_s, Datenum_d, Cycle_Index, Current_A, Voltage_V)',
  version: '1.0.0',
  extensions: ['.csv'],
  sniff: sniffBdt,
  parse: parseBdt,
  streams: true,
};

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
      throw new ParseError({
        file: path,
        code: 'bad-header',
        line: 1,
        message: `${what}: the first line must be the header`,
        expected: 'a header row',
        found: lines[0]?.text ?? '',
      });
    }
    const delimiter = detectDelimiter(lines.slice(0, 6).map((l) => l.text));
    const sample = lines.slice(1, 20).map((l) => l.text);
    const table = readTable(src, lines, 0, {
      delimiter,
      rules,
      what,
      decimalComma: looksDecimalComma(sample, delimiter),
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
