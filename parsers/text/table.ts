/**
 * Fast delimited-table reader over raw bytes: the hot loop of every text cycler format.
 * It scans bytes once, parses numbers without building substrings (Clinger's fast path, exact for
 * mantissas < 2^53 and |exponent| ≤ 22, else falls back to Number()), and fills growable
 * Float64Arrays. String columns (step types, dates) are collected as strings only when asked for.
 */
import { ParseError } from '../../src/records/errors.js';
import { parseDateTimeBytes, type DateOrder } from './datetime.js';

export type CellKind = 'number' | 'string' | 'datetime' | 'skip';

export interface ScanOptions {
  /** File path for errors. */
  readonly path: string;
  /** Byte offset where data rows start (after headers). */
  readonly start: number;
  /** Byte offset where data ends (default bytes.length). */
  readonly end?: number;
  /** 1-based line number of the first data row (for error messages). */
  readonly firstLine: number;
  /** Field delimiter: ',', ';', '\t', or ' ' (runs of spaces/tabs). */
  readonly delimiter: string;
  readonly decimalComma?: boolean;
  /** One entry per field of the header; fields beyond are an error (`ragged-row`) unless allowExtraFields. */
  readonly kinds: readonly CellKind[];
  readonly names: readonly string[];
  /** How to treat non-numeric text in a number column: throw a ParseError (default) or NaN + count. */
  readonly onBadNumber?: 'error' | 'nan';
  /** Rows with fewer fields than the header: error (default), or pad with NaN and count them. */
  readonly onShortRow?: 'error' | 'pad';
  readonly allowExtraFields?: boolean;
  /** Stop at the first blank line (sections follow), instead of skipping blank lines. */
  readonly stopAtBlankLine?: boolean;
  /** Predicate on the first byte of a line: lines starting with it are skipped (comments). */
  readonly commentByte?: number;
  /** Day/month order for 'datetime' cells (default 'mdy'; ISO dates are unambiguous). */
  readonly dateOrder?: DateOrder;
  /** Read every line with the general path (tests compare the fused fast path against it). */
  readonly generalOnly?: boolean;
}

export interface ScanResult {
  readonly rows: number;
  /** Indexed like `kinds`; undefined where the kind is not 'number' or 'datetime' (Unix seconds). */
  readonly numbers: (Float64Array | undefined)[];
  /** Indexed like `kinds`; undefined where the kind is not 'string'. */
  readonly strings: (string[] | undefined)[];
  /** Per column: cells that were empty (→ NaN). */
  readonly emptyCells: number[];
  /** Per column: cells with text that was not a number (→ NaN) when onBadNumber = 'nan'. */
  readonly badCells: number[];
  readonly shortRows: number;
  /** True if the last line had no newline and fewer fields than the header (a truncated write). */
  readonly truncatedLastLine: boolean;
  /** Byte offset where scanning stopped. */
  readonly endOffset: number;
  /** A quote opened a field (lines may span newlines): a range split at a newline may be wrong. */
  readonly sawQuote?: boolean;
}

const POW10 = [1, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22];
const LF = 10;
const CR = 13;
const QUOTE = 34;
const SPACE = 32;
const TAB = 9;

const utf8 = new TextDecoder('utf-8');
const utf8Fatal = new TextDecoder('utf-8', { fatal: true });
const cp1252 = new TextDecoder('windows-1252');

/**
 * Text of a cell: UTF-8, or Windows-1252 when its bytes are not UTF-8. A file read whole was transcoded
 * before scanning (always UTF-8 here); a file streamed in chunks was judged by its head only, and a
 * legacy byte further on must read as the whole-file path would read it.
 */
export function cellText(b: Uint8Array, s: number, e: number): string {
  for (let i = s; i < e; i++) {
    if (b[i]! >= 0x80) {
      try {
        return utf8Fatal.decode(b.subarray(s, e));
      } catch {
        return cp1252.decode(b.subarray(s, e));
      }
    }
  }
  return utf8.decode(b.subarray(s, e));
}

/**
 * Parse a number in bytes[s, e). Returns NaN for anything that is not a plain decimal number
 * (the caller decides whether that is an error). `dec` is the decimal separator byte.
 */
export function parseNumberBytes(b: Uint8Array, s: number, e: number, dec: number): number {
  while (s < e && (b[s] === SPACE || b[s] === TAB)) s++;
  while (e > s && (b[e - 1] === SPACE || b[e - 1] === TAB)) e--;
  if (s >= e) return NaN;
  let i = s;
  let neg = false;
  if (b[i] === 45 /* - */) {
    neg = true;
    i++;
  } else if (b[i] === 43 /* + */) i++;
  let mant = 0;
  let digits = 0;
  let fracDigits = 0;
  let sawDigit = false;
  let c = 0;
  while (i < e && (c = b[i]!) >= 48 && c <= 57) {
    if (digits < 19) mant = mant * 10 + (c - 48);
    else return slow(b, s, e, dec);
    if (mant !== 0) digits++;
    sawDigit = true;
    i++;
  }
  if (i < e && b[i] === dec) {
    i++;
    while (i < e && (c = b[i]!) >= 48 && c <= 57) {
      if (digits < 19) {
        mant = mant * 10 + (c - 48);
        if (mant !== 0) digits++;
        fracDigits++;
      } else return slow(b, s, e, dec);
      sawDigit = true;
      i++;
    }
  }
  if (!sawDigit) return slow(b, s, e, dec);
  let exp = 0;
  if (i < e && (b[i] === 101 || b[i] === 69)) {
    i++;
    let eneg = false;
    if (b[i] === 45) {
      eneg = true;
      i++;
    } else if (b[i] === 43) i++;
    let ed = 0;
    while (i < e && (c = b[i]!) >= 48 && c <= 57) {
      exp = exp * 10 + (c - 48);
      ed++;
      i++;
    }
    if (ed === 0) return NaN;
    if (eneg) exp = -exp;
  }
  if (i !== e) return slow(b, s, e, dec);
  if (mant > 9007199254740991) return slow(b, s, e, dec);
  const p = exp - fracDigits;
  let v: number;
  if (p === 0) v = mant;
  else if (p > 0 && p <= 22) v = mant * POW10[p]!;
  else if (p < 0 && p >= -22) v = mant / POW10[-p]!;
  else return slow(b, s, e, dec);
  return neg ? -v : v;
}

function slow(b: Uint8Array, s: number, e: number, dec: number): number {
  let t = utf8.decode(b.subarray(s, e)).trim();
  if (dec === 44) t = t.replace(',', '.');
  if (/^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(t)) return Number(t);
  const l = t.toLowerCase();
  if (l === 'inf' || l === '+inf' || l === 'infinity') return Infinity;
  if (l === '-inf' || l === '-infinity') return -Infinity;
  return NaN;
}

function isNanWord(b: Uint8Array, s: number, e: number): boolean {
  const t = utf8.decode(b.subarray(s, e)).trim().toLowerCase();
  return t === 'nan' || t === '-nan' || t === 'n/a' || t === 'na';
}

/**
 * Columns being filled by one or more `scanRange` calls: one call for bytes in memory, one per chunk
 * when a file is streamed (`chunked-scan.ts`). Line numbers and counts carry over between calls.
 */
export interface ScanState {
  rows: number;
  /** 1-based line number of the next line. */
  line: number;
  cap: number;
  num: (Float64Array | undefined)[];
  readonly str: (string[] | undefined)[];
  readonly empty: number[];
  readonly bad: number[];
  shortRows: number;
  truncatedLastLine: boolean;
  /** A quote opened a field somewhere: lines may span newlines, so byte ranges cannot be split blindly. */
  sawQuote: boolean;
  /** stopAtBlankLine met its blank line: nothing after it belongs to the table. */
  stopped: boolean;
  /** When asked for: each row's line start, as `base` + its offset in the scanned bytes. */
  rowStarts?: Float64Array;
  /** Offset added to row starts (the file offset of the scanned buffer's first byte). */
  base: number;
}

/** Rows expected in `total` bytes, from the line density of the first ≤ 64 KB at bytes[start, end). */
export function estimateRows(bytes: Uint8Array, start: number, end: number, total = end - start): number {
  const probeEnd = Math.min(end, start + 65536);
  let probeLines = 0;
  for (let i = start; i < probeEnd; i++) if (bytes[i] === LF) probeLines++;
  return probeLines > 0 ? Math.ceil((total / (probeEnd - start)) * probeLines * 1.02) + 16 : 1024;
}

export function newScanState(o: ScanOptions, cap: number): ScanState {
  const ncol = o.kinds.length;
  return {
    rows: 0,
    line: o.firstLine,
    cap,
    num: o.kinds.map((k) => (k === 'number' || k === 'datetime' ? new Float64Array(cap) : undefined)),
    str: o.kinds.map((k) => (k === 'string' ? [] : undefined)),
    empty: new Array<number>(ncol).fill(0),
    bad: new Array<number>(ncol).fill(0),
    shortRows: 0,
    truncatedLastLine: false,
    sawQuote: false,
    stopped: false,
    base: 0,
  };
}

export function scanResult(st: ScanState, endOffset: number): ScanResult {
  const rows = st.rows;
  return {
    rows,
    // A view, not a copy: the arrays were sized from an estimate (≤ 2 % over), and copying them would
    // double the columns' memory at the end of every large parse.
    numbers: st.num.map((a) => (a ? (a.length === rows ? a : a.subarray(0, rows)) : undefined)),
    strings: st.str,
    emptyCells: st.empty,
    badCells: st.bad,
    shortRows: st.shortRows,
    truncatedLastLine: st.truncatedLastLine,
    endOffset,
    sawQuote: st.sawQuote,
  };
}

/** `capHint`: rows to size the columns for (another thread's rows may be appended to them). */
export function scanDelimited(bytes: Uint8Array, o: ScanOptions, capHint?: number): ScanResult {
  const end = o.end ?? bytes.length;
  const st = newScanState(o, capHint ?? estimateRows(bytes, o.start, end));
  return scanResult(st, scanRange(bytes, o, st, o.start, end, false));
}

/**
 * Scan the lines of bytes[start, end) into `st`; returns the offset where scanning stopped.
 * `partial`: the range ends before the data does (a chunk of a streamed file), so a line that reaches
 * `end` without its newline (or whose CR may be half of a CRLF) is left unread and its start returned.
 */
export function scanRange(bytes: Uint8Array, o: ScanOptions, st: ScanState, start: number, end: number, partial: boolean): number {
  const ncol = o.kinds.length;
  const ws = o.delimiter === ' ';
  const delim = ws ? -1 : o.delimiter.charCodeAt(0);
  const dec = o.decimalComma ? 44 : 46;
  const badPolicy = o.onBadNumber ?? 'error';
  const shortPolicy = o.onShortRow ?? 'error';
  const comment = o.commentByte ?? -1;
  // Kinds as small ints for the hot loop: 0 skip, 1 number, 2 string, 3 datetime.
  const kind = new Uint8Array(ncol);
  for (let f = 0; f < ncol; f++) kind[f] = o.kinds[f] === 'number' ? 1 : o.kinds[f] === 'string' ? 2 : o.kinds[f] === 'datetime' ? 3 : 0;
  let cap = st.cap;
  let num = st.num;
  const str = st.str;
  const empty = st.empty;
  const bad = st.bad;
  const fieldStart = new Int32Array(ncol + 1);
  const fieldEnd = new Int32Array(ncol + 1);
  let rows = st.rows;
  let shortRows = st.shortRows;
  let line = st.line;
  let pos = start;
  let truncatedLastLine = st.truncatedLastLine;
  let sawQuote = st.sawQuote;
  let stopped = false;
  const fastPath = !ws && dec !== delim && !o.generalOnly;
  const lastField = ncol - 1;
  // Allocated with the columns' capacity (chunked-scan.ts) and grown with them below.
  let rowStarts = st.rowStarts;
  const base = st.base;
  const order = o.dateOrder ?? 'mdy';

  while (pos < end) {
    // Room for this line's row (each pass of the loop adds at most one, by either path below).
    if (rows >= cap) {
      cap = Math.max(cap * 2, 1024);
      num = num.map((a) => {
        if (!a) return a;
        const g = new Float64Array(cap);
        g.set(a);
        return g;
      });
      if (rowStarts) {
        const g = new Float64Array(cap);
        g.set(rowStarts);
        rowStarts = g;
      }
    }
    // Fast path: one pass that splits and converts at once, for the plain rows that are almost all of
    // a large export. Anything unusual (quotes, blanks, bad or odd numbers, wrong field count, comments)
    // leaves it without side effects visible to the caller and the line is read again by the general
    // path below, which owns every error and warning.
    fast: if (fastPath) {
      const c0 = bytes[pos]!;
      if (c0 === LF || c0 === CR || c0 === comment) break fast;
      let p = pos;
      let c = 0;
      for (let f = 0; f < ncol; f++) {
        const k = kind[f]!;
        const fs = p;
        c = p < end ? bytes[p]! : LF;
        if (c === QUOTE) break fast;
        if (k === 1) {
          let neg = false;
          if (c === 45) {
            neg = true;
            c = ++p < end ? bytes[p]! : LF;
          } else if (c === 43) c = ++p < end ? bytes[p]! : LF;
          let mant = 0;
          let nd = 0;
          let frac = 0;
          while (c >= 48 && c <= 57) {
            mant = mant * 10 + (c - 48);
            nd++;
            c = ++p < end ? bytes[p]! : LF;
          }
          if (c === dec) {
            c = ++p < end ? bytes[p]! : LF;
            while (c >= 48 && c <= 57) {
              mant = mant * 10 + (c - 48);
              nd++;
              frac++;
              c = ++p < end ? bytes[p]! : LF;
            }
          }
          let ex = 0;
          let exOk = true;
          if (nd > 0 && (c === 101 || c === 69)) {
            c = ++p < end ? bytes[p]! : LF;
            let eneg = false;
            if (c === 45) {
              eneg = true;
              c = ++p < end ? bytes[p]! : LF;
            } else if (c === 43) c = ++p < end ? bytes[p]! : LF;
            let ed = 0;
            while (c >= 48 && c <= 57) {
              ex = ex * 10 + (c - 48);
              ed++;
              c = ++p < end ? bytes[p]! : LF;
            }
            if (ed === 0) break fast;
            if (eneg) ex = -ex;
          }
          const pw = ex - frac;
          let v: number;
          if (nd === 0 || nd > 15 || pw > 22 || pw < -22) exOk = false;
          if (exOk && (c === delim || c === LF || c === CR)) {
            v = pw === 0 ? mant : pw > 0 ? mant * POW10[pw]! : mant / POW10[-pw]!;
            if (neg) v = -v;
          } else {
            // Not the plain shape (spaces, long mantissa, words): find the field's end and use the
            // general number reader; a NaN there needs the general path's bookkeeping.
            while (c !== delim && c !== LF && c !== CR) c = ++p < end ? bytes[p]! : LF;
            v = parseNumberBytes(bytes, fs, p, dec);
            if (v !== v) break fast;
          }
          num[f]![rows] = v;
        } else {
          while (c !== delim && c !== LF && c !== CR) c = ++p < end ? bytes[p]! : LF;
          if (k === 3) {
            const v = parseDateTimeBytes(bytes, fs, p, order);
            if (v !== v) break fast;
            num[f]![rows] = v;
          } else if (k === 2) {
            fieldStart[f] = fs;
            fieldEnd[f] = p;
          }
        }
        if (f < lastField) {
          if (c !== delim) break fast; // short row
          p++;
        }
      }
      if (c === delim) {
        // One trailing delimiter (Arbin, Neware) is an extra empty field; anything more is the general path's.
        c = ++p < end ? bytes[p]! : LF;
        if (c !== LF && c !== CR) break fast;
      }
      if (partial && (p >= end || (c === CR && p + 1 >= end))) break fast; // the general path leaves it for the next chunk
      for (let f = 0; f < ncol; f++) if (kind[f] === 2) str[f]!.push(cellText(bytes, fieldStart[f]!, fieldEnd[f]!).trim());
      if (rowStarts) rowStarts[rows] = base + pos;
      rows++;
      line++;
      pos = p < end && bytes[p] === CR && bytes[p + 1] === LF ? p + 2 : p + 1;
      continue;
    }
    // One pass over the line: split fields (a quote opens a quoted field only at a field's start,
    // so `Z"/ohm` is text) and find its end.
    let nf = 0;
    let i = pos;
    let c = 0;
    let nonBlank = false;
    if (ws) {
      for (;;) {
        while (i < end && ((c = bytes[i]!) === SPACE || c === TAB)) i++;
        if (i >= end || c === LF || c === CR) break;
        const fs = i;
        while (i < end && (c = bytes[i]!) !== SPACE && c !== TAB && c !== LF && c !== CR) i++;
        if (nf <= ncol) {
          fieldStart[nf] = fs;
          fieldEnd[nf] = i;
        }
        nf++;
        nonBlank = true;
      }
    } else {
      let fs = i;
      let q = false;
      // Bytes above every special byte (delimiter, quote, CR/LF, space/tab) are ordinary data: one test.
      const special = Math.max(delim, QUOTE);
      for (;;) {
        if (i >= end) break;
        c = bytes[i]!;
        if (c > special && !q) {
          nonBlank = true;
          i++;
          continue;
        }
        if (q) {
          if (c === QUOTE) q = false;
        } else if (c === delim) {
          if (nf <= ncol) {
            fieldStart[nf] = fs;
            fieldEnd[nf] = i;
          }
          nf++;
          fs = i + 1;
        } else if (c === LF || c === CR) break;
        else if (c === QUOTE && i === fs) q = sawQuote = true;
        else if (c !== SPACE && c !== TAB) nonBlank = true;
        i++;
      }
      if (nf <= ncol) {
        fieldStart[nf] = fs;
        fieldEnd[nf] = i;
      }
      nf++;
    }
    const eol = i;
    const hasNewline = eol < end;
    if (partial && (!hasNewline || (bytes[eol] === CR && eol + 1 >= end))) break;
    const next = hasNewline && bytes[eol] === CR && bytes[eol + 1] === LF ? eol + 2 : eol + 1;
    if (!nonBlank) {
      pos = next;
      line++;
      if (o.stopAtBlankLine && rows > 0) {
        stopped = true;
        break;
      }
      continue;
    }
    if (bytes[pos] === comment) {
      pos = next;
      line++;
      continue;
    }
    if (nf > ncol) {
      // Trailing delimiter (Arbin, Neware) gives one extra empty field: allow it.
      const extraEmpty = nf === ncol + 1 && fieldStart[ncol] === fieldEnd[ncol];
      if (!extraEmpty && !o.allowExtraFields) {
        throw new ParseError({
          file: o.path,
          code: 'ragged-row',
          line,
          message: `row has ${nf} fields but the header has ${ncol}`,
          expected: `${ncol} fields`,
          found: `${nf} fields`,
        });
      }
      nf = ncol;
    }
    if (nf < ncol) {
      if (!hasNewline) {
        // Last line cut short: an instrument still writing, or a truncated copy.
        truncatedLastLine = true;
        pos = end;
        break;
      }
      if (shortPolicy === 'error') {
        throw new ParseError({
          file: o.path,
          code: 'ragged-row',
          line,
          message: `row has ${nf} fields but the header has ${ncol}`,
          expected: `${ncol} fields`,
          found: `${nf} fields`,
        });
      }
      shortRows++;
    }
    for (let f = 0; f < ncol; f++) {
      const k = kind[f]!;
      if (k === 0) continue;
      let fs = f < nf ? fieldStart[f]! : 0;
      let fe = f < nf ? fieldEnd[f]! : 0;
      if (fe > fs && bytes[fs] === QUOTE && bytes[fe - 1] === QUOTE) {
        fs++;
        fe--;
      }
      if (k === 1 || k === 3) {
        let v = f >= nf ? NaN : k === 1 ? parseNumberBytes(bytes, fs, fe, dec) : parseDateTimeBytes(bytes, fs, fe, o.dateOrder ?? 'mdy');
        if (v !== v) {
          let blank = true;
          for (let j = fs; j < fe; j++)
            if (bytes[j] !== SPACE && bytes[j] !== TAB) {
              blank = false;
              break;
            }
          if (blank) empty[f]!++;
          else if (isNanWord(bytes, fs, fe)) v = NaN;
          else if (badPolicy === 'error') {
            throw new ParseError({
              file: o.path,
              code: 'bad-number',
              line,
              column: o.names[f],
              message: k === 1 ? 'text in a numeric column' : 'not a date/time',
              expected: k === 1 ? 'a number' : 'a date and time',
              found: cellText(bytes, fs, fe).trim(),
            });
          } else bad[f]!++;
        }
        num[f]![rows] = v;
      } else {
        str[f]!.push(f < nf ? cellText(bytes, fs, fe).trim() : '');
      }
    }
    if (rowStarts) rowStarts[rows] = base + pos;
    rows++;
    pos = next;
    line++;
  }
  st.rows = rows;
  st.cap = cap;
  st.num = num;
  st.rowStarts = rowStarts;
  st.line = line;
  st.shortRows = shortRows;
  st.truncatedLastLine = truncatedLastLine;
  st.sawQuote = sawQuote;
  st.stopped = stopped;
  return pos;
}

/** Byte offset of the start of line `index` (0-based) in bytes; lines end in LF, CRLF or CR. */
export function lineOffset(bytes: Uint8Array, index: number, from = 0): number {
  let pos = from;
  let n = 0;
  while (n < index && pos < bytes.length) {
    const c = bytes[pos]!;
    pos++;
    if (c === LF) n++;
    else if (c === CR) {
      if (bytes[pos] === LF) pos++;
      n++;
    }
  }
  return pos;
}

/** Split one text line into fields (quotes respected), for header rows. */
export function splitFields(line: string, delimiter: string): string[] {
  if (delimiter === ' ') return line.trim().split(/[ \t]+/);
  const out: string[] = [];
  let cur = '';
  let q = false;
  for (let i = 0; i < line.length; i++) {
    const c = line[i]!;
    if (c === '"' && (q || cur.trim() === '')) {
      if (q && line[i + 1] === '"') {
        cur += '"';
        i++;
      } else q = !q;
    } else if (c === delimiter && !q) {
      out.push(cur.trim());
      cur = '';
    } else cur += c;
  }
  out.push(cur.trim());
  return out;
}

/** Pick the delimiter that splits the header and the following lines into equal, >1 field counts. */
export function detectDelimiter(lines: readonly string[], candidates: readonly string[] = ['\t', ',', ';']): string {
  let best = candidates[0]!;
  let bestScore = -1;
  for (const d of candidates) {
    const counts = lines.slice(0, 6).map((l) => splitFields(l, d).length);
    if (counts.length === 0 || counts[0]! < 2) continue;
    const same = counts.filter((c) => c === counts[0]).length;
    const score = same * 1000 + counts[0]!;
    if (score > bestScore) {
      bestScore = score;
      best = d;
    }
  }
  return best;
}
