/**
 * Capacity/energy counters and current sign, made comparable across instruments.
 *
 * Instruments scope their Ah/Wh counters differently: Arbin usually runs them over a cycle, Neware BTS
 * resets `Chg. Cap.` at every step, Maccor's `Amp-hr` is a step counter with the direction in a state
 * column. Interphase's `Charging Capacity` / `Discharging Capacity` are running totals WITHIN A CYCLE:
 * never decreasing inside a cycle, reset (or not) at cycle boundaries exactly as the file does.
 */
import type { NumericArray } from '../../src/records/record.js';

/** Per-row direction: +1 charge, -1 discharge, 0 rest/other/unknown. */
export type Direction = Int8Array;

/**
 * Stitch per-step resets into a running total within each cycle: when a counter drops at a step
 * boundary (same cycle), the previous step's last value is carried as an offset. Counters that already
 * run over the cycle or the whole test never drop at a step boundary and come back unchanged.
 * Returns the number of resets stitched (0 = untouched), so the parser can say what it did.
 */
export function stitchStepResets(values: Float64Array, cycle: NumericArray | undefined, step: NumericArray | undefined): number {
  if (!step || values.length === 0) return 0;
  let offset = 0;
  let prevRaw = NaN;
  let stitched = 0;
  for (let i = 0; i < values.length; i++) {
    const raw = values[i]!;
    if (i > 0 && cycle && cycle[i] !== cycle[i - 1]) offset = 0;
    else if (i > 0 && step[i] !== step[i - 1] && raw === raw && prevRaw === prevRaw && raw < prevRaw - 1e-12) {
      offset += prevRaw;
      stitched++;
    }
    if (raw === raw) prevRaw = raw;
    values[i] = raw + offset;
  }
  return stitched;
}

/**
 * Charging / Discharging Capacity (or Energy) from an unsigned step counter and a direction per row:
 * within a cycle, each finished charge step adds its last value to the charge total, and likewise for
 * discharge; the current step adds its running value to its own side only.
 */
export function splitStepCounter(
  stepCounter: Float64Array,
  direction: Direction,
  cycle: NumericArray | undefined,
  step: NumericArray | undefined,
): { charge: Float64Array; discharge: Float64Array } {
  const n = stepCounter.length;
  const charge = new Float64Array(n);
  const discharge = new Float64Array(n);
  let chgBase = 0;
  let dchgBase = 0;
  let last = 0; // last finite |value| of the current step
  let stepDir = 0;
  for (let i = 0; i < n; i++) {
    const newCycle = i > 0 && cycle !== undefined && cycle[i] !== cycle[i - 1];
    const newStep = i > 0 && (newCycle || (step !== undefined ? step[i] !== step[i - 1] : direction[i] !== direction[i - 1]));
    if (newStep) {
      if (stepDir > 0) chgBase += last;
      else if (stepDir < 0) dchgBase += last;
      last = 0;
      stepDir = 0;
    }
    if (newCycle) {
      chgBase = 0;
      dchgBase = 0;
    }
    if (direction[i] !== 0) stepDir = direction[i]!;
    const v = Math.abs(stepCounter[i]!);
    if (v === v) last = v;
    charge[i] = chgBase + (stepDir > 0 ? last : 0);
    discharge[i] = dchgBase + (stepDir < 0 ? last : 0);
  }
  return { charge, discharge };
}

/** Make the current follow the direction (positive = charge) where the file gives a direction. */
export function signFromDirection(current: Float64Array, direction: Direction): number {
  let flipped = 0;
  for (let i = 0; i < current.length; i++) {
    const d = direction[i]!;
    const v = current[i]!;
    if (d < 0 && v > 0) {
      current[i] = -v;
      flipped++;
    } else if (d > 0 && v < 0) {
      current[i] = -v;
      flipped++;
    }
  }
  return flipped;
}

/** Direction per row from a categorical state/step-type column and a label classifier. */
export function directionFromLevels(codes: NumericArray, levels: readonly string[], classify: (label: string) => -1 | 0 | 1): Direction {
  const byLevel = levels.map(classify);
  const out = new Int8Array(codes.length);
  for (let i = 0; i < codes.length; i++) out[i] = byLevel[codes[i]!] ?? 0;
  return out;
}

/** Direction from the sign of the current (for counters whose file gives no state). */
export function directionFromCurrent(current: Float64Array): Direction {
  const out = new Int8Array(current.length);
  for (let i = 0; i < current.length; i++) out[i] = current[i]! > 0 ? 1 : current[i]! < 0 ? -1 : 0;
  return out;
}
