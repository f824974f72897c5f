/**
 * A `cycle-summary` record (a cycle- or step-layer export: one row per cycle, no raw rows) as the
 * cycle fitter's per-cycle summary, so CE, LCE and cycle life come out of the same code with the same
 * definitions as for a time series. What needs raw rows is empty: rest segments, half cycles,
 * plateau voltages, voltage-collapse detection, the reservoir-CE protocol and rest loss.
 */
import type { NumericArray, ParsedRecord } from '../../records/record.js';
import { findColumn } from '../../records/record.js';
import { CYCLE_SUMMARY } from '../../records/names.js';
import type { CellContext } from '../types.js';
import { analyzeSummary, type CycleAnalysis } from './analyze-cycles.js';
import { cycleConvention } from './convention.js';
import { resolveCycleOptions, type CycleOptions } from './options.js';
import type { CycleSummary } from './summarize-cycles.js';

const f64 = (v: NumericArray | undefined, n: number): Float64Array => (v ? Float64Array.from(v) : new Float64Array(n).fill(NaN));

/** Per-cycle summary from a cycle-summary record's columns (CYCLE_SUMMARY names). */
export function summaryFromCycleTable(record: Pick<ParsedRecord, 'columns'>): CycleSummary {
  const get = (c: { name: string }): NumericArray | undefined => findColumn(record, c.name)?.values;
  const qc = get(CYCLE_SUMMARY.chargeCapacity);
  const qd = get(CYCLE_SUMMARY.dischargeCapacity);
  if (!qc || !qd) throw new Error('cycle-summary record without Charging and Discharging Capacity: nothing to fit');
  const n = qc.length;
  const cycleCol = get(CYCLE_SUMMARY.cycle);
  const cycle = cycleCol ? Float64Array.from(cycleCol) : Float64Array.from({ length: n }, (_, i) => i + 1);
  const chargeCapacity = f64(qc, n).map((x) => Math.abs(x));
  const dischargeCapacity = f64(qd, n).map((x) => Math.abs(x));
  let chargeEnergy = get(CYCLE_SUMMARY.chargeEnergy) ? f64(get(CYCLE_SUMMARY.chargeEnergy), n).map((x) => Math.abs(x)) : undefined;
  let dischargeEnergy = get(CYCLE_SUMMARY.dischargeEnergy) ? f64(get(CYCLE_SUMMARY.dischargeEnergy), n).map((x) => Math.abs(x)) : undefined;
  // Mean voltages without energies: E = V̄·Q, so the metrics give the stated mean voltage back.
  const vc = get(CYCLE_SUMMARY.meanChargeVoltage);
  const vd = get(CYCLE_SUMMARY.meanDischargeVoltage);
  let energySource: CycleSummary['energySource'] = 'per-cycle table';
  if (!chargeEnergy || !dischargeEnergy) {
    if (vc && vd) {
      chargeEnergy = chargeCapacity.map((q, i) => q * vc[i]!);
      dischargeEnergy = dischargeCapacity.map((q, i) => q * vd[i]!);
    } else {
      chargeEnergy = new Float64Array(n).fill(NaN);
      dischargeEnergy = new Float64Array(n).fill(NaN);
      energySource = 'none';
    }
  }
  const empty = new Float64Array(0);
  return {
    rows: 0,
    cycles: n,
    cycle,
    startRow: new Int32Array(n),
    endRow: new Int32Array(n),
    startTime: f64(get(CYCLE_SUMMARY.startTime), n),
    endTime: f64(get(CYCLE_SUMMARY.endTime), n),
    chargeCapacity,
    dischargeCapacity,
    chargeEnergy,
    dischargeEnergy,
    restTime: new Float64Array(n).fill(NaN),
    internalResistance: f64(get(CYCLE_SUMMARY.internalResistance), n),
    plateauCharge: new Float64Array(n).fill(NaN),
    plateauDischarge: new Float64Array(n).fill(NaN),
    collapseRow: new Int32Array(n).fill(-1),
    firstSign: new Int8Array(n),
    rests: {
      count: 0,
      cycle: empty,
      startRow: new Int32Array(0),
      endRow: new Int32Array(0),
      startTime: empty,
      duration: empty,
      voltageStart: empty,
      voltageEnd: empty,
      drift: empty,
      slope: empty,
      midCycle: new Int8Array(0),
    },
    halfCycles: { count: 0, sign: new Int8Array(0), cycle: empty, startTime: empty, endTime: empty, capacity: empty, energy: empty },
    restCurrentA: NaN,
    capacitySource: 'per-cycle table',
    energySource,
    cycleSource: 'column',
    counterResets: 0,
    badIntervals: 0,
    repeatedCycleRuns: 0,
  };
}

/** The cycle analysis of a cycle-summary record (same parameters and definitions as `analyzeCycles`). */
export function analyzeCycleTable(
  record: Pick<ParsedRecord, 'columns'>,
  cell: Pick<CellContext, 'cellType'>,
  userOptions: Partial<CycleOptions> = {},
): CycleAnalysis {
  const options = resolveCycleOptions(userOptions);
  return analyzeSummary(summaryFromCycleTable(record), cycleConvention(cell.cellType), options);
}

/**
 * Largest |stated CE − recomputed CE| over cycles where both exist, with the stated CE read under the
 * file's own definition (discharge / charge). NaN when the file states no CE.
 */
export function statedCeDeviation(record: Pick<ParsedRecord, 'columns'>): { max: number; n: number } {
  const stated = findColumn(record, CYCLE_SUMMARY.statedCe.name)?.values;
  const qc = findColumn(record, CYCLE_SUMMARY.chargeCapacity.name)?.values;
  const qd = findColumn(record, CYCLE_SUMMARY.dischargeCapacity.name)?.values;
  if (!stated || !qc || !qd) return { max: NaN, n: 0 };
  let max = 0;
  let n = 0;
  for (let i = 0; i < stated.length; i++) {
    const own = Math.abs(qd[i]!) / Math.abs(qc[i]!);
    if (!Number.isFinite(stated[i]!) || !Number.isFinite(own)) continue;
    n++;
    max = Math.max(max, Math.abs(stated[i]! - own));
  }
  return { max, n };
}
