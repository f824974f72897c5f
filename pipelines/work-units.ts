/**
 * Work units: the independent pieces of a pipeline run, described by plain JSON so they can be run
 * in-process, on a worker thread, or handed to a queue (BullMQ on Redis, SQS, …) for another machine.
 *
 * A unit never touches the store. It reads its inputs (a file, or records handed to it), does the
 * CPU-heavy work and returns a result that is plain data too: typed arrays for columns (their buffers
 * are transferred, not copied, between threads) and fit outcomes. Only the one store writer (the main
 * thread of the process that owns the DuckDB file) turns results into rows, each in a transaction.
 */
import type { CanonicalRecord } from '../src/records/record.js';
import type { CellContext, FitOutcome } from '../src/fit/types.js';
import type { ParseErrorInit } from '../src/records/errors.js';
import type { CompanionFields } from '../parsers/companions.js';

/** What the store already knows about a path: lets the unit stop after hashing when nothing changed. */
export interface KnownFile {
  readonly sha256: string | null;
  readonly cellId: string | null;
  readonly status: 'parsed' | 'failed' | 'duplicate' | 'sidecar';
}

/** Read, hash, detect, parse and fit one file. */
export interface ParseFileUnit {
  readonly type: 'parse-file';
  /** Absolute campaign folder (on a cluster: a path every worker mounts, or an object-store prefix). */
  readonly folder: string;
  /** Path relative to `folder`, '/'-separated: the file's identity in the store. */
  readonly path: string;
  readonly cellId: string | null;
  readonly cell: CellContext;
  readonly formatId?: string;
  readonly options?: Record<string, unknown>;
  readonly known: KnownFile | null;
  readonly force: boolean;
  /** Refuse files above this size (bytes) with a 'too-large' error. */
  readonly maxBytes: number;
}

/** Re-fit records already in the store (cell context changed; fitter versions changed). */
export interface FitCellUnit {
  readonly type: 'fit-cell';
  readonly cellId: string | null;
  readonly cell: CellContext;
  /** Records to fit. On the wire these are plain objects with typed-array columns. */
  readonly records: readonly CanonicalRecord[];
  /** Outcomes already made, per record (a file read in pieces is fitted while it is read). */
  readonly outcomes?: readonly (readonly FitOutcome[])[];
}

export type WorkUnit = ParseFileUnit | FitCellUnit;

/** Fit outcomes of one record, by its index within the file. */
export interface RecordFits {
  readonly recordIndex: number;
  readonly outcomes: readonly FitOutcome[];
}

/** A ParseError as plain data (Error subclasses do not survive structured clone with their fields). */
export type WireParseError = ParseErrorInit;

export interface FileStat {
  readonly size: number;
  readonly mtimeMs: number;
}

export type ParseFileResult =
  | ({
      readonly status: 'parsed';
      readonly path: string;
      readonly sha256: string;
      readonly format: string;
      readonly parserVersion: string;
      readonly records: CanonicalRecord[];
      readonly fits: readonly RecordFits[];
      readonly ms: number;
    } & FileStat)
  /** Bytes identical to what the store holds for this path: nothing to parse. */
  | ({ readonly status: 'same-hash'; readonly path: string; readonly sha256: string; readonly cellChanged: boolean } & FileStat)
  | ({ readonly status: 'failed'; readonly path: string; readonly sha256: string; readonly error: WireParseError } & FileStat)
  /** A metadata companion (parsers/companions.ts): its fields, and the paths its data file may have. */
  | ({
      readonly status: 'sidecar';
      readonly path: string;
      readonly sha256: string;
      readonly rule: string;
      readonly ruleVersion: string;
      readonly dataPaths: readonly string[];
      readonly fields: CompanionFields;
    } & FileStat)
  /** Gone between listing and reading. */
  | { readonly status: 'vanished'; readonly path: string }
  /** Exists but cannot be read now (locked by the instrument software, permissions): retry later. */
  | { readonly status: 'locked'; readonly path: string; readonly message: string };

export interface FitCellResult {
  readonly type: 'fit-cell';
  readonly cellId: string | null;
  readonly fits: readonly { readonly recordId: string; readonly outcomes: readonly FitOutcome[] }[];
}

export type WorkResult = ParseFileResult | FitCellResult;

/** Every ArrayBuffer under a result's typed arrays, once each (a transfer list may not repeat one). */
export function transferablesOf(result: WorkResult): ArrayBuffer[] {
  const out = new Set<ArrayBuffer>();
  const add = (v: unknown): void => {
    if (ArrayBuffer.isView(v) && v.buffer instanceof ArrayBuffer && v.buffer.byteLength > 0) out.add(v.buffer);
  };
  if ('records' in result && Array.isArray(result.records)) {
    for (const r of result.records) for (const c of r.columns) add(c.values);
  }
  const fitLists = 'type' in result ? result.fits.map((f) => f.outcomes) : result.status === 'parsed' ? result.fits.map((f) => f.outcomes) : [];
  for (const list of fitLists) for (const o of list) for (const cols of Object.values(o.tables ?? {})) for (const c of cols) add(c.values);
  return [...out];
}
