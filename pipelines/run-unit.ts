/**
 * Running one work unit: the CPU-heavy part of the pipeline, with no store access. The same code runs
 * in-process (pool size 0, watch) and inside a worker thread (pipelines/worker.ts).
 */
import { join } from 'node:path';
import { ParseError } from '../src/records/errors.js';
import { loadFromDisk, readAndHash, type LoadedFile, type LoadedInPieces, type LoadSettings } from '../src/io/load.js';
import { DEFAULT_SETTINGS } from '../src/settings.js';
import { cycleOutcome } from '../src/fit/cycles/fitter.js';
import type { CellContext, FitOutcome } from '../src/fit/types.js';
import { fitRecord, withSettings } from '../src/fit/index.js';
import { analyzeSummary } from '../src/fit/cycles/analyze-cycles.js';
import { cycleOptionsFromSettings, resolveCycleOptions } from '../src/fit/cycles/options.js';
import { recordId } from '../src/store/store.js';
import { matchCompanion, readCompanion, type CompanionFields } from '../parsers/companions.js';
import type { FitCellResult, FitCellUnit, ParseFileResult, ParseFileUnit, WireParseError, WorkResult, WorkUnit } from './work-units.js';

export { readAndHash, type ReadOutcome } from '../src/io/load.js';

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
        status: 'failed',
        path: u.path,
        sha256: '',
        size: read.size,
        mtimeMs: read.mtimeMs,
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
    return {
      status: 'sidecar',
      path: u.path,
      sha256,
      size,
      mtimeMs,
      rule: companion.rule.id,
      ruleVersion: companion.rule.version,
      dataPaths: companion.dataPaths,
      fields,
    };
  }
  try {
    const loaded = await loadFromDisk(u.path, join(u.folder, u.path), {
      bytes,
      hash: sha256,
      size,
      formatId: u.formatId,
      options: u.options,
      cellType: u.cell.cellType,
      settings,
    });
    const outcomes = fitsOfLoaded(loaded, u.cell);
    return {
      status: 'parsed',
      path: u.path,
      sha256,
      size,
      mtimeMs,
      format: loaded.format.id,
      parserVersion: loaded.format.version,
      records: loaded.records,
      fits: loaded.records.map((r, i) => ({ recordIndex: r.provenance.recordIndex, outcomes: outcomes[i]! })),
      ms: performance.now() - t0,
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
