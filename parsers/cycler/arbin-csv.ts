/**
 * Arbin MITS Pro CSV export (and the same table as dumped by TRI's BEEP): one header row
 * `Data_Point,Test_Time(s),Date_Time,Step_Time(s),Step_Index,Cycle_Index,Current(A),Voltage(V),…`.
 * Older/dumped exports drop the units from the header (`Test_Time`, `Current`): Arbin's own units
 * (s, A, V, Ah, Wh, Ohm, °C) are then implied. Current is positive on charge, as in Interphase.
 *
 * The `*_Metadata.csv` written beside a BEEP dump is channel metadata (schedule, test id), not data.
 * Batch and watch treat it as a companion file (parsers/companions.ts): its fields are attached to the
 * data CSV's record meta and it is stored as `sidecar`. This parser, asked directly, refuses it.
 */
import type { FormatParser, ParseInput, SniffInput } from '../types.js';
import type { ColumnRule } from '../text/columns.js';
import type { ParsedRecord, RecordMeta } from '../../src/records/record.js';
import { CYCLER } from '../../src/records/names.js';
import { ParseError } from '../../src/records/errors.js';
import { splitFields } from '../text/table.js';
import { isNumeric } from '../text/numbers.js';
import { cyclerRecord } from './record.js';
import { commonUnitSpelling, headLines, readTable, respellHeader, textSource } from './text-source.js';
import { stitchCounters } from './column-ops.js';

const TEMPERATURE = { name: 'Temperature', unit: 'degC' } as const;
const DVDT = { name: 'dV/dt', unit: 'V/s' } as const;

const COMMON_RULES: readonly ColumnRule[] = [
  { match: ['Data_Point'], to: CYCLER.recordIndex },
  { match: ['Test_Time'], to: CYCLER.testTime, unit: 's', required: true },
  { match: ['Step_Time'], to: CYCLER.stepTime, unit: 's' },
  { match: ['Step_Index'], to: CYCLER.stepIndex },
  { match: ['Cycle_Index'], to: CYCLER.cycle },
  { match: ['Current'], to: CYCLER.current, unit: 'A', required: true },
  { match: ['Voltage'], to: CYCLER.voltage, unit: 'V', required: true },
  { match: ['Charge_Capacity'], to: CYCLER.chargeCapacity, unit: 'Ah' },
  { match: ['Discharge_Capacity'], to: CYCLER.dischargeCapacity, unit: 'Ah' },
  { match: ['Charge_Energy'], to: CYCLER.chargeEnergy, unit: 'Wh' },
  { match: ['Discharge_Energy'], to: CYCLER.dischargeEnergy, unit: 'Wh' },
  { match: ['Internal_Resistance'], to: CYCLER.internalResistance, unit: 'ohm' },
  { match: ['Power'], to: CYCLER.power, unit: 'W' },
  { match: ['Temperature'], to: TEMPERATURE, unit: 'degC' },
  { match: ['dV/dt'], to: DVDT, unit: 'V/s' },
];

/** BEEP dumps store the clock as Unix seconds; MITS Pro writes a local date-time string. */
const UNIX_NUMBER: ColumnRule = { match: ['DateTime', 'Date_Time'], to: CYCLER.unixTime, unit: 's' };
const UNIX_TEXT: ColumnRule = { match: ['DateTime', 'Date_Time'], to: CYCLER.unixTime, parse: 'datetime' };

function firstLine(headText: string): string {
  const s = headText.startsWith('\xef\xbb\xbf') ? headText.slice(3) : headText;
  const i = s.search(/[\r\n]/);
  return i < 0 ? s : s.slice(0, i);
}

/** `dV/dt` without a unit would read as quantity `dV` in unit `dt`: give it Arbin's V/s. */
function arbinHeaderSpelling(field: string): string {
  return /^dV\/dt$/i.test(field.trim()) ? 'dV/dt (V/s)' : commonUnitSpelling(field);
}

export function isArbinMetadataHeader(line: string): boolean {
  return /\btest_id\b/.test(line) && /\bschedule_file_name\b/.test(line) && /\biv_ch_id\b/.test(line);
}

function sniffArbinCsv(input: SniffInput): number {
  const h = firstLine(input.headText);
  if (isArbinMetadataHeader(h)) return 0.6; // routed here so parse() can say what it is
  if (!/\bData_Point\b/.test(h) || !/\bTest_Time\b/.test(h)) return 0;
  let score = 0.6;
  if (/\bCycle_Index\b/.test(h)) score += 0.15;
  if (/\bStep_Index\b/.test(h)) score += 0.1;
  if (/\bVoltage\b/.test(h) && /\bCurrent\b/.test(h)) score += 0.1;
  return Math.min(score, 0.95);
}

function parseArbinCsv({ path, bytes, source }: ParseInput): ParsedRecord[] {
  const src = textSource(path, bytes, undefined, source);
  const lines = headLines(src, 30);
  const header = lines[0]?.text ?? '';
  if (isArbinMetadataHeader(header)) {
    throw new ParseError({
      file: path,
      code: 'not-this-kind',
      line: 1,
      message:
        'this is an Arbin channel metadata file (test id, schedule, channel), not cycling data; batch and watch attach its fields to the data CSV written beside it (same name without _Metadata)',
      expected: 'Data_Point,Test_Time,…,Current,Voltage',
      found: header,
    });
  }
  if (!/\bData_Point\b/.test(header)) {
    throw new ParseError({
      file: path,
      code: 'bad-header',
      line: 1,
      message: 'not an Arbin CSV header',
      expected: 'Data_Point,Test_Time,…',
      found: header,
    });
  }
  const fields = splitFields(header, ',');
  const dateIdx = fields.findIndex((f) => /^Date_?Time\b/i.test(f));
  const firstData = lines[1] ? splitFields(lines[1].text, ',') : [];
  const dateIsNumber = dateIdx >= 0 && isNumeric(firstData[dateIdx] ?? '');
  const rules = [...COMMON_RULES, dateIsNumber ? UNIX_NUMBER : UNIX_TEXT];
  const table = readTable(src, lines, 0, {
    delimiter: ',',
    rules,
    what: 'Arbin CSV',
    header: respellHeader(header, ',', arbinHeaderSpelling),
  });
  const columns = [...table.columns];
  const stitched = stitchCounters(columns);
  const meta: RecordMeta = { instrument: 'Arbin', software: 'MITS Pro' };
  if (stitched.length) meta.counterStitching = `per-step resets stitched into per-cycle totals: ${stitched.join(', ')}`;
  return [cyclerRecord(path, columns, meta, table.warnings)];
}

export const arbinCsv: FormatParser = {
  id: 'arbin-csv',
  family: 'cycler',
  kind: 'cycler',
  title: 'Arbin MITS Pro CSV export',
  version: '1.0.0',
  extensions: ['.csv'],
  sniff: sniffArbinCsv,
  parse: parseArbinCsv,
  streams: true,
};
