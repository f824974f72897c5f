/**
 * Per-cycle and per-step tables exported as text (CSV, TSV, semicolon): the Neware BTS cycle layer
 * saved alone (`Cycle Index,Chg. Cap.(Ah),DChg. Cap.(Ah),Chg.-DChg. Eff(%),…`), Arbin statistics
 * (`Cycle_Index,Test_Time(s),…,Charge_Capacity(Ah),Discharge_Capacity(Ah),…`), LANHE/Landt cycle
 * tables (`Cycle,CapC/mAh,CapD/mAh,…,Efficiency/%`), BioLogic EC-Lab "Capacity & Energy per cycle"
 * exports (`cycle number	Q charge/mA.h	Q discharge/mA.h	Energy charge/W.h	…`) and step tables
 * (`Cycle ID,Step ID,Step Type,Capacity(mAh),Energy(mWh)`). Recognised from the header: a cycle column
 * and charge + discharge capacity columns (or cycle, step type and capacity), no voltage/current
 * time-series columns, and a cycle number that never repeats over the first rows (one row per cycle).
 * Every column states its unit; one that does not is refused.
 */
import type { FormatParser, ParseInput, SniffInput } from '../types.js';
import type { ParsedRecord } from '../../src/records/record.js';
import { ParseError } from '../../src/records/errors.js';
import { splitFields, detectDelimiter } from '../text/table.js';
import { headLines, looksDecimalComma, textSource } from './text-source.js';
import { cycleSummaryRecord, cycleTarget, isCycleHeader, isStepHeader, splitCycleHeader, stepTableToCycleSummary } from './cycle-table.js';
import { newareDirection } from './spreadsheet/neware-xls.js';

/** Columns only a time series has: a table with one of these is not a per-cycle export. */
const TIME_SERIES = /^(data ?point|datapoint|record( ?(id|index))?|rec#?|voltage|volts?|current|amps|time\/s|ewe|i|<i>)$/i;

interface Found {
  index: number;
  delimiter: string;
  kind: 'cycle' | 'step';
  headers: string[];
}

function findHeader(lines: readonly string[]): Found | null {
  for (let i = 0; i < Math.min(lines.length, 40); i++) {
    const t = lines[i]!;
    if (!t.trim()) continue;
    const delimiter = detectDelimiter([t]);
    const headers = splitFields(t, delimiter).map((f) => f.trim());
    if (headers.length < 3 || headers[0] === '') continue;
    if (headers.some((h) => TIME_SERIES.test(splitCycleHeader(h).name.trim()))) continue;
    if (isCycleHeader(headers)) return { index: i, delimiter, kind: 'cycle', headers };
    if (isStepHeader(headers)) return { index: i, delimiter, kind: 'step', headers };
  }
  return null;
}

function sniffCycleSummaryText(input: SniffInput): number {
  const head = input.headText.slice(0, 16384);
  // A BTSDA text export (Device/Channel/Start Test Time preamble) is neware-txt's, whatever layers it holds.
  if (/(^|\n)Start Test Time\t/.test(head) || /(^|\n)Device\t+\d+\t+Channel\t/.test(head)) return 0;
  const lines = head.split(/\r?\n/);
  const h = findHeader(lines);
  if (!h) return 0;
  // A layered Neware export continues with step/record header rows that start with an empty cell.
  const next = lines[h.index + 1] ?? '';
  if (next.startsWith(h.delimiter)) return 0;
  if (h.kind === 'step') return 0.6;
  const ci = h.headers.findIndex((x) => cycleTarget(splitCycleHeader(x).name) === 'cycle');
  const cycles = lines
    .slice(h.index + 1, h.index + 12)
    .filter((l) => l.trim())
    .map((l) => Number(splitFields(l, h.delimiter)[ci]));
  if (cycles.length < 1 || cycles.some((c) => !Number.isFinite(c))) return 0.3;
  for (let k = 1; k < cycles.length; k++) if (!(cycles[k]! > cycles[k - 1]!)) return 0.2;
  return 0.8;
}

function parseCycleSummaryText({ path, bytes }: ParseInput): ParsedRecord[] {
  const src = textSource(path, bytes, 'gbk');
  const lines = headLines(src, 1_000_000, 64 << 20);
  const h = findHeader(lines.map((l) => l.text));
  if (!h) {
    throw new ParseError({
      file: path,
      code: 'bad-header',
      line: 1,
      message: 'no per-cycle table header (a cycle column with charge and discharge capacity, or cycle, step type and capacity)',
      expected: 'Cycle, Charge Capacity(unit), Discharge Capacity(unit)',
      found: lines[0]?.text ?? '',
    });
  }
  const body = lines
    .slice(h.index + 1)
    .map((l) => l.text)
    .filter((t) => t.trim());
  const decimalComma = h.delimiter !== ',' && looksDecimalComma(body.slice(0, 30), h.delimiter);
  const rows = body.map((t) => splitFields(t, h.delimiter).map((f) => f.trim()));
  const meta = { software: 'per-cycle text export', ...(decimalComma ? { decimalComma: true } : {}) };
  if (h.kind === 'step') {
    return [
      stepTableToCycleSummary({
        path,
        headers: h.headers,
        rows,
        firstLine: h.index + 2,
        decimalComma,
        meta,
        direction: newareDirection,
        layer: 'per-step table',
      }),
    ];
  }
  return [cycleSummaryRecord({ path, headers: h.headers, rows, firstLine: h.index + 2, decimalComma, meta, layer: 'per-cycle table' })];
}

export const cycleSummaryText: FormatParser = {
  id: 'cycle-summary-text',
  family: 'cycler',
  kind: 'cycle-summary',
  title: 'Per-cycle / per-step table as text (Neware cycle layer CSV, Arbin statistics, Landt cycle table, BioLogic cycle export)',
  version: '1.0.0',
  extensions: ['.csv', '.txt', '.tsv'],
  sniff: sniffCycleSummaryText,
  parse: parseCycleSummaryText,
};
