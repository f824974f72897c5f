/**
 * Sheet rows (plain cells from `readWorkbook`) → typed columns, with the same declarative
 * `ColumnRule` tables the text formats use (`parsers/text/columns.ts`): rule matching, unit conversion,
 * categorical step types; every unmapped column is kept under its own name and unit.
 */
import type { Column, ParseWarning } from '../../../src/records/record.js';
import { ParseError } from '../../../src/records/errors.js';
import { assignRules, categorical, type ColumnRule } from '../../text/columns.js';
import { normaliseUnit, splitHeaderUnit, tryUnitFactor } from '../../text/units.js';
import { parseDuration, parseNumber } from '../../text/numbers.js';
import { parseDateTime, type DateOrder } from '../../text/datetime.js';
import { excelSerialToUnix, type Cell, type Sheet } from './workbook.js';

export interface SheetTableInput {
  readonly path: string;
  readonly sheet: Sheet;
  /** 0-based row of the header. */
  readonly headerRow: number;
  readonly rules: readonly ColumnRule[];
  /** How to split a header into name and unit (vendors differ: `Cur(mA)`, `Current/mA`, `SpeCap/mAh/g`). */
  readonly splitUnit?: (header: string) => { name: string; unit: string };
  readonly date1904?: boolean;
  readonly dateOrder?: DateOrder;
  /** Extra sheets with the same header whose rows continue this one (Arbin splits long channels). */
  readonly continuation?: readonly Sheet[];
}

export interface SheetTable {
  readonly columns: Column[];
  readonly warnings: ParseWarning[];
  readonly rows: number;
  readonly headers: string[];
  readonly matched: Map<ColumnRule, number>;
}

export function cellText(c: Cell | undefined): string {
  return c === null || c === undefined ? '' : String(c).trim();
}

function cellNumber(c: Cell | undefined): number {
  if (typeof c === 'number') return c;
  if (typeof c === 'boolean') return c ? 1 : 0;
  if (typeof c === 'string') return parseNumber(c);
  return NaN;
}

/** Index of the first row (within `limit`) that has every `needles` entry as a cell (case-insensitive). */
export function findHeaderRow(rows: readonly (readonly Cell[])[], needles: readonly string[], limit = 30): number {
  const want = needles.map((n) => n.toLowerCase());
  for (let i = 0; i < Math.min(rows.length, limit); i++) {
    const cells = new Set(rows[i]!.map((c) => cellText(c).toLowerCase()));
    if (want.every((w) => cells.has(w))) return i;
  }
  return -1;
}

export function readSheetTable(t: SheetTableInput): SheetTable {
  const split = t.splitUnit ?? splitHeaderUnit;
  const headerCells = t.sheet.rows[t.headerRow] ?? [];
  const headers = headerCells.map(cellText);
  const assigned = assignRules(headers, t.rules);
  for (const r of t.rules) {
    if (r.required && !assigned.has(r)) {
      throw new ParseError({
        file: t.path,
        code: 'missing-column',
        line: t.headerRow + 1,
        column: t.sheet.name,
        message: `sheet '${t.sheet.name}': required column for '${r.to.name}' not found`,
        expected: r.match.map(String).join(' | '),
        found: headers.filter(Boolean).join(', '),
      });
    }
  }
  const ruleOf: (ColumnRule | undefined)[] = headers.map(() => undefined);
  for (const [r, i] of assigned) ruleOf[i] = r;

  // Data rows: all non-blank rows after the header (and of continuation sheets after their header).
  const data: { row: readonly Cell[]; line: number; sheet: string }[] = [];
  const take = (s: Sheet, from: number): void => {
    for (let i = from; i < s.rows.length; i++) {
      const row = s.rows[i]!;
      if (row.some((c) => cellText(c) !== '')) data.push({ row, line: i + 1, sheet: s.name });
    }
  };
  take(t.sheet, t.headerRow + 1);
  for (const s of t.continuation ?? []) take(s, t.headerRow + 1);
  const n = data.length;

  const warnings: ParseWarning[] = [];
  const columns: Column[] = [];
  const matched = new Map<ColumnRule, number>();
  for (let j = 0; j < headers.length; j++) {
    const h = headers[j]!;
    const r = ruleOf[j];
    const cells = data.map((d) => d.row[j] ?? null);
    if (!r) {
      if (!h) continue;
      const nonEmpty = cells.filter((c) => cellText(c) !== '');
      if (nonEmpty.length === 0) continue;
      const { name, unit } = split(h);
      const numeric = nonEmpty.every((c) => !Number.isNaN(cellNumber(c)));
      if (numeric) columns.push({ name: name || h, unit: unit ? normaliseUnit(unit) : '', values: Float64Array.from(cells, cellNumber) });
      else columns.push(categorical(name || h, cells.map(cellText)));
      continue;
    }
    matched.set(r, j);
    if (r.parse === 'category') {
      columns.push({ ...categorical(r.to.name, cells.map(cellText)), unit: r.to.unit });
      continue;
    }
    const values = new Float64Array(n);
    let bad = 0;
    for (let k = 0; k < n; k++) {
      const c = cells[k]!;
      let v: number;
      if (r.parse === 'datetime') {
        v = typeof c === 'number' ? excelSerialToUnix(c, t.date1904) : cellText(c) === '' ? NaN : parseDateTime(cellText(c), t.dateOrder ?? 'ymd');
      } else if (r.parse === 'duration') {
        // A numeric cell in a time-of-day formatted column is an Excel fraction of a day.
        v = typeof c === 'number' ? c * 86400 : parseDuration(cellText(c));
      } else v = cellNumber(c);
      if (Number.isNaN(v) && cellText(c) !== '' && !/^(-|nan|n\/a)$/i.test(cellText(c))) {
        if (r.required) {
          throw new ParseError({
            file: t.path,
            code: 'bad-number',
            line: data[k]!.line,
            column: `${data[k]!.sheet}:${h}`,
            message: `sheet '${data[k]!.sheet}': cell is not a ${r.parse ?? 'number'}`,
            expected: r.parse ?? 'a number',
            found: cellText(c),
          });
        }
        bad++;
      }
      values[k] = v;
    }
    if (bad)
      warnings.push({ code: 'non-numeric-cells', message: `sheet '${t.sheet.name}' column '${h}': ${bad} cells could not be read and are NaN`, rows: bad });
    let factor = 1;
    if (r.to.unit && r.parse !== 'datetime' && r.parse !== 'duration') {
      const src = split(h).unit || r.unit || '';
      const f = src ? tryUnitFactor(src, r.to.unit) : 1;
      if (f === null) {
        throw new ParseError({
          file: t.path,
          code: 'bad-header',
          line: t.headerRow + 1,
          column: `${t.sheet.name}:${h}`,
          message: `unit '${src}' cannot be converted to ${r.to.unit}`,
          expected: `a unit of ${r.to.unit}`,
          found: src,
        });
      }
      factor = f;
    }
    factor *= r.scale ?? 1;
    if (factor !== 1) for (let k = 0; k < n; k++) values[k]! *= factor;
    const isCount = r.to.unit === '1' && values.every((v) => Number.isInteger(v));
    columns.push({ name: r.to.name, unit: r.to.unit, values: isCount ? Int32Array.from(values) : values });
  }
  return { columns, warnings, rows: n, headers, matched };
}

/** Replace (or add) a column by name. */
export function setColumn(columns: Column[], c: Column): void {
  const i = columns.findIndex((x) => x.name === c.name);
  if (i >= 0) columns[i] = c;
  else columns.push(c);
}

export function getColumn(columns: readonly Column[], name: string): Column | undefined {
  return columns.find((c) => c.name === name);
}
