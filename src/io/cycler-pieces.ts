/**
 * Cycler logs larger than memory: read in pieces (`pieceBytes`, src/settings.ts), each parsed by the file's own format
 * parser (header block + that piece's lines, as if it were a small file), summarised per cycle and
 * dropped. Memory is bounded by one piece's columns whatever the file's size; the raw columns are never
 * held for the whole file, the per-cycle analysis is (see src/fit/cycles/piecewise.ts for why the
 * pieces' summaries add up to the whole record's).
 */
import { HEAD_BYTES, type FormatParser } from '../../parsers/types.js';
import { DataRegion, openFileSource, readInto, readRange, type ByteSource } from '../../parsers/text/chunked-scan.js';
import { ParseError } from '../records/errors.js';
import type { ParsedRecord, ParseWarning } from '../records/record.js';
import { cyclerSeries, type CyclerSeries } from '../fit/cycles/cycler-series.js';
import { summarizeCycles, type CycleSummary } from '../fit/cycles/summarize-cycles.js';
import { analyzeSummary, wantsPlateaus, type CycleAnalysis } from '../fit/cycles/analyze-cycles.js';
import { cycleConvention, type CellType } from '../fit/cycles/convention.js';
import { resolveCycleOptions, type CycleOptions, type ResolvedCycleOptions } from '../fit/cycles/options.js';
import { mergeParts, runsToPieceEnd, takeCycles, type SummaryPart } from '../fit/cycles/piecewise.js';
import { DEFAULT_SETTINGS } from '../settings.js';

export interface PiecewiseResult {
  /** The file's record without raw columns (meta and warnings of all pieces). */
  readonly record: ParsedRecord;
  readonly analysis: CycleAnalysis;
  readonly rows: number;
  readonly pieces: number;
  /** Most rows held at once (one piece): the memory bound, whatever the file's length. */
  readonly maxPieceRows: number;
}

/** The file's header block followed by bytes [from, to) of the file, as one virtual file. */
function pieceSource(file: ByteSource, header: Uint8Array, from: number, to: number): ByteSource {
  const hl = header.length;
  return {
    path: file.path,
    size: hl + (to - from),
    wantRowStarts: true,
    // Past the header block, position p is file byte p + (from − hl): a second thread reads it itself.
    ...(file.file ? { file: { path: file.file.path, delta: file.file.delta + from - hl, from: hl } } : {}),
    read(target, position) {
      let n = 0;
      if (position < hl) {
        n = Math.min(target.length, hl - position);
        target.set(header.subarray(position, position + n));
      }
      const at = from + (position + n - hl);
      const want = Math.max(0, Math.min(target.length - n, to - at));
      return n + (want > 0 ? readInto(file, target, n, at, want) : 0);
    },
  };
}

function series(s: CyclerSeries, from: number): CyclerSeries {
  const cut = (a: CyclerSeries['time'] | undefined) => (a ? (a as Float64Array).subarray(from) : undefined);
  return {
    rows: s.rows - from,
    time: cut(s.time)!,
    voltage: cut(s.voltage)!,
    current: cut(s.current)!,
    cycle: cut(s.cycle),
    step: cut(s.step),
    chargeCapacity: cut(s.chargeCapacity),
    dischargeCapacity: cut(s.dischargeCapacity),
    chargeEnergy: cut(s.chargeEnergy),
    dischargeEnergy: cut(s.dischargeEnergy),
    internalResistance: cut(s.internalResistance),
  };
}

/** Where the format's table lies: the parser runs on the head only and the scanner reports instead of reading. */
async function dataRegion(format: FormatParser, path: string, file: ByteSource, head: Uint8Array): Promise<DataRegion> {
  const probe: ByteSource = { path: file.path, size: file.size, read: file.read, probeRegion: true };
  try {
    await format.parse({ path, bytes: head, source: probe });
  } catch (e) {
    if (e instanceof DataRegion) return e;
    throw e;
  }
  throw new ParseError({ file: path, code: 'invalid', message: `${format.id}: no table found to read in pieces` });
}

function mergeWarnings(into: Map<string, ParseWarning>, ws: readonly ParseWarning[], lineShift: () => number): void {
  for (const w of ws) {
    const key = `${w.code}|${w.message.replace(/\d+/g, '#')}`;
    const prev = into.get(key);
    if (!prev) into.set(key, w.line !== undefined ? { ...w, line: w.line + lineShift() } : w);
    else if (prev.rows !== undefined || w.rows !== undefined) into.set(key, { ...prev, rows: (prev.rows ?? 0) + (w.rows ?? 0) });
  }
}

/**
 * Per-cycle analysis of a cycler file of any size, in pieces. `format` must stream (`streams: true`):
 * its table is one block of lines to the end of the file.
 */
export async function analyzeCyclerInPieces(
  path: string,
  abs: string,
  format: FormatParser,
  cell: { cellType?: CellType | string | null },
  opts: { options?: Record<string, unknown>; cycleOptions?: Partial<CycleOptions>; pieceBytes?: number; size?: number } = {},
): Promise<PiecewiseResult> {
  if (!format.streams || format.kind !== 'cycler') {
    throw new ParseError({ file: path, code: 'too-large', message: `${format.id} cannot be read in pieces; the file is too large to read whole` });
  }
  const file = openFileSource(abs, opts.size);
  try {
    const head = readRange(file, 0, Math.min(HEAD_BYTES, file.size - 1));
    const region = await dataRegion(format, path, file, head);
    const header = readRange(file, 0, region.start);
    const convention = cycleConvention(cell.cellType as CellType | undefined);
    let options: ResolvedCycleOptions = resolveCycleOptions(opts.cycleOptions ?? {});
    const plateaus = wantsPlateaus(convention);
    const pieceBytes = opts.pieceBytes ?? DEFAULT_SETTINGS.pieceBytes; // bytes parsed at a time: memory ≈ this piece's columns
    const parts: SummaryPart[] = [];
    const warnings = new Map<string, ParseWarning>();
    let first: { record: ParsedRecord; summary: CycleSummary } | undefined;
    let pos = region.start;
    let rowBase = 0;
    // Lines of the table before the current piece: counted only when an error or a warning needs a line
    // number (counting reads the file again).
    const lineShift = (): number => (pos > region.start ? countLines(file, region.start, pos) : 0);
    let lastCycle = 0;
    let size = pieceBytes;
    let pieces = 0;
    let totalRows = 0;
    let carryLocal = 0;
    let maxPieceRows = 0;
    for (;;) {
      let end = Math.min(file.size, pos + size);
      if (end < file.size) {
        // End the piece after a newline (a line longer than 1 MB just makes the piece longer).
        const win = readRange(file, end, 1 << 20);
        const nl = win.indexOf(10);
        end = nl >= 0 ? end + nl + 1 : Math.min(file.size, end + win.length);
      }
      const last = end >= file.size;
      const src = pieceSource(file, header, pos, end);
      const vhead = readRange(src, 0, Math.min(HEAD_BYTES, src.size - 1));
      let recs: ParsedRecord[];
      try {
        recs = await format.parse({ path, bytes: vhead, source: src, options: opts.options });
      } catch (e) {
        // Line numbers inside a piece are the piece's: shift them to the file's.
        if (e instanceof ParseError && e.line !== undefined && pos > region.start) {
          throw ParseError.atLine(e, e.line + lineShift());
        }
        throw e;
      }
      const record = recs[0];
      const rowStarts = src.rowStarts;
      const n = record?.columns[0]?.values.length ?? 0;
      if (recs.length !== 1 || !record || !rowStarts || rowStarts.length !== n) {
        throw new ParseError({
          file: path,
          code: 'too-large',
          message: `${format.id}: this file interleaves records (e.g. impedance points in a cycling file) and is too large to read whole; split the export`,
        });
      }
      maxPieceRows = Math.max(maxPieceRows, n);
      const ser = cyclerSeries(record);
      const s = summarizeCycles({ series: ser, convention, options, plateauVoltages: plateaus });
      pieces++;
      // Piece k > 0 starts `carryLocal` rows before the first cycle it contributes (the stub rows, which
      // belong to the cycle kept before): its cycles that start earlier are that cycle's tail.
      let c0 = 0;
      while (c0 < s.cycles && s.startRow[c0]! < carryLocal) c0++;
      const cycleOffset = s.cycleSource === 'current-sign' && parts.length > 0 ? lastCycle - s.cycle[0]! : 0;
      const lastTime = ser.time[n - 1]!;
      if (!last && (s.cycles - 1 <= c0 || runsToPieceEnd(s, c0, s.cycles - 1, lastTime))) {
        size *= 2; // one cycle (or one rest) longer than the piece: read a larger piece from the same place
        continue;
      }
      if (!first) {
        first = { record, summary: s };
        options = { ...options, restCurrentA: s.restCurrentA };
      }
      mergeWarnings(warnings, record.warnings ?? [], lineShift);
      const c1 = last ? s.cycles : s.cycles - 1;
      let counts = { counterResets: s.counterResets, badIntervals: s.badIntervals };
      let stub = n;
      if (!last) {
        // The next piece starts at the last non-rest row before the cycle it carries, so the current sign
        // before that cycle (and with it derived cycle numbers and half cycles) is the whole file's.
        const carry = s.startRow[c1]!;
        const restA = s.restCurrentA;
        stub = carry - 1;
        while (stub > s.startRow[c0]! && !(Math.abs(ser.current[stub]!) > restA)) stub--;
        carryLocal = carry - stub;
        const again = summarizeCycles({ series: series(ser, stub), convention, options, plateauVoltages: false });
        counts = { counterResets: s.counterResets - again.counterResets, badIntervals: s.badIntervals - again.badIntervals };
      }
      const part = takeCycles(s, c0, c1, rowBase, cycleOffset, counts);
      parts.push(part);
      if (part.cycles > 0) lastCycle = part.f64.cycle[part.cycles - 1]!;
      if (last) {
        totalRows = rowBase + n;
        break;
      }
      // The next piece starts at the stub row.
      const stubAt = pos + (rowStarts[stub]! - header.length);
      rowBase += stub;
      pos = stubAt;
      size = pieceBytes;
    }
    const summary = mergeParts(parts, {
      rows: totalRows,
      restCurrentA: first!.summary.restCurrentA,
      capacitySource: first!.summary.capacitySource,
      energySource: first!.summary.energySource,
      cycleSource: first!.summary.cycleSource,
    });
    const analysis = analyzeSummary(summary, convention, options);
    const rec = first!.record;
    const record: ParsedRecord = {
      ...rec,
      columns: [],
      warnings: [...warnings.values()],
      meta: {
        ...rec.meta,
        readInPieces: `${pieces} pieces of ≤ ${Math.round(pieceBytes / 1048576)} MB; ${totalRows} rows summarised per cycle, raw columns not kept`,
        rows: totalRows,
      },
    };
    return { record, analysis, rows: totalRows, pieces, maxPieceRows };
  } finally {
    file.close();
  }
}

function countLines(file: ByteSource, from: number, to: number): number {
  const buf = new Uint8Array(1 << 20);
  let lines = 0;
  for (let p = from; p < to; ) {
    const k = readInto(file, buf, 0, p, Math.min(buf.length, to - p));
    if (k <= 0) break;
    for (let i = 0; i < k; i++) if (buf[i] === 10) lines++;
    p += k;
  }
  return lines;
}
