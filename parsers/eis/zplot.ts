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
import { incompleteMark, type ParsedRecord, type ParseWarning, type RecordMeta } from '../../src/records/record.js';
import { ParseError } from '../../src/records/errors.js';
import { EIS } from '../../src/records/names.js';
import { buildSpectrum, formatSign } from './spectrum.js';
import { eisText, readEisTable, findLineIndex, startTimeFrom, num, zRules, type EisRule, type EisText } from './text.js';

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

/** ZPlot's own column order (the `.z` header line), used for a `.z` file that starts with bare rows. */
export const ZPLOT_COLUMNS = ['Freq(Hz)', 'Ampl', 'Bias', 'Time(Sec)', "Z'(a)", "Z''(b)", 'GD', 'Err', 'Range'] as const;

const HEADER_FREQ = /^\s*"?\s*Freq\s*\(Hz\)/i;
const NUMBER_FIELD = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

function splitLoose(line: string): { delimiter: string; fields: string[] } {
  for (const d of ['\t', ',', ';']) {
    if (line.includes(d))
      return {
        delimiter: d,
        fields: line.split(d).map((f) =>
          f
            .trim()
            .replace(/^"(.*)"$/, '$1')
            .trim(),
        ),
      };
  }
  return {
    delimiter: ' ',
    fields: line
      .trim()
      .split(/\s+/)
      .map((f) => f.replace(/^"(.*)"$/, '$1')),
  };
}

/** First ≤ 40 lines: a `Freq(Hz)` column header (quoted or not) whose fields name Z'(a)/Z''(b) or Z'/Z''. */
function findTableHeader(lines: readonly string[]): number {
  for (let i = 0; i < Math.min(40, lines.length); i++) {
    const l = lines[i]!.replace(/^\uFEFF/, '');
    if (!HEADER_FREQ.test(l)) continue;
    const { fields } = splitLoose(l);
    if (fields.some((f) => /^Z'(\(a\))?$/.test(f)) && fields.some((f) => /^(Z''|Z")(\(b\))?$/.test(f))) return i;
  }
  return -1;
}

/** The text with whitespace runs in lines from..end turned into tabs (line breaks kept, so line numbers hold). */
function tabbed(t: EisText, from: number): EisText {
  const lines = t.lines.map((l, i) => (i >= from && l.trim() ? l.trim().split(/\s+/).join('\t') : l));
  const text = lines.join('\n') + '\n';
  return { ...t, text, lines, utf8: new TextEncoder().encode(text) };
}

/**
 * `.z` files without the ZPLOT2 ASCII block (issue #19): a ZView/ZPlot table whose header line (quoted
 * names, tab/comma/semicolon/space separated, possibly after free comment lines, possibly followed by
 * `End Comments`) is found by `Freq(Hz)`, as pyimpspec's `parse_z` finds it; or bare rows in ZPlot's
 * own 9-column order when nothing else precedes them (recognised only in a `.z` file: rows of numbers
 * carry no signature of their own).
 */
function parseZTable(input: ParseInput, t0: EisText): ParsedRecord[] {
  const warnings: ParseWarning[] = [];
  const meta: RecordMeta = { software: 'ZPlot/ZView (table without the ZPLOT2 header)' };
  let t = t0;
  const h = findTableHeader(t.lines);
  let beforeData: number;
  let header: string;
  let delimiter: string;
  if (h >= 0) {
    const split = splitLoose(t.lines[h]!.replace(/^\uFEFF/, ''));
    delimiter = split.delimiter;
    beforeData = /^\s*"?End Comments"?\s*$/i.test(t.lines[h + 1] ?? '') ? h + 1 : h;
    header = zplotHeaderNames(split.fields.join(delimiter === ' ' ? '\t' : delimiter));
    if (h > 0)
      meta.headerLines = t.lines
        .slice(0, h)
        .map((l) => l.trim().replace(/^"|"$/g, ''))
        .filter((l) => l !== '');
  } else {
    const first = t.lines.findIndex((l) => l.trim() !== '');
    const { delimiter: d, fields } = splitLoose(t.lines[first] ?? '');
    if (first < 0 || fields.length !== ZPLOT_COLUMNS.length || !fields.every((f) => NUMBER_FIELD.test(f))) {
      throw new ParseError({
        file: t.path,
        code: 'bad-header',
        line: first < 0 ? 1 : first + 1,
        message:
          "not a ZPlot/ZView table: no 'ZPLOT2 ASCII' block, no Freq(Hz) column header in the first 40 lines, and the first line is not a row of ZPlot's 9 numeric columns",
        expected: `ZPLOT2 ASCII | "Freq(Hz)"…"Z'(a)"…"Z''(b)" | ${ZPLOT_COLUMNS.length} numbers`,
        found: t.lines[first < 0 ? 0 : first] ?? '',
      });
    }
    delimiter = d;
    beforeData = first - 1;
    header = zplotHeaderNames(ZPLOT_COLUMNS.join(delimiter === ' ' ? '\t' : delimiter));
    warnings.push({
      code: 'columns-by-position',
      message: `no column header: the ${ZPLOT_COLUMNS.length} columns are read in ZPlot's order (${ZPLOT_COLUMNS.join(', ')})`,
    });
  }
  if (delimiter === ' ') {
    t = tabbed(t, beforeData + 1);
    delimiter = '\t';
  }
  // beforeData is -1 for bare rows from line 1: the table then starts at byte 0 and its first row is line 1.
  const table = readEisTable(t, { beforeData, header, delimiter, rules: ZPLOT_RULES });
  warnings.push(...table.warnings);
  return [
    buildSpectrum({
      path: t.path,
      columns: table.columns,
      imagSign: ZPLOT_SIGN,
      meta: { ...meta, unreadColumns: table.unread },
      warnings,
      spectrumIndex: 0,
      line: beforeData + 2,
    }),
  ];
}

export function parseZplotZ(input: ParseInput): ParsedRecord[] {
  const t = eisText(input);
  const { lines } = t;
  if (!/^ZPLOT2 ASCII/.test(lines[0] ?? '')) return parseZTable(input, t);
  const end = findLineIndex(lines, /^End Comments\s*$/);
  if (end < 0) {
    throw new ParseError({
      file: t.path,
      code: 'truncated',
      line: lines.length,
      message: "header never ends: no 'End Comments' line",
      expected: 'End Comments',
      found: 'end of file',
    });
  }
  const headerIdx = end - 1;
  if (!/Freq/i.test(lines[headerIdx] ?? '')) {
    throw new ParseError({
      file: t.path,
      code: 'bad-header',
      line: headerIdx + 1,
      message: "the line before 'End Comments' is not the column header",
      expected: "Freq(Hz)\\tAmpl\\t…\\tZ'(a)\\tZ''(b)…",
      found: lines[headerIdx] ?? '',
    });
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
  const cut = declared !== undefined ? incompleteMark({ declared, read: table.rows, unit: 'points', source: "header 'Data Points'" }) : null;
  if (cut) warnings.push(cut.warning);
  else if (declared !== undefined && declared !== table.rows) {
    warnings.push({ code: 'row-count-mismatch', message: `header says 'Data Points: ${declared}' but ${table.rows} rows follow` });
  }
  return [
    buildSpectrum({
      path: t.path,
      columns: table.columns,
      imagSign: ZPLOT_SIGN,
      meta: { ...meta, unreadColumns: table.unread, ...(cut?.meta ?? {}) },
      warnings,
      spectrumIndex: 0,
      line: end + 2,
    }),
  ];
}

export function sniffZplotZ(s: SniffInput): number {
  if (/^ZPLOT2 ASCII\r?\n/.test(s.headText)) return 0.95;
  const text = s.headText.replace(/^\xEF\xBB\xBF/, '');
  if (/^"?(Z60W Data File|ZView Calculated Data File)/.test(text)) return 0; // the Z60W reader's
  const lines = text.split(/\r?\n|\r/).slice(0, 41);
  if (lines.length > 40) lines.pop(); // possibly cut by the sniff window
  // The header may follow a few free comment lines; a header further down belongs to another vendor's
  // block layout (Maccor FRA writes ZPlot column names after 8 header lines and a settings row).
  const h = findTableHeader(lines);
  if (h >= 0) return lines.slice(0, h).filter((l) => l.trim() !== '').length <= 3 ? 0.85 : 0;
  // Bare rows: ZPlot's 9 numeric columns, positive monotonic frequencies, and only in a `.z` file.
  if (!/\.z$/i.test(s.name)) return 0;
  const rows = lines
    .filter((l) => l.trim() !== '')
    .slice(0, 8)
    .map((l) => splitLoose(l).fields);
  if (rows.length < 3 || !rows.every((f) => f.length === ZPLOT_COLUMNS.length && f.every((x) => NUMBER_FIELD.test(x)))) return 0;
  const freq = rows.map((f) => Number(f[0]));
  const dir = Math.sign(freq[1]! - freq[0]!);
  return dir !== 0 && freq.every((v, i) => v > 0 && (i === 0 || Math.sign(v - freq[i - 1]!) === dir)) ? 0.6 : 0;
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
    throw new ParseError({
      file: t.path,
      code: 'bad-header',
      line: 1,
      message: 'not a Z60W/ZView data file',
      expected: '"Z60W Data File: Version …"',
      found: lines[0] ?? '',
    });
  }
  // The header is the first quoted line that names Z'(a); everything before it is quoted comments,
  // the settings line and the point count.
  const headerIdx = findLineIndex(lines, /^\s*"[^"]*Z'\(a\)/, 1, 40);
  if (headerIdx < 0) {
    throw new ParseError({
      file: t.path,
      code: 'bad-header',
      line: 2,
      message: "no quoted column header with Z'(a) in the first 40 lines",
      expected: `"  Freq (Hz)    Ampl …   Z'(a)    Z''(b) …"`,
      found: lines.slice(1, 12).join(' | '),
    });
  }
  // Names inside the quotes are separated by runs of ≥ 2 spaces (single spaces occur inside `Freq (Hz)`).
  const names = lines[headerIdx]!.trim()
    .replace(/^"|"$/g, '')
    .trim()
    .split(/\s{2,}|\t/)
    .filter((x) => x);
  const warnings: ParseWarning[] = [];
  const table = readEisTable(t, { beforeData: headerIdx, header: zplotHeaderNames(names.join(',')), delimiter: ',', rules: ZPLOT_RULES });
  warnings.push(...table.warnings);
  // The line before the header is the point count in Z60W files.
  const declared = /^\s*\d+\s*$/.test(lines[headerIdx - 1] ?? '') ? Number(lines[headerIdx - 1]) : undefined;
  const cut = declared !== undefined ? incompleteMark({ declared, read: table.rows, unit: 'points', source: 'point count before the column header' }) : null;
  if (cut) warnings.push(cut.warning);
  else if (declared !== undefined && declared !== table.rows) {
    warnings.push({ code: 'row-count-mismatch', message: `file declares ${declared} points but ${table.rows} rows follow` });
  }
  const meta: RecordMeta = {
    software: title[1]!.startsWith('Z60W') ? 'Z60W-compatible export (e.g. Autolab NOVA/FRA)' : 'ZView',
    fileTitle: lines[0]!.replace(/^\uFEFF/, '').replace(/^"|"$/g, ''),
    unreadColumns: table.unread,
  };
  const comments = lines
    .slice(1, headerIdx)
    .map((l) => l.trim().replace(/^"|"$/g, ''))
    .filter((l) => l !== '');
  if (comments.length) meta.headerLines = comments;
  if (cut) Object.assign(meta, cut.meta);
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
