/**
 * Shared plumbing for the text EIS readers: decode once, split lines, and read one numeric table
 * through the shared `readMappedTable` (so number parsing, ragged rows and bad cells behave as in
 * every other text format).
 *
 * Why re-encode: `readMappedTable` scans bytes, while headers are found on decoded lines. Decoding
 * (BOM, UTF-16, latin-1) and re-encoding as UTF-8 gives bytes whose line breaks match `splitLines`
 * one for one, whatever the file's encoding.
 */
import type { ParseInput } from '../types.js';
import type { Column, ParseWarning } from '../../src/records/record.js';
import { ParseError } from '../../src/records/errors.js';
import { decodeText, type TextEncoding } from '../text/decode.js';
import { splitLines } from '../text/lines.js';
import { lineOffset, splitFields } from '../text/table.js';
import { readMappedTable, type ColumnRule } from '../text/columns.js';
import { splitHeaderUnit } from '../text/units.js';
import { EIS } from '../../src/records/names.js';

export interface EisText {
  readonly path: string;
  readonly text: string;
  readonly lines: readonly string[];
  /** UTF-8 bytes of `text` (line breaks as in the file). */
  readonly utf8: Uint8Array;
  readonly encoding: TextEncoding;
}

export function eisText(input: ParseInput): EisText {
  if (input.bytes.length === 0) {
    throw new ParseError({ file: input.path, code: 'empty-file', offset: 0, message: 'file is empty', expected: 'an impedance export', found: '0 bytes' });
  }
  const d = decodeText(input.bytes);
  const text = d.text;
  return { path: input.path, text, lines: splitLines(text), utf8: new TextEncoder().encode(text), encoding: d.encoding };
}

/** Column rules for the canonical EIS quantities, declared per format as data. */
export interface EisRule extends ColumnRule {
  /** The file does not state this column's unit and the format does not define it: warn that `unit` was assumed. */
  readonly unitAssumed?: boolean;
}

export interface EisTableSpec {
  /** 0-based index of the last line before the data rows (the header, or a units/marker line after it). */
  readonly beforeData: number;
  /** Header text (defaults to lines[beforeData]); formats with split name/unit rows synthesise it. */
  readonly header?: string;
  /** 0-based index of the first line after the table (default: end of file). */
  readonly endLine?: number;
  readonly delimiter: string;
  readonly rules: readonly EisRule[];
  readonly decimalComma?: boolean;
}

export interface EisTable {
  readonly columns: Column[];
  readonly warnings: ParseWarning[];
  readonly headers: string[];
  /** Headers the rules did not claim (not read; listed in meta so nothing disappears silently). */
  readonly unread: string[];
  readonly rows: number;
}

export function readEisTable(t: EisText, spec: EisTableSpec): EisTable {
  const header = spec.header ?? t.lines[spec.beforeData] ?? '';
  const start = lineOffset(t.utf8, spec.beforeData + 1);
  const end = spec.endLine !== undefined ? lineOffset(t.utf8, spec.endLine) : t.utf8.length;
  const sampleEnd = Math.min(spec.endLine ?? t.lines.length, spec.beforeData + 8);
  const table = readMappedTable({
    path: t.path,
    bytes: t.utf8,
    header,
    headerLine: spec.beforeData,
    dataStart: start,
    dataEnd: end,
    sample: t.lines.slice(spec.beforeData + 1, sampleEnd),
    delimiter: spec.delimiter,
    decimalComma: spec.decimalComma,
    rules: spec.rules,
    keepUnmapped: false,
  });
  const warnings = [...table.warnings];
  const assumed: string[] = [];
  for (const r of spec.rules) {
    if (!r.unitAssumed) continue;
    const i = table.matched.get(r.to);
    if (i === undefined) continue;
    const h = table.headers[i]!;
    if (!splitHeaderUnit(h).unit) assumed.push(`'${h}' read as ${r.unit ?? r.to.unit}`);
  }
  if (assumed.length) {
    warnings.push({ code: 'unit-not-stated', message: `the file states no unit for ${assumed.join(', ')}` });
  }
  const claimed = new Set(table.matched.values());
  const unread = table.headers.filter((h, i) => h !== '' && !claimed.has(i));
  return { columns: table.columns, warnings, headers: table.headers, unread, rows: table.rows };
}

/** First line index (from `from`) matching `re`, or -1. */
export function findLineIndex(lines: readonly string[], re: RegExp, from = 0, limit = lines.length): number {
  for (let i = from; i < Math.min(limit, lines.length); i++) if (re.test(lines[i]!)) return i;
  return -1;
}

/** Number of fields of the first non-blank line at or after `from`. */
export function fieldCountAt(lines: readonly string[], from: number, delimiter: string, end = lines.length): number {
  for (let i = from; i < end; i++) {
    const l = lines[i]!;
    if (l.trim() === '') continue;
    const f = splitFields(l, delimiter);
    if (f.length > 1 && f[f.length - 1] === '') f.pop();
    return f.length;
  }
  return 0;
}

/** `Key<sep>value` pairs of a header block, first occurrence wins (keys trimmed). */
export function keyValues(lines: readonly string[], from: number, to: number, sep: RegExp): Map<string, string> {
  const out = new Map<string, string>();
  for (let i = from; i < Math.min(to, lines.length); i++) {
    const m = sep.exec(lines[i]!);
    if (!m || m.index === 0) continue;
    const k = lines[i]!.slice(0, m.index).trim();
    const v = lines[i]!.slice(m.index + m[0].length).trim();
    if (k && !out.has(k)) out.set(k, v);
  }
  return out;
}

/** ISO-8601 local wall-clock text (no zone: files state none, and we assume none). */
export function isoLocal(y: number, mo: number, d: number, h = 0, mi = 0, s = 0): string {
  const p = (n: number, w = 2): string => String(Math.trunc(n)).padStart(w, '0');
  const sec = Number.isInteger(s) ? p(s) : s.toFixed(3).padStart(6, '0');
  return `${p(y, 4)}-${p(mo)}-${p(d)}T${p(h)}:${p(mi)}:${sec}`;
}

const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];

/** Month from an English name or abbreviation (`Feb.`, `July`), else NaN. */
export function monthOf(name: string): number {
  const i = MONTHS.indexOf(name.trim().toLowerCase().replace(/\.$/, '').slice(0, 3));
  return i < 0 ? NaN : i + 1;
}

/** `h:mm[:ss] [AM|PM]` → [h, m, s] or null. */
export function clockOf(s: string): [number, number, number] | null {
  const m = /^(\d{1,2}):(\d{2})(?::(\d{2}(?:\.\d+)?))?\s*([AaPp][Mm])?$/.exec(s.trim());
  if (!m) return null;
  let h = +m[1]!;
  const ap = m[4]?.toLowerCase();
  if (ap === 'pm' && h < 12) h += 12;
  if (ap === 'am' && h === 12) h = 0;
  return [h, +m[2]!, Number(m[3] ?? 0)];
}

/**
 * Numeric date `a/b/yyyy` (or `-`, `.`) whose day/month order the file does not state: resolved only
 * when one part exceeds 12; otherwise null plus the reason, and the caller warns instead of guessing.
 */
export function numericDate(s: string): { ymd: [number, number, number] } | { ambiguous: string } | null {
  const m = /^(\d{1,2})[-/.](\d{1,2})[-/.](\d{2,4})$/.exec(s.trim());
  if (!m) return null;
  const a = +m[1]!;
  const b = +m[2]!;
  let y = +m[3]!;
  if (m[3]!.length === 2) y += y < 70 ? 2000 : 1900;
  if (a > 12 && b <= 12) return { ymd: [y, b, a] };
  if (b > 12 && a <= 12) return { ymd: [y, a, b] };
  if (a === b) return { ymd: [y, a, b] };
  return { ambiguous: `date '${s.trim()}' could be day/month or month/day` };
}

/** Start time from a numeric date and a clock, with a warning when the date order is ambiguous. */
export function startTimeFrom(date: string | undefined, time: string | undefined, warnings: ParseWarning[]): string | undefined {
  if (!date) return undefined;
  const d = numericDate(date);
  if (!d) {
    warnings.push({ code: 'unreadable-date', message: `start date '${date}' not understood; kept as text in meta.dateText` });
    return undefined;
  }
  if ('ambiguous' in d) {
    warnings.push({ code: 'ambiguous-date', message: `${d.ambiguous}; start time not set (kept as text in meta.dateText)` });
    return undefined;
  }
  const c = time ? clockOf(time) : null;
  return isoLocal(d.ymd[0], d.ymd[1], d.ymd[2], ...(c ?? [0, 0, 0]));
}

/** A number from header text, or undefined. */
export function num(s: string | undefined): number | undefined {
  if (s === undefined) return undefined;
  const m = /^\s*([+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?)/.exec(s);
  return m ? Number(m[1]) : undefined;
}

/** Standard canonical rules (frequency, Z′, Z″) built from header match lists. */
export function zRules(o: {
  freq: readonly (string | RegExp)[];
  real: readonly (string | RegExp)[];
  imag: readonly (string | RegExp)[];
  zUnit?: string;
  zUnitAssumed?: boolean;
  freqUnitAssumed?: boolean;
}): EisRule[] {
  return [
    { match: o.freq, to: EIS.frequency, unit: 'Hz', required: true, unitAssumed: o.freqUnitAssumed },
    { match: o.real, to: EIS.zReal, unit: o.zUnit ?? 'ohm', required: true, unitAssumed: o.zUnitAssumed },
    { match: o.imag, to: EIS.zImag, unit: o.zUnit ?? 'ohm', required: true, unitAssumed: o.zUnitAssumed },
  ];
}
