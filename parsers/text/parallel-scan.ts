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
  const worker = new Worker(p, { workerData: { port: port2 }, transferList: [port2] });
  worker.unref();
  port1.unref();
  return (helper = { worker, port: port1 });
}

export function canScanInParallel(bytes: Uint8Array, o: ScanOptions): boolean {
  const end = o.end ?? bytes.length;
  return end - o.start >= PARALLEL_MIN_BYTES && !o.stopAtBlankLine && getHelper() !== null;
}

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
  const flag = new Int32Array(new SharedArrayBuffer(4));
  // The worker gets its own copy of its half (transferred, not shared: V8 reads typed arrays over a
  // SharedArrayBuffer about half as fast, which cost more than the second core gained).
  const half = bytes.slice(split, end);
  h.worker.postMessage({ bytes: half, opts: { ...o, start: 0, end: half.length }, flag }, [half.buffer as ArrayBuffer]);
  const a = scanDelimited(bytes, { ...o, end: split });
  Atomics.wait(flag, 0, 0);
  const msg = receiveMessageOnPort(h.port);
  const reply = msg?.message as { ok: boolean; result?: ScanResult } | undefined;
  if (!reply || !reply.ok || !reply.result || a.truncatedLastLine) return scanDelimited(bytes, o);
  return mergeScans(a, reply.result);
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
