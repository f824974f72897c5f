/**
 * Worker side of the parallel scanner: scans the bytes it is given, or a byte range of a file it reads
 * itself in chunks, with the ordinary single-threaded scanner; sends the typed columns back (buffers
 * transferred) and raises a flag the waiting main thread is blocked on.
 */
import { parentPort, workerData, type MessagePort } from 'node:worker_threads';
import { scanDelimited, type ScanResult } from './table.js';
import { scanSource, shiftedFileSource, type ByteSource } from './chunked-scan.js';
import type { ScanJob } from './parallel-scan.js';

const replies = (workerData as { port: MessagePort }).port;

function run(job: ScanJob): { result: ScanResult; rowStarts?: Float64Array } {
  if ('bytes' in job) return { result: scanDelimited(job.bytes, job.opts) };
  const file = shiftedFileSource(job.path, job.delta, job.size);
  const src: ByteSource = job.wantRowStarts ? { ...file, wantRowStarts: true } : file;
  try {
    const result = scanSource(src, job.opts);
    return { result, rowStarts: src.rowStarts };
  } finally {
    file.close();
  }
}

parentPort!.on('message', (job: ScanJob) => {
  Atomics.store(job.state, 0, 1);
  Atomics.notify(job.state, 0);
  let reply: unknown;
  let transfer: ArrayBuffer[] = [];
  try {
    const { result: r, rowStarts } = run(job);
    reply = { id: job.id, ok: true, result: r, rowStarts };
    transfer = [...new Set([...r.numbers, rowStarts].filter((a): a is Float64Array => !!a).map((a) => a.buffer as ArrayBuffer))];
  } catch (e) {
    reply = { id: job.id, ok: false, message: (e as Error)?.message ?? String(e) };
  }
  replies.postMessage(reply, transfer);
  Atomics.store(job.state, 0, 2);
  Atomics.notify(job.state, 0);
});
