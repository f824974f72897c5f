/**
 * The per-cycle summary of a record too large to hold, assembled from summaries of consecutive pieces.
 *
 * Each piece after the first starts one row before the first cycle it contributes (the "stub" row: the
 * last row of the previous piece's last emitted cycle), so the interval attributed to that cycle's first
 * row, the counters' last values and the current sign before it are exactly those of the whole record.
 * A piece contributes its whole cycles only; the last (possibly cut) cycle is read again by the next
 * piece. Rests and half cycles are kept by the piece in whose cycles they start. Counts over intervals
 * (counter resets, bad intervals) are taken for the intervals up to the next piece's stub only.
 */
import type { CycleSummary, HalfCycles, RestSegments } from './summarize-cycles.js';

const PER_CYCLE_F64 = [
  'cycle',
  'startTime',
  'endTime',
  'chargeCapacity',
  'dischargeCapacity',
  'chargeEnergy',
  'dischargeEnergy',
  'restTime',
  'internalResistance',
  'plateauCharge',
  'plateauDischarge',
] as const;
const PER_CYCLE_ROWS = ['startRow', 'endRow'] as const;

type F64Key = (typeof PER_CYCLE_F64)[number];
type RowKey = (typeof PER_CYCLE_ROWS)[number];

/** What one piece contributes: plain arrays, row indices already global. */
export interface SummaryPart {
  readonly cycles: number;
  readonly f64: Record<F64Key, Float64Array>;
  readonly rows: Record<RowKey, Int32Array>;
  readonly collapseRow: Int32Array;
  readonly firstSign: Int8Array;
  readonly rests: RestSegments;
  readonly halfCycles: HalfCycles;
  readonly counterResets: number;
  readonly badIntervals: number;
}

function pickIdx<T extends Float64Array | Int32Array | Int8Array>(a: T, idx: readonly number[]): T {
  const out = new (a.constructor as new (n: number) => T)(idx.length);
  for (let j = 0; j < idx.length; j++) out[j] = a[idx[j]!]!;
  return out;
}

/**
 * Cycles [c0, c1) of a piece's summary. `rowBase`: global row of the piece's row 0. `cycleOffset` is
 * added to cycle numbers (derived numbering restarts in every piece). `counts`: the piece's counts minus
 * those the next piece will count again (see the module note).
 */
export function takeCycles(
  s: CycleSummary,
  c0: number,
  c1: number,
  rowBase: number,
  cycleOffset: number,
  counts: { counterResets: number; badIntervals: number },
): SummaryPart {
  const rowFrom = c0 < s.cycles ? s.startRow[c0]! : s.rows;
  const rowTo = c1 < s.cycles ? s.startRow[c1]! : s.rows;
  const timeFrom = c0 < s.cycles ? s.startTime[c0]! : Infinity;
  const timeTo = c1 < s.cycles ? s.startTime[c1]! : Infinity;
  const f64 = {} as Record<F64Key, Float64Array>;
  for (const k of PER_CYCLE_F64) f64[k] = s[k].slice(c0, c1);
  for (let j = 0; j < f64.cycle.length; j++) f64.cycle[j]! += cycleOffset;
  const rows = {} as Record<RowKey, Int32Array>;
  for (const k of PER_CYCLE_ROWS) {
    rows[k] = s[k].slice(c0, c1);
    for (let j = 0; j < rows[k].length; j++) rows[k][j]! += rowBase;
  }
  const collapseRow = s.collapseRow.slice(c0, c1);
  for (let j = 0; j < collapseRow.length; j++) if (collapseRow[j]! >= 0) collapseRow[j]! += rowBase;

  const r = s.rests;
  const ri: number[] = [];
  for (let j = 0; j < r.count; j++) if (r.startRow[j]! >= rowFrom && r.startRow[j]! < rowTo) ri.push(j);
  const rests: RestSegments = {
    count: ri.length,
    cycle: pickIdx(r.cycle, ri).map((x) => x + cycleOffset),
    startRow: pickIdx(r.startRow, ri).map((x) => x + rowBase),
    endRow: pickIdx(r.endRow, ri).map((x) => x + rowBase),
    startTime: pickIdx(r.startTime, ri),
    duration: pickIdx(r.duration, ri),
    voltageStart: pickIdx(r.voltageStart, ri),
    voltageEnd: pickIdx(r.voltageEnd, ri),
    drift: pickIdx(r.drift, ri),
    slope: pickIdx(r.slope, ri),
    midCycle: pickIdx(r.midCycle, ri),
  };
  const h = s.halfCycles;
  const hi: number[] = [];
  for (let j = 0; j < h.count; j++) if (h.startTime[j]! >= timeFrom && h.startTime[j]! < timeTo) hi.push(j);
  const halfCycles: HalfCycles = {
    count: hi.length,
    sign: pickIdx(h.sign, hi),
    cycle: pickIdx(h.cycle, hi).map((x) => x + cycleOffset),
    startTime: pickIdx(h.startTime, hi),
    endTime: pickIdx(h.endTime, hi),
    capacity: pickIdx(h.capacity, hi),
    energy: pickIdx(h.energy, hi),
  };
  return {
    cycles: c1 - c0,
    f64,
    rows,
    collapseRow,
    firstSign: s.firstSign.slice(c0, c1),
    rests,
    halfCycles,
    counterResets: counts.counterResets,
    badIntervals: counts.badIntervals,
  };
}

/**
 * True when a rest or half cycle that starts in cycles [c0, c1) runs to the piece's last row: it may go
 * on past the piece, so the piece must be read larger before its cycles are kept.
 */
export function runsToPieceEnd(s: CycleSummary, c0: number, c1: number, lastTime: number): boolean {
  const rowFrom = s.startRow[c0] ?? s.rows;
  const rowTo = c1 < s.cycles ? s.startRow[c1]! : s.rows;
  const r = s.rests;
  for (let j = 0; j < r.count; j++) if (r.startRow[j]! >= rowFrom && r.startRow[j]! < rowTo && r.endRow[j]! >= s.rows - 1) return true;
  const h = s.halfCycles;
  const t0 = s.startTime[c0] ?? Infinity;
  const t1 = c1 < s.cycles ? s.startTime[c1]! : Infinity;
  for (let j = 0; j < h.count; j++) if (h.startTime[j]! >= t0 && h.startTime[j]! < t1 && h.endTime[j]! >= lastTime) return true;
  return false;
}

function concat<T extends Float64Array | Int32Array | Int8Array>(arrays: readonly T[]): T {
  let n = 0;
  for (const a of arrays) n += a.length;
  const out = new (arrays[0]!.constructor as new (n: number) => T)(n);
  let at = 0;
  for (const a of arrays) {
    out.set(a as unknown as ArrayLike<number>, at);
    at += a.length;
  }
  return out;
}

/** The summary of the whole record from its pieces' parts (in order). */
export function mergeParts(
  parts: readonly SummaryPart[],
  whole: Pick<CycleSummary, 'rows' | 'restCurrentA' | 'capacitySource' | 'energySource' | 'cycleSource'>,
): CycleSummary {
  const f64 = {} as Record<F64Key, Float64Array>;
  for (const k of PER_CYCLE_F64) f64[k] = concat(parts.map((p) => p.f64[k]));
  const rows = {} as Record<RowKey, Int32Array>;
  for (const k of PER_CYCLE_ROWS) rows[k] = concat(parts.map((p) => p.rows[k]));
  const rs = parts.map((p) => p.rests);
  const hs = parts.map((p) => p.halfCycles);
  // Cycle numbers met again after other cycles (the table has a row per run).
  const seen = new Set<number>();
  let repeated = 0;
  for (const c of f64.cycle) {
    if (seen.has(c)) repeated++;
    else seen.add(c);
  }
  return {
    rows: whole.rows,
    cycles: f64.cycle.length,
    ...f64,
    ...rows,
    collapseRow: concat(parts.map((p) => p.collapseRow)),
    firstSign: concat(parts.map((p) => p.firstSign)),
    rests: {
      count: rs.reduce((a, r) => a + r.count, 0),
      cycle: concat(rs.map((r) => r.cycle)),
      startRow: concat(rs.map((r) => r.startRow)),
      endRow: concat(rs.map((r) => r.endRow)),
      startTime: concat(rs.map((r) => r.startTime)),
      duration: concat(rs.map((r) => r.duration)),
      voltageStart: concat(rs.map((r) => r.voltageStart)),
      voltageEnd: concat(rs.map((r) => r.voltageEnd)),
      drift: concat(rs.map((r) => r.drift)),
      slope: concat(rs.map((r) => r.slope)),
      midCycle: concat(rs.map((r) => r.midCycle)),
    },
    halfCycles: {
      count: hs.reduce((a, h) => a + h.count, 0),
      sign: concat(hs.map((h) => h.sign)),
      cycle: concat(hs.map((h) => h.cycle)),
      startTime: concat(hs.map((h) => h.startTime)),
      endTime: concat(hs.map((h) => h.endTime)),
      capacity: concat(hs.map((h) => h.capacity)),
      energy: concat(hs.map((h) => h.energy)),
    },
    restCurrentA: whole.restCurrentA,
    capacitySource: whole.capacitySource,
    energySource: whole.energySource,
    cycleSource: whole.cycleSource,
    counterResets: parts.reduce((a, p) => a + p.counterResets, 0),
    badIntervals: parts.reduce((a, p) => a + p.badIntervals, 0),
    repeatedCycleRuns: repeated,
  };
}
