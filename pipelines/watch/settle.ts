/**
 * Watch, part 2 of 4: the settle timers. A file is handed on once its size and mtime have not changed
 * for `settleMs` (one timer per file, reset by every event: bursts of appends are debounced into one
 * read). The first look at a file only records what it saw; it is handed on at a later look that sees
 * the same size and mtime with the file quiet for settleMs. A file gone at a look is handed on as gone.
 */
import { stat } from 'node:fs/promises';
import { resolve } from 'node:path';

export interface SettleOptions {
  readonly folder: string;
  readonly settleMs: number;
  /** True once the watcher is closing: a timer that fires then does nothing. */
  readonly closed: () => boolean;
  /** The file kept its size and mtime for settleMs. */
  readonly onSettled: (rel: string) => void;
  /** The file is gone (stat failed). */
  readonly onGone: (rel: string) => void;
  /** The file changed since the last look (it is still being written). */
  readonly onSettling: (rel: string) => void;
}

export interface Settler {
  /** (Re)start the file's timer: look at it after `ms` (default settleMs). */
  settle(rel: string, ms?: number): void;
  /** Stop the file's timer and forget what was seen of it (it was deleted). */
  cancel(rel: string): void;
  /** Files waiting to settle. */
  readonly waiting: number;
  /** Stop every timer. */
  clear(): void;
}

interface Seen {
  size: number;
  mtimeMs: number;
}

export function createSettler(o: SettleOptions): Settler {
  const timers = new Map<string, NodeJS.Timeout>();
  const seen = new Map<string, Seen>();

  const settle = (rel: string, ms = o.settleMs): void => {
    const prev = timers.get(rel);
    if (prev) clearTimeout(prev);
    timers.set(
      rel,
      setTimeout(() => void check(rel), ms),
    );
  };

  const check = async (rel: string): Promise<void> => {
    timers.delete(rel);
    if (o.closed()) return;
    let st;
    try {
      st = await stat(resolve(o.folder, rel));
    } catch {
      seen.delete(rel);
      o.onGone(rel);
      return;
    }
    const before = seen.get(rel);
    seen.set(rel, { size: st.size, mtimeMs: st.mtimeMs });
    const quietFor = Date.now() - st.mtimeMs;
    if (!before || before.size !== st.size || before.mtimeMs !== st.mtimeMs || quietFor < o.settleMs) {
      if (before) o.onSettling(rel);
      // Still moving (or first look): look again when it would have been quiet for settleMs.
      settle(rel, Math.max(50, Math.min(o.settleMs, o.settleMs - Math.max(0, quietFor))));
      return;
    }
    seen.delete(rel);
    o.onSettled(rel);
  };

  return {
    settle,
    cancel(rel) {
      const t = timers.get(rel);
      if (t) clearTimeout(t);
      timers.delete(rel);
      seen.delete(rel);
    },
    get waiting() {
      return timers.size;
    },
    clear() {
      for (const t of timers.values()) clearTimeout(t);
      timers.clear();
    },
  };
}
