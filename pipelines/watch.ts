/**
 * `interphase watch <folder>`: process instrument exports as they land.
 *
 * - Start: the watcher is started first, then the folder is caught up with the batch stages (worker
 *   threads when available): whatever changed while Interphase was down is processed, nothing unchanged
 *   is read twice (the store remembers size, mtime and SHA-256). Files still being written at start
 *   (modified within the settle time) are left to the settle timer instead.
 * - Settle: a file is processed once its size and mtime have not changed for `settleMs` (our own
 *   per-file timer, reset by every event: bursts of appends are debounced into one read). A cycler log
 *   that grows for hours is re-read whole each time it settles again; its records, fits and the report
 *   are replaced atomically.
 * - Events for one file are coalesced: a file is never queued twice; the queue is one at a time, so the
 *   store has one writer (this thread).
 * - Renamed into place: the temporary name is ignored by pattern, the final name is an 'add'.
 *   Deleted (before, during or after parsing): the file is forgotten; a copy of it stored as a duplicate
 *   is then processed in its place. Locked (the instrument holds it): retried after `lockedRetryMs`.
 *   Same bytes under another name: stored once, the other path is a 'duplicate'.
 *   Malformed: a copy goes to <out>/quarantine/<path> with <path>.reason.txt beside it; the original is
 *   never moved or deleted.
 * - The manifest is re-read when it changes; files whose cell changed are re-assigned and re-fitted.
 * - The report is rebuilt after a burst of work settles (debounced by `debounceMs`).
 *
 * Four named parts (pipelines/watch/): the event intake (intake.ts: chokidar, ignore rules, folder-relative
 * paths, manifest vs data file), the settle timers (settle.ts), the processing queue (queue.ts: one job at
 * a time, a file queued once), and the report refresh (refresh.ts: debounced rebuild on the queue).
 * startWatch wires them to the per-file steps below (process, forget, promote duplicates, manifest reload).
 */
import { stat } from 'node:fs/promises';
import { basename, resolve } from 'node:path';
import { openCampaign, type OpenOptions } from './campaign.js';
import { processFile, staleDuplicates, warmUpParsing, type FileOutcome } from './process-file.js';
import { detectStage, fitStage, forgetStage, parseAndStoreStage } from './batch.js';
import { createRunner } from './pool.js';
import { buildCampaignReport, currentReport, warmUpReport, writeCampaignReport } from './summary.js';
import { listFiles, assignFiles, findManifest, readManifest, type FileAssignment } from '../src/campaign/load.js';
import { ManifestError } from '../src/records/errors.js';
import { clearQuarantine } from './quarantine.js';
import { preloadRenderer } from '../src/report/plots/render.js';
import { warmUpFitters } from '../src/fit/warm-up.js';
import { uncounted } from '../src/records/work.js';
import { snapshotPath, type PipelineContext } from './context.js';
import type { CampaignReport } from '../src/report/types.js';
import { startIntake, type Intake, type IntakeEvent } from './watch/intake.js';
import { createSettler } from './watch/settle.js';
import { createJobQueue } from './watch/queue.js';
import { createReportRefresh } from './watch/refresh.js';

/**
 * What the watcher does, as it happens (for `--serve`, pipelines/serve.ts): a file arrived or is still
 * being written, a file's outcome (with its cell), a report rebuilt (with its document and the context
 * whose store it was built from). A listener that throws is ignored.
 */
export type WatchEvent =
  | { readonly type: 'file'; readonly state: 'arrived' | 'settling' | 'processing'; readonly path: string; readonly cell: string | null }
  | { readonly type: 'outcome'; readonly outcome: FileOutcome; readonly cell: string | null }
  | { readonly type: 'report'; readonly html: string; readonly report: CampaignReport; readonly ctx: PipelineContext }
  | { readonly type: 'ready' };

export interface WatchOptions extends OpenOptions {
  /** ms a file must keep its size and mtime before it is read. @default 1000 */
  readonly settleMs?: number;
  /** ms of quiet after the last processed file before the report is rebuilt. @default 300 */
  readonly debounceMs?: number;
  /** ms between retries of a locked file. @default 1000 */
  readonly lockedRetryMs?: number;
  /** Retries of a locked file before giving up until its next change. @default 60 */
  readonly lockedRetries?: number;
  /** Worker threads for the start-up catch-up (default: the settings' `workers`, else one per core; 0 = in-process). */
  readonly workers?: number;
  readonly onOutcome?: (o: FileOutcome) => void;
  readonly onReport?: (path: string) => void;
  /** Every WatchEvent (the live page subscribes here). */
  readonly onEvent?: (e: WatchEvent) => void | Promise<void>;
}

export interface WatchHandle {
  /** Resolves when the watcher is ready and the initial catch-up is done. */
  readonly ready: Promise<void>;
  /** Resolves when no file is waiting to settle, nothing is queued and the report is up to date. */
  idle(): Promise<void>;
  close(): Promise<void>;
}

export function startWatch(folderArg: string, o: WatchOptions = {}): WatchHandle {
  const folder = resolve(folderArg);
  const settleMs = o.settleMs ?? 1000;
  const debounceMs = o.debounceMs ?? 300;
  const lockedRetryMs = o.lockedRetryMs ?? 1000;
  const lockedRetries = o.lockedRetries ?? 60;
  let ctx: PipelineContext;
  let problems: string[] = [];
  let intake: Intake | undefined;
  let closed = false;
  const isClosed = (): boolean => closed;
  const lockedTries = new Map<string, number>();
  let warm: Promise<void> = Promise.resolve();
  /** The start-up announced the report on disk (nothing changed): the report code has not run yet. */
  let reportReused = false;

  const log = (l: string): void => ctx?.log(l);
  /** Tell the listener; a report event is awaited (the listener may read the store before the next write). */
  const emit = async (e: WatchEvent): Promise<void> => {
    try {
      await o.onEvent?.(e);
    } catch {
      /* a listener's problem is not the watcher's */
    }
  };
  const cellOf = (rel: string): string | null => ctx?.assignments.get(rel)?.cellId ?? null;
  const outcome = (out: FileOutcome): void => {
    o.onOutcome?.(out);
    void emit({ type: 'outcome', outcome: out, cell: cellOf(out.path) });
  };

  // A copy of the store for read-only commands (export) run while this watcher holds it; written on the
  // queue after each report, so it never sees half a write.
  // Skipped while files wait (≈ 0.5 s for a 55 MB store): the report after them writes it.
  const writeSnapshot = async (): Promise<void> => {
    if (queue.filesWaiting > 0) return;
    await ctx.store.snapshot(snapshotPath(ctx.outDir)).catch((e: Error) => log(`store snapshot not written: ${e.message}`));
  };

  // The four parts (pipelines/watch/): processing queue, report refresh, settle timers, event intake.
  const queue = createJobQueue({ process: (rel) => processNow(rel), log, closed: isClosed });
  const refresh = createReportRefresh({
    debounceMs,
    enqueue: queue.enqueue,
    closed: isClosed,
    build: async () => {
      const doc = await buildCampaignReport(ctx, problems);
      const written = await writeCampaignReport(ctx, doc);
      o.onReport?.(written.html);
      await emit({ type: 'report', html: written.html, report: doc, ctx });
      await writeSnapshot();
    },
  });
  const settler = createSettler({
    folder,
    settleMs,
    closed: isClosed,
    onSettled: (rel) => queue.enqueueFile(rel),
    onGone: (rel) => queue.enqueueFile(rel), // gone: processNow forgets it
    onSettling: (rel) => void emit({ type: 'file', state: 'settling', path: rel, cell: cellOf(rel) }),
  });

  const refreshAssignments = async (): Promise<void> => {
    const files = await listFiles(folder, ctx.manifest?.ignore);
    const map = ctx.assignments as Map<string, FileAssignment>;
    map.clear();
    const assigned = assignFiles(ctx.manifest, files);
    for (const a of assigned.assignments) map.set(a.file, a);
    for (const p of assigned.problems) if (!problems.includes(p)) log(p);
    problems = [...new Set([...problems, ...assigned.problems])];
  };

  /** Duplicates whose original left or changed are processed again (one becomes the parsed copy). */
  const promoteDuplicates = async (): Promise<void> => {
    for (const rel of await staleDuplicates(ctx)) {
      const out = await processFile(ctx, rel, { force: true });
      if (out.status === 'vanished') await ctx.store.removeFile(rel);
      report(out);
    }
  };

  const report = (out: FileOutcome): void => {
    outcome(out);
    if (out.status === 'failed') log(`FAILED ${out.error.message}`);
    else if (out.status === 'parsed') log(`parsed ${out.path}: ${out.records} record(s), ${out.rows} rows`);
    else if (out.status === 'duplicate') log(`duplicate ${out.path} (same bytes as ${out.of})`);
    else if (out.status === 'sidecar')
      log(`companion file ${out.path}${out.missing ? ` (its data file ${out.of ?? '(unnamed)'} is not here yet)` : ` of ${out.of}`}`);
  };

  const processNow = async (rel: string): Promise<void> => {
    if (!ctx.assignments.has(rel)) {
      await refreshAssignments();
      if (!ctx.assignments.has(rel)) {
        // Ignored (temp file, document, `ignore` glob) or already gone: forget it if the store had it.
        if (await ctx.store.fileRow(rel)) await forget(rel);
        return;
      }
    }
    void emit({ type: 'file', state: 'processing', path: rel, cell: cellOf(rel) });
    const out = await processFile(ctx, rel);
    if (out.status === 'locked') {
      const n = (lockedTries.get(rel) ?? 0) + 1;
      lockedTries.set(rel, n);
      if (n <= lockedRetries) {
        log(`locked: ${rel} (${out.message}); retry ${n} in ${lockedRetryMs} ms`);
        settler.settle(rel, lockedRetryMs);
      } else log(`locked: ${rel}: gave up after ${lockedRetries} retries; it is read on its next change`);
      outcome(out);
      return;
    }
    lockedTries.delete(rel);
    if (out.status === 'vanished') {
      await forget(rel);
      outcome(out);
      return;
    }
    report(out);
    if (out.status !== 'skipped') await promoteDuplicates();
    refresh.schedule();
  };

  const forget = async (rel: string): Promise<void> => {
    (ctx.assignments as Map<string, unknown>).delete(rel);
    const row = await ctx.store.fileRow(rel);
    if (row) {
      // Gone from the folder: its results are kept, marked "source removed" (issue #18), unless --prune,
      // or it is a copy / companion (nothing of its own to keep), or it is still there (now ignored).
      const stillThere = await stat(resolve(folder, rel)).then(
        () => true,
        () => false,
      );
      if (ctx.prune || stillThere || row.status === 'duplicate' || row.status === 'sidecar') {
        await ctx.store.removeFile(rel);
        await clearQuarantine(ctx.quarantineDir, rel).catch(() => {});
        log(`removed ${rel} (${stillThere ? 'now ignored' : 'no longer in the folder'})`);
      } else if (!row.sourceRemoved) {
        await ctx.store.markRemoved(rel);
        log(`source removed: ${rel} (its results are kept; batch --prune drops them)`);
      } else return;
      await promoteDuplicates();
      refresh.schedule();
    }
  };

  const reloadManifest = async (): Promise<void> => {
    const path = await findManifest(o.manifestDir ? resolve(o.manifestDir) : folder);
    let manifest = null;
    problems = [];
    if (path) {
      try {
        manifest = await readManifest(path, basename(folder), o.readSheets);
      } catch (e) {
        if (!(e instanceof ManifestError)) throw e;
        problems = e.problems.map((p) => `${e.file}: ${p}`);
      }
      // Problems local to an entry: the entry is left out, the valid cells keep working.
      problems.push(...(manifest?.problems ?? []).map((p) => `${path}: ${p}`));
      for (const p of problems) log(p);
    }
    ctx = { ...ctx, manifest, assignments: new Map() };
    await refreshAssignments();
    log('manifest re-read: re-assigning files to cells');
    for (const rel of ctx.assignments.keys()) report(await processFile(ctx, rel));
    refresh.schedule();
  };

  const onIntake = (e: IntakeEvent): void => {
    if (closed) return;
    if (e.kind === 'manifest') {
      queue.enqueue(reloadManifest);
      return;
    }
    const { rel, event } = e;
    if (event === 'unlink') {
      settler.cancel(rel);
      // Renamed or replaced atomically? processNow re-checks: only a file really gone is forgotten.
      queue.enqueueFile(rel);
      return;
    }
    void emit({ type: 'file', state: event === 'add' ? 'arrived' : 'settling', path: rel, cell: cellOf(rel) });
    settler.settle(rel);
  };

  const catchUp = async (): Promise<void> => {
    const files = await listFiles(folder, ctx.manifest?.ignore);
    const now = Date.now();
    const ready: string[] = [];
    for (const f of files) {
      try {
        const st = await stat(resolve(folder, f));
        if (now - st.mtimeMs < settleMs)
          settler.settle(f); // being written right now: wait for it to settle
        else ready.push(f);
      } catch {
        /* gone already */
      }
    }
    const runner = createRunner(o.workers, log, ctx.settings);
    try {
      const detected = await detectStage(ctx, ready);
      const parsed = await parseAndStoreStage(ctx, detected.units, runner, report);
      for (const s of detected.settled) outcome(s);
      const { promoted } = await forgetStage(ctx, files, runner);
      for (const p of promoted) report(p);
      await fitStage(ctx, [...detected.settled, ...parsed], runner);
    } finally {
      await runner.close();
    }
    // Nothing changed while we were down (same store generation, manifest and folder): the report on
    // disk is the one a rebuild would write, so it is announced as it is (issue #18: restart ≤ 2 s).
    const current = !ctx.force && problems.length === 0 ? await currentReport(ctx) : null;
    if (current) {
      reportReused = true;
      o.onReport?.(current.html);
      await emit({ type: 'report', html: current.html, report: current.report, ctx });
      await writeSnapshot();
      return;
    }
    refresh.markPending();
    await refresh.rebuild();
  };

  const ready = (async () => {
    const opened = await openCampaign(folder, o);
    ctx = opened.ctx;
    problems = opened.problems;
    intake = startIntake(folder, ctx.outDir, onIntake, log);
    await intake.ready;
    // Events that arrive during the catch-up wait behind it in the queue.
    const caughtUp = catchUp();
    queue.adopt(caughtUp);
    await caughtUp;
    void emit({ type: 'ready' });
    // While nothing happens: load the figure renderer (the start-up may have reused the report), run
    // the impedance fitters once on a computed spectrum and, when the start-up reused the report on
    // disk, build and write the report once to a throw-away folder (on the queue: a file that arrives
    // waits behind it), so the first file after a start is not fitted and reported by cold code.
    warm = new Promise<void>((r) =>
      setImmediate(
        () =>
          void preloadRenderer()
            .catch(() => {})
            .then(() => {
              if (!closed) warmUpFitters();
              if (!closed && reportReused) {
                return new Promise<void>((done) =>
                  queue.enqueue(() =>
                    (closed ? Promise.resolve() : uncounted(() => warmUpParsing(ctx).then(() => warmUpReport(ctx, problems))))
                      .catch((e: Error) => log(`report warm-up skipped: ${e.message}`))
                      .finally(done),
                  ),
                );
              }
            })
            .finally(r),
      ),
    );
  })();

  return {
    ready,
    async idle() {
      await ready;
      await warm;
      for (;;) {
        await queue.drained();
        if (settler.waiting === 0 && queue.length === 0 && !refresh.pending) return;
        await new Promise((r) => setTimeout(r, 25));
      }
    },
    async close() {
      closed = true;
      refresh.cancel();
      settler.clear();
      await ready.catch(() => {});
      await intake?.close();
      await queue.drained();
      ctx?.store.close();
    },
  };
}
