/**
 * Cycle life as a time-to-event quantity, right-censored when the test ended first (DOMAIN §2.5, §7.4).
 *
 * Cathode-type and Li||Cu cells: cycles elapsed from the reference cycle (max closing-half capacity over
 * the first `referenceCycles` complete cycles) until the retention crosses the threshold, interpolated
 * linearly between the bracketing cycles. This is the n of Q_n = Q_ref·CE^n in DOMAIN §2.2, so an
 * anode-free cell at constant CE gives ln 0.8 / ln CE (0.99 → 22.2, 0.995 → 44.5, 0.999 → 223.0).
 *
 * Li||Li: the capacity is fixed by protocol, so failure is the first cycle whose plateau overpotential
 * exceeds min(limit V, factor × initial) or that shows a short-circuit signature; the value is the
 * number of cycles elapsed from the first complete cycle to that cycle.
 */
export interface CycleLife {
  /** Cycles elapsed from the reference cycle to the event (or to the last cycle when censored). */
  readonly value: number;
  readonly censored: boolean;
  readonly criterion: 'capacity-retention' | 'overpotential' | 'short-circuit';
  readonly referenceCycle: number;
  /** Cycle number at which the event happened (interpolated for capacity), NaN when censored. */
  readonly eventCycle: number;
  readonly note: string;
}

export interface RetentionInput {
  readonly cycle: Float64Array;
  readonly closingCapacity: Float64Array;
  readonly complete: Int32Array;
  readonly threshold: number;
  readonly referenceCycles: number;
}

/** Retention of each complete cycle against the reference; NaN elsewhere. */
export function capacityRetention(x: RetentionInput): { retention: Float64Array; refIndex: number } {
  const n = x.cycle.length;
  const retention = new Float64Array(n).fill(NaN);
  let refIndex = -1;
  let seen = 0;
  for (let c = 0; c < n && seen < x.referenceCycles; c++) {
    if (!x.complete[c]) continue;
    seen++;
    if (refIndex < 0 || x.closingCapacity[c]! > x.closingCapacity[refIndex]!) refIndex = c;
  }
  if (refIndex < 0) return { retention, refIndex };
  const ref = x.closingCapacity[refIndex]!;
  for (let c = 0; c < n; c++) if (x.complete[c]) retention[c] = x.closingCapacity[c]! / ref;
  return { retention, refIndex };
}

export function capacityCycleLife(x: RetentionInput): (CycleLife & { retention: Float64Array }) | undefined {
  const { retention, refIndex } = capacityRetention(x);
  if (refIndex < 0) return undefined;
  const refCycle = x.cycle[refIndex]!;
  let prev = refIndex;
  let last = refIndex;
  for (let c = refIndex + 1; c < x.cycle.length; c++) {
    if (!x.complete[c]) continue;
    last = c;
    const R = retention[c]!;
    if (R < x.threshold) {
      const Rp = retention[prev]!;
      const frac = (Rp - x.threshold) / (Rp - R);
      const at = x.cycle[prev]! + frac * (x.cycle[c]! - x.cycle[prev]!);
      return {
        value: at - refCycle,
        censored: false,
        criterion: 'capacity-retention',
        referenceCycle: refCycle,
        eventCycle: at,
        retention,
        note: `retention fell below ${x.threshold} between cycles ${x.cycle[prev]} and ${x.cycle[c]} (reference cycle ${refCycle})`,
      };
    }
    prev = c;
  }
  return {
    value: x.cycle[last]! - refCycle,
    censored: true,
    criterion: 'capacity-retention',
    referenceCycle: refCycle,
    eventCycle: NaN,
    retention,
    note: `retention stayed >= ${x.threshold} to the last complete cycle ${x.cycle[last]}: right-censored`,
  };
}

export interface OverpotentialLifeInput {
  readonly cycle: Float64Array;
  readonly overpotential: Float64Array;
  readonly complete: Int32Array;
  readonly shortFlag: Int32Array;
  readonly limitV: number;
  readonly factor: number;
}

export function overpotentialCycleLife(x: OverpotentialLifeInput): CycleLife | undefined {
  let firstIdx = -1;
  for (let c = 0; c < x.cycle.length; c++) {
    if (x.complete[c] && Number.isFinite(x.overpotential[c]!)) {
      firstIdx = c;
      break;
    }
  }
  if (firstIdx < 0) return undefined;
  const initial = x.overpotential[firstIdx]!;
  const limit = Math.min(x.limitV, x.factor * initial);
  const ref = x.cycle[firstIdx]!;
  let last = firstIdx;
  for (let c = firstIdx; c < x.cycle.length; c++) {
    if (x.shortFlag[c]) {
      return {
        value: x.cycle[c]! - ref,
        censored: false,
        criterion: 'short-circuit',
        referenceCycle: ref,
        eventCycle: x.cycle[c]!,
        note: `short-circuit signature in cycle ${x.cycle[c]}`,
      };
    }
    if (!x.complete[c]) continue;
    last = c;
    if (x.overpotential[c]! > limit) {
      return {
        value: x.cycle[c]! - ref,
        censored: false,
        criterion: 'overpotential',
        referenceCycle: ref,
        eventCycle: x.cycle[c]!,
        note: `overpotential ${x.overpotential[c]!.toPrecision(3)} V > limit ${limit.toPrecision(3)} V = min(${x.limitV} V, ${x.factor} × initial ${initial.toPrecision(3)} V) in cycle ${x.cycle[c]}`,
      };
    }
  }
  return {
    value: x.cycle[last]! - ref,
    censored: true,
    criterion: 'overpotential',
    referenceCycle: ref,
    eventCycle: NaN,
    note: `overpotential stayed <= ${limit.toPrecision(3)} V to the last complete cycle ${x.cycle[last]}: right-censored`,
  };
}
