/**
 * Watch, part 4 of 4: the report refresh. A stored change schedules a rebuild after `debounceMs` of
 * quiet (every new change restarts the wait), run as a job on the processing queue so it never
 * interleaves with a store write. A rebuild runs only while one is pending and the watcher is open.
 */
export interface ReportRefresh {
  /** A change was stored: rebuild the report after debounceMs without another change. */
  schedule(): void;
  /** Mark a rebuild as pending without a timer (the start-up rebuilds right away with `rebuild`). */
  markPending(): void;
  /** Rebuild now if one is pending (called on the queue). */
  rebuild(): Promise<void>;
  /** A rebuild is pending or its timer is running. */
  readonly pending: boolean;
  /** Stop the timer (closing). */
  cancel(): void;
}

export interface RefreshOptions {
  readonly debounceMs: number;
  /** Put the rebuild on the processing queue. */
  readonly enqueue: (job: () => Promise<void>) => void;
  readonly closed: () => boolean;
  /** Build and write the report, and tell the listeners. */
  readonly build: () => Promise<void>;
}

export function createReportRefresh(o: RefreshOptions): ReportRefresh {
  let timer: NodeJS.Timeout | undefined;
  let pending = false;
  const rebuild = async (): Promise<void> => {
    if (!pending || o.closed()) return;
    pending = false;
    await o.build();
  };
  return {
    schedule() {
      pending = true;
      if (timer) clearTimeout(timer);
      timer = setTimeout(() => {
        timer = undefined;
        o.enqueue(rebuild);
      }, o.debounceMs);
    },
    markPending() {
      pending = true;
    },
    rebuild,
    get pending() {
      return pending || timer !== undefined;
    },
    cancel() {
      if (timer) clearTimeout(timer);
    },
  };
}
