/**
 * A spreadsheet layout: one vendor's export workbook. `match` scores a workbook from its sheet names and
 * header rows; `toRecords` maps it to canonical cycler records. The `cycler-spreadsheet` parser picks
 * the best-scoring layout (sniffing cannot: an .xlsx keeps sheet names in a compressed member).
 */
import type { Column, ParsedRecord, ParseWarning } from '../../../src/records/record.js';
import { CYCLER } from '../../../src/records/names.js';
import type { Workbook } from './workbook.js';

export interface SpreadsheetLayout {
  readonly id: string;
  readonly title: string;
  match(wb: Workbook): number;
  toRecords(path: string, wb: Workbook): ParsedRecord[];
}

export type StepDirection = 'charge' | 'discharge' | 'rest';

/**
 * Charging/Discharging Capacity (or Energy) from a step-scoped unsigned quantity and the step type:
 * the value counts as charge in charge steps, discharge in discharge steps, and 0 elsewhere.
 */
export function splitByStepType(
  stepQuantity: Float64Array,
  stepType: Column,
  direction: (level: string) => StepDirection | undefined,
  warnings: ParseWarning[],
): [Float64Array, Float64Array] {
  const levels = stepType.levels ?? [];
  const dir = levels.map((l) => direction(l));
  const unknown = levels.filter((_, i) => dir[i] === undefined);
  if (unknown.length) {
    warnings.push({
      code: 'unknown-step-type',
      message: `step types ${unknown.map((u) => `'${u}'`).join(', ')} are neither charge, discharge nor rest; their capacity is not split`,
    });
  }
  const chg = new Float64Array(stepQuantity.length);
  const dchg = new Float64Array(stepQuantity.length);
  for (let i = 0; i < stepQuantity.length; i++) {
    const d = dir[stepType.values[i]!];
    const v = Math.abs(stepQuantity[i]!);
    if (d === 'charge') chg[i] = v;
    else if (d === 'discharge') dchg[i] = v;
  }
  return [chg, dchg];
}

/** 1-based counter that increments whenever any of the keys changes. */
export function countChangesOf(...keys: ArrayLike<number>[]): Int32Array {
  const n = keys[0]?.length ?? 0;
  const out = new Int32Array(n);
  let c = 0;
  for (let i = 0; i < n; i++) {
    if (i === 0 || keys.some((k) => k[i] !== k[i - 1])) c++;
    out[i] = c;
  }
  return out;
}

export const STEP_ENERGY = { name: 'Step Energy', unit: 'Wh' } as const;
export { CYCLER };
