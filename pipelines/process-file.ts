/**
 * One file through detect → parse → fit → store, as a unit of work shared by batch and watch.
 * Never throws for bad input: the outcome says what happened and the store records it.
 */
import { readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { ParseError } from '../src/model/errors.js';
import { parseBytes, sha256 } from '../src/io/load.js';
import { fitRecord } from '../src/fit/index.js';
import { recordId, type StoredFit } from '../src/store/store.js';
import { rowCount } from '../src/model/record.js';
import { quarantine } from './quarantine.js';
import { cellContext, type PipelineContext } from './context.js';

export type FileOutcome =
  | { readonly status: 'parsed'; readonly path: string; readonly records: number; readonly rows: number; readonly bytes: number }
  | { readonly status: 'skipped'; readonly path: string; readonly why: 'unchanged' | 'same-hash' }
  | { readonly status: 'duplicate'; readonly path: string; readonly of: string }
  | { readonly status: 'failed'; readonly path: string; readonly error: ParseError; readonly quarantined: string | null }
  | { readonly status: 'vanished'; readonly path: string };

export async function processFile(ctx: PipelineContext, rel: string): Promise<FileOutcome> {
  const abs = join(ctx.folder, rel);
  const assignment = ctx.assignments.get(rel);
  const cellId = assignment?.cellId ?? null;
  let st;
  try {
    st = await stat(abs);
  } catch {
    return { status: 'vanished', path: rel };
  }
  const prev = await ctx.store.fileRow(rel);
  if (!ctx.force && prev && prev.size === st.size && prev.mtimeMs === st.mtimeMs && prev.cellId === cellId) {
    return { status: 'skipped', path: rel, why: 'unchanged' };
  }
  let bytes: Uint8Array;
  try {
    bytes = new Uint8Array(await readFile(abs));
  } catch {
    return { status: 'vanished', path: rel }; // deleted (or locked) between listing and reading
  }
  const hash = sha256(bytes);
  if (!ctx.force && prev && prev.sha256 === hash && prev.cellId === cellId) {
    await ctx.store.touchFile(rel, st.mtimeMs, cellId);
    return { status: 'skipped', path: rel, why: 'same-hash' };
  }
  const twin = await ctx.store.pathWithHash(hash, rel);
  if (twin) {
    await ctx.store.replaceDuplicate({ path: rel, sha256: hash, size: bytes.length, mtimeMs: st.mtimeMs, cellId }, twin);
    return { status: 'duplicate', path: rel, of: twin };
  }
  try {
    const loaded = await parseBytes(rel, bytes, {
      hash,
      formatId: assignment?.formatOverride?.format,
      options: assignment?.formatOverride?.options,
    });
    const cell = cellContext(ctx, cellId);
    const fits: StoredFit[] = [];
    for (const r of loaded.records) {
      for (const outcome of fitRecord(r, cell)) {
        fits.push({ recordId: recordId(hash, r.provenance.recordIndex), cellId, outcome });
      }
    }
    const rows = loaded.records.reduce((s, r) => s + rowCount(r), 0);
    await ctx.store.replaceParsed(
      {
        path: rel, sha256: hash, size: bytes.length, mtimeMs: st.mtimeMs, format: loaded.format.id,
        parserVersion: loaded.format.version, kind: loaded.records[0]!.kind, cellId,
        records: loaded.records.length, rows, warnings: loaded.records.flatMap((r) => r.warnings),
      },
      loaded.records,
      fits,
    );
    return { status: 'parsed', path: rel, records: loaded.records.length, rows, bytes: bytes.length };
  } catch (e) {
    const err = e instanceof ParseError ? e : new ParseError({ file: rel, code: 'invalid', message: (e as Error)?.message ?? String(e) });
    let q: string | null = null;
    try {
      q = await quarantine(ctx.folder, rel, ctx.quarantineDir, err.message);
    } catch {
      q = null; // the file vanished meanwhile; the store still records the failure
    }
    await ctx.store.replaceFailed({
      path: rel, sha256: hash, size: bytes.length, mtimeMs: st.mtimeMs, cellId, format: null,
      errorType: err.code, errorMessage: err.message, errorLine: err.line ?? null, errorOffset: err.offset ?? null,
    });
    return { status: 'failed', path: rel, error: err, quarantined: q };
  }
}
