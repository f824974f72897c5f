/**
 * One cell, many files: the cycler records assigned to one cell (a test split by instrument restarts, a
 * resumed test, cycling interrupted for impedance, Maccor continuation files `.002`, `.003`) joined into
 * one history before the cycle fit. Pure: records in, one column set and a report of every join out.
 *
 * - Order: by the wall clock when every file can be placed on it (meta start time, or an absolute
 *   Unix Time column); otherwise by file name (natural order, so `.002` < `.010`), and the result says so.
 * - Time: Test Time continues on the clock (t − t₀ + start_k − start₀); without a clock the next file
 *   starts where the previous one ended and the gap is unknown (NaN).
 * - Time of day without a date (Maccor continuation `DPt Time`): the date is carried over from the end of
 *   the previous file and rolled at midnight (a time of day earlier than the previous one is the next day).
 * - Cycle Count: a file whose first cycle number is lower than the previous file's last (the instrument
 *   restarted its count) is offset to continue; a file that carries the count on is left as written (its
 *   first cycle continues the previous file's last cycle when the number is the same).
 * - Capacity / energy counters that never fall inside a file (test-scoped) are offset by the previous
 *   file's last value so they continue; counters that reset per step or cycle are left to the fitter.
 * - Every join is reported: the gap (s), and an overlap warning when a file starts before the previous ended.
 */
import type { Column } from '../records/record.js';
import { CYCLER } from '../records/names.js';

export interface StitchPiece {
  /** Record id (or any id the caller wants back in the report). */
  readonly id: string;
  readonly path: string;
  readonly columns: readonly Column[];
  /** Wall-clock start of the file (Unix s, UTC wall clock), when the file states one. */
  readonly startUnix?: number;
  /** The Unix Time column holds a time of day (s since midnight) without a date (Maccor continuation). */
  readonly timeOfDayOnly?: boolean;
}

export interface StitchJoin {
  readonly from: string;
  readonly to: string;
  /** Seconds between the previous file's last row and this file's first row (NaN when no clock places them). */
  readonly gapS: number;
  /** Seconds the two files overlap on the clock (0 when they do not). */
  readonly overlapS: number;
  /** Added to this file's Cycle Count. */
  readonly cycleOffset: number;
  readonly placedBy: 'clock' | 'file name';
  readonly message: string;
}

export interface StitchResult {
  readonly columns: Column[];
  /** Piece ids in stitched order. */
  readonly order: readonly string[];
  readonly orderedBy: 'clock' | 'file name';
  readonly joins: readonly StitchJoin[];
  /** Everything a reader should know: ordering basis, dropped columns, dates carried over, overlaps. */
  readonly messages: readonly string[];
}

const COUNTERS = [CYCLER.chargeCapacity.name, CYCLER.dischargeCapacity.name, CYCLER.chargeEnergy.name, CYCLER.dischargeEnergy.name];
const DAY = 86400;

/** Column a parser writes when its clock is a time of day without a date (s since midnight). */
export const TIME_OF_DAY = { name: 'Time of Day', unit: 's' } as const;

/** Natural file-name order: digit runs compare as numbers (`C1.002` < `C1.010`, `part2` < `part10`). */
export function naturalCompare(a: string, b: string): number {
  return a.localeCompare(b, 'en', { numeric: true, sensitivity: 'base' });
}

function get(p: StitchPiece, name: string): Column | undefined {
  return p.columns.find((c) => c.name === name);
}

function firstFinite(v: ArrayLike<number>): number {
  for (let i = 0; i < v.length; i++) if (Number.isFinite(v[i]!)) return i;
  return -1;
}

function lastFinite(v: ArrayLike<number>): number {
  for (let i = v.length - 1; i >= 0; i--) if (Number.isFinite(v[i]!)) return i;
  return -1;
}

/** Absolute clock of every row of a piece (Unix s), or null when the piece cannot be placed on its own. */
function ownClock(p: StitchPiece): Float64Array | null {
  const t = get(p, CYCLER.testTime.name)!.values;
  const unix = get(p, CYCLER.unixTime.name)?.values;
  if (p.timeOfDayOnly) return null;
  if (unix && firstFinite(unix) >= 0) {
    const i = firstFinite(unix);
    const t0 = unix[i]! - t[i]!;
    return Float64Array.from(t, (x) => t0 + x);
  }
  if (p.startUnix !== undefined && Number.isFinite(p.startUnix)) {
    const t0 = t[firstFinite(t)] ?? 0;
    return Float64Array.from(t, (x) => p.startUnix! + (x - t0));
  }
  return null;
}

/**
 * A time-of-day-only piece placed after `prevEnd` (Unix s): the date of prevEnd carried over, rolled by a
 * day whenever the time of day goes backwards (midnight) — also before the first row, if it is earlier
 * in the day than prevEnd.
 */
function carryDate(p: StitchPiece, prevEnd: number): Float64Array {
  const tod = get(p, TIME_OF_DAY.name)!.values;
  const t = get(p, CYCLER.testTime.name)!.values;
  const out = new Float64Array(tod.length);
  let day = Math.floor(prevEnd / DAY) * DAY;
  let prev = prevEnd - day;
  for (let i = 0; i < tod.length; i++) {
    let s = tod[i]!;
    if (!Number.isFinite(s)) {
      // no clock on this row: follow Test Time from the last placed row
      out[i] = i > 0 ? out[i - 1]! + (t[i]! - t[i - 1]!) : NaN;
      continue;
    }
    s = ((s % DAY) + DAY) % DAY;
    if (s < prev - 1e-6) day += DAY; // midnight passed
    prev = s;
    out[i] = day + s;
  }
  return out;
}

export function stitchCyclerRecords(pieces: readonly StitchPiece[]): StitchResult {
  if (!pieces.length) throw new Error('stitch: no records');
  for (const p of pieces) {
    for (const q of [CYCLER.testTime, CYCLER.voltage, CYCLER.current]) {
      if (!get(p, q.name)) throw new Error(`stitch: ${p.path} has no '${q.name}' column`);
    }
  }
  const messages: string[] = [];
  const clocks = new Map(pieces.map((p) => [p.id, ownClock(p)]));
  const allClock = pieces.every((p) => clocks.get(p.id));
  let ordered: StitchPiece[];
  let orderedBy: 'clock' | 'file name';
  if (allClock) {
    ordered = [...pieces].sort(
      (a, b) => clocks.get(a.id)![firstFinite(clocks.get(a.id)!)]! - clocks.get(b.id)![firstFinite(clocks.get(b.id)!)]! || naturalCompare(a.path, b.path),
    );
    orderedBy = 'clock';
    messages.push(`${pieces.length} files ordered by their clock (start times)`);
  } else {
    ordered = [...pieces].sort((a, b) => naturalCompare(a.path, b.path));
    orderedBy = 'file name';
    const blind = pieces.filter((p) => !clocks.get(p.id)).map((p) => p.path);
    messages.push(
      `${pieces.length} files ordered by file name, not by clock: ${blind.join(', ')} ${blind.length === 1 ? 'has' : 'have'} no date on ${blind.length === 1 ? 'its' : 'their'} clock`,
    );
  }

  // Columns kept: numeric (no levels), present in every piece with the same unit.
  const clockCols: string[] = [CYCLER.unixTime.name, TIME_OF_DAY.name];
  const names = ordered[0]!.columns.filter((c) => !c.levels && !clockCols.includes(c.name)).map((c) => c.name);
  const kept = names.filter((n) =>
    ordered.every((p) => {
      const c = get(p, n);
      return c && !c.levels && c.unit === get(ordered[0]!, n)!.unit;
    }),
  );
  const dropped = new Set<string>();
  for (const p of ordered) for (const c of p.columns) if (!kept.includes(c.name) && !clockCols.includes(c.name)) dropped.add(c.name);
  if (dropped.size) messages.push(`columns not in every file (or categorical) are not stitched: ${[...dropped].join(', ')}`);

  const total = ordered.reduce((s, p) => s + get(p, CYCLER.testTime.name)!.values.length, 0);
  const out = new Map<string, Float64Array>(kept.map((n) => [n, new Float64Array(total)]));
  const unixOut = new Float64Array(total);
  let everyClock = true;
  const joins: StitchJoin[] = [];
  let at = 0;
  let t0Abs = NaN; //         clock of the stitched Test Time 0
  let prevEndAbs = NaN; //    clock of the previous piece's last row
  let prevEndT = NaN; //      stitched Test Time of the previous piece's last row
  let prevLastCycle = NaN;
  const counterEnd = new Map<string, number>();
  for (let k = 0; k < ordered.length; k++) {
    const p = ordered[k]!;
    const t = get(p, CYCLER.testTime.name)!.values;
    const n = t.length;
    let clock = clocks.get(p.id) ?? null;
    if (!clock && p.timeOfDayOnly && get(p, TIME_OF_DAY.name) && Number.isFinite(prevEndAbs)) {
      clock = carryDate(p, prevEndAbs);
      messages.push(`${p.path}: time of day without a date; the date was carried over from ${ordered[k - 1]!.path} and rolled at midnight`);
    }
    const iFirst = firstFinite(t);
    let tStart: number; // stitched Test Time of this piece's first row
    let gap = NaN;
    let overlap = 0;
    if (k === 0) {
      tStart = 0;
      if (clock) t0Abs = clock[iFirst]!;
    } else if (clock && Number.isFinite(t0Abs)) {
      tStart = clock[iFirst]! - t0Abs;
      gap = clock[iFirst]! - prevEndAbs;
      if (gap < 0) overlap = -gap;
    } else {
      tStart = prevEndT; // no clock: continue where the previous file ended, gap unknown
    }
    // cycle offset
    let cycleOffset = 0;
    const cyc = get(p, CYCLER.cycle.name)?.values;
    if (kept.includes(CYCLER.cycle.name) && cyc && k > 0) {
      const c0 = cyc[firstFinite(cyc)]!;
      if (Number.isFinite(prevLastCycle) && c0 < prevLastCycle) cycleOffset = prevLastCycle + 1 - c0;
    }
    // counters: offset when test-scoped inside this file (never fall)
    const counterOffset = new Map<string, number>();
    for (const name of COUNTERS) {
      if (!kept.includes(name) || k === 0) continue;
      const v = get(p, name)!.values;
      let monotone = true;
      let peak = 0;
      for (let i = 0; i < n; i++) if (Number.isFinite(v[i]!)) peak = Math.max(peak, Math.abs(v[i]!));
      for (let i = 1; i < n && monotone; i++) if (v[i]! < v[i - 1]! - 1e-9 * (peak || 1)) monotone = false;
      const prevEnd = counterEnd.get(name) ?? 0;
      const first = v[firstFinite(v)] ?? 0;
      if (monotone && first < prevEnd) counterOffset.set(name, prevEnd - first);
    }
    // copy
    for (const name of kept) {
      const dst = out.get(name)!;
      const src = get(p, name)!.values;
      if (name === CYCLER.testTime.name) for (let i = 0; i < n; i++) dst[at + i] = tStart + (src[i]! - t[iFirst]!);
      else if (name === CYCLER.cycle.name) for (let i = 0; i < n; i++) dst[at + i] = src[i]! + cycleOffset;
      else if (counterOffset.has(name)) {
        const o = counterOffset.get(name)!;
        for (let i = 0; i < n; i++) dst[at + i] = src[i]! + o;
      } else for (let i = 0; i < n; i++) dst[at + i] = src[i]!;
    }
    if (k > 0) {
      const prev = ordered[k - 1]!;
      const placedBy: StitchJoin['placedBy'] = Number.isFinite(gap) ? 'clock' : 'file name';
      const parts = [`${prev.path} → ${p.path}:`];
      if (Number.isFinite(gap) && overlap === 0) parts.push(`gap ${fmtDuration(gap)}`);
      else if (overlap > 0)
        parts.push(`OVERLAP: ${p.path} starts ${fmtDuration(overlap)} before ${prev.path} ends (both kept; Test Time goes back at the join)`);
      else parts.push('gap unknown (no clock): placed by file name, directly after the previous file');
      if (cycleOffset) parts.push(`cycle numbers +${cycleOffset} (count restarted at ${cyc![firstFinite(cyc!)]})`);
      if (counterOffset.size) parts.push(`counters continued: ${[...counterOffset.keys()].join(', ')}`);
      joins.push({ from: prev.id, to: p.id, gapS: gap, overlapS: overlap, cycleOffset, placedBy, message: parts.join(' ') });
      if (overlap > 0) messages.push(`warning: ${parts.join(' ')}`);
    }
    if (clock) unixOut.set(clock, at);
    else everyClock = false;
    // bookkeeping for the next join
    const iLast = lastFinite(t);
    prevEndT = tStart + (t[iLast]! - t[iFirst]!);
    prevEndAbs = clock ? clock[iLast]! : Number.isFinite(t0Abs) ? t0Abs + prevEndT : NaN;
    if (cyc && kept.includes(CYCLER.cycle.name)) {
      const c = out.get(CYCLER.cycle.name)!;
      const j = lastFinite(c.subarray(at, at + n));
      if (j >= 0) prevLastCycle = c[at + j]!;
    }
    for (const name of COUNTERS) {
      if (!kept.includes(name)) continue;
      const c = out.get(name)!.subarray(at, at + n);
      const j = lastFinite(c);
      if (j >= 0) counterEnd.set(name, c[j]!);
    }
    at += n;
  }
  const columns: Column[] = kept.map((n) => ({ name: n, unit: get(ordered[0]!, n)!.unit, values: out.get(n)! }));
  if (everyClock) columns.push({ ...CYCLER.unixTime, values: unixOut });
  return { columns, order: ordered.map((p) => p.id), orderedBy, joins, messages };
}

function fmtDuration(s: number): string {
  if (!Number.isFinite(s)) return 'unknown';
  if (s < 120) return `${+s.toFixed(1)} s`;
  if (s < 3600) return `${+(s / 60).toFixed(1)} min`;
  return `${+(s / 3600).toFixed(2)} h`;
}
