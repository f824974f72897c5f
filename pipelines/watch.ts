/**
 * `interphase watch <folder>`: process instrument exports as they land.
 * - On start it catches up (an incremental batch): whatever changed while it was down is processed,
 *   nothing unchanged is read twice (the store remembers size, mtime and SHA-256).
 * - A file is processed once it has stopped growing (chokidar awaitWriteFinish); a growing cycler
 *   log is simply re-read when it settles again, and its records are replaced atomically.
 * - Temporary files of instrument software are ignored by pattern; the quarantine and output folders
 *   are never watched; symlinks are not followed (no loops).
 * - The report is rebuilt after a burst of events settles (debounced).
 */
import { watch as chokidarWatch, type FSWatcher } from 'chokidar';
import { basename, relative, resolve, sep } from 'node:path';
import { openCampaign, type OpenOptions } from './campaign.js';
import { processFile, type FileOutcome } from './process-file.js';
import { buildCampaignReport } from './summary.js';
import { writeReport } from '../src/report/write.js';
import { TEMP_FILE, MANIFEST_NAMES, listFiles, assignFiles, type FileAssignment } from '../src/campaign/load.js';
import type { PipelineContext } from './context.js';

export interface WatchOptions extends OpenOptions {
  /** ms a file must stay the same size before it is read. */
  readonly settleMs?: number;
  /** ms of quiet after the last event before the report is rebuilt. */
  readonly debounceMs?: number;
  readonly onOutcome?: (o: FileOutcome) => void;
  readonly onReport?: (path: string) => void;
}

export interface WatchHandle {
  /** Resolves when the initial catch-up is done and the watcher is ready. */
  readonly ready: Promise<void>;
  /** Resolves when all queued work is done. */
  idle(): Promise<void>;
  close(): Promise<void>;
}

export function startWatch(folderArg: string, o: WatchOptions = {}): WatchHandle {
  const folder = resolve(folderArg);
  let ctx: PipelineContext;
  let watcher: FSWatcher | undefined;
  let queue: Promise<void> = Promise.resolve();
  let timer: NodeJS.Timeout | undefined;
  let pendingReport = false;
  let closed = false;

  const enqueue = (job: () => Promise<void>): void => {
    queue = queue.then(job).catch((e) => ctx?.log(`watch: ${(e as Error).message}`));
  };
  const scheduleReport = (): void => {
    pendingReport = true;
    if (timer) clearTimeout(timer);
    timer = setTimeout(() => enqueue(rebuildReport), o.debounceMs ?? 300);
  };
  const rebuildReport = async (): Promise<void> => {
    if (!pendingReport || closed) return;
    pendingReport = false;
    const written = await writeReport(ctx.outDir, await buildCampaignReport(ctx));
    o.onReport?.(written.html);
  };
  const refreshAssignments = async (): Promise<void> => {
    const files = await listFiles(folder, ctx.manifest?.ignore);
    const map = ctx.assignments as Map<string, FileAssignment>;
    map.clear();
    const { assignments, problems } = assignFiles(ctx.manifest, files);
    for (const a of assignments) map.set(a.file, a);
    for (const p of problems) ctx.log(p);
  };
  const handle = (abs: string, event: 'add' | 'change' | 'unlink'): void => {
    const rel = relative(folder, abs).split(sep).join('/');
    if (!rel || rel.startsWith('..')) return;
    if (MANIFEST_NAMES.includes(basename(rel))) {
      ctx.log('manifest changed: restart watch to apply it');
      return;
    }
    enqueue(async () => {
      if (event === 'unlink') {
        await ctx.store.removeFile(rel);
        (ctx.assignments as Map<string, unknown>).delete(rel);
      } else {
        if (!ctx.assignments.has(rel)) {
          await refreshAssignments();
          if (!ctx.assignments.has(rel)) return; // ignored: temp file, document, or an `ignore` glob
        }
        const out = await processFile(ctx, rel);
        o.onOutcome?.(out);
        if (out.status === 'failed') ctx.log(`FAILED ${out.error.message}`);
        else if (out.status === 'parsed') ctx.log(`parsed ${rel}: ${out.records} record(s), ${out.rows} rows`);
      }
      scheduleReport();
    });
  };

  const ready = (async () => {
    const opened = await openCampaign(folder, o);
    ctx = opened.ctx;
    for (const f of opened.files) {
      const out = await processFile(ctx, f);
      o.onOutcome?.(out);
    }
    const present = new Set(opened.files);
    for (const f of await ctx.store.allFiles()) if (!present.has(f.path)) await ctx.store.removeFile(f.path);
    pendingReport = true;
    await rebuildReport();
    const outAbs = ctx.outDir;
    watcher = chokidarWatch(folder, {
      ignoreInitial: true,
      followSymlinks: false,
      awaitWriteFinish: { stabilityThreshold: o.settleMs ?? 1000, pollInterval: 100 },
      ignored: (p: string) => {
        const rel = relative(folder, p);
        if (rel.startsWith('..')) return false;
        if (p === outAbs || p.startsWith(outAbs + sep)) return true;
        const parts = rel.split(sep);
        return parts.some((x) => x === 'quarantine' || (x.startsWith('.') && x.length > 1)) || TEMP_FILE.test(basename(p));
      },
    });
    watcher.on('add', (p) => handle(p, 'add'));
    watcher.on('change', (p) => handle(p, 'change'));
    watcher.on('unlink', (p) => handle(p, 'unlink'));
    await new Promise<void>((r) => watcher!.once('ready', () => r()));
  })();

  return {
    ready,
    async idle() {
      await ready;
      let last: Promise<void> | undefined;
      while (last !== queue || timer) {
        last = queue;
        await queue;
        if (timer && pendingReport) await new Promise((r) => setTimeout(r, (o.debounceMs ?? 300) + 20));
        else break;
      }
    },
    async close() {
      closed = true;
      if (timer) clearTimeout(timer);
      await ready.catch(() => {});
      await watcher?.close();
      await queue;
      ctx?.store.close();
    },
  };
}
