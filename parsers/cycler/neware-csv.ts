/**
 * Neware BTS CSV exports, English or Chinese headers with units inside the name (`Current(A)`, `电流(mA)`):
 * - the flat record-layer table (`DataPoint,Cycle Index,Step Index,Step Type,Time,Cumulative Time,…`);
 * - the "regular" layered export (cycle/step/record header rows, see neware-layers.ts).
 * Current is signed by BTS (positive = charge); it is also checked against the step type. `Chg. Cap.`
 * and friends restart at every step in BTS 8: they are stitched into per-cycle running totals. The step
 * `Capacity`/`Energy` columns are kept as Step Capacity / Step Energy. Temperatures whose `°C` was lost
 * to a code page (`T1(?)`) are read as °C.
 */
import type { FormatParser, ParseInput, SniffInput } from '../types.js';
import type { ColumnRule, MappedTable } from '../text/columns.js';
import type { Column, ParsedRecord, ParseWarning, RecordMeta } from '../../src/records/record.js';
import { CYCLER } from '../../src/records/names.js';
import { ParseError } from '../../src/records/errors.js';
import { splitFields } from '../text/table.js';
import { decodeText } from '../text/decode.js';
import { cyclerRecord } from './record.js';
import { commonUnitSpelling, headLines, looksDecimalComma, readTable, respellHeader, textSource, type HeadLine, type TextSource } from './text-source.js';
import { ensureTestTime, findCol, numbers, setCol, stitchCounters } from './column-ops.js';
import { directionFromLevels, signFromDirection, splitStepCounter } from './cumulative.js';
import { contextColumns, findLayerHeaders, splitLayers } from './neware-layers.js';

export const STEP_ENERGY = { name: 'Step Energy', unit: 'Wh' } as const;

/** English (BTS 8 / BTSDA 7) and Chinese header names, without their units. */
export const NEWARE_RULES: readonly ColumnRule[] = [
  { match: ['DataPoint', 'Record ID', 'Record Index', 'Record', '数据序号', '记录序号'], to: CYCLER.recordIndex },
  { match: ['Cycle Index', 'Cycle ID', 'Cycle', '循环号', '循环序号', '循环'], to: CYCLER.cycle },
  { match: ['Step Index', 'Step ID', 'Step', '工步号', '工步序号', '步次'], to: CYCLER.stepIndex },
  { match: ['Step Number'], to: CYCLER.step },
  { match: ['Step Type', 'Step Name', 'Status', '工步类型', '工步名称', '状态'], to: CYCLER.stepType, parse: 'category' },
  { match: ['Total Time', 'Cumulative Time', 'Test Time', '总时间', '累计时间'], to: CYCLER.testTime, parse: 'duration' },
  { match: ['Time', 'Step Time', 'Relative Time', '时间', '相对时间'], to: CYCLER.stepTime, parse: 'duration' },
  { match: ['Date', 'Realtime', 'Absolute Time', 'System Time', '绝对时间', '日期', '系统时间'], to: CYCLER.unixTime, parse: 'datetime' },
  { match: ['Current', 'Cur', '电流'], to: CYCLER.current, unit: 'mA', required: true },
  { match: ['Voltage', 'Vol', '电压'], to: CYCLER.voltage, unit: 'V', required: true },
  { match: ['Chg. Cap.', 'Capacitance_Chg', 'Chg. Capacity', '充电容量'], to: CYCLER.chargeCapacity, unit: 'mAh' },
  { match: ['DChg. Cap.', 'Capacitance_DChg', 'DChg. Capacity', '放电容量'], to: CYCLER.dischargeCapacity, unit: 'mAh' },
  { match: ['Capacity', 'Cap', 'CapaCity', '容量'], to: CYCLER.stepCapacity, unit: 'mAh' },
  { match: ['Chg. Energy', 'Engy_Chg', '充电能量'], to: CYCLER.chargeEnergy, unit: 'mWh' },
  { match: ['DChg. Energy', 'Engy_DChg', '放电能量'], to: CYCLER.dischargeEnergy, unit: 'mWh' },
  { match: ['Energy', '能量'], to: STEP_ENERGY, unit: 'mWh' },
  { match: ['Power', '功率'], to: CYCLER.power, unit: 'W' },
  { match: ['DCIR'], to: CYCLER.internalResistance, unit: 'mohm' },
];

/** `(?)` is a °C lost to a code page; `O`/`mO` are Ω/mΩ written in ASCII. */
export function newareSpelling(field: string): string {
  const f = field
    .trim()
    .replace(/\(\?\)$/, '(degC)')
    .replace(/\(mO\)$/, '(mohm)')
    .replace(/\(O\)$/, '(ohm)');
  return commonUnitSpelling(f);
}

export function stepDirection(label: string): -1 | 0 | 1 {
  if (/dchg|discharge|放电/i.test(label)) return -1;
  if (/chg|charge|充电/i.test(label)) return 1;
  return 0;
}

/** Sign check, per-cycle counters, Test Time: what every Neware table needs after reading. */
export function finishNeware(path: string, columns: Column[], warnings: ParseWarning[], meta: RecordMeta): ParsedRecord {
  const type = findCol(columns, CYCLER.stepType.name);
  const current = numbers(findCol(columns, CYCLER.current.name));
  const dir = type?.levels ? directionFromLevels(type.values, type.levels, stepDirection) : undefined;
  if (dir && current) {
    const flipped = signFromDirection(current, dir);
    if (flipped)
      warnings.push({
        code: 'current-sign-fixed',
        message: `${flipped} rows had a current sign opposite to their step type; set to positive = charge`,
        rows: flipped,
      });
  }
  const cycle = findCol(columns, CYCLER.cycle.name)?.values;
  const step = (findCol(columns, CYCLER.step.name) ?? findCol(columns, CYCLER.stepIndex.name))?.values;
  const stepCap = numbers(findCol(columns, CYCLER.stepCapacity.name));
  if (dir && stepCap && !findCol(columns, CYCLER.chargeCapacity.name)) {
    const s = splitStepCounter(stepCap, dir, cycle, step);
    setCol(columns, CYCLER.chargeCapacity.name, { ...CYCLER.chargeCapacity, values: s.charge });
    setCol(columns, CYCLER.dischargeCapacity.name, { ...CYCLER.dischargeCapacity, values: s.discharge });
  }
  const stepEnergy = numbers(findCol(columns, STEP_ENERGY.name));
  if (dir && stepEnergy && !findCol(columns, CYCLER.chargeEnergy.name)) {
    const s = splitStepCounter(stepEnergy, dir, cycle, step);
    setCol(columns, CYCLER.chargeEnergy.name, { ...CYCLER.chargeEnergy, values: s.charge });
    setCol(columns, CYCLER.dischargeEnergy.name, { ...CYCLER.dischargeEnergy, values: s.discharge });
  }
  const stitched = stitchCounters(columns);
  if (stitched.length) meta.counterStitching = `per-step resets stitched into per-cycle totals: ${stitched.join(', ')}`;
  ensureTestTime(columns, warnings);
  return cyclerRecord(path, columns, meta, warnings);
}

/** Read a Neware table whose record header is at `h` (flat) or the layered export found at `layers`. */
export function readNewareTable(
  src: TextSource,
  lines: readonly HeadLine[],
  delimiter: string,
  meta: RecordMeta,
  respell: (f: string) => string = newareSpelling,
): ParsedRecord {
  const layers = findLayerHeaders(lines, delimiter);
  let table: MappedTable;
  let columns: Column[];
  if (layers) {
    const sampleRaw = lines
      .slice(layers.record + 1, layers.record + 200)
      .map((l) => l.text)
      .filter((t) => t.startsWith(delimiter + delimiter));
    const decimalComma = looksDecimalComma(sampleRaw, delimiter);
    const split = splitLayers(src, lines, layers, delimiter, decimalComma);
    table = readTable(src, lines, layers.record, {
      delimiter,
      rules: NEWARE_RULES,
      decimalComma,
      bytes: split.bytes,
      sample: split.sample,
      header: respellHeader(lines[layers.record]!.text, delimiter, respell),
      what: 'Neware record layer',
    });
    columns = [...table.columns];
    for (const c of contextColumns(split, table.rows)) if (!findCol(columns, c.name)) columns.push(c);
    meta.layout = 'layered (cycle/step/record)';
    meta.cycleSummary = split.cycles;
    meta.stepSummary = split.steps;
  } else {
    const h = lines.findIndex((l) => isRecordHeader(splitFields(l.text, delimiter)));
    if (h < 0) {
      throw new ParseError({
        file: src.path,
        code: 'bad-header',
        line: 1,
        message: 'no Neware record-layer header (DataPoint/Record ID, Current, Voltage) found',
        expected: 'DataPoint,Cycle Index,…,Current(A),Voltage(V)',
        found: lines[0]?.text ?? '',
      });
    }
    const sample = lines.slice(h + 1, h + 30).map((l) => l.text);
    table = readTable(src, lines, h, {
      delimiter,
      rules: NEWARE_RULES,
      decimalComma: looksDecimalComma(sample, delimiter),
      header: respellHeader(lines[h]!.text, delimiter, respell),
      what: 'Neware record table',
    });
    columns = [...table.columns];
  }
  return finishNeware(src.path, columns, [...table.warnings], meta);
}

const RECORD_ID = /^(DataPoint|Record ID|Record Index|数据序号|记录序号)$/i;

export function isRecordHeader(fields: readonly string[]): boolean {
  const names = fields.map((f) => f.replace(/\s*[([].*$/, '').trim());
  return names.some((n) => RECORD_ID.test(n)) && names.some((n) => /^(Current|Cur|电流)$/i.test(n)) && names.some((n) => /^(Voltage|Vol|电压)$/i.test(n));
}

function sniffNewareCsv(input: SniffInput): number {
  const text = decodeText(input.head.subarray(0, Math.min(input.head.length, 8192)), 'gbk').text;
  const first = text.split(/\r\n|\n|\r/, 3);
  const f0 = splitFields(first[0] ?? '', ',');
  if (f0.length < 4) return 0;
  if (isRecordHeader(f0) && f0.some((f) => /^(Cycle Index|Step Type|循环号|工步类型)/.test(f))) return 0.92;
  if (/^(Cycle Index|循环号|循环序号)$/.test(f0[0] ?? '') && /^,(Step Index|工步号|工步序号)/.test(first[1] ?? '') && /^,,/.test(first[2] ?? '')) return 0.95;
  return 0;
}

function parseNewareCsv({ path, bytes }: ParseInput): ParsedRecord[] {
  const src = textSource(path, bytes, 'gbk');
  const lines = headLines(src, 400);
  return [readNewareTable(src, lines, ',', { instrument: 'Neware BTS', software: 'BTS CSV export' })];
}

export const newareCsv: FormatParser = {
  id: 'neware-csv',
  family: 'cycler',
  kind: 'cycler',
  title: 'Neware BTS CSV export (record layer; flat or layered; English/Chinese headers)',
  version: '1.0.0',
  extensions: ['.csv'],
  sniff: sniffNewareCsv,
  parse: parseNewareCsv,
};
