/**
 * The edge where files become records: read bytes, hash, detect, parse, attach provenance.
 * Everything in here that is not I/O delegates to the pure parsers.
 */
import { createHash } from 'node:crypto';
import { open, readFile, stat } from 'node:fs/promises';
import { basename } from 'node:path';
import { detectFormat, formatById, sniffInput, unrecognisedReason, type Detection } from '../../parsers/index.js';
import { SNIFF_BYTES, type FormatParser } from '../../parsers/types.js';
import { ParseError } from '../model/errors.js';
import type { CanonicalRecord, ParsedRecord } from '../model/record.js';

/** Files above this size are refused (a stated limit, not a silent truncation). Override with INTERPHASE_MAX_FILE_MB. */
export const MAX_FILE_BYTES = Number(process.env.INTERPHASE_MAX_FILE_MB ?? 4096) * 1024 * 1024;

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

/** Parse bytes already in memory (the pipelines hash and read once). */
export async function parseBytes(
  path: string,
  bytes: Uint8Array,
  opts: { formatId?: string; options?: Record<string, unknown>; hash?: string } = {},
): Promise<LoadedFile> {
  if (bytes.length === 0) {
    throw new ParseError({ file: path, code: 'empty-file', offset: 0, message: 'empty file (0 bytes)', expected: 'instrument data', found: '0 bytes' });
  }
  let format: FormatParser | undefined;
  let detection: Detection | null = null;
  if (opts.formatId) {
    format = formatById(opts.formatId);
    if (!format) {
      throw new ParseError({ file: path, code: 'unrecognised-format', message: `unknown format id '${opts.formatId}'`, expected: 'a supported format id', found: opts.formatId });
    }
  } else {
    const d = detectFormat(sniffInput(basename(path), bytes, bytes.length));
    detection = d.best;
    if (!d.best) {
      throw new ParseError({ file: path, code: bytes.length === 0 ? 'empty-file' : 'unrecognised-format', offset: 0, message: d.reason ?? unrecognisedReason() });
    }
    format = d.best.format;
  }
  let parsed: ParsedRecord[];
  try {
    parsed = await format.parse({ path, bytes, options: opts.options });
  } catch (e) {
    if (e instanceof ParseError) throw e;
    // A parser bug must still surface as a typed, located error, not take the pipeline down.
    throw new ParseError({
      file: path, code: 'invalid',
      message: `${format.id} parser failed unexpectedly: ${(e as Error)?.message ?? String(e)}`,
    });
  }
  if (parsed.length === 0) {
    throw new ParseError({ file: path, code: 'no-data', message: `${format.id}: the file holds no records` });
  }
  const hash = opts.hash ?? sha256(bytes);
  const records = parsed.map((r, i): CanonicalRecord => ({
    ...r,
    kind: r.kind ?? detection?.kind ?? format!.kind,
    format: format!.id,
    provenance: { path, size: bytes.length, sha256: hash, parser: format!.id, parserVersion: format!.version, recordIndex: i },
  }));
  return { path, size: bytes.length, sha256: hash, format, records };
}

/** Read a whole file (size-checked first: a stated limit, not a silent truncation). */
export async function readFileBytes(path: string): Promise<Uint8Array> {
  const st = await stat(path);
  if (st.size > MAX_FILE_BYTES) {
    throw new ParseError({ file: path, code: 'too-large', message: `file is ${st.size} bytes, over the ${MAX_FILE_BYTES}-byte limit`, found: String(st.size) });
  }
  return new Uint8Array(await readFile(path));
}

export async function loadFile(path: string, opts: { formatId?: string; options?: Record<string, unknown> } = {}): Promise<LoadedFile> {
  return parseBytes(path, await readFileBytes(path), opts);
}
