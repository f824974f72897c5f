/**
 * Delimited tables read straight from a file in fixed-size chunks, so a large export never has to be in
 * memory as bytes: peak memory is the typed columns plus one chunk. The same `scanRange` hot loop as
 * for bytes in memory; a line cut by a chunk boundary is carried to the next chunk, so results (values,
 * counts, line numbers in errors) are identical to `scanDelimited` over the whole file.
 */
import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import { estimateRows, newScanState, scanRange, scanResult, type ScanOptions, type ScanResult, type ScanState } from './table.js';

/** Random-access bytes of one file (synchronous: parsers stay plain functions). */
export interface ByteSource {
  /** A real file path: a second thread opens it itself. */
  readonly path: string;
  readonly size: number;
  /** Read up to target.length bytes at `position` into target; returns the count read. */
  read(target: Uint8Array, position: number): number;
  /**
   * Asked by a caller that wants to know where a format's table lies: the scanner throws a DataRegion
   * instead of scanning (nothing is read past the header).
   */
  readonly probeRegion?: boolean;
  /** Asked by a caller that wants each row's byte offset: the scanner leaves them in `rowStarts`. */
  readonly wantRowStarts?: boolean;
  rowStarts?: Float64Array;
  /**
   * Where a second thread can read the same bytes itself: positions ≥ `from` of this source are
   * positions + `delta` of the file at `path`. Absent for bytes in memory (one thread only).
   */
  readonly file?: { readonly path: string; readonly delta: number; readonly from: number };
}

/** Thrown by the scanner for a `probeRegion` source: the table's data region and how it is scanned. */
export class DataRegion {
  constructor(
    readonly start: number,
    readonly end: number,
    readonly options: ScanOptions,
  ) {}
}

export interface FileSource extends ByteSource {
  close(): void;
}

/** `maxSize`: read no further than this (the bytes that were hashed, when the file is still growing). */
export function openFileSource(path: string, maxSize = Infinity): FileSource {
  const fd = openSync(path, 'r');
  const size = Math.min(fstatSync(fd).size, maxSize);
  return {
    path,
    size,
    file: { path, delta: 0, from: 0 },
    read: (target, position) => readSync(fd, target, 0, target.length, position),
    close: () => closeSync(fd),
  };
}

/** The file at `path` seen `delta` bytes later (position p reads file byte p + delta), up to `size`. */
export function shiftedFileSource(path: string, delta: number, size: number): FileSource {
  const f = openFileSource(path);
  return {
    path,
    size: Math.min(size, f.size - delta),
    file: { path, delta, from: 0 },
    read: (target, position) => f.read(target, position + delta),
    close: f.close,
  };
}

/** Bytes per read. Large enough that the per-chunk cost vanishes, small next to the columns. */
export const CHUNK_BYTES = 8 * 1024 * 1024;

/** Chunk size in use (tests shrink it to put chunk boundaries everywhere). */
export const chunking = { bytes: CHUNK_BYTES };

/** A ByteSource over bytes in memory (tests, and callers that already hold a file). */
export function memorySource(bytes: Uint8Array, path = '(memory)'): ByteSource {
  return {
    path,
    size: bytes.length,
    read(target, position) {
      const n = Math.max(0, Math.min(target.length, bytes.length - position));
      target.set(bytes.subarray(position, position + n));
      return n;
    },
  };
}

/** Fill target[from, from + n) from the source at `position`; short only at end of file. */
export function readInto(src: ByteSource, target: Uint8Array, from: number, position: number, n: number): number {
  let got = 0;
  while (got < n) {
    const k = src.read(target.subarray(from + got, from + n), position + got);
    if (k <= 0) break;
    got += k;
  }
  return got;
}

/** Bytes [position, position + n) of the source (clamped to its size). */
export function readRange(src: ByteSource, position: number, n: number): Uint8Array {
  const len = Math.max(0, Math.min(n, src.size - position));
  const out = new Uint8Array(len);
  return out.subarray(0, readInto(src, out, 0, position, len));
}

/**
 * scanDelimited over the source's bytes [o.start, o.end ?? size). `capHint` sizes the columns
 * (rows expected): pass the whole table's estimate when another thread's rows will be appended.
 */
export function scanSource(src: ByteSource, o: ScanOptions, capHint?: number, chunkBytes = chunking.bytes): ScanResult {
  let end = Math.min(o.end ?? src.size, src.size);
  let buf = new Uint8Array(Math.max(1, Math.min(chunkBytes, end - o.start)));
  let filled = readInto(src, buf, 0, o.start, Math.min(buf.length, end - o.start));
  const st: ScanState = newScanState(o, capHint ?? estimateRows(buf, 0, filled, end - o.start));
  if (src.wantRowStarts) st.rowStarts = new Float64Array(st.cap);
  let base = o.start; // file offset of buf[0]
  for (;;) {
    const atEnd = base + filled >= end;
    st.base = base;
    const stop = scanRange(buf, o, st, 0, filled, !atEnd);
    if (atEnd || st.stopped) {
      if (st.rowStarts) src.rowStarts = st.rowStarts.subarray(0, st.rows);
      return scanResult(st, base + stop);
    }
    if (stop === 0) {
      // One line longer than the buffer: grow it (rare: a chunk holds ~50,000 cycler rows).
      const g = new Uint8Array(buf.length * 2);
      g.set(buf.subarray(0, filled));
      buf = g;
    } else {
      buf.copyWithin(0, stop, filled);
      filled -= stop;
      base += stop;
    }
    const want = Math.min(buf.length - filled, end - base - filled);
    const got = readInto(src, buf, filled, base + filled, want);
    filled += got;
    if (got < want) end = base + filled; // the file shrank while being read: what is there is the data
  }
}
