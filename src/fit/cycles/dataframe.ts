/**
 * Interop: the per-cycle table (typed columns) as a danfojs-node DataFrame, for users who explore in a
 * notebook-like REPL. danfojs-node pulls in TensorFlow.js and takes seconds to load, so it is imported
 * lazily here and nowhere on the pipeline's path.
 */
import type { Column } from '../../records/record.js';
import { columnLabel } from '../../records/record.js';

type DanfoModule = typeof import('danfojs-node');
export type DataFrame = InstanceType<DanfoModule['DataFrame']>;

export interface ToDataFrameOptions {
  /** Column labels: BDF-style `Name / unit` (default) or bare names. */
  readonly labels?: 'name-unit' | 'name';
}

/** Columns → DataFrame. Categorical columns become their level strings; NaN stays NaN. */
export async function columnsToDataFrame(columns: readonly Column[], o: ToDataFrameOptions = {}): Promise<DataFrame> {
  const dfd: DanfoModule = await import('danfojs-node');
  const data: Record<string, (number | string)[]> = {};
  for (const c of columns) {
    const label = o.labels === 'name' ? c.name : columnLabel(c);
    if (label in data) throw new Error(`duplicate column label '${label}' in the table`);
    const levels = c.levels;
    data[label] = levels ? Array.from(c.values, (i) => levels[i] ?? '') : Array.from(c.values);
  }
  return new dfd.DataFrame(data);
}
