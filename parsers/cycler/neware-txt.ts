/**
 * Neware BTSDA 7 tab-separated text export. Its preamble (`Device`, `Channel`, `Start Test Time`, an
 * optional `Unit scheme` and step plan) is followed by one or more layers: `Cycle Data` (one row per
 * cycle), and — when the user ticked it — the step/record layers, flat or interleaved like the BTS
 * "regular" CSV. Only the record layer is a time series. A file without it (only the cycle layer, or
 * cycle + step layers) is read as a `cycle-summary` record: one row per cycle (Cap_Chg, Cap_DChg,
 * Efficiency %, Engy_Chg, Engy_DChg) in the units of the `Unit scheme`, or BTSDA's defaults (mAh, mWh)
 * with a `unit-assumed` warning when the file has none. A step-layer-only file is summed per cycle.
 * Legacy builds write GB2312/GBK; a stray byte that is neither UTF-8 nor GBK falls back to windows-1252.
 */
import type { FormatParser, ParseInput, SniffInput } from '../types.js';
import type { ParsedRecord, RecordMeta } from '../../src/records/record.js';
import { ParseError } from '../../src/records/errors.js';
import { splitFields } from '../text/table.js';
import { splitHeaderUnit } from '../text/units.js';
import { parseDateTime, isoFromUnix } from '../text/datetime.js';
import { headLines, textSource, type HeadLine } from './text-source.js';
import { findLayerHeaders } from './neware-layers.js';
import { isRecordHeader, newareSpelling, readNewareTable } from './neware-csv.js';
import { cycleSummaryRecord, isCycleHeader, isStepHeader, stepTableToCycleSummary } from './cycle-table.js';
import { newareDirection } from './spreadsheet/neware-xls.js';
import type { TextSource } from './text-source.js';
import type { ParseWarning } from '../../src/records/record.js';

function sniffNewareTxt(input: SniffInput): number {
  const t = input.headText.slice(0, 16384);
  const preamble = /(^|\n)Device\t+\d+\t+Channel\t/.test(t) && /(^|\n)Start Test Time\t/.test(t);
  const layer = /(^|\n)Cycle Data\r?\n/.test(t) || /(^|\n)Cycle ID\tCap_Chg\t/.test(t) || /(^|\n)\t\tRecord ID\t/.test(t) || /(^|\n)Record ID\t/.test(t);
  if (preamble && layer) return 0.95;
  if (preamble) return 0.7;
  return /(^|\n)Cycle ID\tCap_Chg\tCap_DChg\t/.test(t) ? 0.6 : 0;
}

/** `Unit scheme` block: names on one line, units on the next (`Cur mA`, `Vol mV`, `Cap mAh`, …). */
function unitScheme(lines: readonly HeadLine[]): Map<string, string> {
  const out = new Map<string, string>();
  const i = lines.findIndex((l) => l.text.trim() === 'Unit scheme');
  if (i < 0 || i + 2 >= lines.length) return out;
  const names = splitFields(lines[i + 1]!.text, '\t');
  const units = splitFields(lines[i + 2]!.text, '\t');
  names.forEach((n, k) => {
    const u = units[k] ?? '';
    if (n && u && u !== 'AUTO' && u !== '?') out.set(n.toLowerCase(), u === 'mO' ? 'mohm' : u);
  });
  return out;
}

function preambleMeta(lines: readonly HeadLine[]): RecordMeta {
  const meta: RecordMeta = { instrument: 'Neware BTS', software: 'BTSDA 7 text export' };
  for (const l of lines.slice(0, 40)) {
    const f = splitFields(l.text, '\t');
    for (let k = 0; k + 2 < f.length; k++) {
      const key = f[k]!;
      const value = f[k + 2] ?? '';
      if (!value) continue;
      if (key === 'Device') meta.device = value;
      else if (key === 'Channel') meta.channel = value;
      else if (key === 'Nda File Name') meta.originalFile = value;
      else if (key === 'Start Test Time') {
        const u = parseDateTime(value.replace(/\./g, '-'));
        if (Number.isFinite(u)) meta.startTime = isoFromUnix(u).replace(/\.000Z$/, '');
      }
    }
  }
  return meta;
}

function parseNewareTxt({ path, bytes }: ParseInput): ParsedRecord[] {
  const src = textSource(path, bytes, 'gbk');
  const lines = headLines(src, 600);
  const meta = preambleMeta(lines);
  const hasRecord = findLayerHeaders(lines, '\t') !== null || lines.some((l) => isRecordHeader(splitFields(l.text, '\t')));
  if (!hasRecord) return [newareTxtCycleLayer(path, src, meta)];
  const scheme = unitScheme(lines);
  const respell = (f: string): string => {
    const g = newareSpelling(f);
    const { name, unit } = splitHeaderUnit(g);
    const u = unit ? undefined : scheme.get(name.toLowerCase());
    return u ? `${name}(${u})` : g;
  };
  return [readNewareTable(src, lines, '\t', meta, respell)];
}

/** BTSDA column-name prefixes → the `Unit scheme` entry that gives their unit. */
function schemeKey(name: string): string | undefined {
  if (/^RCap_/i.test(name)) return 'cmpcap';
  if (/^Cap_/i.test(name)) return 'cap';
  if (/^REngy_/i.test(name)) return 'cmpeng';
  if (/^Engy_/i.test(name)) return 'energy';
  return undefined;
}

/** BTSDA's documented default units when a file carries no `Unit scheme` (the BTSDA 7 export dialog's defaults). */
const BTSDA_DEFAULT_UNITS: Record<string, string> = { cap: 'mAh', cmpcap: 'mAh/g', energy: 'mWh', cmpeng: 'mWh/g' };

/** The cycle layer (or, without one, the step layer) of a BTSDA text export without a record layer. */
function newareTxtCycleLayer(path: string, src: TextSource, meta: RecordMeta): ReturnType<typeof cycleSummaryRecord> {
  const lines = headLines(src, 1_000_000, 64 << 20);
  const scheme = unitScheme(lines);
  const warnings: ParseWarning[] = [];
  const assumed = new Set<string>();
  const withUnit = (h: string): string => {
    if (/[([]/.test(h) || !h) return h;
    if (/^Efficiency$/i.test(h)) return `${h}(%)`;
    const k = schemeKey(h);
    if (!k) return h;
    const u = scheme.get(k) ?? BTSDA_DEFAULT_UNITS[k]!;
    if (!scheme.has(k)) assumed.add(`${h} → ${u}`);
    return `${h}(${u})`;
  };
  const ci = lines.findIndex((l) => isCycleHeader(splitFields(l.text, '\t').filter(Boolean)));
  const headerAt = (i: number): string[] => splitFields(lines[i]!.text, '\t').map((f) => f.trim());
  const trimTail = (f: string[]): string[] => {
    const g = [...f];
    while (g.length && g[g.length - 1] === '') g.pop();
    return g;
  };
  const fin = (layer: string, rec: ReturnType<typeof cycleSummaryRecord>): ReturnType<typeof cycleSummaryRecord> => {
    const extra = assumed.size ? [{ code: 'unit-assumed', message: `no Unit scheme in the file: BTSDA default units used (${[...assumed].join(', ')})` }] : [];
    return { ...rec, meta: { ...rec.meta, layer }, warnings: [...rec.warnings, ...extra] };
  };
  if (ci >= 0) {
    const headers = trimTail(headerAt(ci)).map(withUnit);
    const rows: string[][] = [];
    // Cycle rows start with the cycle number; step/record rows of a layered file start with a tab.
    for (let i = ci + 1; i < lines.length; i++) {
      const t = lines[i]!.text;
      if (t.startsWith('\t')) continue;
      if (!/^\s*\d/.test(t)) break;
      rows.push(splitFields(t, '\t'));
    }
    return fin('Neware BTSDA cycle layer', cycleSummaryRecord({ path, headers, rows, firstLine: ci + 2, meta, warnings, layer: 'Neware BTSDA cycle layer' }));
  }
  const si = lines.findIndex((l) =>
    isStepHeader(
      splitFields(l.text, '\t')
        .map((f) => f.trim())
        .filter(Boolean),
    ),
  );
  if (si >= 0) {
    const lead = headerAt(si).findIndex((f) => f !== '');
    const headers = trimTail(headerAt(si)).slice(lead).map(withUnit);
    const rows: string[][] = [];
    for (let i = si + 1; i < lines.length; i++) {
      const f = splitFields(lines[i]!.text, '\t').slice(lead);
      if (!f.some((x) => x.trim())) break;
      rows.push(f.map((x) => x.trim()));
    }
    return fin(
      'Neware BTSDA step layer',
      stepTableToCycleSummary({ path, headers, rows, firstLine: si + 2, meta, warnings, direction: newareDirection, layer: 'Neware BTSDA step layer' }),
    );
  }
  throw new ParseError({
    file: path,
    code: 'not-this-kind',
    line: 1,
    message: 'this Neware BTSDA export has neither a record layer, a cycle layer nor a step layer',
    expected: 'Record ID / Cycle ID / Step ID tables',
    found: lines
      .slice(0, 12)
      .map((l) => l.text.trim())
      .filter(Boolean)
      .join(' | ')
      .slice(0, 200),
  });
}

export const newareTxt: FormatParser = {
  id: 'neware-txt',
  family: 'cycler',
  kind: 'cycler',
  title: 'Neware BTSDA 7 text export',
  version: '1.1.0',
  extensions: ['.txt'],
  sniff: sniffNewareTxt,
  parse: parseNewareTxt,
};
