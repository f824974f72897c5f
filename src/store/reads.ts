/**
 * Read-only queries the report, the plots and the live page need from the campaign store. Every reader returns [] when the
 * data is not there; none of them invents a value.
 *
 * Fit-table columns carry their dtype (schema v2); for a column without one the dtype is inferred
 * from the table's row count (the longest column in 8-byte values): 8·n bytes → f64, 4·n → i32.
 */
import type { CampaignStore } from './store.js';
import type { Column, NumericArray } from '../records/record.js';

export interface StoredTable {
  readonly recordId: string;
  readonly cellId: string | null;
  readonly fitter: string;
  readonly path: string;
  readonly columns: readonly Column[];
}

export interface StoredRecordRow {
  readonly recordId: string;
  readonly path: string;
  readonly cellId: string | null;
  readonly kind: string;
  readonly meta: Record<string, unknown>;
}

function bytesOf(v: unknown): Uint8Array | null {
  if (v instanceof Uint8Array) return v;
  if (v && typeof v === 'object' && 'bytes' in v && (v as { bytes: unknown }).bytes instanceof Uint8Array) return (v as { bytes: Uint8Array }).bytes;
  return null;
}

/** Decode the columns of one stored table, inferring f64 / i32 from the row count. Pure. */
export function decodeTableColumns(cols: readonly { name: string; unit: string; data: Uint8Array; dtype?: string | null }[]): Column[] {
  const n = Math.max(0, ...cols.filter((c) => c.data.byteLength % 8 === 0).map((c) => c.data.byteLength / 8));
  const out: Column[] = [];
  for (const c of cols) {
    const buf = c.data.buffer.slice(c.data.byteOffset, c.data.byteOffset + c.data.byteLength);
    let values: NumericArray;
    if (c.dtype === 'i32') values = new Int32Array(buf);
    else if (c.dtype === 'f64') values = new Float64Array(buf);
    else if (c.data.byteLength === 8 * n) values = new Float64Array(buf);
    else if (c.data.byteLength === 4 * n) values = new Int32Array(buf);
    else continue; // unknown layout: leave the column out rather than guess
    out.push({ name: c.name, unit: c.unit, values });
  }
  return out;
}

/** Every stored fit table called `table` (optionally only from fitters matching `fitterLike`, SQL LIKE). */
export async function readFitTables(store: CampaignStore, table: string, fitterLike = '%'): Promise<StoredTable[]> {
  const rows = await store.query(
    `SELECT t.record_id, t.cell_id, t.fitter, t.col_index, t.name, t.unit, t.dtype, t.data, r.path
     FROM fit_tables t LEFT JOIN records r USING (record_id)
     WHERE t.table_name = $1 AND t.fitter LIKE $2
     ORDER BY r.path, t.record_id, t.fitter, t.col_index`,
    [table, fitterLike],
  );
  const byKey = new Map<
    string,
    { recordId: string; cellId: string | null; fitter: string; path: string; cols: { name: string; unit: string; data: Uint8Array; dtype: string | null }[] }
  >();
  for (const r of rows) {
    const key = `${r.record_id}\u0000${r.fitter}`;
    let t = byKey.get(key);
    if (!t) {
      t = {
        recordId: String(r.record_id),
        cellId: (r.cell_id as string | null) ?? null,
        fitter: String(r.fitter),
        path: String(r.path ?? r.record_id),
        cols: [],
      };
      byKey.set(key, t);
    }
    const data = bytesOf(r.data);
    if (data) t.cols.push({ name: String(r.name), unit: String(r.unit ?? ''), data, dtype: (r.dtype as string | null) ?? null });
  }
  return [...byKey.values()].map((t) => ({ recordId: t.recordId, cellId: t.cellId, fitter: t.fitter, path: t.path, columns: decodeTableColumns(t.cols) }));
}

export async function readRecords(store: CampaignStore, kind: string): Promise<StoredRecordRow[]> {
  const rows = await store.query(`SELECT record_id, path, cell_id, kind, meta FROM records WHERE kind = $1 ORDER BY path, record_index`, [kind]);
  return rows.map((r) => {
    let meta: Record<string, unknown> = {};
    try {
      const m = JSON.parse(String(r.meta ?? 'null')) as unknown;
      if (m && typeof m === 'object') meta = m as Record<string, unknown>;
    } catch {
      /* meta unreadable: plot without it */
    }
    return { recordId: String(r.record_id), path: String(r.path), cellId: (r.cell_id as string | null) ?? null, kind: String(r.kind), meta };
  });
}

export interface StoredParameter {
  readonly recordId: string;
  readonly cellId: string | null;
  readonly fitter: string;
  readonly name: string;
  readonly value: number | null;
  readonly unit: string;
  readonly stderr: number | null;
  readonly scope: string | null;
  readonly fitOk: boolean;
}

/** Per-record parameters (not the per-cell means of the report). */
export async function readParameters(store: CampaignStore, names: readonly string[]): Promise<StoredParameter[]> {
  if (!names.length) return [];
  const rows = await store.query(
    `SELECT record_id, cell_id, fitter, name, value, unit, stderr, scope, fit_ok FROM parameters WHERE name IN (${names.map((_, i) => `$${i + 1}`).join(',')}) ORDER BY record_id`,
    [...names],
  );
  const num = (v: unknown): number | null => (v === null || v === undefined ? null : Number(v));
  return rows.map((r) => ({
    recordId: String(r.record_id),
    cellId: (r.cell_id as string | null) ?? null,
    fitter: String(r.fitter),
    name: String(r.name),
    value: num(r.value),
    unit: String(r.unit ?? ''),
    stderr: num(r.stderr),
    scope: (r.scope as string | null) ?? null,
    fitOk: Boolean(r.fit_ok),
  }));
}

export interface StoredFitRow {
  readonly recordId: string;
  readonly fitter: string;
  readonly ok: boolean;
  readonly metrics: Record<string, unknown>;
  readonly options: Record<string, unknown>;
}

export async function readFits(store: CampaignStore, fitterLike: string): Promise<StoredFitRow[]> {
  const rows = await store.query(`SELECT record_id, fitter, ok, metrics, options FROM fits WHERE fitter LIKE $1`, [fitterLike]);
  const obj = (s: unknown): Record<string, unknown> => {
    try {
      const v = JSON.parse(String(s ?? 'null')) as unknown;
      return v && typeof v === 'object' ? (v as Record<string, unknown>) : {};
    } catch {
      return {};
    }
  };
  return rows.map((r) => ({ recordId: String(r.record_id), fitter: String(r.fitter), ok: Boolean(r.ok), metrics: obj(r.metrics), options: obj(r.options) }));
}
