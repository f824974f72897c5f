/**
 * `interphase batch <campaign>`: the whole campaign as one function with numbered stages, each a
 * plain function over plain data (intermediates are returned in `stages` for debugging):
 *   0. open     – manifest, file list, cell assignments, store
 *   1. detect   – which files changed since the store saw them (size+mtime; unchanged files are not read)
 *   2. parse    – read+hash (streamed), detect format, parse, fit records: work units on worker threads
 *   3. store    – this thread only (one DuckDB writer): a transaction per file, in listing order;
 *                 then forget files that left the folder and re-process duplicates whose original left
 *   4. fit      – files whose cell changed (same bytes) are re-fitted from the store, on the workers
 *   5. replay   – model replay per cell (not built yet: "not available")
 *   6. hypotheses – hypothesis tests across the campaign (not built yet: "not available")
 *   7. report   – the campaign document from the store, written as HTML, Markdown and JSON
 */
import { openCampaign, type OpenOptions } from './campaign.js';
import {
  commitFits,
  commitResult,
  commitResults,
  filesWithChangedSettings,
  fitUnitForFile,
  planFile,
  staleDuplicates,
  type FileOutcome,
} from './process-file.js';
import { buildCampaignReport, currentReport, writeCampaignReport, type CampaignAnalysis } from './summary.js';
import { analyseCampaign, replayCampaign, testHypotheses } from './campaign-stages.js';
import { createRunner, type UnitRunner } from './pool.js';
import type { CampaignReport } from '../src/report/types.js';
import type { PipelineContext } from './context.js';
import type { FitCellResult, ParseFileResult, ParseFileUnit } from './work-units.js';
import type { SkippedPath } from '../src/campaign/load.js';
import { clearQuarantine } from './quarantine.js';
import { lstat } from 'node:fs/promises';
import { join } from 'node:path';

export interface BatchProgress {
  readonly done: number;
  readonly total: number;
  /** Bytes of the files read so far in this run, and of all files that need reading. */
  readonly bytesDone: number;
  readonly bytesTotal: number;
  readonly elapsedMs: number;
}

export interface BatchOptions extends OpenOptions {
  /** Called once per file, in listing order of completion (unchanged files first). */
  readonly onProgress?: (done: number, total: number, outcome: FileOutcome, p: BatchProgress) => void;
  /** Worker threads for parse and fit; default the settings' `workers`, else one per core; 0 = in-process. */
  readonly workers?: number;
  /** Use this runner instead of creating (and closing) one. */
  readonly runner?: UnitRunner;
  /** Rebuild the report even when nothing changed since it was written (`interphase report`). */
  readonly rebuildReport?: boolean;
}

export interface FileCounts {
  parsed: number;
  /** Unreadable files (stored `failed`, copied to quarantine/). Companion files are never counted here. */
  failed: number;
  /** Metadata companions (stored `sidecar`), attached to their data file: not a problem. */
  sidecars: number;
  skipped: number;
  quarantined: number;
  duplicates: number;
  vanished: number;
  locked: number;
}

export interface StageTiming {
  readonly stage: string;
  readonly ms: number;
}

export interface BatchSummary {
  readonly cells: number;
  readonly files: FileCounts;
  readonly parameters: CampaignReport['parameters'];
  readonly hypotheses: CampaignReport['hypotheses'];
  readonly report: string;
  readonly outDir: string;
  /** Files failed now (from the store, whatever this run read), with the reason. */
  readonly failures: readonly { path: string; message: string }[];
  /** Manifest problems (each local to its entry) and then one line per failed file: what `--json` prints as `problems`. */
  readonly problems: readonly string[];
  /** Manifest problems alone (the banner of the report). */
  readonly manifestProblems: readonly string[];
  /** Every path of the folder counted by its one state (report.json `pathStates`). */
  readonly states: CampaignReport['pathStates'];
  /** Paths not read as data, with their state and why (ignored, temporary, symlink, unreadable, source removed). */
  readonly notRead: readonly { path: string; state: string; detail?: string }[];
  /** Cells that claim no file and files no cell claims, with the pattern that would claim each. */
  readonly coverage: CampaignReport['coverage'];
  /** Files parsed but incomplete (their header declares more than they hold): declared vs read. */
  readonly incomplete?: readonly { path: string; declared: number; read: number; unit: string; message: string }[];
  /** Bytes read and wall time per stage (for the progress line and the bench). */
  readonly bytesRead: number;
  readonly timings: readonly StageTiming[];
  readonly workers: number;
}

// ---------------------------------------------------------------------------------------------
// Stage 1: detect
// ---------------------------------------------------------------------------------------------

export interface DetectResult {
  /** Files that need no reading (size, mtime and cell as stored), and files gone since listing. */
  readonly settled: FileOutcome[];
  /** Files to read, in listing order, with their size for the progress line. */
  readonly units: { readonly unit: ParseFileUnit; readonly size: number }[];
}

export async function detectStage(ctx: PipelineContext, files: readonly string[]): Promise<DetectResult> {
  const known = new Map((await ctx.store.allFiles()).map((f) => [f.path, f]));
  const resettled = await filesWithChangedSettings(ctx);
  const settled: FileOutcome[] = [];
  const units: DetectResult['units'][number][] = [];
  for (const rel of files) {
    const p = await planFile(ctx, rel, known.get(rel) ?? null);
    // Same bytes, other `analysis:` settings: re-fitted from the store in stage 4 (no re-parse).
    if ('skip' in p) settled.push(p.skip.status === 'skipped' && resettled.has(rel) ? { ...p.skip, refit: true } : p.skip);
    else units.push({ unit: p.unit, size: p.size });
  }
  return { settled, units };
}

// ---------------------------------------------------------------------------------------------
// Stages 2 + 3: parse on the workers, store on this thread (streamed: a bounded window in flight)
// ---------------------------------------------------------------------------------------------

export async function parseAndStoreStage(
  ctx: PipelineContext,
  units: DetectResult['units'],
  runner: UnitRunner,
  onOutcome: (o: FileOutcome) => void,
  clock: { waitMs: number; storeMs: number } = { waitMs: 0, storeMs: 0 },
): Promise<FileOutcome[]> {
  // Results are stored in groups (one transaction and one set of appenders per group: a single-file
  // transaction costs ≈ 15–20 ms of DuckDB work, a file in a group of 16 ≈ 3 ms), in file order. Enough
  // units are in flight to keep every worker busy while a group fills and is written; the bytes held
  // (files in flight or waiting to be stored) are bounded.
  const group = STORE_GROUP;
  const window = Math.max(runner.size * 2, 2 * group);
  const pending: (Promise<ParseFileResult> | undefined)[] = new Array(units.length);
  let launched = 0;
  let held = 0;
  let stored = 0;
  const launch = (): void => {
    for (; launched < units.length && launched < stored + window; launched++) {
      const size = units[launched]!.size;
      if (launched > stored && held + size > HELD_BYTES) break;
      held += size;
      const u = units[launched]!.unit;
      pending[launched] = (runner.run(u) as Promise<ParseFileResult>).catch(
        (e: unknown): ParseFileResult => ({
          status: 'failed',
          path: u.path,
          sha256: '',
          size: units[launched]?.size ?? 0,
          mtimeMs: 0,
          error: { file: u.path, code: 'invalid', message: (e as Error)?.message ?? String(e) },
        }),
      );
    }
  };
  const out: FileOutcome[] = [];
  while (stored < units.length) {
    launch();
    const t0 = performance.now();
    const end = Math.min(launched, stored + group);
    const items: { unit: ParseFileUnit; result: ParseFileResult }[] = [];
    for (let i = stored; i < end; i++) {
      items.push({ unit: units[i]!.unit, result: await pending[i]! });
      pending[i] = undefined; // let the records go once stored
    }
    const t1 = performance.now();
    const outcomes = await commitResults(ctx, items);
    for (let i = stored; i < end; i++) held -= units[i]!.size;
    stored = end;
    clock.waitMs += t1 - t0;
    clock.storeMs += performance.now() - t1;
    for (const o of outcomes) {
      out.push(o);
      onOutcome(o);
    }
  }
  return out;
}

/** Files stored per transaction by a batch (see parseAndStoreStage). */
const STORE_GROUP = 16;
/** Bytes of files in flight or waiting to be stored, beyond the first (which always runs). */
const HELD_BYTES = 384 * 2 ** 20;

/**
 * Stage 3, continued: files that left the folder keep their results, marked "source removed" (with
 * `--prune` they are forgotten, quarantine copies too); a file still there but now ignored is forgotten;
 * duplicates of removed files are processed again (one becomes the parsed copy, replacing the removed row).
 */
export async function forgetStage(
  ctx: PipelineContext,
  files: readonly string[],
  runner: UnitRunner,
  skipped: readonly SkippedPath[] = [],
): Promise<{ removed: string[]; kept: string[]; promoted: FileOutcome[] }> {
  const present = new Set(files);
  const unreadable = new Set(skipped.filter((x) => x.state === 'unreadable').map((x) => x.path));
  const removed: string[] = [];
  const kept: string[] = [];
  for (const f of await ctx.store.allFiles()) {
    if (present.has(f.path) || unreadable.has(f.path)) continue; // unreadable for now: its last results stay as they are
    const stillThere = await lstat(join(ctx.folder, f.path)).then(
      () => true,
      () => false,
    );
    if (ctx.prune || stillThere || f.status === 'duplicate' || f.status === 'sidecar') {
      await ctx.store.removeFile(f.path);
      await clearQuarantine(ctx.quarantineDir, f.path).catch(() => {});
      removed.push(f.path);
    } else if (!f.sourceRemoved) {
      await ctx.store.markRemoved(f.path);
      kept.push(f.path);
    }
  }
  const promoted: FileOutcome[] = [];
  const stale = await staleDuplicates(ctx);
  for (const rel of stale) {
    const p = await planFile(ctx, rel, await ctx.store.fileRow(rel), { force: true });
    if ('skip' in p) {
      if (p.skip.status === 'vanished') await ctx.store.removeFile(rel);
      promoted.push(p.skip);
    } else {
      promoted.push(await commitResult(ctx, p.unit, (await runner.run(p.unit)) as ParseFileResult));
    }
  }
  return { removed, kept, promoted };
}

// ---------------------------------------------------------------------------------------------
// Stage 4: fit (records already parsed are fitted inside their parse unit; here: cells that changed)
// ---------------------------------------------------------------------------------------------

export async function fitStage(ctx: PipelineContext, outcomes: readonly FileOutcome[], runner: UnitRunner): Promise<{ refitted: string[]; fits: number }> {
  const refitted: string[] = [];
  let fits = 0;
  for (const o of outcomes) {
    if (o.status !== 'skipped' || !o.refit) continue;
    const unit = await fitUnitForFile(ctx, o.path);
    if (!unit) continue;
    const r = (await runner.run(unit)) as FitCellResult;
    fits += await commitFits(ctx, unit, r.fits);
    refitted.push(o.path);
    ctx.log(`re-fitted from the store (not re-parsed): ${o.path}`);
  }
  return { refitted, fits };
}

// ---------------------------------------------------------------------------------------------
// Stages 5 + 6: plug-in points for the replay model and the hypothesis engine
// ---------------------------------------------------------------------------------------------

/** Stage 5: per-cell parameters (with derived ones), then every cell replayed and fitted in the model. */
export const replayStage = replayCampaign;

/** Stage 6: H1–H17 across the campaign; verdicts are stored. */
export const hypothesisStage = testHypotheses;

// ---------------------------------------------------------------------------------------------
// Stage 7: report
// ---------------------------------------------------------------------------------------------

export async function reportStage(
  ctx: PipelineContext,
  problems: readonly string[],
  analysis: CampaignAnalysis,
): Promise<{ report: CampaignReport; html: string }> {
  const report = await buildCampaignReport(ctx, problems, analysis);
  const written = await writeCampaignReport(ctx, report);
  return { report, html: written.html };
}

// ---------------------------------------------------------------------------------------------

export async function runBatch(folder: string, o: BatchOptions = {}): Promise<{ summary: BatchSummary; report: CampaignReport }> {
  const t0 = performance.now();
  const timings: StageTiming[] = [];
  let mark = t0;
  const lap = (stage: string): void => {
    const now = performance.now();
    timings.push({ stage, ms: now - mark });
    mark = now;
  };
  // 0
  const { ctx, files, problems, survey } = await openCampaign(folder, o);
  const runner = o.runner ?? createRunner(o.workers, ctx.log, ctx.settings);
  try {
    lap('open');
    // 1
    const detected = await detectStage(ctx, files);
    lap('detect');
    const total = files.length;
    const bytesTotal = detected.units.reduce((s, u) => s + u.size, 0);
    let done = 0;
    let bytesDone = 0;
    const progress = (out: FileOutcome): void => {
      done++;
      if ('bytes' in out && out.bytes) bytesDone += out.bytes;
      if (out.status === 'failed') ctx.log(`FAILED ${out.error.message}`);
      if (out.status === 'locked') ctx.log(`locked, not read this time: ${out.path} (${out.message})`);
      o.onProgress?.(done, total, out, { done, total, bytesDone, bytesTotal, elapsedMs: performance.now() - t0 });
    };
    for (const s of detected.settled) progress(s);
    // 2 + 3
    const clock = { waitMs: 0, storeMs: 0 };
    const parsed = await parseAndStoreStage(ctx, detected.units, runner, progress, clock);
    const { promoted } = await forgetStage(ctx, files, runner, survey.skipped);
    lap('parse+store');
    timings.push(
      { stage: '  of which: main thread writing the store', ms: clock.storeMs },
      { stage: '  of which: main thread waiting for workers', ms: clock.waitMs },
    );
    const outcomes = [...detected.settled, ...parsed];
    // 4
    await fitStage(ctx, outcomes, runner);
    lap('fit');
    // 5, 6
    // Nothing changed since the report on disk was built (same store generation, same manifest):
    // stages 5–7 would reproduce it exactly, so it is reused.
    const reuse = !ctx.force && !o.rebuildReport && problems.length === 0 ? await currentReport(ctx) : null;
    let report: CampaignReport;
    let html: string;
    if (reuse) {
      ({ report, html } = reuse);
    } else {
      // Stages 5 + 6, reused as they were when the store generation, manifest and code are unchanged.
      const { replay, hypotheses, reused } = await analyseCampaign(ctx, lap);
      if (reused) ctx.log('replay and hypotheses reused: store, manifest and code unchanged since they ran');
      // 7
      ({ report, html } = await reportStage(ctx, problems, { replay, hypotheses }));
    }
    lap('report');
    const failedNow = report.files.filter((f) => f.status === 'failed' && !f.sourceRemoved);
    // A promoted duplicate was listed as unchanged first: its last outcome is the one that counts.
    const all = [...new Map([...outcomes, ...promoted].map((x) => [x.path, x])).values()];
    const count = (s: FileOutcome['status']): number => all.filter((x) => x.status === s).length;
    const summary: BatchSummary = {
      cells: report.cells.length,
      files: {
        parsed: count('parsed'),
        failed: failedNow.length,
        sidecars: report.files.filter((f) => f.status === 'sidecar').length,
        skipped: count('skipped'),
        quarantined: failedNow.filter((f) => f.quarantined).length,
        duplicates: count('duplicate'),
        vanished: count('vanished'),
        locked: count('locked'),
      },
      parameters: report.parameters,
      hypotheses: report.hypotheses,
      report: html,
      outDir: ctx.outDir,
      failures: failedNow.map((f) => ({ path: f.path, message: f.error?.message ?? '' })),
      problems: [
        ...problems,
        ...failedNow.map((f) => `failed: ${(f.error?.message ?? '').startsWith(f.path) ? f.error!.message : `${f.path}: ${f.error?.message ?? ''}`}`),
      ],
      manifestProblems: problems,
      states: report.pathStates ?? {},
      notRead: (report.paths ?? []).filter((p) => !['parsed', 'incomplete', 'companion', 'duplicate', 'quarantined'].includes(p.state)),
      incomplete: report.files
        .filter((f) => f.incomplete && !f.sourceRemoved)
        .map((f) => ({ path: f.path, declared: f.incomplete!.declared, read: f.incomplete!.read, unit: f.incomplete!.unit, message: f.incomplete!.message })),
      coverage: report.coverage ?? { emptyCells: [], unclaimed: [] },
      bytesRead: bytesDone,
      timings,
      workers: runner.size,
    };
    return { summary, report };
  } finally {
    if (!o.runner) await runner.close();
    ctx.store.close();
  }
}

/**
 * `interphase report <campaign>`: bring the store up to date (unchanged files are not read, so this is
 * cheap) and rewrite the report. Running it on a campaign never batched before just does the batch.
 */
export async function runReport(folder: string, o: OpenOptions = {}): Promise<{ path: string; report: CampaignReport; summary: BatchSummary }> {
  const { summary, report } = await runBatch(folder, { ...o, rebuildReport: true });
  return { path: summary.report, report, summary };
}
