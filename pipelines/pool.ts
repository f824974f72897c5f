/**
 * A small worker-thread pool for work units (no piscina: node:worker_threads directly). One worker per
 * core by default. Workers load compiled JS; when that file does not exist (running the TypeScript
 * sources, e.g. under vitest without a build) or the size is 0, units run in-process instead, in the
 * same order and through the same code (pipelines/run-unit.ts).
 */
import { Worker } from 'node:worker_threads';
import { availableParallelism } from 'node:os';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { dirname, join, resolve } from 'node:path';
import { runUnit } from './run-unit.js';
import type { WorkResult, WorkUnit } from './work-units.js';
import { DEFAULT_SETTINGS, type RuntimeSettings } from '../src/settings.js';

/** What a pool worker thread is started with (pipelines/worker.ts reads it from workerData). */
export interface WorkerData {
  readonly settings: RuntimeSettings;
}

export interface UnitRunner {
  /** Threads running units; 0 = in-process. */
  readonly size: number;
  run(unit: WorkUnit): Promise<WorkResult>;
  close(): Promise<void>;
}

/**
 * The compiled worker entry: beside this module when running from dist/, else dist/pipelines/worker.js
 * under the repository root (this module is pipelines/pool.ts there). null when neither exists.
 */
export function workerEntry(): string | null {
  const here = dirname(fileURLToPath(import.meta.url));
  const candidates = [join(here, 'worker.js'), resolve(here, '..', 'dist', 'pipelines', 'worker.js')];
  return candidates.find((p) => existsSync(p)) ?? null;
}

/** Pool size from an option, else the settings' `workers` (INTERPHASE_WORKERS); default one per core. */
export function resolvePoolSize(requested?: number, configured: number | null = null): number {
  const n = requested ?? configured ?? availableParallelism();
  if (!Number.isFinite(n) || n < 0) return 0;
  return Math.floor(n);
}

export function inProcessRunner(settings: RuntimeSettings = DEFAULT_SETTINGS): UnitRunner {
  return { size: 0, run: (u) => runUnit(u, settings), close: async () => {} };
}

interface Task {
  readonly unit: WorkUnit;
  readonly resolve: (r: WorkResult) => void;
  readonly reject: (e: Error) => void;
}

interface Slot {
  worker: Worker;
  task: (Task & { id: number }) | null;
}

/**
 * A runner on `size` threads (default: the settings' `workers`, else one per core), or in-process when
 * that is 0 or the compiled worker is missing. Each thread is given `settings` (as workerData).
 */
export function createRunner(size?: number, log: (l: string) => void = () => {}, settings: RuntimeSettings = DEFAULT_SETTINGS): UnitRunner {
  const n = resolvePoolSize(size, settings.workers);
  const entry = n > 0 ? workerEntry() : null;
  if (n === 0) return inProcessRunner(settings);
  if (!entry) {
    log('note: compiled worker (dist/pipelines/worker.js) not found: running in-process; `npm run build` enables threads');
    return inProcessRunner(settings);
  }
  const workerData: WorkerData = { settings };
  const queue: Task[] = [];
  const slots: Slot[] = [];
  let nextId = 1;
  let closed = false;

  const spawn = (): Slot => {
    const slot: Slot = { worker: new Worker(entry, { workerData }), task: null };
    slot.worker.on('message', (m: { id: number; ok: boolean; result?: WorkResult; error?: string }) => {
      const t = slot.task;
      if (!t || t.id !== m.id) return;
      slot.task = null;
      if (m.ok) t.resolve(m.result!);
      else t.reject(new Error(m.error));
      pump();
    });
    const crashed = (why: string): void => {
      const i = slots.indexOf(slot);
      if (i < 0) return; // 'error' and 'exit' both report one death
      slots.splice(i, 1);
      const t = slot.task;
      slot.task = null;
      // A worker that dies (out of memory on a pathological file, a native crash) fails its unit, not the run.
      if (t) t.reject(new Error(`worker thread died while running ${describe(t.unit)}: ${why}`));
      if (!closed) {
        slots.push(spawn());
        pump();
      }
    };
    slot.worker.on('error', (e) => crashed(e.message));
    slot.worker.on('exit', (code) => {
      if (!closed) crashed(`exit code ${code}`);
    });
    slot.worker.unref();
    return slot;
  };
  const pump = (): void => {
    for (const s of slots) {
      if (s.task || queue.length === 0) continue;
      const t = queue.shift()!;
      s.task = { ...t, id: nextId++ };
      s.worker.ref();
      s.worker.postMessage({ id: s.task.id, unit: t.unit });
    }
    for (const s of slots) if (!s.task) s.worker.unref();
  };
  for (let i = 0; i < n; i++) slots.push(spawn());

  return {
    size: n,
    run(unit) {
      if (closed) return Promise.reject(new Error('the worker pool is closed'));
      return new Promise<WorkResult>((resolveT, rejectT) => {
        queue.push({ unit, resolve: resolveT, reject: rejectT });
        pump();
      });
    },
    async close() {
      closed = true;
      for (const t of queue.splice(0)) t.reject(new Error('the worker pool is closed'));
      await Promise.all(slots.map((s) => s.worker.terminate()));
    },
  };
}

function describe(u: WorkUnit): string {
  return u.type === 'parse-file' ? u.path : `fit of cell ${u.cellId ?? '(none)'}`;
}
