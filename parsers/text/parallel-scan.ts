/**
 * Large delimited tables scanned on two cores, synchronously (parsers stay plain functions).
 *
 * The data range is split at a line boundary; a persistent worker scans the second half while this
 * thread scans the first, then this thread blocks on an Atomics flag and takes the worker's columns with
 * receiveMessageOnPort. This thread sizes its columns for the whole table, so the worker's rows are
 * copied into them in place (no third copy of the columns). Any error in the worker's half (whose line
 * numbers are not known) or a quoted field anywhere (lines may span newlines) makes the whole range be
 * scanned again on one thread, so results and errors are exactly those of the one-thread scan.
 *
 * Two inputs: bytes in memory (the worker gets a copy of its half), or a file read in chunks by each
 * thread itself (`ByteSource`: neither thread ever holds the file, only the columns and one chunk).
 */
import { Worker, MessageChannel, receiveMessageOnPort, type MessagePort } from 'node:worker_threads';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { estimateRows, scanDelimited, type ScanOptions, type ScanResult } from './table.js';
import { DataRegion, readRange, scanSource, type ByteSource } from './chunked-scan.js';

/** Below this many bytes of data a second thread costs more than it saves. */
export const PARALLEL_MIN_BYTES = 24 * 1024 * 1024;

interface Helper {
  readonly worker: Worker;
  /** Replies come on this port, read synchronously with receiveMessageOnPort. */
  readonly port: MessagePort;
}

/** What the worker is asked to scan: bytes it is given, or a byte range of a file it opens itself. */
export type ScanJob =
  | { readonly id: number; readonly bytes: Uint8Array; readonly opts: ScanOptions; readonly state: Int32Array }
  | {
      readonly id: number;
      readonly path: string;
      readonly opts: ScanOptions;
      readonly state: Int32Array;
      /** Source position p is file byte p + delta (a window onto the file, e.g. one piece of a huge log). */
      readonly delta: number;
      /** Size of the source in its own positions. */
      readonly size: number;
      readonly wantRowStarts: boolean;
    };

let helper: Helper | null | undefined;

/**
 * Whether this process may start the second scanning thread: one thread per process, shared by every
 * parser, so this is set once by the edge (the CLI, a pool worker thread) from `parallelScan` in
 * src/settings.ts rather than passed through each parser. On by default.
 */
let allowed = true;

/** Allow (the default) or forbid the second scanning thread; forbidding stops one already started. */
export function setParallelScan(enabled: boolean): void {
  if (enabled === allowed) return;
  allowed = enabled;
  if (helper) {
    void helper.worker.terminate();
    helper.port.close();
  }
  helper = undefined; // decided again on the next scan
}

function workerPath(): string | null {
  const url = new URL('./scan-worker.js', import.meta.url);
  if (url.protocol !== 'file:') return null;
  const p = fileURLToPath(url);
  // Under a TypeScript loader (vitest) there is no compiled worker beside this file.
  return existsSync(p) ? p : null;
}

function getHelper(): Helper | null {
  if (helper !== undefined) return helper;
  const p = allowed ? workerPath() : null;
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

/**
 * Start the second scanning thread now (it takes tens of milliseconds to boot), e.g. while the CLI is
 * still loading the parsers for a file it knows is large; the scan then finds it ready.
 */
export function warmScanHelper(): void {
  getHelper();
}

export function canScanInParallel(bytes: Uint8Array, o: ScanOptions): boolean {
  const end = o.end ?? bytes.length;
  return end - o.start >= PARALLEL_MIN_BYTES && !o.stopAtBlankLine && getHelper() !== null;
}

let nextJob = 1;

/**
 * scanDelimited, on two threads when worthwhile; identical results either way. With a `source` whose
 * data reaches past `bytes` (a file passed as its head plus a ByteSource), the table is read from the
 * file in chunks instead.
 */
export function scanDelimitedAuto(bytes: Uint8Array, o: ScanOptions, source?: ByteSource): ScanResult {
  if (source && (o.end ?? source.size) > bytes.length) return scanSourceAuto(source, o);
  if (!canScanInParallel(bytes, o)) return scanDelimited(bytes, o);
  const end = o.end ?? bytes.length;
  const data = bytes.subarray(o.start, end);
  if (data.indexOf(34) >= 0) return scanDelimited(bytes, o); // quotes: a field may span lines
  let split = data.indexOf(10, Math.floor(data.length / 2));
  if (split < 0) return scanDelimited(bytes, o);
  split += o.start + 1;
  const h = getHelper()!;
  const { id, state } = newJob();
  // The worker gets its own copy of its half (transferred, not shared).
  const half = bytes.slice(split, end);
  h.worker.postMessage({ id, bytes: half, opts: { ...o, start: 0, end: half.length }, state } satisfies ScanJob, [half.buffer as ArrayBuffer]);
  const a = scanDelimited(bytes, { ...o, end: split }, estimateRows(bytes, o.start, end));
  const b = awaitWorker(h, state, id, half.length);
  if (!b || a.truncatedLastLine || a.sawQuote || b.sawQuote) return scanDelimited(bytes, o);
  return appendScan(a, b);
}

/** A file's table, read in chunks; on two threads (each reading its own half) when large. */
function scanSourceAuto(src: ByteSource, o: ScanOptions): ScanResult {
  const end = Math.min(o.end ?? src.size, src.size);
  if (src.probeRegion) throw new DataRegion(o.start, end, o);
  const f = src.file;
  const h = f && o.start >= f.from && end - o.start >= PARALLEL_MIN_BYTES && !o.stopAtBlankLine ? getHelper() : null;
  if (!h || !f) return scanSource(src, o);
  const mid = o.start + Math.floor((end - o.start) / 2);
  const probe = readRange(src, mid, 1 << 20);
  const nl = probe.indexOf(10);
  if (nl < 0) return scanSource(src, o);
  const split = mid + nl + 1;
  const head = readRange(src, o.start, 65536);
  const { id, state } = newJob();
  const wantRowStarts = src.wantRowStarts === true;
  h.worker.postMessage({ id, path: f.path, delta: f.delta, size: src.size, wantRowStarts, opts: { ...o, start: split, end }, state } satisfies ScanJob);
  const a = scanSource(src, { ...o, end: split }, estimateRows(head, 0, head.length, end - o.start));
  const aStarts = src.rowStarts;
  const b = awaitWorker(h, state, id, end - split);
  if (!b || a.truncatedLastLine || a.sawQuote || b.sawQuote || (wantRowStarts && !(aStarts && b.rowStarts))) return scanSource(src, o);
  if (wantRowStarts) {
    const all = new Float64Array(aStarts!.length + b.rowStarts!.length);
    all.set(aStarts!, 0);
    all.set(b.rowStarts!, aStarts!.length);
    src.rowStarts = all;
  }
  return appendScan(a, b);
}

function newJob(): { id: number; state: Int32Array } {
  // state[0]: 0 queued, 1 started, 2 done.
  return { id: nextJob++, state: new Int32Array(new SharedArrayBuffer(8)) };
}

/**
 * Block until the worker's half is done. A worker that never starts (some loader setups need this
 * thread's event loop to boot a worker) or stalls is abandoned after a grace period: this thread then
 * scans that half itself and parallel scanning is switched off for the process. Never hangs.
 */
function awaitWorker(h: Helper, state: Int32Array, id: number, bytes: number): (ScanResult & { rowStarts?: Float64Array }) | null {
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
    const reply = msg.message as { id: number; ok: boolean; result?: ScanResult; rowStarts?: Float64Array };
    if (reply.id !== id) continue; // a late reply to an abandoned job
    return reply.ok && reply.result ? { ...reply.result, rowStarts: reply.rowStarts } : null;
  }
}

function abandon(): null {
  helper = null;
  return null;
}

/** b's rows after a's, written into a's columns when they have room (they were sized for both). */
export function appendScan(a: ScanResult, b: ScanResult): ScanResult {
  const rows = a.rows + b.rows;
  return {
    rows,
    numbers: a.numbers.map((x, i) => {
      if (!x) return undefined;
      const y = b.numbers[i]!;
      const room = x.byteOffset === 0 && x.buffer.byteLength / 8 >= rows;
      const out = room ? new Float64Array(x.buffer, 0, rows) : new Float64Array(rows);
      if (!room) out.set(x, 0);
      out.set(y, a.rows);
      return out;
    }),
    strings: a.strings.map((x, i) => (x ? x.concat(b.strings[i]!) : undefined)),
    emptyCells: a.emptyCells.map((x, i) => x + b.emptyCells[i]!),
    badCells: a.badCells.map((x, i) => x + b.badCells[i]!),
    shortRows: a.shortRows + b.shortRows,
    truncatedLastLine: b.truncatedLastLine,
    endOffset: b.endOffset,
    sawQuote: false,
  };
}
