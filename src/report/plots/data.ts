/**
 * Helpers of the plots over what the store's reads return (src/store/reads.ts).
 */
import type { CampaignReport } from '../types.js';
import type { Column } from '../../records/record.js';

export {
  decodeTableColumns,
  readFitTables,
  readFits,
  readParameters,
  readRecords,
  type StoredFitRow,
  type StoredParameter,
  type StoredRecordRow,
  type StoredTable,
} from '../../store/reads.js';

/** cell id → group, from the report's cells (manifest), then its parameters. */
export function groupLookup(report: CampaignReport): (cell: string | null) => string {
  const m = new Map<string, string>();
  for (const p of report.parameters) if (p.group) m.set(p.cell, p.group);
  for (const c of report.cells) m.set(c.id, c.group);
  return (cell) => (cell === null ? 'no cell' : (m.get(cell) ?? 'no group'));
}

/** First column whose name matches one of `names` (case-insensitive, exact), in the order given. */
export function pick(cols: readonly Column[], names: readonly string[]): Column | undefined {
  for (const n of names) {
    const c = cols.find((x) => x.name.toLowerCase() === n.toLowerCase());
    if (c) return c;
  }
  return undefined;
}
