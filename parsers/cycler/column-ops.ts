/**
 * Small edits on a column list shared by the text cycler formats: replace/drop a column, derive Unix
 * Time from a date column the shared date reader cannot take, derive Test Time from Unix Time, and
 * stitch per-step counter resets before the record is assembled.
 */
import type { Column, ParseWarning } from '../../src/records/record.js';
import { CYCLER } from '../../src/records/names.js';
import { ParseError } from '../../src/records/errors.js';
import { stitchStepResets } from './cumulative.js';

export function findCol(columns: readonly Column[], name: string): Column | undefined {
  return columns.find((c) => c.name === name);
}

export function numbers(c: Column | undefined): Float64Array | undefined {
  return c && c.values instanceof Float64Array && !c.levels ? c.values : undefined;
}

/** Put `next` in place of the column named `name` (or append it). */
export function setCol(columns: Column[], name: string, next: Column): void {
  const i = columns.findIndex((c) => c.name === name);
  if (i >= 0) columns[i] = next;
  else columns.push(next);
}

export function dropCol(columns: Column[], name: string): void {
  const i = columns.findIndex((c) => c.name === name);
  if (i >= 0) columns.splice(i, 1);
}

/**
 * Unix seconds from a categorical text column (dates are parsed once per distinct string). A cell that
 * does not parse is an error naming its row's line: a wrong clock silently shifts every later stage.
 */
export function unixFromLevels(path: string, c: Column, parse: (s: string) => number, firstDataLine: number): Float64Array {
  const levels = c.levels ?? [];
  const byLevel = levels.map((s) => (s === '' ? NaN : parse(s)));
  const out = new Float64Array(c.values.length);
  for (let i = 0; i < out.length; i++) {
    const k = c.values[i]!;
    const v = byLevel[k]!;
    if (v !== v && levels[k] !== '') {
      throw new ParseError({
        file: path,
        code: 'bad-number',
        line: firstDataLine + i,
        column: c.name,
        message: 'not a date/time',
        expected: 'a date and time',
        found: levels[k],
      });
    }
    out[i] = v;
  }
  return out;
}

/** Test Time from Unix Time when the file has only wall-clock stamps (said in a warning). */
export function ensureTestTime(columns: Column[], warnings: ParseWarning[]): void {
  if (findCol(columns, CYCLER.testTime.name)) return;
  const unix = numbers(findCol(columns, CYCLER.unixTime.name));
  if (!unix || unix.length === 0) return;
  let t0 = NaN;
  for (let i = 0; i < unix.length && t0 !== t0; i++) t0 = unix[i]!;
  const t = new Float64Array(unix.length);
  for (let i = 0; i < t.length; i++) t[i] = unix[i]! - t0;
  columns.push({ name: CYCLER.testTime.name, unit: CYCLER.testTime.unit, values: t });
  warnings.push({ code: 'derived-test-time', message: 'the file has no test-time column: Test Time is Unix Time minus its first value', rows: t.length });
}

/**
 * Charging/Discharging Capacity and Energy become running totals within a cycle (see cumulative.ts).
 * Returns the names of counters the file reset per step and that were stitched, for the record's meta
 * (this is the instrument's normal behaviour, not an oddity, so it is not a warning).
 */
export function stitchCounters(columns: Column[]): string[] {
  const cycle = findCol(columns, CYCLER.cycle.name)?.values;
  const step = (findCol(columns, CYCLER.step.name) ?? findCol(columns, CYCLER.stepIndex.name))?.values;
  const stitched: string[] = [];
  for (const q of [CYCLER.chargeCapacity, CYCLER.dischargeCapacity, CYCLER.chargeEnergy, CYCLER.dischargeEnergy]) {
    const v = numbers(findCol(columns, q.name));
    if (v && stitchStepResets(v, cycle, step) > 0) stitched.push(q.name);
  }
  return stitched;
}
