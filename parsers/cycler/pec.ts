/**
 * PEC (SBT/ACT series) CSV export: ~45 `Key:,value` lines (test, regime, cell, start/end time), then
 * one header row and the data. Durations are `hh:mm:ss.xxx` with hours that run past 24; capacity and
 * energy are in mAh/mWh; `Real Time` is `MM/DD/YYYY hh:mm:ss`. Data rows carry more cells than the header
 * names (unlabelled auxiliary channels): they are kept as `Unlabelled N` columns when they hold values.
 */
import type { FormatParser, ParseInput, SniffInput } from '../types.js';
import type { ColumnRule } from '../text/columns.js';
import type { Column, ParsedRecord, ParseWarning, RecordMeta } from '../../src/records/record.js';
import { CYCLER } from '../../src/records/names.js';
import { ParseError } from '../../src/records/errors.js';
import { splitFields } from '../text/table.js';
import { parseDateTime, isoFromUnix } from '../text/datetime.js';
import { cyclerRecord } from './record.js';
import { commonUnitSpelling, headLines, readTable, respellHeader, textSource } from './text-source.js';
import { stitchCounters } from './column-ops.js';

const RULES: readonly ColumnRule[] = [
  { match: [/^Total Time\b/i], to: CYCLER.testTime, parse: 'duration', required: true },
  { match: [/^Step Time\b/i], to: CYCLER.stepTime, unit: 's' },
  { match: ['Step'], to: CYCLER.stepIndex },
  { match: ['Cycle'], to: CYCLER.cycle },
  { match: ['Instruction Name'], to: CYCLER.stepType, parse: 'category' },
  { match: ['Real Time'], to: CYCLER.unixTime, parse: 'datetime' },
  { match: ['Voltage'], to: CYCLER.voltage, unit: 'V', required: true },
  { match: ['Current'], to: CYCLER.current, unit: 'A', required: true },
  { match: ['Charge Capacity'], to: CYCLER.chargeCapacity, unit: 'Ah' },
  { match: ['Discharge Capacity'], to: CYCLER.dischargeCapacity, unit: 'Ah' },
  { match: ['Charge Energy'], to: CYCLER.chargeEnergy, unit: 'Wh' },
  { match: ['Discharge Energy'], to: CYCLER.dischargeEnergy, unit: 'Wh' },
];

const UNLABELLED = 'Unlabelled';

function isPecHeader(t: string): boolean {
  return /(^|,)Total Time \(/.test(t) && /(^|,)Voltage \(V\)/.test(t) && /(^|,)Current \(A\)/.test(t);
}

function sniffPec(input: SniffInput): number {
  const t = input.headText.slice(0, 32768);
  const kv = /(^|\n)Test:,/.test(t) && /(^|\n)TestRegime Name:,/.test(t);
  const header = /(^|\n)Test,Cell,/.test(t) && /Total Time \(Hours in hh:mm:ss/.test(t);
  if (kv && header) return 0.97;
  if (header) return 0.85;
  return kv ? 0.6 : 0;
}

function parsePec({ path, bytes, source }: ParseInput): ParsedRecord[] {
  const src = textSource(path, bytes, undefined, source);
  const lines = headLines(src, 200);
  const h = lines.findIndex((l) => isPecHeader(l.text));
  if (h < 0) {
    throw new ParseError({
      file: path,
      code: 'bad-header',
      line: 1,
      message: 'no PEC table header (Test,Cell,…,Total Time (…),Voltage (V),Current (A)) in the first 200 lines',
      expected: 'Test,Cell,Rack,…',
      found: lines[0]?.text ?? '',
    });
  }
  // Name the cells the header leaves unnamed, so nothing is dropped and rows are not "ragged".
  const names = splitFields(lines[h]!.text, ',');
  if (names.length > 1 && names[names.length - 1] === '') names.pop();
  let width = names.length;
  for (const l of lines.slice(h + 1, h + 40)) width = Math.max(width, splitFields(l.text, ',').length);
  const padded = [...names];
  for (let i = names.length; i < width; i++) padded.push(`${UNLABELLED} ${i + 1}`);
  const header = respellHeader(padded.join(','), ',', commonUnitSpelling);
  const table = readTable(src, lines, h, { delimiter: ',', rules: RULES, what: 'PEC export', header, onShortRow: 'pad' });

  const columns: Column[] = [];
  const emptyUnlabelled = new Set<string>();
  for (const c of table.columns) {
    if (c.name.startsWith(UNLABELLED) && !c.levels && c.values.every((v) => Number.isNaN(v))) emptyUnlabelled.add(c.name);
    else if (c.name.startsWith(UNLABELLED) && c.levels && c.levels.every((s) => s === '')) emptyUnlabelled.add(c.name);
    else columns.push(c);
  }
  const warnings: ParseWarning[] = table.warnings.filter((w) => ![...emptyUnlabelled].some((n) => w.message.includes(`'${n}'`)));
  const stitched = stitchCounters(columns);

  const meta: RecordMeta = { instrument: 'PEC', software: 'PEC CSV export' };
  if (stitched.length) meta.counterStitching = `per-step resets stitched into per-cycle totals: ${stitched.join(', ')}`;
  for (const l of lines.slice(0, h)) {
    const f = splitFields(l.text, ',');
    const key = f[0]?.replace(/:$/, '').trim();
    const value = f
      .slice(1)
      .filter((x) => x !== '')
      .join(', ');
    if (!key || !value) continue;
    if (key === 'Test') meta.test = value;
    else if (key === 'TestRegime Name') meta.technique = value;
    else if (key === 'TestRegime Version') meta.regimeVersion = value;
    else if (key === 'Chemistry') meta.chemistry = value;
    else if (key === 'Product ID') meta.product = value;
    else if (key === 'TestRegime CellSize') meta.cellSize = value;
    else if (key === 'Start Time' || key === 'End Time') {
      const u = parseDateTime(value, 'mdy');
      if (Number.isFinite(u)) meta[key === 'Start Time' ? 'startTime' : 'endTime'] = isoFromUnix(u).replace(/\.000Z$/, '');
    }
  }
  const cellId = columns.find((c) => c.name === 'Cell ID');
  if (cellId?.levels?.length === 1) meta.cellId = cellId.levels[0];
  return [cyclerRecord(path, columns, meta, warnings)];
}

export const pecCsv: FormatParser = {
  id: 'pec-csv',
  family: 'cycler',
  kind: 'cycler',
  title: 'PEC cycler CSV export',
  version: '1.0.0',
  extensions: ['.csv'],
  sniff: sniffPec,
  parse: parsePec,
  streams: true,
};
