/**
 * The campaign store: one DuckDB file. Incremental by content: a file whose size and mtime are
 * unchanged is not even read; one whose SHA-256 is unchanged is not re-parsed; a changed file's old
 * records, fits and parameters are replaced in one transaction, so a crash leaves either the old or
 * the new state, never a mix.
 */
import { mkdir, rename, rm } from 'node:fs/promises';
import { dirname } from 'node:path';
import { DuckDBInstance, DOUBLE, VARCHAR, type DuckDBConnection, type DuckDBValue } from '@duckdb/node-api';
import { SCHEMA_SQL, SCHEMA_VERSION, EXPORT_TABLES, ALL_TABLES } from './schema.js';
import { blobToColumn } from './columns.js';
import { TableAppenders, appendFileRow, appendFitRows, appendRecordRows, dbl, json } from './appenders.js';
import type { CanonicalRecord, Column } from '../records/record.js';
import type { FitOutcome } from '../fit/types.js';
import { DEFAULT_SETTINGS } from '../settings.js';

export interface FileRow {
  path: string;
  sha256: string | null;
  size: number;
  mtimeMs: number;
  status: 'parsed' | 'failed' | 'duplicate' | 'sidecar';
  format: string | null;
  parserVersion: string | null;
  kind: string | null;
  cellId: string | null;
  records: number;
  rows: number;
  warnings: unknown[];
  errorType: string | null;
  errorMessage: string | null;
  errorLine: number | null;
  errorOffset: number | null;
  duplicateOf: string | null;
  /** Sidecar rows: the data file this metadata companion belongs to, and the fields read from it. */
  companionOf?: string | null;
  companionFields?: Record<string, unknown> | null;
  /** The file left the folder; its results are kept (`removed_sources`) until `--prune`. */
  sourceRemoved?: boolean;
}

/** A metadata companion to store (parsers/companions.ts). */
export interface SidecarFile {
  readonly path: string;
  readonly sha256: string;
  readonly size: number;
  readonly mtimeMs: number;
  readonly cellId: string | null;
  /** Companion rule id and version (stored as format / parser version). */
  readonly rule: string;
  readonly ruleVersion: string;
  /** The data file it belongs to (whether or not that file is there yet). */
  readonly companionOf: string | null;
  readonly fields: Record<string, unknown>;
  readonly warnings: readonly { code: string; message: string }[];
}

/** Warning code of a companion whose data file is not in the folder. */
export const COMPANION_DATA_MISSING = 'companion-data-missing';

export function companionMissingWarning(dataPath: string | null): { code: string; message: string } {
  return {
    code: COMPANION_DATA_MISSING,
    message: dataPath
      ? `metadata companion of ${dataPath}, which is not in the folder: its fields are attached when that file arrives`
      : 'metadata companion whose data file cannot be named from its file name: its fields are attached to nothing',
  };
}

/** One parsed file to store: its row, records, fits, and the paths a metadata companion of it may have. */
export interface ParsedFile {
  readonly file: Omit<FileRow, 'status' | 'errorType' | 'errorMessage' | 'errorLine' | 'errorOffset' | 'duplicateOf'>;
  readonly records: readonly CanonicalRecord[];
  readonly fits: readonly StoredFit[];
  readonly companionPaths?: readonly string[];
}

export interface StoredFit {
  readonly recordId: string;
  readonly cellId: string | null;
  readonly outcome: FitOutcome;
}

export interface StoreOptions {
  /**
   * Records whose columns exceed this many bytes are not copied into the store (a long cycler log would
   * double the campaign on disk and dominate write time); their parameters and derived tables are stored,
   * and the columns are re-read from the file — whose SHA-256 is checked — when a re-fit needs them.
   * @default DEFAULT_SETTINGS.storeRawBytes (16 MB; `storeRawBytes` in src/settings.ts)
   */
  readonly maxStoredRecordBytes?: number;
}

export function recordId(sha: string, index: number): string {
  return `${sha.slice(0, 16)}:${index}`;
}

function num(v: unknown): number {
  return typeof v === 'bigint' ? Number(v) : (v as number);
}

/** The store file is held by another process (DuckDB allows one writer): a message for the user, not a crash. */
export class StoreInUseError extends Error {
  override readonly name = 'StoreInUseError';
}

export class CampaignStore {
  private constructor(
    private readonly instance: DuckDBInstance,
    private readonly db: DuckDBConnection,
    readonly path: string,
    private readonly maxStoredRecordBytes: number,
  ) {}

  static async open(path: string, o: StoreOptions = {}): Promise<CampaignStore> {
    await mkdir(dirname(path), { recursive: true });
    let instance: DuckDBInstance;
    try {
      instance = await DuckDBInstance.create(path);
    } catch (e) {
      const m = (e as Error).message;
      if (/lock/i.test(m))
        throw new StoreInUseError(
          `the store ${path} is in use by another Interphase process (a running watch or batch); stop it, or read the report it writes, or use another --out`,
        );
      throw e;
    }
    const db = await instance.connect();
    // Column BLOBs share a few row groups, and every checkpoint rewrites the open row group: with the
    // default 16 MB threshold a campaign checkpointed after every other file and the cost grew with the
    // store (quadratic overall). Checkpoint rarely; the WAL keeps every commit durable meanwhile.
    await db.run(`SET checkpoint_threshold = '2GB'`);
    await db.run(`CREATE TABLE IF NOT EXISTS store_info (key VARCHAR PRIMARY KEY, value VARCHAR)`);
    const v = (await db.runAndReadAll(`SELECT value FROM store_info WHERE key = 'schema_version'`)).getRowObjectsJS()[0]?.value;
    if (v !== undefined && v !== String(SCHEMA_VERSION)) {
      // A store written by another version: it is a cache of the campaign's files, so rebuild it.
      for (const t of ALL_TABLES) await db.run(`DROP TABLE IF EXISTS ${t}`);
    }
    // comments are dropped first: a ';' inside a comment must not split a statement
    for (const stmt of SCHEMA_SQL.replace(/--[^\n]*/g, '')
      .split(';')
      .map((s) => s.trim())
      .filter(Boolean))
      await db.run(stmt);
    await db.run(`INSERT OR REPLACE INTO store_info VALUES ('schema_version', $1)`, [String(SCHEMA_VERSION)]);
    await db.run(`INSERT OR IGNORE INTO store_info VALUES ('generation', '0')`);
    return new CampaignStore(instance, db, path, o.maxStoredRecordBytes ?? DEFAULT_SETTINGS.storeRawBytes);
  }

  close(): void {
    this.db.closeSync();
    this.instance.closeSync();
  }

  /**
   * A consistent copy of the store at `dest` for other processes to read while this one holds the
   * file (DuckDB allows one process at a time). DuckDB itself writes the copy (ATTACH + COPY FROM
   * DATABASE): opening the store file with fs here would drop this process's POSIX lock on it the moment
   * that descriptor closed, and let a second writer in. Call it between writes (the watcher runs it on its queue).
   */
  async snapshot(dest: string): Promise<void> {
    const tmp = `${dest}.${process.pid}.tmp`;
    await rm(tmp, { force: true });
    await rm(`${tmp}.wal`, { force: true });
    const name = String((await this.query('SELECT current_database() AS d'))[0]!.d).replace(/"/g, '""');
    await this.db.run(`ATTACH '${tmp.replace(/'/g, "''")}' AS ip_snapshot`);
    try {
      await this.db.run(`COPY FROM DATABASE "${name}" TO ip_snapshot`);
      await this.db.run('CHECKPOINT ip_snapshot');
    } finally {
      await this.db.run('DETACH ip_snapshot');
    }
    await rename(tmp, dest);
  }

  async query(sql: string, params: DuckDBValue[] = []): Promise<Record<string, unknown>[]> {
    const r = await this.db.runAndReadAll(sql, params);
    return r.getRowObjectsJS() as Record<string, unknown>[];
  }

  async fileRow(path: string): Promise<FileRow | null> {
    const rows = await this.query(`SELECT f.*, r.removed_at FROM files f LEFT JOIN removed_sources r ON r.path = f.path WHERE f.path = $1`, [path]);
    return rows[0] ? toFileRow(rows[0]) : null;
  }

  async allFiles(): Promise<FileRow[]> {
    return (await this.query(`SELECT f.*, r.removed_at FROM files f LEFT JOIN removed_sources r ON r.path = f.path ORDER BY f.path`)).map(toFileRow);
  }

  /**
   * A file that left the folder, kept (issue #18): its rows, records, fits and parameters stay and the
   * report marks it "source removed"; its companions are warned that their data file is gone. A file
   * with the same bytes stored later (a rename, a promoted duplicate) replaces it; `removeFile` forgets it.
   */
  async markRemoved(path: string): Promise<void> {
    await this.inTransaction(async () => {
      await this.db.run(`INSERT OR REPLACE INTO removed_sources VALUES ($1, now())`, [path]);
      for (const s of await this.query(`SELECT path, warnings FROM files WHERE status = 'sidecar' AND companion_of = $1`, [path])) {
        const w = (s.warnings ? JSON.parse(s.warnings as string) : []) as { code?: string }[];
        if (w.some((x) => x.code === COMPANION_DATA_MISSING)) continue;
        await this.db.run(`UPDATE files SET warnings = $2 WHERE path = $1`, [s.path as string, json([...w, companionMissingWarning(path)])]);
      }
    });
  }

  /** Paths whose source left the folder (kept results). */
  async removedPaths(): Promise<string[]> {
    return (await this.query(`SELECT path FROM removed_sources ORDER BY path`)).map((r) => r.path as string);
  }

  /** Parsed paths (source present) holding each of these hashes, ascending: which stored file a new one is a copy of. */
  async parsedPathsByHash(hashes: readonly string[]): Promise<Map<string, string[]>> {
    const out = new Map<string, string[]>();
    const unique = [...new Set(hashes)];
    if (!unique.length) return out;
    const rows = await this.query(
      `SELECT sha256, path FROM files WHERE sha256 IN (${unique.map((_, i) => `$${i + 1}`).join(',')}) AND status = 'parsed' AND path NOT IN (SELECT path FROM removed_sources) ORDER BY path`,
      unique,
    );
    for (const r of rows) {
      const list = out.get(r.sha256 as string) ?? [];
      list.push(r.path as string);
      out.set(r.sha256 as string, list);
    }
    return out;
  }

  /** Same bytes as last time, only the mtime moved: remember the new mtime, parse nothing. */
  async touchFile(path: string, mtimeMs: number, cellId: string | null): Promise<void> {
    const before = await this.fileRow(path);
    if (before && (before.cellId !== cellId || before.sourceRemoved))
      await this.db.run(`UPDATE store_info SET value = CAST(CAST(value AS BIGINT) + 1 AS VARCHAR) WHERE key = 'generation'`);
    if (before?.sourceRemoved) await this.db.run(`DELETE FROM removed_sources WHERE path = $1`, [path]); // it came back
    await this.db.run(`UPDATE files SET mtime_ms = $2, cell_id = $3 WHERE path = $1`, [path, dbl(mtimeMs), cellId], [VARCHAR, DOUBLE, VARCHAR]);
    await this.db.run(`UPDATE records SET cell_id = $2 WHERE path = $1`, [path, cellId]);
    await this.db.run(`UPDATE fits SET cell_id = $2 WHERE record_id IN (SELECT record_id FROM records WHERE path = $1)`, [path, cellId]);
    await this.db.run(`UPDATE parameters SET cell_id = $2 WHERE record_id IN (SELECT record_id FROM records WHERE path = $1)`, [path, cellId]);
  }

  private async deleteFileContent(path: string): Promise<void> {
    // A path never stored has nothing to delete: skip the scans (they grow with the store).
    const known = await this.db.runAndReadAll(`SELECT 1 FROM files WHERE path = $1`, [path]);
    if (known.currentRowCount === 0) return;
    const ids = (await this.db.runAndReadAll(`SELECT record_id FROM records WHERE path = $1`, [path])).getRowObjectsJS().map((r) => r.record_id as string);
    if (ids.length) {
      const list = ids.map((_, i) => `$${i + 1}`).join(',');
      for (const t of ['record_columns', 'fits', 'parameters', 'fit_tables', 'derived']) {
        await this.db.run(`DELETE FROM ${t} WHERE record_id IN (${list})`, ids);
      }
    }
    await this.db.run(`DELETE FROM records WHERE path = $1`, [path]);
    await this.db.run(`DELETE FROM files WHERE path = $1`, [path]);
    await this.db.run(`DELETE FROM removed_sources WHERE path = $1`, [path]);
  }

  /**
   * Counts changes to files, records and fits (not verdicts): a report built at generation g is
   * still current while the generation is g and the manifest is unchanged.
   */
  async generation(): Promise<number> {
    const r = await this.query(`SELECT value FROM store_info WHERE key = 'generation'`);
    return Number(r[0]?.value ?? 0);
  }

  private async inTransaction(fn: () => Promise<void>, changesData = true): Promise<void> {
    await this.db.run('BEGIN TRANSACTION');
    try {
      await fn();
      if (changesData) await this.db.run(`UPDATE store_info SET value = CAST(CAST(value AS BIGINT) + 1 AS VARCHAR) WHERE key = 'generation'`);
      await this.db.run('COMMIT');
    } catch (e) {
      await this.db.run('ROLLBACK');
      throw e;
    }
  }

  /**
   * Replace everything stored for `file.path` with these records and fits, atomically. A metadata
   * companion already stored under one of `companionPaths` (it arrived first) is attached: its fields
   * go into each record's `meta.sidecar`, and it now names this file as its data file.
   */
  async replaceParsed(
    file: ParsedFile['file'],
    records: readonly CanonicalRecord[],
    fits: readonly StoredFit[],
    companionPaths: readonly string[] = [],
  ): Promise<void> {
    await this.replaceParsedMany([{ file, records, fits, companionPaths }]);
  }

  /**
   * `replaceParsed` for a group of files (distinct paths) in one transaction, their rows appended
   * together: what a batch stores while its workers parse the next files. Same rows as one call each.
   */
  async replaceParsedMany(items: readonly ParsedFile[]): Promise<void> {
    if (!items.length) return;
    const paths = items.map((i) => i.file.path);
    const hashes = [...new Set(items.map((i) => i.file.sha256))];
    await this.inTransaction(async () => {
      for (const p of await this.storedAmong(paths)) await this.deleteFileContent(p);
      // A removed file with one of these bytes (renamed, or a duplicate promoted in its place): replaced.
      const removed = await this.query(
        `SELECT path FROM removed_sources WHERE path IN (SELECT path FROM files WHERE sha256 IN (${hashes.map((_, i) => `$${i + 1}`).join(',')}))`,
        hashes,
      );
      const own = new Set(paths);
      for (const r of removed) if (!own.has(r.path as string)) await this.deleteFileContent(r.path as string);
      const apps = new TableAppenders(this.db);
      for (const { file } of items)
        await appendFileRow(apps, { ...file, status: 'parsed', errorType: null, errorMessage: null, errorLine: null, errorOffset: null, duplicateOf: null });
      apps.flush();
      // Companions: one query finds whether any is waiting for these files; each is claimed as before.
      const waiting = await this.companionsWaiting(items);
      for (const { file, records, fits, companionPaths } of items) {
        const sidecar = waiting.has(file.path) ? await this.claimCompanion(file.path, companionPaths ?? []) : null;
        for (const r of records) {
          const rec = sidecar ? { ...r, meta: { ...r.meta, sidecar } } : r;
          const bytes = r.columns.reduce((n, c) => n + c.values.byteLength, 0);
          await appendRecordRows(
            apps,
            recordId(r.provenance.sha256, r.provenance.recordIndex),
            file.path,
            file.cellId,
            rec,
            bytes <= this.maxStoredRecordBytes,
          );
        }
        for (const f of fits) await appendFitRows(apps, f);
      }
      apps.flush();
    });
  }

  /** Paths among these already in `files`. */
  private async storedAmong(paths: readonly string[]): Promise<string[]> {
    const rows = await this.query(`SELECT path FROM files WHERE path IN (${paths.map((_, i) => `$${i + 1}`).join(',')})`, [...paths]);
    return rows.map((r) => r.path as string);
  }

  /** Data paths among `items` that a stored metadata companion names, or could name by file name. */
  private async companionsWaiting(items: readonly ParsedFile[]): Promise<Set<string>> {
    const rows = await this.query(`SELECT path, companion_of FROM files WHERE status = 'sidecar'`);
    const out = new Set<string>();
    if (!rows.length) return out;
    const byPath = new Set(rows.map((r) => String(r.path).toLowerCase()));
    const named = new Set(rows.map((r) => r.companion_of as string | null));
    for (const { file, companionPaths } of items)
      if (named.has(file.path) || (companionPaths ?? []).some((c) => byPath.has(c.toLowerCase()))) out.add(file.path);
    return out;
  }

  async replaceFailed(
    file: Pick<FileRow, 'path' | 'sha256' | 'size' | 'mtimeMs' | 'cellId' | 'errorType' | 'errorMessage' | 'errorLine' | 'errorOffset' | 'format'>,
  ): Promise<void> {
    await this.inTransaction(async () => {
      await this.deleteFileContent(file.path);
      await this.insertFile({ ...file, status: 'failed', kind: null, parserVersion: null, records: 0, rows: 0, warnings: [], duplicateOf: null });
    });
  }

  async replaceDuplicate(file: Pick<FileRow, 'path' | 'sha256' | 'size' | 'mtimeMs' | 'cellId'>, of: string): Promise<void> {
    await this.inTransaction(async () => {
      await this.deleteFileContent(file.path);
      await this.insertFile({
        ...file,
        status: 'duplicate',
        format: null,
        parserVersion: null,
        kind: null,
        records: 0,
        rows: 0,
        warnings: [],
        errorType: null,
        errorMessage: null,
        errorLine: null,
        errorOffset: null,
        duplicateOf: of,
      });
    });
  }

  /**
   * Store a metadata companion (status `sidecar`) and attach its fields to its data file's records
   * when that file is stored parsed, in one transaction. Order-independent with replaceParsed.
   */
  async replaceSidecar(file: SidecarFile): Promise<void> {
    await this.inTransaction(async () => {
      await this.deleteFileContent(file.path);
      await this.insertFile({
        path: file.path,
        sha256: file.sha256,
        size: file.size,
        mtimeMs: file.mtimeMs,
        status: 'sidecar',
        format: file.rule,
        parserVersion: file.ruleVersion,
        kind: null,
        cellId: file.cellId,
        records: 0,
        rows: 0,
        warnings: [...file.warnings],
        errorType: null,
        errorMessage: null,
        errorLine: null,
        errorOffset: null,
        duplicateOf: null,
        companionOf: file.companionOf,
        companionFields: file.fields,
      });
      if (file.companionOf) await this.setSidecarMeta(file.companionOf, { file: file.path, rule: file.rule, fields: file.fields });
    });
  }

  /** Sidecar rows: every stored companion (path, data file, fields). */
  async sidecars(): Promise<FileRow[]> {
    return (await this.query(`SELECT * FROM files WHERE status = 'sidecar' ORDER BY path`)).map(toFileRow);
  }

  /** The stored companion among `candidates` (case-insensitive), re-pointed at `dataPath`; its meta block. */
  private async claimCompanion(dataPath: string, candidates: readonly string[]): Promise<{ file: string; rule: string; fields: unknown } | null> {
    const named = candidates.length ? ` OR lower(path) IN (${candidates.map((_, i) => `$${i + 2}`).join(',')})` : '';
    const rows = (
      await this.query(`SELECT * FROM files WHERE status = 'sidecar' AND (companion_of = $1${named}) ORDER BY path`, [
        dataPath,
        ...candidates.map((c) => c.toLowerCase()),
      ])
    ).map(toFileRow);
    const row = rows[0];
    if (!row) return null;
    const warnings = row.warnings.filter((w) => (w as { code?: string }).code !== COMPANION_DATA_MISSING);
    // Already attached to another parsed data file (an .mps beside both .mpr and .mpt): that one stays its data file.
    const other = row.companionOf && row.companionOf !== dataPath ? await this.fileRow(row.companionOf) : null;
    const of = other?.status === 'parsed' ? (row.companionOf ?? dataPath) : dataPath;
    await this.db.run(`UPDATE files SET companion_of = $2, warnings = $3 WHERE path = $1`, [row.path, of, json(warnings)]);
    return { file: row.path, rule: row.format ?? '', fields: row.companionFields ?? {} };
  }

  /** Set (or with null, remove) `meta.sidecar` on every record of a parsed file. */
  private async setSidecarMeta(dataPath: string, sidecar: { file: string; rule: string; fields: unknown } | null, onlyIfFrom?: string): Promise<void> {
    const rows = await this.query(`SELECT r.record_id, r.meta FROM records r JOIN files f USING (path) WHERE r.path = $1 AND f.status = 'parsed'`, [dataPath]);
    for (const r of rows) {
      const meta = JSON.parse((r.meta as string) ?? '{}') as Record<string, unknown>;
      if (onlyIfFrom !== undefined && (meta.sidecar as { file?: string } | undefined)?.file !== onlyIfFrom) continue;
      if (sidecar) meta.sidecar = sidecar;
      else delete meta.sidecar;
      await this.db.run(`UPDATE records SET meta = $2 WHERE record_id = $1`, [r.record_id as string, json(meta)]);
    }
  }

  /**
   * A file that disappeared from the folder: forget it (its source is gone; the report says so). A
   * companion leaving takes its fields off its data file; a data file leaving leaves its companion
   * with a warning naming it.
   */
  async removeFile(path: string): Promise<void> {
    await this.inTransaction(async () => {
      const before = await this.fileRow(path);
      await this.deleteFileContent(path);
      if (before?.status === 'sidecar' && before.companionOf) await this.setSidecarMeta(before.companionOf, null, path);
      for (const s of await this.query(`SELECT path, warnings FROM files WHERE status = 'sidecar' AND companion_of = $1`, [path])) {
        const w = (s.warnings ? JSON.parse(s.warnings as string) : []) as { code?: string }[];
        if (w.some((x) => x.code === COMPANION_DATA_MISSING)) continue;
        await this.db.run(`UPDATE files SET warnings = $2 WHERE path = $1`, [s.path as string, json([...w, companionMissingWarning(path)])]);
      }
    });
  }

  private async insertFile(f: FileRow): Promise<void> {
    const apps = new TableAppenders(this.db);
    await appendFileRow(apps, f);
    apps.flush();
  }

  /** Replace existing fits for records (re-fit without re-parse, e.g. when the manifest changed). */
  async replaceFits(recordIds: readonly string[], fits: readonly StoredFit[]): Promise<void> {
    await this.inTransaction(async () => {
      for (const id of recordIds) {
        for (const t of ['fits', 'parameters', 'fit_tables', 'derived']) await this.db.run(`DELETE FROM ${t} WHERE record_id = $1`, [id]);
      }
      const apps = new TableAppenders(this.db);
      for (const f of fits) await appendFitRows(apps, f);
      apps.flush();
    });
  }

  /**
   * Derived results of a kind, each with its record (null: a campaign entry) and the key it was cached
   * under (the hash of what it was computed from); only those under `keys` when given. Record results go
   * with their record (a re-parse, a re-fit); campaign entries are dropped by `pruneDerived`.
   */
  async derivedEntries<T>(kind: string, keys?: readonly string[]): Promise<{ recordId: string | null; key: string; value: T }[]> {
    const rows: Record<string, unknown>[] = [];
    if (!keys) rows.push(...(await this.query(`SELECT record_id, key, data FROM derived WHERE kind = $1`, [kind])));
    else {
      for (let i = 0; i < keys.length; i += 500) {
        const part = keys.slice(i, i + 500);
        if (part.length)
          rows.push(
            ...(await this.query(`SELECT record_id, key, data FROM derived WHERE kind = $1 AND key IN (${part.map((_, k) => `$${k + 2}`).join(',')})`, [
              kind,
              ...part,
            ])),
          );
      }
    }
    return rows.map((r) => ({ recordId: (r.record_id as string | null) ?? null, key: r.key as string, value: JSON.parse(r.data as string) as T }));
  }

  /** Cache derived results (not a data change: the report generation stays). Existing keys are replaced. */
  async putDerived(rows: readonly { recordId: string | null; kind: string; key: string; value: unknown }[]): Promise<void> {
    if (!rows.length) return;
    await this.inTransaction(async () => {
      // One statement per 500 rows (a first report caches hundreds of figures): record + key identify an entry.
      const ids = rows.map((r) => `${r.kind}\u0000${r.recordId ?? ''}\u0000${r.key}`);
      for (let i = 0; i < ids.length; i += 500) {
        const part = ids.slice(i, i + 500);
        await this.db.run(
          `DELETE FROM derived WHERE kind || chr(0) || coalesce(record_id, '') || chr(0) || key IN (${part.map((_, k) => `$${k + 1}`).join(',')})`,
          part,
        );
      }
      const app = await this.db.createAppender('derived');
      for (const r of rows) {
        if (r.recordId === null) app.appendNull();
        else app.appendVarchar(r.recordId);
        app.appendVarchar(r.kind);
        app.appendVarchar(r.key);
        app.appendVarchar(JSON.stringify(r.value)); // as the page gets it (NaN → null), not json()
        app.endRow();
      }
      app.flushSync();
      app.closeSync();
    }, false);
  }

  /** Drop the campaign-level results of a kind whose key is not in `keep` (figures no report uses any more). */
  async pruneDerived(kind: string, keep: ReadonlySet<string>): Promise<number> {
    const stale = (await this.query(`SELECT DISTINCT key FROM derived WHERE kind = $1 AND record_id IS NULL`, [kind]))
      .map((r) => r.key as string)
      .filter((k) => !keep.has(k));
    if (!stale.length) return 0;
    await this.inTransaction(async () => {
      for (let i = 0; i < stale.length; i += 500) {
        const part = stale.slice(i, i + 500);
        await this.db.run(`DELETE FROM derived WHERE kind = $1 AND record_id IS NULL AND key IN (${part.map((_, k) => `$${k + 2}`).join(',')})`, [
          kind,
          ...part,
        ]);
      }
    }, false);
    return stale.length;
  }

  async recordColumns(id: string): Promise<Column[]> {
    const rows = await this.query(`SELECT name, unit, dtype, levels, data FROM record_columns WHERE record_id = $1 ORDER BY col_index`, [id]);
    return rows.map((r) => ({
      name: r.name as string,
      unit: r.unit as string,
      values: blobToColumn(r.data as Uint8Array, r.dtype as string),
      ...(r.levels ? { levels: JSON.parse(r.levels as string) as string[] } : {}),
    }));
  }

  /** False when some record of the file was too large to copy into the store (re-read the file instead). */
  async columnsStored(path: string): Promise<boolean> {
    const rows = await this.query(`SELECT bool_and(coalesce(data_stored, true)) AS ok FROM records WHERE path = $1`, [path]);
    return rows[0]?.ok !== false;
  }

  /** Rebuild the canonical records of a file from the store (no re-parse). */
  async recordsOfFile(path: string): Promise<CanonicalRecord[]> {
    const rows = await this.query(
      `SELECT r.*, f.size, f.parser, f.parser_version FROM records r JOIN files f USING (path) WHERE r.path = $1 ORDER BY record_index`,
      [path],
    );
    const out: CanonicalRecord[] = [];
    for (const r of rows) {
      out.push({
        kind: r.kind as CanonicalRecord['kind'],
        format: r.format as string,
        meta: JSON.parse(r.meta as string),
        warnings: JSON.parse(r.warnings as string),
        columns: await this.recordColumns(r.record_id as string),
        provenance: {
          path,
          size: num(r.size),
          sha256: r.sha256 as string,
          parser: r.parser as string,
          parserVersion: (r.parser_version as string) ?? '',
          recordIndex: num(r.record_index),
        },
      });
    }
    return out;
  }

  async fitTable(recordId: string, fitter: string, table: string): Promise<Column[]> {
    const rows = await this.query(
      `SELECT name, unit, dtype, data FROM fit_tables WHERE record_id = $1 AND fitter = $2 AND table_name = $3 ORDER BY col_index`,
      [recordId, fitter, table],
    );
    return rows.map((r) => ({ name: r.name as string, unit: r.unit as string, values: blobToColumn(r.data as Uint8Array, r.dtype as string) }));
  }

  /**
   * Replace the replay model's per-cell values (scope 'campaign'), each with its status: fitted rows
   * keep stderr / CI, prior-fixed / input / not identifiable rows none, their provenance in `note`.
   */
  async replaceCampaignParameters(
    rows: readonly {
      cell: string;
      name: string;
      value: number | null;
      unit: string;
      stderr: number | null;
      ci95: readonly [number, number] | null;
      censored: boolean | null;
      fitter: string;
      fitOk: boolean;
      sources: readonly string[];
      status?: string;
      provenance?: string;
    }[],
  ): Promise<void> {
    await this.inTransaction(async () => {
      await this.db.run(`DELETE FROM parameters WHERE scope = 'campaign'`);
      if (!rows.length) return;
      // One appender (a refresh writes a campaign's hundreds of rows: one INSERT each took ~2 ms); typed
      // appends, so a whole-number double such as 2.08e70 stays a DOUBLE.
      const app = await this.db.createAppender('parameters');
      const str = (v: string | null | undefined): void => (v === null || v === undefined ? app.appendNull() : app.appendVarchar(v));
      const num = (v: number | null): void => (v === null ? app.appendNull() : app.appendDouble(v));
      for (const p of rows) {
        const fitted = (p.status ?? 'fitted') === 'fitted';
        str(p.sources[0]);
        str(p.cell);
        str(p.fitter);
        str(p.name);
        num(dbl(p.value ?? undefined));
        str(p.unit);
        num(fitted ? dbl(p.stderr ?? undefined) : null);
        num(fitted ? dbl(p.ci95?.[0]) : null);
        num(fitted ? dbl(p.ci95?.[1]) : null);
        if (p.censored === null || p.censored === undefined) app.appendNull();
        else app.appendBoolean(p.censored);
        app.appendVarchar('campaign');
        str(p.provenance);
        app.appendBoolean(p.fitOk);
        app.appendVarchar(p.status ?? 'fitted');
        app.endRow();
      }
      app.flushSync();
      app.closeSync();
    }, false);
  }

  async saveVerdicts(rows: readonly { id: string; verdict: string; detail: unknown }[]): Promise<void> {
    await this.inTransaction(async () => {
      await this.db.run(`DELETE FROM verdicts`);
      for (const r of rows) await this.db.run(`INSERT INTO verdicts VALUES ($1,$2,$3, now())`, [r.id, r.verdict, json(r.detail)]);
    }, false);
  }

  /** COPY the queryable tables to Parquet or CSV files in `dir`; returns the paths written. */
  async exportTables(dir: string, format: 'parquet' | 'csv'): Promise<string[]> {
    await mkdir(dir, { recursive: true });
    const out: string[] = [];
    for (const t of EXPORT_TABLES) {
      const p = `${dir}/${t}.${format}`;
      const opts = format === 'parquet' ? `(FORMAT PARQUET)` : `(FORMAT CSV, HEADER true)`;
      await this.db.run(`COPY ${t} TO '${p.replace(/'/g, "''")}' ${opts}`);
      out.push(p);
    }
    return out;
  }
}

function toFileRow(r: Record<string, unknown>): FileRow {
  return {
    path: r.path as string,
    sha256: (r.sha256 as string) ?? null,
    size: num(r.size ?? 0),
    mtimeMs: num(r.mtime_ms ?? 0),
    status: r.status as FileRow['status'],
    format: (r.format as string) ?? null,
    parserVersion: (r.parser_version as string) ?? null,
    kind: (r.kind as string) ?? null,
    cellId: (r.cell_id as string) ?? null,
    records: num(r.records ?? 0),
    rows: num(r.rows ?? 0),
    warnings: r.warnings ? JSON.parse(r.warnings as string) : [],
    errorType: (r.error_type as string) ?? null,
    errorMessage: (r.error_message as string) ?? null,
    errorLine: r.error_line === null || r.error_line === undefined ? null : num(r.error_line),
    errorOffset: r.error_offset === null || r.error_offset === undefined ? null : num(r.error_offset),
    duplicateOf: (r.duplicate_of as string) ?? null,
    companionOf: (r.companion_of as string) ?? null,
    companionFields: r.companion_fields ? (JSON.parse(r.companion_fields as string) as Record<string, unknown>) : null,
    ...(r.removed_at !== null && r.removed_at !== undefined ? { sourceRemoved: true } : {}),
  };
}
