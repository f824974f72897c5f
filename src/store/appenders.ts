/**
 * Rows written with DuckDB appenders: one appender per table for a whole group of files, flushed once
 * (an INSERT statement costs ≈ 1–2 ms of parse, plan and execute per row; an appended row microseconds).
 * The writers here know each table's column order (src/store/schema.ts); the store decides what to write.
 * Appended rows join the connection's open transaction: a rollback drops them too.
 */
import { DuckDBTimestampValue, type DuckDBAppender, type DuckDBConnection } from '@duckdb/node-api';
import type { CanonicalRecord } from '../records/record.js';
import { rowCount } from '../records/record.js';
import { columnToBlob, dtypeOf } from './columns.js';
import type { FileRow, StoredFit } from './store.js';

export const json = (v: unknown): string => JSON.stringify(v ?? null, (_k, x) => (typeof x === 'number' && !Number.isFinite(x) ? String(x) : x));

/** DuckDB DOUBLE cannot hold ±Infinity/NaN from JS here: stored as NULL (the JSON columns keep the text). */
export function dbl(v: number | null | undefined): number | null {
  return v === null || v === undefined || !Number.isFinite(v) ? null : v;
}

/** Appenders opened on first use, one per table, closed together by `flush`. */
export class TableAppenders {
  private readonly open = new Map<string, DuckDBAppender>();

  constructor(private readonly db: DuckDBConnection) {}

  async table(name: string): Promise<DuckDBAppender> {
    let a = this.open.get(name);
    if (!a) {
      a = await this.db.createAppender(name);
      this.open.set(name, a);
    }
    return a;
  }

  /** Write every appended row into the open transaction (a constraint violation throws here). */
  flush(): void {
    try {
      for (const a of this.open.values()) a.flushSync();
    } finally {
      for (const a of this.open.values()) a.closeSync();
      this.open.clear();
    }
  }
}

function varchar(a: DuckDBAppender, v: string | null | undefined): void {
  if (v === null || v === undefined) a.appendNull();
  else a.appendVarchar(v);
}

function double(a: DuckDBAppender, v: number | null | undefined): void {
  const d = dbl(v);
  if (d === null) a.appendNull();
  else a.appendDouble(d);
}

function bigint(a: DuckDBAppender, v: number | null | undefined): void {
  if (v === null || v === undefined || !Number.isFinite(v) || Math.abs(v) >= 2 ** 63) a.appendNull();
  else a.appendBigInt(BigInt(Math.trunc(v)));
}

function integer(a: DuckDBAppender, v: number | null | undefined): void {
  if (v === null || v === undefined || !Number.isFinite(v)) a.appendNull();
  else a.appendInteger(v);
}

function boolean(a: DuckDBAppender, v: boolean | null | undefined): void {
  if (v === null || v === undefined) a.appendNull();
  else a.appendBoolean(v);
}

/** One row of `files` (processed_at: now). */
export async function appendFileRow(apps: TableAppenders, f: FileRow): Promise<void> {
  const a = await apps.table('files');
  varchar(a, f.path);
  varchar(a, f.sha256);
  bigint(a, f.size);
  double(a, f.mtimeMs);
  varchar(a, f.status);
  varchar(a, f.format);
  varchar(a, f.kind);
  varchar(a, f.format); // parser
  varchar(a, f.parserVersion);
  varchar(a, f.cellId);
  integer(a, f.records);
  bigint(a, f.rows);
  varchar(a, json(f.warnings));
  varchar(a, f.errorType);
  varchar(a, f.errorMessage);
  integer(a, f.errorLine);
  bigint(a, f.errorOffset);
  varchar(a, f.duplicateOf);
  varchar(a, f.companionOf ?? null);
  varchar(a, f.companionFields ? json(f.companionFields) : null);
  a.appendTimestamp(new DuckDBTimestampValue(BigInt(Date.now()) * 1000n));
  a.endRow();
}

/** One row of `records`, and its columns in `record_columns` when `withColumns`. */
export async function appendRecordRows(
  apps: TableAppenders,
  id: string,
  path: string,
  cellId: string | null,
  r: CanonicalRecord,
  withColumns: boolean,
): Promise<void> {
  const a = await apps.table('records');
  varchar(a, id);
  varchar(a, path);
  varchar(a, r.provenance.sha256);
  integer(a, r.provenance.recordIndex);
  varchar(a, r.kind);
  varchar(a, r.format);
  varchar(a, cellId);
  bigint(a, rowCount(r));
  varchar(a, json(r.meta));
  varchar(a, json(r.columns.map((c) => ({ name: c.name, unit: c.unit }))));
  varchar(a, json(r.warnings));
  boolean(a, withColumns);
  a.endRow();
  if (!withColumns) return;
  const c = await apps.table('record_columns');
  r.columns.forEach((col, i) => {
    varchar(c, id);
    integer(c, i);
    varchar(c, col.name);
    varchar(c, col.unit);
    varchar(c, dtypeOf(col.values));
    varchar(c, col.levels ? json(col.levels) : null);
    c.appendBlob(columnToBlob(col.values));
    c.endRow();
  });
}

/** A fit's row in `fits`, its parameters and its tables. */
export async function appendFitRows(apps: TableAppenders, f: StoredFit): Promise<void> {
  const o = f.outcome;
  const a = await apps.table('fits');
  varchar(a, f.recordId);
  varchar(a, f.cellId);
  varchar(a, o.fitter);
  varchar(a, o.fitterVersion);
  boolean(a, o.quality.ok);
  varchar(a, json(o.quality.metrics));
  varchar(a, json(o.quality.messages));
  varchar(a, json(o.options ?? {}));
  a.endRow();
  if (o.parameters.length) {
    const p = await apps.table('parameters');
    for (const x of o.parameters) {
      const notIdentifiable = x.stderr !== undefined && !Number.isFinite(x.stderr);
      const note = notIdentifiable ? [x.note, `stderr ${x.stderr} (not identifiable)`].filter(Boolean).join('; ') : (x.note ?? null);
      varchar(p, f.recordId);
      varchar(p, f.cellId);
      varchar(p, o.fitter);
      varchar(p, x.name);
      double(p, x.value);
      varchar(p, x.unit);
      double(p, x.stderr);
      double(p, x.ci95?.[0]);
      double(p, x.ci95?.[1]);
      boolean(p, x.censored);
      varchar(p, x.scope);
      varchar(p, note);
      boolean(p, o.quality.ok);
      varchar(p, x.flags?.includes('non-identifiable') || notIdentifiable ? 'not identifiable' : 'fitted');
      p.endRow();
    }
  }
  const tables = Object.entries(o.tables ?? {});
  if (tables.length) {
    const t = await apps.table('fit_tables');
    for (const [name, cols] of tables) {
      cols.forEach((c, i) => {
        varchar(t, f.recordId);
        varchar(t, f.cellId);
        varchar(t, o.fitter);
        varchar(t, name);
        integer(t, i);
        varchar(t, c.name);
        varchar(t, c.unit);
        varchar(t, dtypeOf(c.values));
        t.appendBlob(columnToBlob(c.values));
        t.endRow();
      });
    }
  }
}
