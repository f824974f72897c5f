/**
 * The per-cycle summary: ONE pass over the typed columns of a cycler record that accumulates, per
 * cycle, charge/discharge capacity and energy, rest time, internal resistance and (Li||Li) plateau
 * voltages, and collects rest segments and half-cycle segments on the way.
 *
 * Performance contract: a 1,000,000-row record in < 0.2 s. So no per-row objects, no closures in the
 * loop, and outputs go into typed arrays sized by a cheap pre-count of cycle runs. The readable
 * version of each accumulation is in the comment above it; `npm run bench` measures the loop.
 */
import type { NumericArray } from '../../records/record.js';
import type { CycleConvention } from './convention.js';
import type { CyclerSeries } from './cycler-series.js';
import type { ResolvedCycleOptions } from './options.js';
import { cycleKeys } from './cycle-keys.js';
import { medianInPlace } from './quickselect.js';
import { Growing } from '../../records/growing.js';

const SECONDS_PER_HOUR = 3600;

/** Rest segments: |I| below the rest threshold for at least `minRestS`. */
export interface RestSegments {
  readonly count: number;
  /** Cycle the rest starts in. */
  readonly cycle: Float64Array;
  readonly startRow: Int32Array;
  /** Inclusive. */
  readonly endRow: Int32Array;
  readonly startTime: Float64Array;
  readonly duration: Float64Array;
  readonly voltageStart: Float64Array;
  readonly voltageEnd: Float64Array;
  /** OCV drift V_end − V_start (V). */
  readonly drift: Float64Array;
  /** Chord slope drift/duration (V/s). */
  readonly slope: Float64Array;
  /** 1 when the rest sits between the opening and the closing half of its cycle (rest-then-strip test). */
  readonly midCycle: Int8Array;
}

/** Half cycles: maximal runs of one current sign, merged across rests. */
export interface HalfCycles {
  readonly count: number;
  /** +1 charge (I>0), −1 discharge (I<0). */
  readonly sign: Int8Array;
  readonly cycle: Float64Array;
  readonly startTime: Float64Array;
  readonly endTime: Float64Array;
  /** Ah moved in the segment's direction. */
  readonly capacity: Float64Array;
  readonly energy: Float64Array;
}

export interface CycleSummary {
  readonly rows: number;
  readonly cycles: number;
  readonly cycle: Float64Array;
  /** Row range [startRow, endRow) of each cycle. */
  readonly startRow: Int32Array;
  readonly endRow: Int32Array;
  readonly startTime: Float64Array;
  readonly endTime: Float64Array;
  readonly chargeCapacity: Float64Array;
  readonly dischargeCapacity: Float64Array;
  readonly chargeEnergy: Float64Array;
  readonly dischargeEnergy: Float64Array;
  readonly restTime: Float64Array;
  /** Mean of logged internal resistance > 0 in the cycle (NaN when none). */
  readonly internalResistance: Float64Array;
  /** Median |V| over non-rest rows of each direction (NaN unless plateau voltages were asked for). */
  readonly plateauCharge: Float64Array;
  readonly plateauDischarge: Float64Array;
  /** First row of a voltage collapse at constant current in the cycle, −1 if none. */
  readonly collapseRow: Int32Array;
  /** Sign of the first non-rest row of the cycle (0 if the cycle is all rest). */
  readonly firstSign: Int8Array;
  readonly rests: RestSegments;
  readonly halfCycles: HalfCycles;
  readonly restCurrentA: number;
  /** 'per-cycle table': a cycle-summary record (cycle/step-layer export), no raw rows. */
  readonly capacitySource: 'counters' | 'integrated-current' | 'per-cycle table';
  readonly energySource: 'counters' | 'integrated-power' | 'per-cycle table' | 'none';
  readonly cycleSource: 'column' | 'current-sign';
  /** Capacity/energy counter resets recognised (per-step or per-cycle counters). */
  readonly counterResets: number;
  /** Intervals where Test Time went backwards or was NaN (skipped). */
  readonly badIntervals: number;
  /** Cycle numbers that occur in more than one contiguous run (the table has a row per run). */
  readonly repeatedCycleRuns: number;
}

export interface SummarizeInput {
  readonly series: CyclerSeries;
  readonly convention: CycleConvention;
  readonly options: ResolvedCycleOptions;
  /** Compute median |V| per half cycle (Li||Li overpotential): costs one Float64Array of the record's length. */
  readonly plateauVoltages: boolean;
}

export function restThreshold(current: NumericArray, o: ResolvedCycleOptions): number {
  if (o.restCurrentA !== undefined) return o.restCurrentA;
  let max = 0;
  for (let i = 0; i < current.length; i++) {
    const a = Math.abs(current[i]!);
    if (a > max && a !== Infinity) max = a;
  }
  return o.restCurrentFraction * max;
}

/** Count contiguous runs of the cycle key (NaN rows continue the previous run). */
function countRuns(keys: NumericArray): number {
  const n = keys.length;
  if (n === 0) return 0;
  let runs = 1;
  let prev = keys[0]!;
  for (let i = 1; i < n; i++) {
    const k = keys[i]!;
    if (k !== k) continue;
    if (prev !== prev) prev = k;
    else if (k !== prev) {
      runs++;
      prev = k;
    }
  }
  return runs;
}

interface CycleArrays {
  cycle: Float64Array;
  startRow: Int32Array;
  endRow: Int32Array;
  startTime: Float64Array;
  endTime: Float64Array;
  chargeCapacity: Float64Array;
  dischargeCapacity: Float64Array;
  chargeEnergy: Float64Array;
  dischargeEnergy: Float64Array;
  restTime: Float64Array;
  internalResistance: Float64Array;
  plateauCharge: Float64Array;
  plateauDischarge: Float64Array;
  collapseRow: Int32Array;
  firstSign: Int8Array;
}

function allocCycles(nc: number): CycleArrays {
  return {
    cycle: new Float64Array(nc),
    startRow: new Int32Array(nc),
    endRow: new Int32Array(nc),
    startTime: new Float64Array(nc),
    endTime: new Float64Array(nc),
    chargeCapacity: new Float64Array(nc),
    dischargeCapacity: new Float64Array(nc),
    chargeEnergy: new Float64Array(nc),
    dischargeEnergy: new Float64Array(nc),
    restTime: new Float64Array(nc),
    internalResistance: new Float64Array(nc),
    plateauCharge: new Float64Array(nc).fill(NaN),
    plateauDischarge: new Float64Array(nc).fill(NaN),
    collapseRow: new Int32Array(nc).fill(-1),
    firstSign: new Int8Array(nc),
  };
}

// The hot loop keeps its accumulators in plain locals; these helpers take them as arguments instead of
// closing over them, because captured locals are context-allocated by V8 and the loop ran ~2× slower.
function writeCycle(
  o: CycleArrays,
  c: number,
  end: number,
  T: NumericArray,
  qc: number,
  qd: number,
  ec: number,
  ed: number,
  restT: number,
  irSum: number,
  irN: number,
  collapse: number,
  first: number,
): void {
  o.chargeCapacity[c] = qc;
  o.dischargeCapacity[c] = qd;
  o.chargeEnergy[c] = ec;
  o.dischargeEnergy[c] = ed;
  o.restTime[c] = restT;
  o.internalResistance[c] = irN > 0 ? irSum / irN : NaN;
  o.collapseRow[c] = collapse;
  o.firstSign[c] = first;
  o.endRow[c] = end;
  o.endTime[c] = T[end - 1]!;
}

function writePlateaus(o: CycleArrays, c: number, scratch: Float64Array, front: number, back: number): void {
  o.plateauCharge[c] = medianInPlace(scratch, 0, front);
  o.plateauDischarge[c] = medianInPlace(scratch, back, scratch.length);
}

interface RestAcc {
  cycle: Growing;
  startRow: Growing;
  endRow: Growing;
  startTime: Growing;
  duration: Growing;
  vStart: Growing;
  vEnd: Growing;
  midCycle: Growing;
}
interface SegAcc {
  sign: Growing;
  cycle: Growing;
  startTime: Growing;
  endTime: Growing;
  capacity: Growing;
  energy: Growing;
}

function newRestAcc(): RestAcc {
  return {
    cycle: new Growing(),
    startRow: new Growing(),
    endRow: new Growing(),
    startTime: new Growing(),
    duration: new Growing(),
    vStart: new Growing(),
    vEnd: new Growing(),
    midCycle: new Growing(),
  };
}

function newSegAcc(): SegAcc {
  return { sign: new Growing(), cycle: new Growing(), startTime: new Growing(), endTime: new Growing(), capacity: new Growing(), energy: new Growing() };
}

function pushRest(r: RestAcc, cyc: number, a: number, b: number, T: NumericArray, V: NumericArray, mid: number, minRestS: number): void {
  const dur = T[b]! - T[a]!;
  if (!(dur >= minRestS)) return;
  r.cycle.push(cyc);
  r.startRow.push(a);
  r.endRow.push(b);
  r.startTime.push(T[a]!);
  r.duration.push(dur);
  r.vStart.push(V[a]!);
  r.vEnd.push(V[b]!);
  r.midCycle.push(mid);
}

function pushSegment(h: SegAcc, sign: number, cyc: number, start: number, end: number, q: number, e: number): void {
  h.sign.push(sign);
  h.cycle.push(cyc);
  h.startTime.push(start);
  h.endTime.push(end);
  h.capacity.push(q);
  h.energy.push(e);
}

export function summarizeCycles(input: SummarizeInput): CycleSummary {
  const { series: s, convention: conv, options: o } = input;
  const n = s.rows;
  const T = s.time;
  const V = s.voltage;
  const I = s.current;
  const step = s.step;
  const QC = s.chargeCapacity;
  const QD = s.dischargeCapacity;
  const EC = s.chargeEnergy;
  const ED = s.dischargeEnergy;
  const IR = s.internalResistance;
  const restA = restThreshold(I, o);
  const { keys, source } = cycleKeys(s.cycle, I, restA, conv, o.cycleSource);
  const nc = countRuns(keys);
  const openingSign = conv.openingSign;

  const out = allocCycles(nc);
  const cycle = out.cycle;
  const startRow = out.startRow;
  const startTime = out.startTime;

  const r = newRestAcc();
  const h = newSegAcc();

  const scratch = input.plateauVoltages ? new Float64Array(n) : undefined;
  let front = 0;
  let back = n;

  // Per-cycle accumulators.
  let c = -1;
  let key = NaN;
  let qc = 0,
    qd = 0,
    ec = 0,
    ed = 0,
    restT = 0,
    irSum = 0,
    irN = 0,
    collapse = -1,
    first = 0;
  // Rest run state.
  let restStart = -1;
  let restMid = 0;
  // Half-cycle state.
  let segSign = 0,
    segCycle = 0,
    segStart = 0,
    segEnd = 0,
    segQ = 0,
    segE = 0,
    segRows = 0;
  // Counter state: last finite values.
  const firstFinite = (a: NumericArray | undefined): number => {
    if (!a) return NaN;
    for (let i = 0; i < a.length; i++) if (a[i] === a[i]) return a[i]!;
    return NaN;
  };
  let lqc = firstFinite(QC),
    lqd = firstFinite(QD),
    lec = firstFinite(EC),
    led = firstFinite(ED);
  let resets = 0;
  let badIntervals = 0;
  let prevS = 0;
  const seenKeys = new Set<number>();
  let repeated = 0;

  for (let i = 0; i < n; i++) {
    const ti = T[i]!;
    const Vi = V[i]!;
    const Ii = I[i]!;
    const ki = keys[i]!;
    // NaN cycle numbers continue the current run; leading NaNs adopt the first real number.
    const kk = ki === ki ? ki : key;
    let cycleChanged = false;
    if (i === 0 || (kk === kk && key === key && kk !== key)) {
      if (c >= 0) {
        writeCycle(out, c, i, T, qc, qd, ec, ed, restT, irSum, irN, collapse, first);
        if (scratch) {
          writePlateaus(out, c, scratch, front, back);
          front = 0;
          back = n;
        }
      }
      c++;
      key = kk;
      cycleChanged = i > 0;
      if (seenKeys.has(kk)) repeated++;
      else seenKeys.add(kk);
      cycle[c] = kk;
      startRow[c] = i;
      startTime[c] = ti;
      qc = qd = ec = ed = restT = irSum = 0;
      irN = 0;
      collapse = -1;
      first = 0;
    } else if (key !== key && kk === kk) {
      key = kk;
      cycle[c] = kk;
    }
    const si = Ii > restA ? 1 : Ii < -restA ? -1 : 0;

    // --- capacity and energy increments of the interval (i−1, i], attributed to row i's cycle ---
    let dqc = 0,
      dqd = 0,
      dec = 0,
      ded = 0;
    if (i > 0) {
      const Ia = I[i - 1]!;
      const dt = ti - T[i - 1]!;
      const stepChanged = cycleChanged || (step !== undefined && step[i] !== step[i - 1]);
      if (!(dt >= 0)) badIntervals++;
      // Readable version: dq = counter[i] − counter[i−1], unless the counter restarted (a drop at a step or
      // cycle boundary, or to below half its value), in which case dq = counter[i] (charge since the restart).
      if (QC !== undefined && QD !== undefined) {
        let v = QC[i]!;
        if (v === v) {
          if (lqc === lqc) {
            const d = v - lqc;
            if (d >= -(1e-12 + 1e-9 * Math.abs(lqc))) dqc = d;
            else if (stepChanged || v <= 0.5 * lqc) {
              dqc = v > 0 ? v : 0;
              resets++;
            } else dqc = d;
          }
          lqc = v;
        }
        v = QD[i]!;
        if (v === v) {
          if (lqd === lqd) {
            const d = v - lqd;
            if (d >= -(1e-12 + 1e-9 * Math.abs(lqd))) dqd = d;
            else if (stepChanged || v <= 0.5 * lqd) {
              dqd = v > 0 ? v : 0;
              resets++;
            } else dqd = d;
          }
          lqd = v;
        }
      } else if (dt > 0) {
        // Trapezoid on Test Time, split exactly at a zero crossing of the linearly interpolated current.
        const w = dt / (2 * SECONDS_PER_HOUR);
        if (Ia >= 0 && Ii >= 0) dqc = (Ia + Ii) * w;
        else if (Ia <= 0 && Ii <= 0) dqd = -(Ia + Ii) * w;
        else if (Ia > 0) {
          dqc = ((Ia * Ia) / (Ia - Ii)) * w;
          dqd = ((Ii * Ii) / (Ia - Ii)) * w;
        } else {
          dqd = ((Ia * Ia) / (Ii - Ia)) * w;
          dqc = ((Ii * Ii) / (Ii - Ia)) * w;
        }
      }
      if (EC !== undefined && ED !== undefined) {
        let v = EC[i]!;
        if (v === v) {
          if (lec === lec) {
            const d = v - lec;
            if (d >= -(1e-12 + 1e-9 * Math.abs(lec))) dec = d;
            else if (stepChanged || v <= 0.5 * lec) dec = v > 0 ? v : 0;
            else dec = d;
          }
          lec = v;
        }
        v = ED[i]!;
        if (v === v) {
          if (led === led) {
            const d = v - led;
            if (d >= -(1e-12 + 1e-9 * Math.abs(led))) ded = d;
            else if (stepChanged || v <= 0.5 * led) ded = v > 0 ? v : 0;
            else ded = d;
          }
          led = v;
        }
      } else if (dt > 0) {
        // Energy = ∫ I·V dt per current direction; at a sign change the power is split at the crossing.
        const Va = V[i - 1]!;
        const w = dt / (2 * SECONDS_PER_HOUR);
        if (Ia >= 0 && Ii >= 0) dec = (Ia * Va + Ii * Vi) * w;
        else if (Ia <= 0 && Ii <= 0) ded = -(Ia * Va + Ii * Vi) * w;
        else {
          const f = Ia / (Ia - Ii); // fraction of dt before the crossing
          if (Ia > 0) {
            dec = Ia * Va * f * w;
            ded = -Ii * Vi * (1 - f) * w;
          } else {
            ded = -Ia * Va * f * w;
            dec = Ii * Vi * (1 - f) * w;
          }
        }
      }
      qc += dqc;
      qd += dqd;
      ec += dec;
      ed += ded;
      if (si === 0 && prevS === 0 && dt > 0) restT += dt;

      // Voltage collapse: a one-sample jump against the direction the (constant) current drives V.
      if (si !== 0 && si === prevS && segRows >= 2 && dt > 0 && Math.abs(Ii - Ia) <= 0.05 * Math.abs(Ia) && collapse < 0) {
        const Va = V[i - 1]!;
        const jump = si * (Vi - Va);
        if (jump < -o.collapseDropV) collapse = i;
        else if (scratch && Math.abs(Va) > o.collapseMinV && Math.abs(Vi) < o.collapseFraction * Math.abs(Va)) collapse = i;
      }
    }

    // --- rest segments ---
    if (si === 0) {
      if (restStart < 0) {
        restStart = i;
        const opening = openingSign > 0 ? qc : qd;
        const closing = openingSign > 0 ? qd : qc;
        restMid = opening > 0 && closing <= 1e-3 * opening ? 1 : 0;
      }
    } else if (restStart >= 0) {
      pushRest(r, cycle[c]!, restStart, i - 1, T, V, restMid, o.minRestS);
      restStart = -1;
    }

    // --- half cycles (merged across rests) ---
    if (si !== 0) {
      if (first === 0) first = si;
      if (si !== segSign) {
        if (segSign !== 0) {
          segQ += segSign > 0 ? dqc : dqd;
          segE += segSign > 0 ? dec : ded;
          pushSegment(h, segSign, segCycle, segStart, segEnd, segQ, segE);
        }
        segSign = si;
        segCycle = key;
        segStart = ti;
        segQ = si > 0 ? dqc : dqd;
        segE = si > 0 ? dec : ded;
        segRows = 0;
      } else {
        segQ += si > 0 ? dqc : dqd;
        segE += si > 0 ? dec : ded;
      }
      segEnd = ti;
      segRows++;
    } else if (segSign !== 0) {
      segQ += segSign > 0 ? dqc : dqd;
      segE += segSign > 0 ? dec : ded;
    }

    if (IR !== undefined) {
      const x = IR[i]!;
      if (x > 0 && x !== Infinity) {
        irSum += x;
        irN++;
      }
    }
    if (scratch && si !== 0) {
      const a = Math.abs(Vi);
      if (si > 0) scratch[front++] = a;
      else scratch[--back] = a;
    }
    prevS = si;
  }
  if (n > 0) {
    if (restStart >= 0) pushRest(r, cycle[c]!, restStart, n - 1, T, V, restMid, o.minRestS);
    if (segSign !== 0) pushSegment(h, segSign, segCycle, segStart, segEnd, segQ, segE);
    writeCycle(out, c, n, T, qc, qd, ec, ed, restT, irSum, irN, collapse, first);
    if (scratch) writePlateaus(out, c, scratch, front, back);
  }

  const rc = r.duration.f64();
  const vs = r.vStart.f64();
  const ve = r.vEnd.f64();
  const drift = new Float64Array(rc.length);
  const slope = new Float64Array(rc.length);
  for (let j = 0; j < rc.length; j++) {
    drift[j] = ve[j]! - vs[j]!;
    slope[j] = rc[j]! > 0 ? drift[j]! / rc[j]! : NaN;
  }
  return {
    rows: n,
    cycles: nc,
    ...out,
    rests: {
      count: rc.length,
      cycle: r.cycle.f64(),
      startRow: r.startRow.i32(),
      endRow: r.endRow.i32(),
      startTime: r.startTime.f64(),
      duration: rc,
      voltageStart: vs,
      voltageEnd: ve,
      drift,
      slope,
      midCycle: r.midCycle.i8(),
    },
    halfCycles: {
      count: h.sign.f64().length,
      sign: h.sign.i8(),
      cycle: h.cycle.f64(),
      startTime: h.startTime.f64(),
      endTime: h.endTime.f64(),
      capacity: h.capacity.f64(),
      energy: h.energy.f64(),
    },
    restCurrentA: restA,
    capacitySource: QC !== undefined ? 'counters' : 'integrated-current',
    energySource: EC !== undefined ? 'counters' : 'integrated-power',
    cycleSource: source,
    counterResets: resets,
    badIntervals,
    repeatedCycleRuns: repeated,
  };
}
