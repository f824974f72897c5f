/**
 * Large delimited files scanned on two cores, synchronously (parsers stay plain functions).
 *
 * The data range is split at a line boundary; a persistent worker scans (a copy of) the second half while this thread
 * scans the first, then this thread blocks on an Atomics flag and takes the worker's columns with
 * receiveMessageOnPort. Any error in the worker's half (whose line numbers are not known) makes the
 * whole range be scanned again on one thread, so errors are reported exactly as before.
 * Files with quotes (fields spanning lines) or sections (stopAtBlankLine) always take one thread.
 */
import { Worker, MessageChannel, receiveMessageOnPort, type MessagePort } from 'node:worker_threads';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { scanDelimited, type ScanOptions, type ScanResult } from './table.js';

/** Below this many bytes of data a second thread costs more than it saves. */
export const PARALLEL_MIN_BYTES = 24 * 1024 * 1024;

interface Helper {
  readonly worker: Worker;
  /** Replies come on this port, read synchronously with receiveMessageOnPort. */
  readonly port: MessagePort;
}

let helper: Helper | null | undefined;

function workerPath(): string | null {
  const url = new URL('./scan-worker.js', import.meta.url);
  if (url.protocol !== 'file:') return null;
  const p = fileURLToPath(url);
  // Under a TypeScript loader (vitest) there is no compiled worker beside this file.
  return existsSync(p) ? p : null;
}

function getHelper(): Helper | null {
  if (helper !== undefined) return helper;
  const p = process.env.INTERPHASE_PARALLEL_SCAN === '0' ? null : workerPath();
  if (!p) return (helper = null);
  const { port1, port2 } = new MessageChannel();
  // The parent's flags (`--input-type`, test-runner loaders) are not meant for this plain file worker.
  const worker = new Worker(p, { workerData: { port: port2 }, transferList: [port2], execArgv: [] });
  worker.on('error', () => {
    if (helper?.worker === worker) helper = null; // scanning falls back to one thread
  });
  worker.unref();
  port1.unref();
  return (helper = { worker, port: port1 });
}

export function canScanInParallel(bytes: Uint8Array, o: ScanOptions): boolean {
  const end = o.end ?? bytes.length;
  return end - o.start >= PARALLEL_MIN_BYTES && !o.stopAtBlankLine && getHelper() !== null;
}

let nextJob = 1;

/** scanDelimited, on two threads when worthwhile; identical results either way. */
export function scanDelimitedAuto(bytes: Uint8Array, o: ScanOptions): ScanResult {
  if (!canScanInParallel(bytes, o)) return scanDelimited(bytes, o);
  const end = o.end ?? bytes.length;
  const data = bytes.subarray(o.start, end);
  if (data.indexOf(34) >= 0) return scanDelimited(bytes, o); // quotes: a field may span lines
  let split = data.indexOf(10, Math.floor(data.length / 2));
  if (split < 0) return scanDelimited(bytes, o);
  split += o.start + 1;
  const h = getHelper()!;
  // state[0]: 0 queued, 1 started, 2 done; state[1]: job id.
  const state = new Int32Array(new SharedArrayBuffer(8));
  const id = nextJob++;
  // The worker gets its own copy of its half (transferred, not shared: V8 reads typed arrays over a
  // SharedArrayBuffer about half as fast, which cost more than the second core gained).
  const half = bytes.slice(split, end);
  h.worker.postMessage({ id, bytes: half, opts: { ...o, start: 0, end: half.length }, state }, [half.buffer as ArrayBuffer]);
  const a = scanDelimited(bytes, { ...o, end: split });
  const b = awaitWorker(h, state, id, half.length);
  if (!b || a.truncatedLastLine) return b === null && !a.truncatedLastLine ? mergeScans(a, scanDelimited(bytes, { ...o, start: split })) : scanDelimited(bytes, o);
  return mergeScans(a, b);
}

/**
 * Block until the worker's half is done. A worker that never starts (some loader setups need this
 * thread's event loop to boot a worker) or stalls is abandoned after a grace period: this thread then
 * scans that half itself and parallel scanning is switched off for the process. Never hangs.
 */
function awaitWorker(h: Helper, state: Int32Array, id: number, bytes: number): ScanResult | null {
  const startGraceMs = 1500;
  const runLimitMs = 5000 + bytes / 20_000; // ~50 MB/s worst case
  const t0 = Date.now();
  while (Atomics.load(state, 0) === 0) {
    if (Date.now() - t0 > startGraceMs) return abandon();
    Atomics.wait(state, 0, 0, 50);
  }
  while (Atomics.load(state, 0) === 1) {
    if (Date.now() - t0 > runLimitMs) return abandon();
    Atomics.wait(state, 0, 1, 100);
  }
  for (;;) {
    const msg = receiveMessageOnPort(h.port);
    if (!msg) return null;
    const reply = msg.message as { id: number; ok: boolean; result?: ScanResult };
    if (reply.id !== id) continue; // a late reply to an abandoned job
    return reply.ok && reply.result ? reply.result : null;
  }
}

function abandon(): null {
  helper = null;
  return null;
}

function mergeScans(a: ScanResult, b: ScanResult): ScanResult {
  const rows = a.rows + b.rows;
  return {
    rows,
    numbers: a.numbers.map((x, i) => {
      if (!x) return undefined;
      const y = b.numbers[i]!;
      const out = new Float64Array(rows);
      out.set(x, 0);
      out.set(y, a.rows);
      return out;
    }),
    strings: a.strings.map((x, i) => (x ? x.concat(b.strings[i]!) : undefined)),
    emptyCells: a.emptyCells.map((x, i) => x + b.emptyCells[i]!),
    badCells: a.badCells.map((x, i) => x + b.badCells[i]!),
    shortRows: a.shortRows + b.shortRows,
    truncatedLastLine: b.truncatedLastLine,
    endOffset: b.endOffset,
  };
}
