import { describe, it, expect, afterEach } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CampaignStore, recordId } from '../../src/store/store.js';
import { SCHEMA_VERSION } from '../../src/store/schema.js';
import type { CanonicalRecord } from '../../src/records/record.js';
import type { FitOutcome } from '../../src/fit/types.js';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

function rec(sha: string, index: number, n: number, offset = 0): CanonicalRecord {
  const t = new Float64Array(n).map((_, i) => i + offset);
  return {
    kind: 'cycler',
    format: 'test',
    meta: { channel: '7' },
    warnings: [],
    columns: [
      { name: 'Test Time', unit: 's', values: t },
      { name: 'Step Type', unit: '', values: new Int32Array(n).map((_, i) => i % 2), levels: ['CC_Chg', 'Rest'] },
    ],
    provenance: { path: 'a.csv', size: 10, sha256: sha, parser: 'test', parserVersion: '1', recordIndex: index },
  };
}

const fitOf = (id: string, v: number): { recordId: string; cellId: string; outcome: FitOutcome } => ({
  recordId: id,
  cellId: 'C1',
  outcome: {
    fitter: 'f',
    fitterVersion: '1',
    parameters: [{ name: 'ce_mean', value: v, unit: '1', stderr: 0.001 }],
    quality: { ok: true, metrics: { rmse: 0.1 }, messages: [] },
  },
});

const file = (sha: string) => ({
  path: 'a.csv',
  sha256: sha,
  size: 10,
  mtimeMs: 1,
  format: 'test',
  parserVersion: '1',
  kind: 'cycler',
  cellId: 'C1',
  records: 1,
  rows: 5,
  warnings: [],
});

describe('campaign store', () => {
  it('stores a replay value whose CI bound is a whole-number double beyond int64 (2.08e70) as DOUBLE, not a BIGINT overflow', async () => {
    const d = mkdtempSync(join(tmpdir(), 'ip-store-'));
    dirs.push(d);
    const s = await CampaignStore.open(join(d, 'store.duckdb'));
    await s.replaceCampaignParameters([
      {
        cell: 'C1',
        name: 'SEI repair base fraction [1]',
        value: 3,
        unit: '1',
        stderr: 1e20,
        ci95: [0, 2.08e70],
        censored: null,
        fitter: 'replay',
        fitOk: true,
        sources: ['x:0'],
      },
    ]);
    const p = await s.query(`SELECT value, ci_high FROM parameters WHERE scope = 'campaign'`);
    expect(p).toEqual([{ value: 3, ci_high: 2.08e70 }]);
    s.close();
  });

  it('round-trips typed and categorical columns exactly', async () => {
    const d = mkdtempSync(join(tmpdir(), 'ip-store-'));
    dirs.push(d);
    const s = await CampaignStore.open(join(d, 'store.duckdb'));
    const sha = 'a'.repeat(64);
    await s.replaceParsed(file(sha), [rec(sha, 0, 5)], [fitOf(recordId(sha, 0), 0.98)]);
    const back = await s.recordsOfFile('a.csv');
    expect(back).toHaveLength(1);
    expect(Array.from(back[0]!.columns[0]!.values)).toEqual([0, 1, 2, 3, 4]);
    expect(back[0]!.columns[1]!.values).toBeInstanceOf(Int32Array);
    expect(back[0]!.columns[1]!.levels).toEqual(['CC_Chg', 'Rest']);
    expect(back[0]!.meta).toEqual({ channel: '7' });
    const p = await s.query(`SELECT name, value, stderr, cell_id FROM parameters`);
    expect(p).toEqual([{ name: 'ce_mean', value: 0.98, stderr: 0.001, cell_id: 'C1' }]);
    s.close();
  });

  it('a changed file replaces its records, fits and parameters; a failure mid-way keeps the old state', async () => {
    const d = mkdtempSync(join(tmpdir(), 'ip-store-'));
    dirs.push(d);
    const path = join(d, 'store.duckdb');
    let s = await CampaignStore.open(path);
    const sha1 = '1'.repeat(64);
    const sha2 = '2'.repeat(64);
    await s.replaceParsed(file(sha1), [rec(sha1, 0, 5)], [fitOf(recordId(sha1, 0), 0.97)]);
    await s.replaceParsed({ ...file(sha2), rows: 8 }, [rec(sha2, 0, 8, 100)], [fitOf(recordId(sha2, 0), 0.99)]);
    expect(await s.query(`SELECT count(*)::INT AS n FROM records`)).toEqual([{ n: 1 }]);
    expect(await s.query(`SELECT value FROM parameters`)).toEqual([{ value: 0.99 }]);
    expect((await s.recordsOfFile('a.csv'))[0]!.columns[0]!.values[0]).toBe(100);

    // A record whose column cannot be written makes the transaction fail: nothing of it may remain.
    const bad = rec('3'.repeat(64), 0, 4);
    (bad.columns as unknown as { values: unknown }[])[0]!.values = null;
    await expect(s.replaceParsed(file('3'.repeat(64)), [bad], [])).rejects.toThrow();
    expect(await s.query(`SELECT sha256 FROM files`)).toEqual([{ sha256: sha2 }]);
    expect(await s.query(`SELECT value FROM parameters`)).toEqual([{ value: 0.99 }]);
    s.close();

    // and it is all still there after reopening the file
    s = await CampaignStore.open(path);
    expect((await s.fileRow('a.csv'))!.rows).toBe(8);
    s.close();
  });

  it('exports the queryable tables as CSV and Parquet', async () => {
    const d = mkdtempSync(join(tmpdir(), 'ip-store-'));
    dirs.push(d);
    const s = await CampaignStore.open(join(d, 'store.duckdb'));
    const sha = 'b'.repeat(64);
    await s.replaceParsed(file(sha), [rec(sha, 0, 3)], [fitOf(recordId(sha, 0), 0.5)]);
    const csv = await s.exportTables(join(d, 'x'), 'csv');
    expect(csv.map((p) => p.split('/').pop())).toEqual(['files.csv', 'records.csv', 'fits.csv', 'parameters.csv', 'verdicts.csv']);
    const pq = await s.exportTables(join(d, 'y'), 'parquet');
    const rows = await s.query(`SELECT name, value FROM read_parquet('${pq[3]}')`);
    expect(rows).toEqual([{ name: 'ce_mean', value: 0.5 }]);
    s.close();
  });
});

describe('non-finite numbers', () => {
  it('an infinite stderr (non-identifiable parameter) is stored as NULL with a note, not a failure', async () => {
    const d = mkdtempSync(join(tmpdir(), 'ip-store-'));
    dirs.push(d);
    const s = await CampaignStore.open(join(d, 'store.duckdb'));
    const sha = 'c'.repeat(64);
    const f = fitOf(recordId(sha, 0), 0.5);
    const outcome = {
      ...f.outcome,
      parameters: [
        { name: 'R_ct', value: 12, unit: 'ohm', stderr: Infinity },
        { name: 'x', value: NaN, unit: '1' },
        { name: 'y', value: 1e30, unit: '1', stderr: 1e25 },
      ],
    };
    await s.replaceParsed(file(sha), [rec(sha, 0, 3)], [{ ...f, outcome }]);
    expect(await s.query(`SELECT name, value, stderr, note FROM parameters ORDER BY name`)).toEqual([
      { name: 'R_ct', value: 12, stderr: null, note: 'stderr Infinity (not identifiable)' },
      { name: 'x', value: null, stderr: null, note: null },
      { name: 'y', value: 1e30, stderr: 1e25, note: null },
    ]);
    s.close();
  });
});

describe('fit tables and schema versions', () => {
  it('keeps integer and float fit-table columns exact (odd row counts too)', async () => {
    const d = mkdtempSync(join(tmpdir(), 'ip-store-'));
    dirs.push(d);
    const s = await CampaignStore.open(join(d, 'store.duckdb'));
    const sha = 'd'.repeat(64);
    const f = fitOf(recordId(sha, 0), 0.5);
    const tables = {
      cycles: [
        { name: 'Cycle', unit: '1', values: Int32Array.from([1, 2, 3]) },
        { name: 'CE', unit: '1', values: Float64Array.from([0.9, 0.95, 0.97]) },
      ],
    };
    await s.replaceParsed(file(sha), [rec(sha, 0, 3)], [{ ...f, outcome: { ...f.outcome, tables } }]);
    const back = await s.fitTable(recordId(sha, 0), 'f', 'cycles');
    expect(back[0]!.values).toBeInstanceOf(Int32Array);
    expect(Array.from(back[0]!.values)).toEqual([1, 2, 3]);
    expect(Array.from(back[1]!.values)).toEqual([0.9, 0.95, 0.97]);
    s.close();
  });

  it('a store from another schema version is rebuilt, not misread', async () => {
    const d = mkdtempSync(join(tmpdir(), 'ip-store-'));
    dirs.push(d);
    const path = join(d, 'store.duckdb');
    let s = await CampaignStore.open(path);
    const sha = 'e'.repeat(64);
    await s.replaceParsed(file(sha), [rec(sha, 0, 3)], []);
    await s.query(`UPDATE store_info SET value = '0' WHERE key = 'schema_version'`);
    s.close();
    s = await CampaignStore.open(path);
    expect(await s.allFiles()).toEqual([]);
    expect(await s.query(`SELECT value FROM store_info WHERE key = 'schema_version'`)).toEqual([{ value: String(SCHEMA_VERSION) }]);
    s.close();
  });
});

describe('large records', () => {
  it('are not copied into the store; the file says so and its parameters are kept', async () => {
    const d = mkdtempSync(join(tmpdir(), 'ip-store-'));
    dirs.push(d);
    const s = await CampaignStore.open(join(d, 'store.duckdb'));
    const sha = 'f'.repeat(64);
    const big = rec(sha, 0, 2_200_000); // 2 columns × 2.2 M rows ≈ 26 MB > 16 MB
    await s.replaceParsed({ ...file(sha), rows: 2_200_000 }, [big], [fitOf(recordId(sha, 0), 0.42)]);
    expect(await s.columnsStored('a.csv')).toBe(false);
    expect(await s.query(`SELECT count(*)::INT AS n FROM record_columns`)).toEqual([{ n: 0 }]);
    expect(await s.query(`SELECT rows::INT AS rows, data_stored FROM records`)).toEqual([{ rows: 2_200_000, data_stored: false }]);
    expect(await s.query(`SELECT value FROM parameters`)).toEqual([{ value: 0.42 }]);
    s.close();
  });

  it('the limit is the store option (storeRawBytes, INTERPHASE_STORE_RAW_MB at the edge)', async () => {
    const d = mkdtempSync(join(tmpdir(), 'ip-store-'));
    dirs.push(d);
    const s = await CampaignStore.open(join(d, 'store.duckdb'), { maxStoredRecordBytes: 1024 });
    const sha = 'e'.repeat(64);
    await s.replaceParsed({ ...file(sha), rows: 200 }, [rec(sha, 0, 200)], []); // 200 × (8 + 4) bytes = 2400 > 1024
    expect(await s.columnsStored('a.csv')).toBe(false);
    s.close();
  });
});

describe('derived results (issue #18)', () => {
  it('are kept under their key, go with their record (re-parse, re-fit, removal), and campaign entries are pruned', async () => {
    const d = mkdtempSync(join(tmpdir(), 'ip-store-'));
    dirs.push(d);
    const s = await CampaignStore.open(join(d, 'store.duckdb'));
    const sha = 'a'.repeat(64);
    const id = recordId(sha, 0);
    await s.replaceParsed(file(sha), [rec(sha, 0, 5)], [fitOf(id, 0.98)]);
    const gen = await s.generation();
    await s.putDerived([
      { recordId: id, kind: 'kk', key: 'k1', value: { residualsRe: [0.5, NaN], maxResidual: 0.5 } },
      { recordId: null, kind: 'figure', key: 'f1', value: { spec: { a: 1 } } },
      { recordId: null, kind: 'figure', key: 'f2', value: { spec: { a: 2 } } },
    ]);
    expect(await s.generation()).toBe(gen); // a cache, not a data change: the report stays current
    expect(await s.derivedEntries('kk')).toEqual([{ recordId: id, key: 'k1', value: { residualsRe: [0.5, null], maxResidual: 0.5 } }]);
    expect((await s.derivedEntries('figure', ['f2', 'nope'])).map((e) => e.key)).toEqual(['f2']);
    await s.putDerived([{ recordId: null, kind: 'figure', key: 'f2', value: { spec: { a: 3 } } }]); // replaced, not doubled
    expect((await s.derivedEntries('figure', ['f2'])).map((e) => e.value)).toEqual([{ spec: { a: 3 } }]);
    expect(await s.pruneDerived('figure', new Set(['f2']))).toBe(1);
    expect((await s.derivedEntries('figure')).map((e) => e.key)).toEqual(['f2']);
    // a re-fit drops the record's results (they were computed from the old fit's options)
    await s.replaceFits([id], [fitOf(id, 0.97)]);
    expect(await s.derivedEntries('kk')).toEqual([]);
    await s.putDerived([{ recordId: id, kind: 'kk', key: 'k1', value: 1 }]);
    await s.removeFile('a.csv');
    expect(await s.derivedEntries('kk')).toEqual([]);
    expect((await s.derivedEntries('figure')).map((e) => e.key)).toEqual(['f2']); // campaign entries stay until pruned
    s.close();
  });
});
