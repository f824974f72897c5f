/**
 * Novonix HPC (high-precision charger) CSV: `[Summary]` key/values, `[Protocol]` text, then `[Data]`
 * with one header line. Version 2.x writes each data line wrapped in double quotes (the whole line is
 * one CSV field), and stamps `2022-04-11 10:58:07 AM` (ISO date, 12-hour clock). Run/step times are in
 * hours; current is signed (positive = charge).
 *
 * `Step Type` is Novonix's numeric step code (0 rest/OCV, 1 CC charge, 2 CC discharge, 7 CV charge,
 * 8 CV discharge, …); it is kept as a category whose levels are the codes as written.
 */
import type { FormatParser, ParseInput, SniffInput } from '../types.js';
import type { ColumnRule } from '../text/columns.js';
import type { ParsedRecord, RecordMeta } from '../../src/records/record.js';
import { CYCLER } from '../../src/records/names.js';
import { ParseError } from '../../src/records/errors.js';
import { parseDateTime, isoFromUnix } from '../text/datetime.js';
import { cyclerRecord } from './record.js';
import { headLines, readTable, textSource } from './text-source.js';
import { dropCol, findCol, setCol, unixFromLevels } from './column-ops.js';

const DATE_HEADER = 'Date and Time';

const RULES: readonly ColumnRule[] = [
  { match: ['Run Time', 'Test Time'], to: CYCLER.testTime, unit: 'h', required: true },
  { match: ['Step Time'], to: CYCLER.stepTime, unit: 'h' },
  { match: ['Cycle Number'], to: CYCLER.cycle },
  { match: ['Step Number'], to: CYCLER.stepIndex },
  { match: ['Step Type'], to: CYCLER.stepType, parse: 'category' },
  { match: ['Current'], to: CYCLER.current, unit: 'A', required: true },
  { match: ['Potential', 'Voltage'], to: CYCLER.voltage, unit: 'V', required: true },
  { match: [DATE_HEADER], to: { name: DATE_HEADER, unit: '' }, parse: 'category' },
];

/** `2022-04-11 10:58:07 AM` → Unix seconds (wall clock read as UTC, like every stamp in Interphase). */
export function parseNovonixTime(s: string): number {
  const m = /^(\d{4}-\d{1,2}-\d{1,2})[ T](\d{1,2}):(\d{2}):(\d{2}(?:\.\d+)?)\s*([AaPp][Mm])?$/.exec(s.trim());
  if (!m) return NaN;
  let hour = Number(m[2]);
  const ap = m[5]?.toLowerCase();
  if (ap === 'pm' && hour < 12) hour += 12;
  if (ap === 'am' && hour === 12) hour = 0;
  return parseDateTime(`${m[1]} ${String(hour).padStart(2, '0')}:${m[3]}:${m[4]}`);
}

function sniffNovonix(input: SniffInput): number {
  const t = input.headText.slice(0, 4096);
  if (!/^(\xef\xbb\xbf)?\[Summary\]/.test(t)) return 0;
  return /Novonix/i.test(t) ? 0.97 : 0;
}

function parseNovonix({ path, bytes }: ParseInput): ParsedRecord[] {
  const src = textSource(path, bytes);
  const lines = headLines(src, 2000, 4 << 20);
  const d = lines.findIndex((l) => l.text.trim() === '[Data]');
  if (d < 0 || d + 1 >= lines.length) {
    throw new ParseError({
      file: path,
      code: d < 0 ? 'bad-header' : 'no-data',
      line: d < 0 ? 1 : d + 1,
      message: d < 0 ? 'no [Data] section in the Novonix file' : 'the [Data] section has no header line',
      expected: '[Data] followed by a header line',
      found: d < 0 ? (lines[0]?.text ?? '') : 'end of file',
    });
  }
  const h = d + 1;
  const quoted = lines[h]!.text.trimStart().startsWith('"');
  let data: Uint8Array | undefined;
  if (quoted) {
    // Whole-line quoting: blank the quote bytes so the comma-separated cells inside are seen (same length).
    data = src.bytes.slice();
    for (let i = lines[h]!.start; i < data.length; i++) if (data[i] === 34) data[i] = 32;
  }
  const header = lines[h]!.text.replace(/"/g, '');
  const table = readTable(src, lines, h, {
    delimiter: ',',
    rules: RULES,
    what: 'Novonix [Data] section',
    header,
    bytes: data,
    sample: lines.slice(h + 1, h + 40).map((l) => l.text.replace(/"/g, '')),
  });
  const columns = [...table.columns];
  const date = findCol(columns, DATE_HEADER);
  if (date) {
    setCol(columns, CYCLER.unixTime.name, { ...CYCLER.unixTime, values: unixFromLevels(path, date, parseNovonixTime, h + 2) });
    dropCol(columns, DATE_HEADER);
  }
  const meta: RecordMeta = { instrument: 'Novonix HPC', software: 'Novonix HPC' };
  for (const l of lines.slice(0, d)) {
    const m = /^([A-Za-z][^:]*):\s*(.*)$/.exec(l.text.trim());
    if (!m || !m[2]) continue;
    const [key, value] = [m[1]!.trim(), m[2]!.trim()];
    if (key === 'Channel') meta.channel = value;
    else if (key === 'Cell') meta.cellId = value;
    else if (key === 'Version') meta.softwareVersion = value;
    else if (key === 'Protocol') meta.technique ??= value;
    else if (key === 'Started') {
      const u = parseNovonixTime(value);
      if (Number.isFinite(u)) meta.startTime = isoFromUnix(u).replace(/\.000Z$/, '');
    } else if (key === 'Capacity (Ah)') meta.nominalCapacityAh = Number(value);
    else if (key === 'Mass (g)') meta.massG = Number(value);
    else if (key === 'Area (cm2)') meta.areaCm2 = Number(value);
  }
  return [cyclerRecord(path, columns, meta, table.warnings)];
}

export const novonixCsv: FormatParser = {
  id: 'novonix-csv',
  family: 'cycler',
  kind: 'cycler',
  title: 'Novonix HPC CSV ([Summary]/[Protocol]/[Data])',
  version: '1.0.0',
  extensions: ['.csv'],
  sniff: sniffNovonix,
  parse: parseNovonix,
};
