/**
 * One file through the pipeline, in three plain steps shared by batch and watch:
 *   planFile      – from the listing and the store's row: skip it unchanged, or a ParseFileUnit
 *   (run the unit – in-process here, on a worker thread in batch: pipelines/run-unit.ts)
 *   commitResult  – the store stage: one transaction per file (records + fits, or failure, or duplicate)
 * processFile() chains them in-process: the single-threaded path (watch, and pool size 0).
 * Never throws for bad input: the outcome says what happened and the store records it.
 */
import { fittedRecordsWithOptions, staleDuplicatePaths } from '../src/store/queries.js';
import { stat } from 'node:fs/promises';
import { join } from 'node:path';
import { ParseError } from '../src/records/errors.js';
import { loadFromDisk, sha256File } from '../src/io/load.js';
import { existsSync } from 'node:fs';
import { companionMissingWarning, recordId, type FileRow, type ParsedFile, type StoredFit } from '../src/store/store.js';
import { companionPathsFor } from '../parsers/companions.js';
import { rowCount, type RecordKind } from '../src/records/record.js';
import { settingsKey } from '../src/fit/settings.js';
import { clearQuarantine, quarantine } from './quarantine.js';
import { cellContext, type PipelineContext } from './context.js';
import { fitsOfLoaded, runFitCellUnit, runParseFileUnit } from './run-unit.js';
import type { FitCellUnit, ParseFileResult, ParseFileUnit } from './work-units.js';

export type FileOutcome =
  | { readonly status: 'parsed'; readonly path: string; readonly records: number; readonly rows: number; readonly bytes: number }
  | { readonly status: 'skipped'; readonly path: string; readonly why: 'unchanged' | 'same-hash'; readonly bytes?: number; readonly refit?: boolean }
  | { readonly status: 'duplicate'; readonly path: string; readonly of: string; readonly bytes: number }
  | { readonly status: 'failed'; readonly path: string; readonly error: ParseError; readonly quarantined: string | null; readonly bytes: number }
  /** A metadata companion: stored with status `sidecar`, its fields attached to `of` (null: no data file). */
  | { readonly status: 'sidecar'; readonly path: string; readonly of: string | null; readonly missing: boolean; readonly bytes: number }
  | { readonly status: 'vanished'; readonly path: string }
  | { readonly status: 'locked'; readonly path: string; readonly message: string };

export interface PlanOptions {
  /** Re-read even if size and mtime are unchanged (a duplicate whose original left, `--force`). */
  readonly force?: boolean;
}

/** Decide from the listing and the store's row alone (no read) whether a file needs a unit. */
export async function planFile(
  ctx: PipelineContext,
  rel: string,
  prev: FileRow | null,
  o: PlanOptions = {},
): Promise<{ skip: FileOutcome } | { unit: ParseFileUnit; size: number }> {
  const assignment = ctx.assignments.get(rel);
  const cellId = assignment?.cellId ?? null;
  const force = ctx.force || (o.force ?? false);
  let st;
  try {
    st = await stat(join(ctx.folder, rel));
  } catch {
    return { skip: { status: 'vanished', path: rel } };
  }
  // A file marked "source removed" that is back: read it (same bytes → only the mark is cleared).
  if (!force && prev && !prev.sourceRemoved && prev.size === st.size && prev.mtimeMs === st.mtimeMs && prev.cellId === cellId) {
    return { skip: { status: 'skipped', path: rel, why: 'unchanged' } };
  }
  return {
    unit: {
      type: 'parse-file',
      folder: ctx.folder,
      path: rel,
      cellId,
      cell: cellContext(ctx, cellId, rel),
      formatId: assignment?.formatOverride?.format,
      options: assignment?.formatOverride?.options as Record<string, unknown> | undefined,
      known: prev ? { sha256: prev.sha256, cellId: prev.cellId, status: prev.status } : null,
      force,
      maxBytes: ctx.settings.maxFileBytes,
    },
    size: st.size,
  };
}

/** The store stage for one file: a transaction per outcome. */
export async function commitResult(ctx: PipelineContext, unit: ParseFileUnit, r: ParseFileResult): Promise<FileOutcome> {
  const rel = unit.path;
  const cellId = unit.cellId;
  switch (r.status) {
    case 'vanished':
      return { status: 'vanished', path: rel };
    case 'locked':
      return { status: 'locked', path: rel, message: r.message };
    case 'same-hash':
      await ctx.store.touchFile(rel, r.mtimeMs, cellId);
      return { status: 'skipped', path: rel, why: 'same-hash', bytes: r.size, refit: r.cellChanged };
    case 'parsed':
      // the same path as a group of one: a stored copy of these bytes makes it a duplicate
      return (await commitResults(ctx, [{ unit, result: r }]))[0]!;
    case 'sidecar': {
      // Its data file: the first candidate stored parsed, else the first in the folder (stored later in
      // this run or the next: attached then), else none — kept with a warning naming the missing file.
      let of: string | null = null;
      for (const p of r.dataPaths)
        if ((await ctx.store.fileRow(p))?.status === 'parsed') {
          of = p;
          break;
        }
      if (!of) of = r.dataPaths.find((p) => existsSync(join(ctx.folder, p))) ?? null;
      const missing = of === null;
      if (missing) of = r.dataPaths[0] ?? null;
      await ctx.store.replaceSidecar({
        path: rel,
        sha256: r.sha256,
        size: r.size,
        mtimeMs: r.mtimeMs,
        cellId,
        rule: r.rule,
        ruleVersion: r.ruleVersion,
        companionOf: of,
        fields: r.fields,
        warnings: missing ? [companionMissingWarning(of)] : [],
      });
      await clearQuarantine(ctx.quarantineDir, rel).catch(() => {});
      return { status: 'sidecar', path: rel, of, missing, bytes: r.size };
    }
    case 'failed': {
      const err = new ParseError(r.error);
      let q: string | null = null;
      try {
        q = await quarantine(ctx.folder, rel, ctx.quarantineDir, err.message);
      } catch {
        q = null; // the file vanished meanwhile; the store still records the failure
      }
      await ctx.store.replaceFailed({
        path: rel,
        sha256: r.sha256 || null,
        size: r.size,
        mtimeMs: r.mtimeMs,
        cellId,
        format: null,
        errorType: err.code,
        errorMessage: err.message,
        errorLine: err.line ?? null,
        errorOffset: err.offset ?? null,
      });
      return { status: 'failed', path: rel, error: err, quarantined: q, bytes: r.size };
    }
  }
}

/**
 * The store stage for several files in arrival order, as `commitResult` one by one would leave the
 * store: runs of parsed files go into one transaction (`replaceParsedMany`: one set of appenders, one
 * commit), each checked for a stored or earlier copy of its bytes first; any other outcome (failed,
 * companion, duplicate, same bytes) ends the run and is committed alone, in its place.
 */
export async function commitResults(ctx: PipelineContext, items: readonly { unit: ParseFileUnit; result: ParseFileResult }[]): Promise<FileOutcome[]> {
  const out: FileOutcome[] = [];
  const parsed = items.flatMap((x) => (x.result.status === 'parsed' ? [x.result.sha256] : []));
  const stored = await ctx.store.parsedPathsByHash(parsed);
  let run: { unit: ParseFileUnit; result: Extract<ParseFileResult, { status: 'parsed' }> }[] = [];
  const inRun = new Map<string, string[]>(); // hash → paths stored parsed earlier in this call
  const written = new Set<string>(); // paths written earlier in this call: their stored rows are stale
  const flush = async (): Promise<void> => {
    if (!run.length) return;
    await ctx.store.replaceParsedMany(run.map(({ unit, result }) => parsedFile(unit, result)));
    for (const { unit, result } of run) {
      await clearQuarantine(ctx.quarantineDir, unit.path).catch(() => {});
      out.push({ status: 'parsed', path: unit.path, records: result.records.length, rows: rowsOf(result), bytes: result.size });
    }
    run = [];
  };
  for (const { unit, result } of items) {
    if (result.status !== 'parsed') {
      await flush();
      const o = await commitResult(ctx, unit, result);
      out.push(o);
      // Its stored row was replaced (no longer a parsed copy of anything); same bytes, a vanished or a
      // locked file leave the row as it was, and it still counts as a stored copy.
      if (o.status === 'failed' || o.status === 'sidecar' || o.status === 'duplicate') written.add(unit.path);
      continue;
    }
    const candidates = [...(stored.get(result.sha256) ?? []).filter((p) => !written.has(p)), ...(inRun.get(result.sha256) ?? [])].filter(
      (p) => p !== unit.path,
    );
    if (candidates.length) {
      await flush();
      const twin = candidates.sort()[0]!;
      await ctx.store.replaceDuplicate({ path: unit.path, sha256: result.sha256, size: result.size, mtimeMs: result.mtimeMs, cellId: unit.cellId }, twin);
      out.push({ status: 'duplicate', path: unit.path, of: twin, bytes: result.size });
      written.add(unit.path);
      continue;
    }
    run.push({ unit, result });
    written.add(unit.path);
    inRun.set(result.sha256, [...(inRun.get(result.sha256) ?? []), unit.path]);
  }
  await flush();
  return out;
}

function rowsOf(r: Extract<ParseFileResult, { status: 'parsed' }>): number {
  return r.records.reduce((s, x) => s + rowCount(x), 0);
}

/** What the store keeps of one parsed file. */
function parsedFile(unit: ParseFileUnit, r: Extract<ParseFileResult, { status: 'parsed' }>): ParsedFile {
  const cellId = unit.cellId;
  return {
    file: {
      path: unit.path,
      sha256: r.sha256,
      size: r.size,
      mtimeMs: r.mtimeMs,
      format: r.format,
      parserVersion: r.parserVersion,
      kind: r.records[0]!.kind,
      cellId,
      records: r.records.length,
      rows: rowsOf(r),
      warnings: r.records.flatMap((x) => x.warnings),
    },
    records: r.records,
    fits: r.fits.flatMap((f) => f.outcomes.map((outcome) => ({ recordId: recordId(r.sha256, f.recordIndex), cellId, outcome }))),
    companionPaths: companionPathsFor(unit.path),
  };
}

/** Records of a file whose cell changed, re-fitted with the new cell's context (no re-parse). */
export async function fitUnitForFile(ctx: PipelineContext, rel: string): Promise<FitCellUnit | null> {
  const records = await ctx.store.recordsOfFile(rel);
  if (!records.length) return null;
  const cellId = ctx.assignments.get(rel)?.cellId ?? null;
  const cell = cellContext(ctx, cellId, rel);
  if (!(await ctx.store.columnsStored(rel))) {
    // Columns of a large record live only in its file: re-read it, and only if its bytes are the ones stored.
    const abs = join(ctx.folder, rel);
    const hash = await sha256File(abs);
    if (hash !== records[0]!.provenance.sha256) return null; // changed since: the parse stage handles it
    const a = ctx.assignments.get(rel);
    // The same reader as the parse stage: a file too large to hold is read in pieces again and fitted
    // on the way for the new cell.
    const loaded = await loadFromDisk(rel, abs, {
      hash,
      formatId: a?.formatOverride?.format,
      options: a?.formatOverride?.options,
      cellType: cell.cellType,
      settings: ctx.settings,
    });
    return { type: 'fit-cell', cellId, cell, records: loaded.records, ...('analysis' in loaded ? { outcomes: fitsOfLoaded(loaded, cell) } : {}) };
  }
  return { type: 'fit-cell', cellId, cell, records };
}

/**
 * Files whose stored fits ran with other `analysis:` settings than the manifest now gives them (the
 * settings key is part of the fit cache key): they are re-fitted from the store, never re-parsed.
 * A file whose section of the settings did not change keeps its fits.
 */
export async function filesWithChangedSettings(ctx: PipelineContext): Promise<Set<string>> {
  const rows = await fittedRecordsWithOptions(ctx.store);
  const out = new Set<string>();
  for (const r of rows) {
    const path = r.path as string;
    if (out.has(path)) continue;
    const stored = r.opts ? String((JSON.parse(r.opts as string) as { analysisKey?: unknown }).analysisKey ?? '') : '';
    const cellId = ctx.assignments.get(path)?.cellId ?? null;
    const now = settingsKey(r.kind as RecordKind, cellContext(ctx, cellId, path).analysis);
    if (stored !== now) out.add(path);
  }
  return out;
}

/** Store the outcome of a fit unit: the records' fits replaced in one transaction. */
export async function commitFits(ctx: PipelineContext, unit: FitCellUnit, fits: ReturnType<typeof runFitCellUnit>['fits']): Promise<number> {
  const stored: StoredFit[] = fits.flatMap((f) => f.outcomes.map((outcome) => ({ recordId: f.recordId, cellId: unit.cellId, outcome })));
  await ctx.store.replaceFits(
    fits.map((f) => f.recordId),
    stored,
  );
  return stored.length;
}

/**
 * Duplicates whose original is gone or changed: their bytes are no longer parsed anywhere in the store,
 * so they must be processed again (one of them becomes the parsed copy).
 */
export async function staleDuplicates(ctx: PipelineContext): Promise<string[]> {
  const rows = await staleDuplicatePaths(ctx.store);
  return rows.map((r) => r.path as string);
}

/**
 * Detect, parse and fit (nothing stored) the smallest stored file of each format, up to `maxBytes`: a
 * watcher runs it while idle after a start, so the first file of a kind it then sees is read by
 * compiled code (issue #18). Returns the paths it read.
 */
export async function warmUpParsing(ctx: PipelineContext, maxBytes = 2 * 2 ** 20): Promise<string[]> {
  const smallest = new Map<string, FileRow>();
  for (const f of await ctx.store.allFiles()) {
    if (f.status !== 'parsed' || f.sourceRemoved || !f.format || f.size > maxBytes) continue;
    const best = smallest.get(f.format);
    if (!best || f.size < best.size) smallest.set(f.format, f);
  }
  const read: string[] = [];
  for (const f of smallest.values()) {
    const plan = await planFile({ ...ctx, force: true }, f.path, f);
    if ('skip' in plan) continue;
    await runParseFileUnit({ ...plan.unit, known: null }, ctx.settings);
    read.push(f.path);
  }
  return read;
}

/** The single-threaded path: plan, run in-process, commit (and re-fit in-process if only the cell changed). */
export async function processFile(ctx: PipelineContext, rel: string, o: PlanOptions = {}): Promise<FileOutcome> {
  const plan = await planFile(ctx, rel, await ctx.store.fileRow(rel), o);
  if ('skip' in plan) return plan.skip;
  const out = await commitResult(ctx, plan.unit, await runParseFileUnit(plan.unit, ctx.settings));
  if (out.status === 'skipped' && out.refit) {
    const fu = await fitUnitForFile(ctx, rel);
    if (fu) await commitFits(ctx, fu, runFitCellUnit(fu).fits);
  }
  return out;
}
