/**
 * Worker side of the parallel scanner: scans the bytes it is given, or a byte range of a file it reads
 * itself in chunks, with the ordinary single-threaded scanner; sends the typed columns back (buffers
 * transferred) and raises a flag the waiting main thread is blocked on.
 */
import { parentPort, workerData, type MessagePort } from 'node:worker_threads';
import { scanDelimited, type ScanResult } from './table.js';
import { openFileSource, scanSource } from './chunked-scan.js';
import type { ScanJob } from './parallel-scan.js';

const replies = (workerData as { port: MessagePort }).port;

function run(job: ScanJob): ScanResult {
  if ('bytes' in job) return scanDelimited(job.bytes, job.opts);
  const src = openFileSource(job.path);
  try {
    return scanSource(src, job.opts);
  } finally {
    src.close();
  }
}

parentPort!.on('message', (job: ScanJob) => {
  Atomics.store(job.state, 0, 1);
  Atomics.notify(job.state, 0);
  let reply: unknown;
  let transfer: ArrayBuffer[] = [];
  try {
    const r = run(job);
    reply = { id: job.id, ok: true, result: r };
    transfer = [...new Set(r.numbers.filter((a): a is Float64Array => !!a).map((a) => a.buffer as ArrayBuffer))];
  } catch (e) {
    reply = { id: job.id, ok: false, message: (e as Error)?.message ?? String(e) };
  }
  replies.postMessage(reply, transfer);
  Atomics.store(job.state, 0, 2);
  Atomics.notify(job.state, 0);
});
