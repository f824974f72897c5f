/**
 * Table exports beside report.html: the per-cell parameters (from the report document) and the
 * per-cycle tables (from the store, fit tables `cycles`), as one workbook `tables.xlsx` (sheets
 * `parameters`, `cycles`) and as `parameters.csv` / `cycles.csv`. Every file is written atomically.
 *
 * Only writing XLSX here (reading untrusted workbooks is what is risky), with our own small writer
 * (xlsx-write.ts: SheetJS took ~0.5 s per refresh for a long per-cycle sheet). Text cells that a
 * spreadsheet would run as a formula (leading = + - @ tab CR) are prefixed with ' in the CSV; in the
 * XLSX they are inline string cells, which are never evaluated. Tables whose CSVs on disk are already
 * these exact tables are not rewritten.
 */
import { join } from 'node:path';
import { readFile } from 'node:fs/promises';
import { writeXlsx } from './xlsx-write.js';
import { work } from '../records/work.js';
import { existsSync } from 'node:fs';
import type { CampaignReport } from './types.js';
import type { CampaignStore } from '../store/store.js';
import { writeAtomic } from '../io/atomic.js';
import { groupLookup, readFitTables } from './plots/data.js';

export type Cell = string | number | boolean | null;

export interface ExportTable {
  /** Sheet / file stem. */
  readonly name: string;
  readonly header: readonly string[];
  readonly rows: readonly (readonly Cell[])[];
}

export interface WrittenTables {
  readonly xlsx: string;
  readonly csv: readonly string[];
}

const num = (v: number | null | undefined): number | null => (v === null || v === undefined || !Number.isFinite(v) ? null : v);

/** The report's per-cell parameters as one table. Pure. */
export function parametersTable(report: CampaignReport): ExportTable {
  return {
    name: 'parameters',
    header: [
      'cell',
      'group',
      'parameter',
      'value',
      'unit',
      'stderr',
      'ci95_low',
      'ci95_high',
      'censored',
      'n',
      'fitter',
      'fit_ok',
      'sources',
      'status',
      'provenance',
      'source_files',
    ],
    rows: report.parameters.map((p) => [
      p.cell,
      p.group,
      p.name,
      num(p.value),
      p.unit,
      num(p.stderr),
      num(p.ci95?.[0]),
      num(p.ci95?.[1]),
      p.censored,
      p.n,
      p.fitter,
      p.fitOk,
      p.sources.join(' '),
      p.status ?? 'fitted',
      p.provenance ?? null,
      (p.sourceFiles ?? []).join(' '),
    ]),
  };
}

/** All stored per-cycle tables stacked in long form (one row per cycle per record). */
export async function cyclesTable(report: CampaignReport, store: CampaignStore): Promise<ExportTable | null> {
  const tables = await readFitTables(store, 'cycles');
  if (!tables.length) return null;
  const group = groupLookup(report);
  const labels: string[] = [];
  for (const t of tables)
    for (const c of t.columns) {
      const l = c.unit ? `${c.name} / ${c.unit}` : c.name;
      if (!labels.includes(l)) labels.push(l);
    }
  const rows: Cell[][] = [];
  for (const t of tables) {
    const n = Math.max(0, ...t.columns.map((c) => c.values.length));
    const at = new Map(t.columns.map((c) => [c.unit ? `${c.name} / ${c.unit}` : c.name, c.values]));
    const cols = labels.map((l) => at.get(l));
    const g = group(t.cellId);
    // A 4,000-cycle log is 100,000 cells: one pass over the columns, no per-cell lookups.
    for (let i = 0; i < n; i++) {
      const row: Cell[] = [t.cellId, g, t.path, t.recordId];
      for (const c of cols) row.push(num(c?.[i]));
      rows.push(row);
    }
  }
  return { name: 'cycles', header: ['cell', 'group', 'file', 'record', ...labels], rows };
}

function csvCell(v: Cell): string {
  if (v === null) return '';
  if (typeof v === 'number') return Number.isFinite(v) ? String(v) : '';
  if (typeof v === 'boolean') return v ? 'true' : 'false';
  const s = /^[=+\-@\t\r]/.test(v) ? `'${v}` : v;
  return /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/** RFC 4180 CSV (CRLF line ends, header row). Pure. */
export function toCsv(t: ExportTable): string {
  return [t.header, ...t.rows].map((r) => r.map(csvCell).join(',')).join('\r\n') + '\r\n';
}

/** One XLSX workbook, a sheet per table (header row first). Pure. */
export function toXlsx(tables: readonly ExportTable[]): Uint8Array {
  return writeXlsx(tables.map((t) => ({ name: t.name, rows: [t.header, ...t.rows] })));
}

/** Write tables.xlsx and one CSV per table into `outDir` (beside report.html). */
export async function writeTables(outDir: string, report: CampaignReport, store?: CampaignStore): Promise<WrittenTables> {
  const tables: ExportTable[] = [parametersTable(report)];
  if (store) {
    const cycles = await cyclesTable(report, store);
    if (cycles) tables.push(cycles);
  }
  const xlsx = join(outDir, 'tables.xlsx');
  const csv = tables.map((t) => ({ path: join(outDir, `${t.name}.csv`), text: toCsv(t) }));
  // The CSVs on disk are these tables exactly (written after the workbook): nothing to rewrite.
  // (A table that is gone, its CSV still there: the workbook has its sheet, so it is rewritten.)
  const gone = ['parameters', 'cycles'].filter((n) => !tables.some((t) => t.name === n)).some((n) => existsSync(join(outDir, `${n}.csv`)));
  const same =
    !gone &&
    existsSync(xlsx) &&
    (
      await Promise.all(
        csv.map((c) =>
          readFile(c.path, 'utf8').then(
            (x) => x === c.text,
            () => false,
          ),
        ),
      )
    ).every(Boolean);
  if (!same) {
    await writeAtomic(xlsx, toXlsx(tables));
    work.workbooksWritten++;
    for (const c of csv) await writeAtomic(c.path, c.text);
  }
  return { xlsx, csv: csv.map((c) => c.path) };
}
