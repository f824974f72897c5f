/**
 * Shared plumbing for the text cycler formats: get the file into UTF-8 bytes once (so the byte-level
 * scanner can run over it), decode only the head lines a format needs to find its header, and hand the
 * data region to `readMappedTable`. Nothing here knows any instrument.
 */
import { isUtf8 } from 'node:buffer';
import { ParseError } from '../../src/records/errors.js';
import { decodeText, detectBom, type TextEncoding } from '../text/decode.js';
import { matchRule, readMappedTable, type ColumnRule, type MappedTable } from '../text/columns.js';
import { splitHeaderUnit } from '../text/units.js';
import { splitFields } from '../text/table.js';
import { readRange, type ByteSource } from '../text/chunked-scan.js';
import type { DateOrder } from '../text/datetime.js';

export interface TextSource {
  readonly path: string;
  /** UTF-8 bytes: the input itself when it already was UTF-8/ASCII, else a transcoded copy. */
  readonly bytes: Uint8Array;
  /** First byte after any BOM. */
  readonly start: number;
  readonly encoding: TextEncoding;
  /** True when the input was not UTF-8 and went through a legacy code page. */
  readonly transcoded: boolean;
  /** The file, when `bytes` is only its head: data past the head is read from here in chunks. */
  readonly source?: ByteSource;
}

const utf8 = new TextDecoder('utf-8');
const encoder = new TextEncoder();

/**
 * Most exports are ASCII/UTF-8 and are scanned in place (no copy: the 1M-row benchmark path). UTF-16 and
 * legacy code pages are rare and small enough to transcode once.
 */
export function textSource(path: string, bytes: Uint8Array, legacy: TextEncoding = 'windows-1252', source?: ByteSource): TextSource {
  if (source && source.size > bytes.length) {
    // A streamed file's head. UTF-8 (the large exports) is scanned from the file in chunks; anything to
    // transcode is read whole, as before. The head may end inside a multi-byte character: check to its last newline.
    const bom = detectBom(bytes);
    const lastLf = bytes.lastIndexOf(10);
    if (bom?.encoding === 'utf-8' && lastLf >= 0) return { path, bytes, start: 3, encoding: 'utf-8', transcoded: false, source };
    // A head without one whole line is no header block this reader knows: read the file whole.
    if (!bom && lastLf >= 0 && isUtf8(bytes.subarray(0, lastLf + 1))) {
      const probe = decodeText(bytes.subarray(0, Math.min(bytes.length, 4096)));
      if (probe.encoding !== 'utf-16le' && probe.encoding !== 'utf-16be') return { path, bytes, start: 0, encoding: 'utf-8', transcoded: false, source };
    }
    bytes = readRange(source, 0, source.size);
  }
  if (bytes.length === 0) {
    throw new ParseError({ file: path, code: 'empty-file', offset: 0, message: 'the file is empty (0 bytes)', expected: 'a text export', found: '0 bytes' });
  }
  const bom = detectBom(bytes);
  if (bom?.encoding === 'utf-8') return { path, bytes, start: 3, encoding: 'utf-8', transcoded: false };
  const probe = decodeText(bytes.subarray(0, Math.min(bytes.length, 4096)));
  if (bom || probe.encoding === 'utf-16le' || probe.encoding === 'utf-16be') {
    const d = decodeText(bytes);
    return { path, bytes: encoder.encode(d.text), start: 0, encoding: d.encoding, transcoded: true };
  }
  if (isUtf8(bytes)) return { path, bytes, start: 0, encoding: 'utf-8', transcoded: false };
  let text: string;
  let encoding: TextEncoding = legacy;
  try {
    text = new TextDecoder(legacy, { fatal: true }).decode(bytes);
  } catch {
    encoding = 'windows-1252';
    text = new TextDecoder('windows-1252').decode(bytes);
  }
  return { path, bytes: encoder.encode(text), start: 0, encoding, transcoded: true };
}

export interface HeadLine {
  readonly text: string;
  /** Byte offset of the line start in `TextSource.bytes`. */
  readonly start: number;
  /** Byte offset of the next line. */
  readonly next: number;
}

/** Decode the first `maxLines` lines (or up to `maxBytes`), keeping byte offsets for the scanner. */
export function headLines(src: TextSource, maxLines = 400, maxBytes = 1 << 20): HeadLine[] {
  const b = src.bytes;
  const out: HeadLine[] = [];
  let pos = src.start;
  const limit = Math.min(b.length, src.start + maxBytes);
  while (pos < limit && out.length < maxLines) {
    let eol = pos;
    while (eol < b.length && b[eol] !== 10 && b[eol] !== 13) eol++;
    if (eol >= b.length && src.source && src.source.size > b.length) break; // cut by the head's end
    const next = eol < b.length && b[eol] === 13 && b[eol + 1] === 10 ? eol + 2 : eol + 1;
    out.push({ text: utf8.decode(b.subarray(pos, eol)), start: pos, next: Math.min(next, b.length) });
    pos = next;
  }
  return out;
}

export interface TableSpec {
  readonly delimiter: string;
  readonly rules: readonly ColumnRule[];
  readonly decimalComma?: boolean;
  readonly dateOrder?: DateOrder;
  readonly stopAtBlankLine?: boolean;
  /** Header text to use instead of the file's (e.g. without a `~` prefix, or with units re-spelt). */
  readonly header?: string;
  /** Byte offset where data starts, when not the line after the header. */
  readonly dataStart?: number;
  readonly dataEnd?: number;
  /** Bytes to scan instead of the source's (a cleaned copy of identical length and line structure). */
  readonly bytes?: Uint8Array;
  readonly onShortRow?: 'error' | 'pad';
  /** Data lines used to type unmapped columns, when the file's own need cleaning first. */
  readonly sample?: readonly string[];
  /** What the format calls itself in the no-data message. */
  readonly what: string;
}

/**
 * Read the table whose header is `lines[headerIndex]`. A table with no data rows is an error
 * (`no-data`): an empty record would pass silently through every later stage.
 */
export function readTable(src: TextSource, lines: readonly HeadLine[], headerIndex: number, spec: TableSpec): MappedTable {
  const hl = lines[headerIndex]!;
  const sample = (spec.sample ?? lines.slice(headerIndex + 1, headerIndex + 40).map((l) => l.text)).filter((t) => t.trim() !== '');
  // An unmapped column is typed from the first rows; one that turns to text later (BDF `Protocol Name`
  // 0 … then "A2 with temperature: 45") is re-read as text instead of failing the file.
  const source = spec.bytes ? undefined : src.source;
  const cut = source
    ? shortLastLineOfSource(source, spec.dataStart ?? hl.next, spec.dataEnd, spec.header ?? hl.text, spec.delimiter)
    : shortLastLine(spec.bytes ?? src.bytes, spec.dataStart ?? hl.next, spec.dataEnd, spec.header ?? hl.text, spec.delimiter);
  let rules = spec.rules;
  let table: MappedTable | undefined;
  for (let attempt = 0; !table; attempt++) {
    try {
      table = readMappedTable({
        path: src.path,
        bytes: spec.bytes ?? src.bytes,
        source,
        header: spec.header ?? hl.text,
        headerLine: headerIndex,
        dataStart: spec.dataStart ?? hl.next,
        dataEnd: cut ?? spec.dataEnd,
        sample,
        delimiter: spec.delimiter,
        decimalComma: spec.decimalComma,
        rules,
        stopAtBlankLine: spec.stopAtBlankLine,
        dateOrder: spec.dateOrder,
        onShortRow: spec.onShortRow,
      });
    } catch (e) {
      const col = e instanceof ParseError && e.code === 'bad-number' ? e.column : undefined;
      if (col === undefined || attempt >= 8 || rules.some((r) => matchRule(col, r))) throw e;
      const { name } = splitHeaderUnit(col);
      rules = [...rules, { match: [col], to: { name: name || col, unit: '' }, parse: 'category' }];
    }
  }
  if (table.rows === 0) {
    throw new ParseError({
      file: src.path,
      code: 'no-data',
      line: headerIndex + 2,
      message: `${spec.what}: the header was found but there are no data rows`,
      expected: 'at least one data row after the header',
      found: 'end of data',
    });
  }
  if (cut !== undefined && !table.warnings.some((w) => w.code === 'truncated-last-line')) {
    table.warnings.push({ code: 'truncated-last-line', message: 'the last line is incomplete (file still being written, or cut); it was not read', rows: 1 });
  }
  return table;
}

/**
 * Byte offset of the last data line when it has fewer cells than the header (a copy cut mid-row, even
 * if a newline follows), else undefined. Only the last line is looked at: a short row elsewhere stays
 * an error.
 */
function shortLastLine(b: Uint8Array, start: number, end: number | undefined, header: string, delimiter: string): number | undefined {
  let e = end ?? b.length;
  while (e > start && (b[e - 1] === 10 || b[e - 1] === 13 || b[e - 1] === 32 || b[e - 1] === 9)) e--;
  if (e <= start) return undefined;
  let s = e;
  while (s > start && b[s - 1] !== 10 && b[s - 1] !== 13) s--;
  const names = splitFields(header, delimiter);
  if (names.length > 1 && names[names.length - 1] === '') names.pop();
  const cells = splitFields(utf8.decode(b.subarray(s, e)), delimiter).length;
  return cells < names.length ? s : undefined;
}

/** shortLastLine for a streamed file: only its last 64 KB are read. */
function shortLastLineOfSource(src: ByteSource, start: number, end: number | undefined, header: string, delimiter: string): number | undefined {
  const stop = end ?? src.size;
  const from = Math.max(start, stop - 65536);
  const cut = shortLastLine(readRange(src, from, stop - from), 0, undefined, header, delimiter);
  return cut === undefined ? undefined : from + cut;
}

/** Re-spell header units the shared unit table does not know (`(Sec)`, `(Min)`, `(C)` for temperature). */
export function respellHeader(header: string, delimiter: string, fix: (field: string) => string): string {
  return splitFields(header, delimiter)
    .map((f) => {
      const g = fix(f);
      return g.includes(delimiter) || g.includes('"') ? `"${g.replace(/"/g, '""')}"` : g;
    })
    .join(delimiter);
}

const UNIT_SPELLING: Readonly<Record<string, string>> = {
  sec: 's',
  secs: 's',
  second: 's',
  seconds: 's',
  s: 's',
  min: 'min',
  mins: 'min',
  minute: 'min',
  minutes: 'min',
  hr: 'h',
  hrs: 'h',
  hour: 'h',
  hours: 'h',
  h: 'h',
};

/**
 * Vendor unit spellings → the shared unit table's: `Test (Min)` → `Test (min)`, `Temperature (C)` →
 * `Temperature (degC)` (a bare `C` next to a temperature is Celsius, never coulomb).
 */
export function commonUnitSpelling(field: string): string {
  const m = /^(.*?)\s*([([])\s*([^()[\]]+?)\s*([)\]])(.*)$/.exec(field);
  if (!m) return field;
  const [, name, open, unit, close, rest] = m as unknown as [string, string, string, string, string, string];
  const u = unit.toLowerCase();
  let fixed = UNIT_SPELLING[u];
  if (
    !fixed &&
    /temp|^t\d*$|^t\d+\s|tmax|tmin|ave\.?\s*t/i.test(name) &&
    (unit === 'C' || unit === '?' || unit === '°C' || unit === 'ºC' || unit === '\uFFFDC')
  )
    fixed = 'degC';
  if (!fixed || fixed === unit) return field;
  return `${name} ${open}${fixed}${close}${rest}`;
}

/** Decimal-comma decision from sample data lines: the file's, not a cell's. */
export function looksDecimalComma(sample: readonly string[], delimiter: string): boolean {
  if (delimiter === ',') return false;
  let comma = 0;
  let dot = 0;
  for (const l of sample) {
    for (const f of l.split(delimiter)) {
      if (/^\s*[+-]?\d+,\d+\s*$/.test(f)) comma++;
      else if (/^\s*[+-]?\d+\.\d+\s*$/.test(f)) dot++;
    }
  }
  return comma > dot;
}
