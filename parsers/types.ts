/**
 * The contract every instrument format implements: a cheap `sniff` over the first bytes, and a pure
 * `parse` over the whole file's bytes. No file I/O here: `src/io/load.ts` reads files and adds
 * provenance. A format is a plain object listed in its family's index (never a string registry).
 */
import type { Family, ParsedRecord, RecordKind } from '../src/records/record.js';
import type { ByteSource } from './text/chunked-scan.js';

/** What `sniff` sees: the file name (a hint only) and its first bytes. */
export interface SniffInput {
  /** Base name of the file (extension is a hint, never proof). */
  readonly name: string;
  /** The first SNIFF_BYTES bytes (or the whole file if smaller). */
  readonly head: Uint8Array;
  /** `head` decoded as latin-1 (every byte maps to one char; safe for keyword search). */
  readonly headText: string;
  /** Total file size in bytes. */
  readonly size: number;
}

export const SNIFF_BYTES = 64 * 1024;

/** Bytes of a streamed file's head given to `parse` (header blocks are far smaller). */
export const HEAD_BYTES = 1024 * 1024;

export interface ParseInput {
  /** Path used in error messages and provenance. */
  readonly path: string;
  /** The whole file; or, when `source` is set, only its head (the first HEAD_BYTES). */
  readonly bytes: Uint8Array;
  /**
   * Given only to formats with `streams: true`, for large files: the rest of the file is read from here
   * in chunks, so the file is never held in memory as bytes.
   */
  readonly source?: ByteSource;
  /** Format-specific options (e.g. a generic-CSV column mapping from the manifest). */
  readonly options?: Readonly<Record<string, unknown>>;
}

export interface FormatParser {
  /** Stable id, e.g. `arbin-csv`, `biologic-mpt`. Used in the store and on the CLI. */
  readonly id: string;
  readonly family: Family;
  /** The record kind this format usually yields (a file may yield another, e.g. BioLogic EIS in .mpt). */
  readonly kind: RecordKind;
  /** Human title: instrument + software + file type, e.g. `Arbin MITS Pro CSV export`. */
  readonly title: string;
  /** Parser version: bump when output for the same bytes changes (the store re-parses). */
  readonly version: string;
  /** Typical extensions, lower case with dot: a tie-breaker only. */
  readonly extensions: readonly string[];
  /**
   * Confidence in [0,1] that this file is this format, from content. 0 = certainly not.
   * May also return `{confidence, kind}` when the content tells the record kind (BioLogic PEIS vs GCPL).
   */
  sniff(input: SniffInput): number | SniffResult;
  /**
   * True when `parse` reads large files through `ParseInput.source` (head bytes + chunked reads) and
   * gives the same records as from the whole file's bytes.
   */
  readonly streams?: boolean;
  /** Whole-file parse. Throws ParseError on bad input; never returns half a record silently. */
  parse(input: ParseInput): ParsedRecord[] | Promise<ParsedRecord[]>;
}

export interface SniffResult {
  readonly confidence: number;
  readonly kind?: RecordKind;
}
