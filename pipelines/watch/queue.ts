/**
 * Watch, part 3 of 4: the processing queue. One job at a time, in order, so the store has one writer
 * (this thread). A file is queued at most once while it waits (events for it are coalesced); a job that
 * throws is logged and the queue goes on; once closed, queued jobs are skipped.
 */
export interface JobQueue {
  /** Run `job` after every job queued before it. */
  enqueue(job: () => Promise<void>): void;
  /** Make `running` the job in progress (the start-up catch-up): later jobs wait for it, its failure is the caller's. */
  adopt(running: Promise<unknown>): void;
  /** Queue the file's processing unless it is already waiting; `process` runs once it is taken off. */
  enqueueFile(rel: string): void;
  /** Jobs queued or running. */
  readonly length: number;
  /** Files queued and not started yet. */
  readonly filesWaiting: number;
  /** Resolves when the jobs queued so far are done (failures included). */
  drained(): Promise<void>;
}

export interface QueueOptions {
  /** Process one file (taken off the waiting set as it starts). */
  readonly process: (rel: string) => Promise<void>;
  readonly log: (line: string) => void;
  /** True once the watcher is closing: jobs not started yet are skipped. */
  readonly closed: () => boolean;
}

export function createJobQueue(o: QueueOptions): JobQueue {
  let tail: Promise<void> = Promise.resolve();
  let length = 0;
  const waiting = new Set<string>();

  const enqueue = (job: () => Promise<void>): void => {
    length++;
    tail = tail
      .then(() => (o.closed() ? undefined : job()))
      .catch((e) => o.log(`watch: ${(e as Error)?.stack ?? String(e)}`))
      .finally(() => {
        length--;
      });
  };

  return {
    enqueue,
    adopt(running) {
      length++;
      tail = running
        .then(
          () => undefined,
          () => undefined,
        ) // reported by whoever awaits it; later jobs must still run
        .finally(() => {
          length--;
        });
    },
    enqueueFile(rel) {
      if (waiting.has(rel)) return;
      waiting.add(rel);
      enqueue(() => {
        waiting.delete(rel);
        return o.process(rel);
      });
    },
    get length() {
      return length;
    },
    get filesWaiting() {
      return waiting.size;
    },
    drained: () => tail.catch(() => {}),
  };
}
