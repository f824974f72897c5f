/**
 * Worker side of the parallel scanner: scans its byte range of a shared buffer with the ordinary
 * single-threaded scanDelimited, sends the typed columns back (buffers transferred) and raises a flag
 * the waiting main thread is blocked on.
 */
import { parentPort, workerData, type MessagePort } from 'node:worker_threads';
import { scanDelimited, type ScanOptions } from './table.js';

interface Job {
  readonly id: number;
  readonly bytes: Uint8Array;
  readonly opts: ScanOptions;
  /** [0]: 0 queued, 1 started, 2 done. */
  readonly state: Int32Array;
}

const replies = (workerData as { port: MessagePort }).port;

parentPort!.on('message', (job: Job) => {
  Atomics.store(job.state, 0, 1);
  Atomics.notify(job.state, 0);
  let reply: unknown;
  let transfer: ArrayBuffer[] = [];
  try {
    const r = scanDelimited(job.bytes, job.opts);
    reply = { id: job.id, ok: true, result: r };
    transfer = r.numbers.filter((a): a is Float64Array => !!a).map((a) => a.buffer as ArrayBuffer);
  } catch (e) {
    reply = { id: job.id, ok: false, message: (e as Error)?.message ?? String(e) };
  }
  replies.postMessage(reply, transfer);
  Atomics.store(job.state, 0, 2);
  Atomics.notify(job.state, 0);
});
