/**
 * The edge where files become records: read bytes, hash, detect, parse, attach provenance.
 * Everything in here that is not I/O delegates to the pure parsers.
 */
import { createHash } from 'node:crypto';
import type { CycleAnalysis } from '../fit/cycles/analyze-cycles.js';
import type { CellType } from '../fit/cycles/convention.js';
import { open, stat } from 'node:fs/promises';
import { basename } from 'node:path';
import { detectFormat, formatById, sniffInput, unrecognisedReason, type Detection } from '../../parsers/index.js';
import { HEAD_BYTES, SNIFF_BYTES, type FormatParser, type ParseInput } from '../../parsers/types.js';
import { openFileSource } from '../../parsers/text/chunked-scan.js';
import { ParseError } from '../records/errors.js';
import { sha256File, sha256FileAside } from './hash-aside.js';
import { DEFAULT_SETTINGS, type RuntimeSettings } from '../settings.js';
import { work } from '../records/work.js';

export { sha256File, sha256FileAside };
import type { CanonicalRecord, ParsedRecord } from '../records/record.js';

/**
 * The sizes that decide how a file is read (src/settings.ts): refused above `maxFileBytes` when it must
 * be read whole (a stated limit, not a silent truncation; formats that stream are not limited), streamed
 * from `streamMinBytes`, a cycler log read in pieces of `pieceBytes` from `piecewiseMinBytes`.
 */
export type LoadSettings = Pick<RuntimeSettings, 'maxFileBytes' | 'piecewiseMinBytes' | 'pieceBytes' | 'streamMinBytes'>;

export function sha256(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

export async function readHead(path: string, n = SNIFF_BYTES): Promise<{ head: Uint8Array; size: number }> {
  const fh = await open(path, 'r');
  try {
    const { size } = await fh.stat();
    const buf = new Uint8Array(Math.min(n, size));
    if (buf.length) await fh.read(buf, 0, buf.length, 0);
    return { head: buf, size };
  } finally {
    await fh.close();
  }
}

export async function detectFile(path: string): Promise<ReturnType<typeof detectFormat>> {
  const { head, size } = await readHead(path);
  return detectFormat(sniffInput(basename(path), head, size));
}

export interface LoadedFile {
  readonly path: string;
  readonly size: number;
  readonly sha256: string;
  readonly format: FormatParser;
  readonly records: CanonicalRecord[];
}

interface Resolved {
  readonly format: FormatParser;
  readonly detection: Detection | null;
  /** Every format whose sniffer saw a chance, best first (empty when the format was forced). */
  readonly candidates: readonly Detection[];
}

export function resolveFormat(path: string, head: Uint8Array, size: number, formatId?: string): Resolved {
  if (formatId) {
    const format = formatById(formatId);
    if (!format) {
      throw new ParseError({
        file: path,
        code: 'unrecognised-format',
        message: `unknown format id '${formatId}'`,
        expected: 'a supported format id',
        found: formatId,
      });
    }
    return { format, detection: null, candidates: [] };
  }
  const d = detectFormat(sniffInput(basename(path), head, size));
  if (!d.best) {
    throw new ParseError({ file: path, code: size === 0 ? 'empty-file' : 'unrecognised-format', offset: 0, message: d.reason ?? unrecognisedReason() });
  }
  return { format: d.best.format, detection: d.best, candidates: d.candidates };
}

async function runParser(format: FormatParser, input: ParseInput): Promise<ParsedRecord[]> {
  let parsed: ParsedRecord[];
  try {
    parsed = await format.parse(input);
  } catch (e) {
    if (e instanceof ParseError) throw e;
    // A parser bug must still surface as a typed, located error, not take the pipeline down.
    throw new ParseError({
      file: input.path,
      code: 'invalid',
      message: `${format.id} parser failed unexpectedly: ${(e as Error)?.message ?? String(e)}`,
    });
  }
  if (parsed.length === 0) {
    throw new ParseError({ file: input.path, code: 'no-data', message: `${format.id}: the file holds no records` });
  }
  return parsed;
}

function withProvenance(path: string, size: number, hash: string, { format, detection }: Resolved, parsed: ParsedRecord[]): LoadedFile {
  const records = parsed.map(
    (r, i): CanonicalRecord => ({
      ...r,
      kind: r.kind ?? detection?.kind ?? format.kind,
      format: format.id,
      provenance: { path, size, sha256: hash, parser: format.id, parserVersion: format.version, recordIndex: i },
    }),
  );
  return { path, size, sha256: hash, format, records };
}

/** Parse bytes already in memory (the pipelines hash and read once). */
export async function parseBytes(
  path: string,
  bytes: Uint8Array,
  opts: { formatId?: string; options?: Record<string, unknown>; hash?: string } = {},
): Promise<LoadedFile> {
  if (bytes.length === 0) {
    throw new ParseError({ file: path, code: 'empty-file', offset: 0, message: 'empty file (0 bytes)', expected: 'instrument data', found: '0 bytes' });
  }
  let resolved = resolveFormat(path, bytes, bytes.length, opts.formatId);
  const input: ParseInput = { path, bytes, options: opts.options };
  let parsed: ParsedRecord[] | undefined;
  try {
    parsed = await runParser(resolved.format, input);
  } catch (e) {
    // "Not mine" from the detected format: the other candidates get their turn (a workbook whose sheet
    // names the sniffers could not see). If none reads it, the first, most telling error stands.
    if (!(e instanceof ParseError) || e.code !== 'not-this-kind') throw e;
    for (const c of resolved.candidates) {
      if (c.format === resolved.format) continue;
      try {
        parsed = await runParser(c.format, input);
        resolved = { format: c.format, detection: c, candidates: resolved.candidates };
        break;
      } catch {
        // keep trying; the first error is reported
      }
    }
    if (!parsed) throw e;
  }
  return withProvenance(path, bytes.length, opts.hash ?? sha256(bytes), resolved, parsed);
}

/**
 * Parse a large file without holding it in memory: detect from its head, and when the format streams,
 * let it read the rest from the file in chunks. Returns null when the format needs the whole file's
 * bytes (the caller then reads them). `path` names the file in errors and provenance; `abs` is read.
 */
export async function parseStreamed(
  path: string,
  abs: string,
  opts: { formatId?: string; options?: Record<string, unknown>; hash?: string; size?: number } = {},
): Promise<LoadedFile | null> {
  const { head, size } = await readHeadUpTo(abs, opts.size);
  if (size === 0) return null;
  const resolved = resolveFormat(path, head, size, opts.formatId);
  if (!resolved.format.streams) return null;
  // No hash given (`interphase parse`): hash on another thread while this one parses (the parse keeps
  // a core busy only part of the time), instead of reading the file a second time afterwards.
  const hashing = opts.hash === undefined ? sha256FileAside(abs) : undefined;
  // With a hash given, read exactly the bytes that were hashed (a log may still be growing).
  const src = openFileSource(abs, opts.size);
  let parsed: ParsedRecord[];
  try {
    parsed = await runParser(resolved.format, { path, bytes: head, source: src, options: opts.options });
  } catch (e) {
    hashing?.cancel();
    throw e;
  } finally {
    src.close();
  }
  return withProvenance(path, src.size, opts.hash ?? (await hashing!.digest), resolved, parsed);
}

/** A file read in pieces: its record (no raw columns) and the per-cycle analysis made on the way. */
export interface LoadedInPieces extends LoadedFile {
  readonly analysis: CycleAnalysis;
  readonly rows: number;
}

/**
 * A cycler file too large to hold, summarised in pieces (`cycler-pieces.ts`). Null when its format
 * cannot be read that way (the caller then reads it whole, or refuses it).
 */
export async function loadInPieces(
  path: string,
  abs: string,
  opts: { formatId?: string; options?: Record<string, unknown>; hash?: string; cellType?: CellType | null; size?: number; pieceBytes?: number } = {},
): Promise<LoadedInPieces | null> {
  const { head, size } = await readHeadUpTo(abs, opts.size);
  if (size === 0) return null;
  const resolved = resolveFormat(path, head, size, opts.formatId);
  if (!resolved.format.streams || resolved.format.kind !== 'cycler') return null;
  const hashing = opts.hash === undefined ? sha256FileAside(abs) : undefined;
  let r: Awaited<ReturnType<typeof import('./cycler-pieces.js').analyzeCyclerInPieces>>;
  try {
    // Loaded only for a file this large: the per-cycle analysis it pulls in is not on `parse`'s start-up path.
    const { analyzeCyclerInPieces } = await import('./cycler-pieces.js');
    r = await analyzeCyclerInPieces(
      path,
      abs,
      resolved.format,
      { cellType: opts.cellType },
      { options: opts.options, size: opts.size, pieceBytes: opts.pieceBytes },
    );
  } catch (e) {
    hashing?.cancel();
    throw e;
  }
  const loaded = withProvenance(path, size, opts.hash ?? (await hashing!.digest), resolved, [r.record]);
  return { ...loaded, analysis: r.analysis, rows: r.rows };
}

/** The head for a streamed parse, and the size to read, both within `maxSize` when given. */
async function readHeadUpTo(abs: string, maxSize = Infinity): Promise<{ head: Uint8Array; size: number }> {
  const { head, size } = await readHead(abs, HEAD_BYTES);
  const n = Math.min(size, maxSize);
  return { head: head.subarray(0, Math.min(head.length, n)), size: n };
}

/** Read a whole file (size-checked first against `maxBytes`: a stated limit, not a silent truncation). */
export async function readFileBytes(path: string, maxBytes = DEFAULT_SETTINGS.maxFileBytes): Promise<Uint8Array> {
  return (await readWhole(path, false, maxBytes)).bytes;
}

/** A whole file and (when `hash`) its SHA-256 in one pass; ParseError 'too-large' above `maxBytes`, the fs error else. */
async function readWhole(abs: string, hash: boolean, maxBytes: number): Promise<{ bytes: Uint8Array; sha256: string }> {
  const r = await readAndHash(abs, maxBytes, Infinity, { hash });
  if (r.ok) return { bytes: r.bytes!, sha256: r.sha256 };
  if (r.status === 'too-large') {
    throw new ParseError({ file: abs, code: 'too-large', message: `file is ${r.size} bytes, over the ${maxBytes}-byte limit`, found: String(r.size) });
  }
  throw r.error;
}

/** Read size per chunk: the hash is updated while the file streams in. */
const CHUNK = 4 * 1024 * 1024;

const LOCKED_CODES = new Set(['EBUSY', 'EACCES', 'EPERM', 'ETXTBSY', 'EAGAIN']);

export type ReadOutcome =
  /** `bytes` is undefined when the file was only hashed (large files: parsed from disk in chunks). */
  | { readonly ok: true; readonly bytes: Uint8Array | undefined; readonly sha256: string; readonly size: number; readonly mtimeMs: number }
  | { readonly ok: false; readonly status: 'vanished'; readonly error: Error }
  | { readonly ok: false; readonly status: 'locked'; readonly message: string; readonly error: Error }
  | { readonly ok: false; readonly status: 'too-large'; readonly size: number; readonly mtimeMs: number };

/**
 * The one read-and-hash path (the pipelines' parse stage, `loadFromDisk`, `readFileBytes`): stream a file
 * into one buffer while hashing it. Files of `keepFrom` bytes or more are only hashed (one chunk in memory:
 * they are parsed from disk in chunks later). The size and mtime are those seen when the file was
 * opened: if the instrument appends meanwhile, the store keeps the older mtime and the next look
 * re-reads the file, so nothing appended is ever lost. `hash: false` skips the digest (sha256 '') when
 * the caller already has it.
 */
export async function readAndHash(
  abs: string,
  maxBytes: number,
  keepFrom = DEFAULT_SETTINGS.streamMinBytes,
  opts: { readonly hash?: boolean } = {},
): Promise<ReadOutcome> {
  let fh;
  try {
    fh = await open(abs, 'r');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code ?? '';
    if (LOCKED_CODES.has(code)) return { ok: false, status: 'locked', message: `${code}: ${(e as Error).message}`, error: e as Error };
    return { ok: false, status: 'vanished', error: e as Error };
  }
  try {
    const st = await fh.stat();
    if (!st.isFile()) return { ok: false, status: 'vanished', error: new Error(`${abs} is not a regular file`) };
    // Large files are only hashed here (one chunk in memory) and parsed from disk in chunks later; the
    // size limit is for files read whole (a cycler log of any size can be read in pieces).
    const keep = st.size < keepFrom;
    if (keep && st.size > maxBytes) return { ok: false, status: 'too-large', size: st.size, mtimeMs: st.mtimeMs };
    const buf = new Uint8Array(keep ? st.size : Math.min(CHUNK, st.size));
    const hash = opts.hash === false ? null : createHash('sha256');
    let pos = 0;
    while (pos < st.size) {
      const at = keep ? pos : 0;
      const { bytesRead } = await fh.read(buf, at, Math.min(CHUNK, buf.length - at, st.size - pos), pos);
      if (bytesRead === 0) break; // truncated while we read: hash what is there
      hash?.update(buf.subarray(at, at + bytesRead));
      pos += bytesRead;
    }
    // Shorter than at open (truncated meanwhile): a copy, so that `bytes.buffer` holds the file alone.
    const bytes = keep ? (pos === buf.length ? buf : buf.slice(0, pos)) : undefined;
    return { ok: true, bytes, sha256: hash ? hash.digest('hex') : '', size: pos, mtimeMs: st.mtimeMs };
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code ?? '';
    if (LOCKED_CODES.has(code)) return { ok: false, status: 'locked', message: `${code}: ${(e as Error).message}`, error: e as Error };
    return { ok: false, status: 'vanished', error: e as Error };
  } finally {
    await fh.close().catch(() => {});
  }
}

/**
 * A file from disk, read the cheapest way its size and format allow (`settings`, default
 * DEFAULT_SETTINGS): a cycler log from `piecewiseMinBytes` in pieces (bounded memory, fitted on the
 * way); from `streamMinBytes` streamed, when its format streams; else whole (refused above
 * `maxFileBytes`). `bytes`: the file, when the caller already holds it. `size` and `hash`: of the bytes
 * the caller hashed (a log may be growing). `path` names the file in errors and provenance; `abs` is read.
 */
export async function loadFromDisk(
  path: string,
  abs: string,
  opts: {
    formatId?: string;
    options?: Record<string, unknown>;
    hash?: string;
    size?: number;
    cellType?: CellType | null;
    bytes?: Uint8Array;
    settings?: LoadSettings;
  } = {},
): Promise<LoadedFile | LoadedInPieces> {
  work.filesParsed++;
  if (opts.bytes) return parseBytes(path, opts.bytes, opts);
  const s = opts.settings ?? DEFAULT_SETTINGS;
  const size = opts.size ?? (await stat(abs)).size;
  if (size >= s.piecewiseMinBytes) {
    const pieces = await loadInPieces(path, abs, { ...opts, size, pieceBytes: s.pieceBytes });
    if (pieces) return pieces;
  }
  if (size >= s.streamMinBytes) {
    const streamed = await parseStreamed(path, abs, { ...opts, size });
    if (streamed) return streamed;
  }
  // Read and hashed in one pass; not hashed when the caller has the hash (of the first `size` bytes).
  const sized = opts.size !== undefined;
  const whole = await readWhole(abs, opts.hash === undefined && !sized, s.maxFileBytes);
  return parseBytes(path, sized ? whole.bytes.subarray(0, opts.size) : whole.bytes, whole.sha256 ? { ...opts, hash: whole.sha256 } : opts);
}

export async function loadFile(
  path: string,
  opts: { formatId?: string; options?: Record<string, unknown>; settings?: LoadSettings } = {},
): Promise<LoadedFile | LoadedInPieces> {
  return loadFromDisk(path, path, opts);
}
