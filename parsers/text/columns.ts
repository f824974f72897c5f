/**
 * Declarative header → canonical column mapping, shared by every delimited text format.
 * A format declares rules as data (`ColumnRule[]`); `readMappedTable` finds the columns, converts units,
 * and keeps every unmapped column under its own header (nothing is dropped).
 */
import type { Column, ParseWarning } from '../../src/records/record.js';
import { ParseError } from '../../src/records/errors.js';
import { splitFields, type CellKind } from './table.js';
import { scanDelimitedAuto } from './parallel-scan.js';
import type { ByteSource } from './chunked-scan.js';
import { parseDuration, parseNumber, isNumeric } from './numbers.js';
import { splitHeaderUnit, tryUnitFactor, normaliseUnit, scaleInPlace } from './units.js';
import type { DateOrder } from './datetime.js';

export interface Quantity {
  readonly name: string;
  readonly unit: string;
}

export interface ColumnRule {
  /** Header names (case-insensitive, whitespace-trimmed; with or without the unit part) or regexes on the whole header. */
  readonly match: readonly (string | RegExp)[];
  readonly to: Quantity;
  /** Unit of the source when the header states none. */
  readonly unit?: string;
  /** How to read the cells. Default 'number'. 'category' stores Int32 indices + levels. */
  readonly parse?: 'number' | 'duration' | 'datetime' | 'category';
  /** Multiply after unit conversion (e.g. -1 for a vendor's opposite sign convention). */
  readonly scale?: number;
  readonly required?: boolean;
}

export interface MappedTableInput {
  readonly path: string;
  readonly bytes: Uint8Array;
  /** The file, when `bytes` is only its head (offsets past the head are read from here in chunks). */
  readonly source?: ByteSource;
  /** The header line text (already decoded) and its 0-based index in the file's lines. */
  readonly header: string;
  readonly headerLine: number;
  /** Byte offset of the first data line. */
  readonly dataStart: number;
  readonly dataEnd?: number;
  /** A few data lines (decoded) used to decide column kinds. */
  readonly sample: readonly string[];
  readonly delimiter: string;
  readonly decimalComma?: boolean;
  readonly rules: readonly ColumnRule[];
  readonly stopAtBlankLine?: boolean;
  readonly dateOrder?: DateOrder;
  /** Keep columns no rule claims (default true). */
  readonly keepUnmapped?: boolean;
  readonly onBadNumber?: 'error' | 'nan';
  readonly onShortRow?: 'error' | 'pad';
}

export interface MappedTable {
  readonly columns: Column[];
  readonly warnings: ParseWarning[];
  readonly rows: number;
  readonly headers: string[];
  /** Which rule matched which header index. */
  readonly matched: Map<Quantity, number>;
  readonly endOffset: number;
}

function norm(s: string): string {
  return s.trim().toLowerCase().replace(/\s+/g, ' ');
}

export function matchRule(header: string, rule: ColumnRule): boolean {
  return matchKey(headerKey(header), rule);
}

/** Rule names are a small fixed set: normalised once. */
const RULE_NORM = new Map<string, string>();

interface HeaderKey {
  readonly h: string;
  readonly bare: string;
  readonly trimmed: string;
}
function headerKey(header: string): HeaderKey {
  return { h: norm(header), bare: norm(splitHeaderUnit(header).name), trimmed: header.trim() };
}
function matchKey({ h, bare, trimmed }: HeaderKey, rule: ColumnRule): boolean {
  for (const m of rule.match) {
    if (typeof m === 'string') {
      let k = RULE_NORM.get(m);
      if (k === undefined) RULE_NORM.set(m, (k = norm(m)));
      if (h === k || bare === k) return true;
    } else if (m.test(trimmed)) return true;
  }
  return false;
}

/** Assign each rule the first header it matches (a header is used by one rule at most). */
export function assignRules(headers: readonly string[], rules: readonly ColumnRule[]): Map<ColumnRule, number> {
  const used = new Set<number>();
  const out = new Map<ColumnRule, number>();
  // Normalise each header once, not once per rule: a 1 MB header line of 500k fields took > 2 s (fuzz regression).
  const keys = headers.map((h) => (h ? headerKey(h) : null));
  for (const r of rules) {
    for (let i = 0; i < headers.length; i++) {
      if (used.has(i) || !keys[i]) continue;
      if (matchKey(keys[i]!, r)) {
        out.set(r, i);
        used.add(i);
        break;
      }
    }
  }
  return out;
}

export function readMappedTable(t: MappedTableInput): MappedTable {
  const headers = splitFields(t.header, t.delimiter);
  // Drop one trailing empty header (trailing delimiter).
  if (headers.length > 1 && headers[headers.length - 1] === '') headers.pop();
  const assigned = assignRules(headers, t.rules);
  for (const r of t.rules) {
    if (r.required && !assigned.has(r)) {
      throw new ParseError({
        file: t.path,
        code: 'missing-column',
        line: t.headerLine + 1,
        message: `required column for '${r.to.name}' not found`,
        expected: r.match.map(String).join(' | '),
        found: headers.join(', '),
      });
    }
  }
  const ruleOf: (ColumnRule | undefined)[] = headers.map(() => undefined);
  for (const [r, i] of assigned) ruleOf[i] = r;

  const sampleFields = t.sample.map((l) => splitFields(l, t.delimiter));
  const kinds: CellKind[] = headers.map((h, i) => {
    const r = ruleOf[i];
    if (r && r.parse === 'datetime') return 'datetime';
    if (r && r.parse && r.parse !== 'number') return 'string';
    if (!h && !r) return 'skip';
    if (r) return 'number';
    // Unmapped: numeric if every non-empty sample cell is numeric.
    const cells = sampleFields.map((f) => (f[i] ?? '').replace(/^"|"$/g, '')).filter((c) => c.trim() !== '');
    if (cells.length === 0) return 'number';
    return cells.every((c) => isNumeric(c, t.decimalComma) || /^(nan|inf|-inf)$/i.test(c.trim())) ? 'number' : t.keepUnmapped === false ? 'skip' : 'string';
  });
  if (t.keepUnmapped === false) {
    for (let i = 0; i < kinds.length; i++) if (!ruleOf[i]) kinds[i] = 'skip';
  }

  const scan = scanDelimitedAuto(
    t.bytes,
    {
      path: t.path,
      start: t.dataStart,
      end: t.dataEnd,
      firstLine: t.headerLine + 2,
      delimiter: t.delimiter,
      decimalComma: t.decimalComma,
      kinds,
      names: headers,
      stopAtBlankLine: t.stopAtBlankLine,
      onBadNumber: t.onBadNumber,
      onShortRow: t.onShortRow,
      dateOrder: t.dateOrder,
    },
    t.source,
  );
  const warnings: ParseWarning[] = [];
  if (scan.truncatedLastLine) {
    warnings.push({ code: 'truncated-last-line', message: 'the last line is incomplete (file still being written, or cut); it was not read', rows: 1 });
  }
  if (scan.shortRows)
    warnings.push({ code: 'short-rows', message: `${scan.shortRows} rows had fewer fields than the header; missing cells are NaN`, rows: scan.shortRows });

  const columns: Column[] = [];
  const matched = new Map<Quantity, number>();
  for (let i = 0; i < headers.length; i++) {
    const r = ruleOf[i];
    const h = headers[i]!;
    if (kinds[i] === 'skip') continue;
    if (scan.emptyCells[i]! > 0) {
      warnings.push({ code: 'empty-cells', message: `column '${h}': ${scan.emptyCells[i]} empty cells read as NaN`, rows: scan.emptyCells[i] });
    }
    if (scan.badCells[i]! > 0) {
      warnings.push({ code: 'non-numeric-cells', message: `column '${h}': ${scan.badCells[i]} non-numeric cells read as NaN`, rows: scan.badCells[i] });
    }
    if (!r) {
      const { name, unit } = splitHeaderUnit(h);
      if (kinds[i] === 'number') columns.push({ name: name || h, unit: unit ? normaliseUnit(unit) : '', values: scan.numbers[i]! });
      else columns.push(categorical(name || h, scan.strings[i]!));
      continue;
    }
    matched.set(r.to, i);
    const srcUnit = splitHeaderUnit(h).unit || r.unit || '';
    let values: Float64Array;
    if (r.parse === 'category') {
      columns.push({ ...categorical(r.to.name, scan.strings[i]!), unit: r.to.unit });
      continue;
    } else if (r.parse === 'duration') {
      const s = scan.strings[i]!;
      values = new Float64Array(s.length);
      for (let k = 0; k < s.length; k++) {
        const v = parseDuration(s[k]!, t.decimalComma);
        if (Number.isNaN(v) && s[k] !== '') {
          throw new ParseError({
            file: t.path,
            code: 'bad-number',
            line: t.headerLine + 2 + k,
            column: h,
            message: 'not a duration',
            expected: 'seconds or hh:mm:ss',
            found: s[k],
          });
        }
        values[k] = v;
      }
    } else values = scan.numbers[i]!;
    let factor = 1;
    if (r.to.unit && r.parse !== 'datetime' && r.parse !== 'duration') {
      const f = srcUnit ? tryUnitFactor(srcUnit, r.to.unit) : 1;
      if (f === null) {
        throw new ParseError({
          file: t.path,
          code: 'bad-header',
          line: t.headerLine + 1,
          column: h,
          message: `unit '${srcUnit}' cannot be converted to ${r.to.unit}`,
          expected: `a unit of ${r.to.unit}`,
          found: srcUnit,
        });
      }
      factor = f;
    } else if (r.parse === 'duration' && srcUnit) {
      factor = tryUnitFactor(srcUnit, 's') ?? 1;
    }
    factor *= r.scale ?? 1;
    scaleInPlace(values, factor);
    columns.push({ name: r.to.name, unit: r.to.unit, values });
  }
  return { columns, warnings, rows: scan.rows, headers, matched, endOffset: scan.endOffset };
}

/** Strings → categorical Int32 column with levels in order of first appearance. */
export function categorical(name: string, values: readonly string[]): Column {
  const levels: string[] = [];
  const index = new Map<string, number>();
  const out = new Int32Array(values.length);
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    let k = index.get(v);
    if (k === undefined) {
      k = levels.length;
      levels.push(v);
      index.set(v, k);
    }
    out[i] = k;
  }
  return { name, unit: '', values: out, levels };
}

/** Numeric value of a plain text cell, for header blocks (`Key: 12.5`). */
export function headerNumber(s: string | undefined, decimalComma = false): number | undefined {
  if (s === undefined) return undefined;
  const v = parseNumber(s, decimalComma);
  return Number.isFinite(v) ? v : undefined;
}
