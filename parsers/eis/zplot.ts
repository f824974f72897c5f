/**
 * Scribner ZPlot/ZView data, in its two text forms:
 *  - `.z` "ZPLOT2 ASCII": an indented `Key: value` header ending in `Data Points: N`, the tab
 *    header `Freq(Hz) Ampl Bias Time(Sec) Z'(a) Z''(b) GD Err Range`, the line `End Comments`,
 *    then tab rows;
 *  - the "Z60W Data File" / "ZView Calculated Data File" CSV that Autolab (NOVA/FRA) and other
 *    programs write for ZView import: a quoted title, quoted blank lines, a settings line, the point
 *    count, one quoted header whose names are separated by runs of spaces, then comma rows.
 *
 * Sign: in ZPlot's naming Z'(a) is Re(Z) and Z''(b) is Im(Z) itself (negative on capacitive arcs;
 * impedance.py's readZPlot keeps it as is), so no flip. Units are ohm and Hz by the format's definition.
 */
import type { FormatParser, ParseInput, SniffInput } from '../types.js';
import type { ParsedRecord, ParseWarning, RecordMeta } from '../../src/model/record.js';
import { ParseError } from '../../src/model/errors.js';
import { EIS } from '../../src/model/names.js';
import { buildSpectrum, formatSign } from './spectrum.js';
import { eisText, readEisTable, findLineIndex, startTimeFrom, num, zRules, type EisRule } from './text.js';

/**
 * ZPlot header names carry axis tags, not units: `Z'(a)`, `Z''(b)` ((a)/(b) label the plot axes) and
 * `Time(Sec)` (capital `Sec`, unknown to the shared unit table). Rewrite them before the shared
 * header/unit splitter sees them: `Z'`, `Z''`, `Time(s)`.
 */
export function zplotHeaderNames(header: string): string {
  return header.replace(/(Z'{1,2}|Z")\((a|b)\)/g, '$1').replace(/\(Sec\)/g, '(s)');
}

/** ZPlot column names (both forms), after `zplotHeaderNames`. */
export const ZPLOT_RULES: readonly EisRule[] = [
  ...zRules({ freq: ['Freq(Hz)', 'Freq (Hz)', 'Freq'], real: ["Z'"], imag: ["Z''", 'Z"'] }),
  { match: ['Time'], to: EIS.time, unit: 's' },
  { match: ['Bias'], to: EIS.voltage, unit: 'V' },
];

const ZPLOT_SIGN = formatSign('im', `ZPlot column Z''(b) is Im(Z) (true imaginary part)`);

// ---------------------------------------------------------------- .z (ZPLOT2 ASCII)

export function parseZplotZ(input: ParseInput): ParsedRecord[] {
  const t = eisText(input);
  const { lines } = t;
  if (!/^ZPLOT2 ASCII/.test(lines[0] ?? '')) {
    throw new ParseError({ file: t.path, code: 'bad-header', line: 1, message: 'not a ZPlot .z file', expected: "'ZPLOT2 ASCII'", found: lines[0] ?? '' });
  }
  const end = findLineIndex(lines, /^End Comments\s*$/);
  if (end < 0) {
    throw new ParseError({ file: t.path, code: 'truncated', line: lines.length, message: "header never ends: no 'End Comments' line", expected: 'End Comments', found: 'end of file' });
  }
  const headerIdx = end - 1;
  if (!/Freq/i.test(lines[headerIdx] ?? '')) {
    throw new ParseError({ file: t.path, code: 'bad-header', line: headerIdx + 1, message: "the line before 'End Comments' is not the column header", expected: "Freq(Hz)\\tAmpl\\t…\\tZ'(a)\\tZ''(b)…", found: lines[headerIdx] ?? '' });
  }
  const warnings: ParseWarning[] = [];
  const kv = new Map<string, string>();
  for (let i = 1; i < headerIdx; i++) {
    const m = /^\s*([^:]+?):\s*(.*)$/.exec(lines[i]!);
    if (m && !kv.has(m[1]!)) kv.set(m[1]!, m[2]!.trim());
  }
  const meta: RecordMeta = { software: 'ZPlot', instrument: 'Solartron/Scribner (ZPlot acquisition)' };
  const ver = kv.get('Measured Data, ZPlot');
  if (ver) meta.softwareVersion = ver;
  const exp = kv.get('Experiment Type');
  if (exp) meta.technique = exp;
  const date = kv.get('Date');
  const time = kv.get('Time');
  if (date) meta.dateText = time ? `${date} ${time}` : date;
  const start = startTimeFrom(date, time, warnings);
  if (start) meta.startTime = start;
  const dc = num(kv.get('Potential-DC'));
  if (dc !== undefined) meta.dcPotential = dc;
  const ocp = num(kv.get('Open Circuit Potential (V)'));
  if (ocp !== undefined) meta.openCircuitPotential = ocp;

  const table = readEisTable(t, { beforeData: end, header: zplotHeaderNames(lines[headerIdx]!), delimiter: '\t', rules: ZPLOT_RULES });
  warnings.push(...table.warnings);
  const declared = num(kv.get('Data Points'));
  if (declared !== undefined && declared !== table.rows) {
    warnings.push({ code: 'row-count-mismatch', message: `header says 'Data Points: ${declared}' but ${table.rows} rows follow (sweep stopped early, or file trimmed)` });
  }
  return [buildSpectrum({ path: t.path, columns: table.columns, imagSign: ZPLOT_SIGN, meta: { ...meta, unreadColumns: table.unread }, warnings, spectrumIndex: 0, line: end + 2 })];
}

export function sniffZplotZ(s: SniffInput): number {
  return /^ZPLOT2 ASCII\r?\n/.test(s.headText) ? 0.95 : 0;
}

export const zplotZ: FormatParser = {
  id: 'zplot-z',
  family: 'eis',
  kind: 'eis',
  title: 'Scribner ZPlot/ZView .z (ZPLOT2 ASCII)',
  version: '1',
  extensions: ['.z'],
  sniff: sniffZplotZ,
  parse: parseZplotZ,
};

// ---------------------------------------------------------------- Z60W / ZView CSV (Autolab export)

const Z60W_TITLE = /^\uFEFF?"?(Z60W Data File|ZView Calculated Data File)[^"]*"?\s*$/;

export function parseZ60w(input: ParseInput): ParsedRecord[] {
  const t = eisText(input);
  const { lines } = t;
  const title = Z60W_TITLE.exec(lines[0] ?? '');
  if (!title) {
    throw new ParseError({ file: t.path, code: 'bad-header', line: 1, message: 'not a Z60W/ZView data file', expected: '"Z60W Data File: Version …"', found: lines[0] ?? '' });
  }
  // The header is the first quoted line that names Z'(a); everything before it is quoted comments,
  // the settings line and the point count.
  const headerIdx = findLineIndex(lines, /^\s*"[^"]*Z'\(a\)/, 1, 40);
  if (headerIdx < 0) {
    throw new ParseError({ file: t.path, code: 'bad-header', line: 2, message: "no quoted column header with Z'(a) in the first 40 lines", expected: `"  Freq (Hz)    Ampl …   Z'(a)    Z''(b) …"`, found: lines.slice(1, 12).join(' | ') });
  }
  // Names inside the quotes are separated by runs of ≥ 2 spaces (single spaces occur inside `Freq (Hz)`).
  const names = lines[headerIdx]!.trim().replace(/^"|"$/g, '').trim().split(/\s{2,}|\t/).filter((x) => x);
  const warnings: ParseWarning[] = [];
  const table = readEisTable(t, { beforeData: headerIdx, header: zplotHeaderNames(names.join(',')), delimiter: ',', rules: ZPLOT_RULES });
  warnings.push(...table.warnings);
  // The line before the header is the point count in Z60W files.
  const declared = /^\s*\d+\s*$/.test(lines[headerIdx - 1] ?? '') ? Number(lines[headerIdx - 1]) : undefined;
  if (declared !== undefined && declared !== table.rows) {
    warnings.push({ code: 'row-count-mismatch', message: `file declares ${declared} points but ${table.rows} rows follow` });
  }
  const meta: RecordMeta = {
    software: title[1]!.startsWith('Z60W') ? 'Z60W-compatible export (e.g. Autolab NOVA/FRA)' : 'ZView',
    fileTitle: lines[0]!.replace(/^\uFEFF/, '').replace(/^"|"$/g, ''),
    unreadColumns: table.unread,
  };
  const comments = lines.slice(1, headerIdx).map((l) => l.trim().replace(/^"|"$/g, '')).filter((l) => l !== '');
  if (comments.length) meta.headerLines = comments;
  return [buildSpectrum({ path: t.path, columns: table.columns, imagSign: ZPLOT_SIGN, meta, warnings, spectrumIndex: 0, line: headerIdx + 2 })];
}

export function sniffZ60w(s: SniffInput): number {
  // headText is latin-1: a UTF-8 BOM shows as ï»¿.
  const first = s.headText.replace(/^\xEF\xBB\xBF/, '').split(/\r?\n|\r/, 1)[0] ?? '';
  if (!Z60W_TITLE.test(first)) return 0;
  return /Z'\(a\)/.test(s.headText) ? 0.9 : 0.6;
}

export const autolabZ60w: FormatParser = {
  id: 'autolab-z60w-txt',
  family: 'eis',
  kind: 'eis',
  title: 'Autolab NOVA/FRA text in ZView "Z60W Data File" form',
  version: '1',
  extensions: ['.txt', '.z'],
  sniff: sniffZ60w,
  parse: parseZ60w,
};
