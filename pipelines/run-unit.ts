/**
 * Running one work unit: the CPU-heavy part of the pipeline, with no store access. The same code runs
 * in-process (pool size 0, watch) and inside a worker thread (pipelines/worker.ts).
 */
import { open } from 'node:fs/promises';
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { ParseError } from '../src/records/errors.js';
import { loadFromDisk, type LoadedFile, type LoadedInPieces, type LoadSettings } from '../src/io/load.js';
import { DEFAULT_SETTINGS } from '../src/settings.js';
import { cycleOutcome } from '../src/fit/cycles/fitter.js';
import type { CellContext, FitOutcome } from '../src/fit/types.js';
import { fitRecord, withSettings } from '../src/fit/index.js';
import { analyzeSummary } from '../src/fit/cycles/analyze-cycles.js';
import { cycleOptionsFromSettings, resolveCycleOptions } from '../src/fit/cycles/options.js';
import { recordId } from '../src/store/store.js';
import { matchCompanion, readCompanion, type CompanionFields } from '../parsers/companions.js';
import type { FitCellResult, FitCellUnit, ParseFileResult, ParseFileUnit, WireParseError, WorkResult, WorkUnit } from './work-units.js';

/** Read size per chunk: the hash is updated while the file streams in. */
const CHUNK = 4 * 1024 * 1024;

const LOCKED_CODES = new Set(['EBUSY', 'EACCES', 'EPERM', 'ETXTBSY', 'EAGAIN']);

export type ReadOutcome =
  /** `bytes` is undefined when the file was only hashed (large files: parsed from disk in chunks). */
  | { readonly ok: true; readonly bytes: Uint8Array | undefined; readonly sha256: string; readonly size: number; readonly mtimeMs: number }
  | { readonly ok: false; readonly status: 'vanished' }
  | { readonly ok: false; readonly status: 'locked'; readonly message: string }
  | { readonly ok: false; readonly status: 'too-large'; readonly size: number; readonly mtimeMs: number };

/**
 * Stream a file into one buffer while hashing it. The size and mtime are those seen when the file was
 * opened: if the instrument appends meanwhile, the store keeps the older mtime and the next look
 * re-reads the file, so nothing appended is ever lost.
 */
export async function readAndHash(abs: string, maxBytes: number, keepFrom = DEFAULT_SETTINGS.streamMinBytes): Promise<ReadOutcome> {
  let fh;
  try {
    fh = await open(abs, 'r');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code ?? '';
    if (LOCKED_CODES.has(code)) return { ok: false, status: 'locked', message: `${code}: ${(e as Error).message}` };
    return { ok: false, status: 'vanished' };
  }
  try {
    const st = await fh.stat();
    if (!st.isFile()) return { ok: false, status: 'vanished' };
    // Large files are only hashed here (one chunk in memory) and parsed from disk in chunks later; the
    // size limit is for files read whole (a cycler log of any size can be read in pieces).
    const keep = st.size < keepFrom;
    if (keep && st.size > maxBytes) return { ok: false, status: 'too-large', size: st.size, mtimeMs: st.mtimeMs };
    const buf = new Uint8Array(keep ? st.size : Math.min(CHUNK, st.size));
    const hash = createHash('sha256');
    let pos = 0;
    while (pos < st.size) {
      const at = keep ? pos : 0;
      const { bytesRead } = await fh.read(buf, at, Math.min(CHUNK, buf.length - at, st.size - pos), pos);
      if (bytesRead === 0) break; // truncated while we read: hash what is there
      hash.update(buf.subarray(at, at + bytesRead));
      pos += bytesRead;
    }
    const bytes = keep ? (pos === buf.length ? buf : buf.subarray(0, pos)) : undefined;
    return { ok: true, bytes, sha256: hash.digest('hex'), size: pos, mtimeMs: st.mtimeMs };
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code ?? '';
    if (LOCKED_CODES.has(code)) return { ok: false, status: 'locked', message: `${code}: ${(e as Error).message}` };
    return { ok: false, status: 'vanished' };
  } finally {
    await fh.close().catch(() => {});
  }
}

/**
 * Fit outcomes per record: a file read in pieces was summarised while it was read; its per-cycle
 * summary is analysed again here with the manifest's cycling settings (they act after the summary).
 */
export function fitsOfLoaded(loaded: LoadedFile | LoadedInPieces, cell: CellContext): FitOutcome[][] {
  if (!('analysis' in loaded)) return loaded.records.map((r) => fitRecord(r, cell));
  const a = loaded.analysis;
  const own = cycleOptionsFromSettings(cell.analysis?.cycling);
  const analysis = Object.keys(own).length ? analyzeSummary(a.summary, a.convention, resolveCycleOptions({ ...a.options, ...own })) : a;
  return [[withSettings(cycleOutcome(analysis), 'cycler', cell.analysis)]];
}

function wireError(path: string, e: unknown): WireParseError {
  if (e instanceof ParseError) {
    return { file: e.file, code: e.code, message: stripLocation(e), line: e.line, offset: e.offset, column: e.column, expected: e.expected, found: e.found };
  }
  return { file: path, code: 'invalid', message: (e as Error)?.message ?? String(e) };
}

/** ParseError.message is already formatted (`file:line: msg [column] (expected…)`); recover the bare message so the main thread can rebuild the same error. */
function stripLocation(e: ParseError): string {
  const init = { file: e.file, code: e.code, line: e.line, offset: e.offset, column: e.column, expected: e.expected, found: e.found };
  const where = e.line !== undefined ? `:${e.line}` : e.offset !== undefined ? `@${e.offset}` : '';
  const pre = `${e.file}${where}: `;
  const tail = ParseError.format({ ...init, message: '' }).slice(pre.length);
  if (e.message.startsWith(pre) && e.message.endsWith(tail) && e.message.length >= pre.length + tail.length) {
    return e.message.slice(pre.length, e.message.length - tail.length);
  }
  return e.message;
}

/** Detect → parse → fit one file, reading it as `settings` say (the size limit is the unit's). Never throws for bad input. */
export async function runParseFileUnit(u: ParseFileUnit, settings: LoadSettings = DEFAULT_SETTINGS): Promise<ParseFileResult> {
  const t0 = performance.now();
  const read = await readAndHash(join(u.folder, u.path), u.maxBytes, settings.streamMinBytes);
  if (!read.ok) {
    if (read.status === 'too-large') {
      return {
        status: 'failed', path: u.path, sha256: '', size: read.size, mtimeMs: read.mtimeMs,
        error: { file: u.path, code: 'too-large', message: `file is ${read.size} bytes, over the ${u.maxBytes}-byte limit`, found: String(read.size) },
      };
    }
    return read.status === 'locked' ? { status: 'locked', path: u.path, message: read.message } : { status: 'vanished', path: u.path };
  }
  const { bytes, sha256, size, mtimeMs } = read;
  if (!u.force && u.known && u.known.sha256 === sha256 && (u.known.cellId === u.cellId || u.known.status === 'parsed')) {
    // Same bytes. If only the cell changed, the store stage re-assigns and the fit stage re-fits from the store.
    return { status: 'same-hash', path: u.path, sha256, size, mtimeMs, cellChanged: u.known.cellId !== u.cellId };
  }
  // A metadata companion of a data file (not forced to a format by the manifest): its fields, no records.
  const companion = !u.formatId && bytes ? matchCompanion(u.path, bytes) : null;
  if (companion) {
    let fields: CompanionFields;
    try {
      fields = readCompanion(companion.rule, bytes!);
    } catch (e) {
      fields = { unreadable: (e as Error)?.message ?? String(e) };
    }
    return { status: 'sidecar', path: u.path, sha256, size, mtimeMs, rule: companion.rule.id, ruleVersion: companion.rule.version, dataPaths: companion.dataPaths, fields };
  }
  try {
    const loaded = await loadFromDisk(u.path, join(u.folder, u.path), { bytes, hash: sha256, size, formatId: u.formatId, options: u.options, cellType: u.cell.cellType, settings });
    const outcomes = fitsOfLoaded(loaded, u.cell);
    return {
      status: 'parsed', path: u.path, sha256, size, mtimeMs, format: loaded.format.id, parserVersion: loaded.format.version,
      records: loaded.records, fits: loaded.records.map((r, i) => ({ recordIndex: r.provenance.recordIndex, outcomes: outcomes[i]! })), ms: performance.now() - t0,
    };
  } catch (e) {
    return { status: 'failed', path: u.path, sha256, size, mtimeMs, error: wireError(u.path, e) };
  }
}

/** Fit records again (no parse) with the cell's current context. */
export function runFitCellUnit(u: FitCellUnit): FitCellResult {
  return {
    type: 'fit-cell',
    cellId: u.cellId,
    fits: u.records.map((r, i) => ({ recordId: recordId(r.provenance.sha256, r.provenance.recordIndex), outcomes: u.outcomes?.[i] ?? fitRecord(r, u.cell) })),
  };
}

export async function runUnit(u: WorkUnit, settings: LoadSettings = DEFAULT_SETTINGS): Promise<WorkResult> {
  return u.type === 'parse-file' ? runParseFileUnit(u, settings) : runFitCellUnit(u);
}
