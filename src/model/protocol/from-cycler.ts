/**
 * A protocol from what a cycler log says happened, cycle by cycle (rest durations, currents, plated
 * capacities): how a measured cell is replayed under its own history.
 */
import type { Column } from '../../records/record.js';
import type { CycleSchedule, Protocol } from './types.js';
import { ProtocolError } from './parse.js';

export interface CyclerCycleTable {
  /** Plating current density per cycle (mA cm⁻²). */
  readonly plateCurrent_mA_cm2: ArrayLike<number>;
  /** Plated charge per cycle (mAh cm⁻²). */
  readonly plateCapacity_mAh_cm2: ArrayLike<number>;
  /** OCV rest between plating and stripping (s); default 0. */
  readonly restAfterPlate_s?: ArrayLike<number>;
  /** OCV rest before plating (s); default 0. */
  readonly restBefore_s?: ArrayLike<number>;
  /** Strip to the cut-off voltage (Li||Cu, anode-free) or a fixed charge (Li||Li). @default 'voltage' */
  readonly stripMode?: 'voltage' | 'capacity';
  readonly stripCapacity_mAh_cm2?: ArrayLike<number>;
  /** Rests shorter than this (s) are dropped (step-switch pauses). @default 600 */
  readonly minRest_s?: number;
}

export function protocolFromCycleTable(t: CyclerCycleTable): Protocol {
  const n = t.plateCapacity_mAh_cm2.length;
  if (t.plateCurrent_mA_cm2.length !== n) {
    throw new ProtocolError('cycler table', `plateCurrent_mA_cm2 has ${t.plateCurrent_mA_cm2.length} cycles but plateCapacity_mAh_cm2 has ${n}`);
  }
  const minRest = t.minRest_s ?? 600;
  const rest = (a: ArrayLike<number> | undefined, i: number): number => {
    const v = a ? Number(a[i]) : 0;
    return Number.isFinite(v) && v >= minRest ? v / 3600 : 0;
  };
  const cycles: CycleSchedule[] = [];
  for (let i = 0; i < n; i++) {
    const j = Number(t.plateCurrent_mA_cm2[i]);
    const q = Number(t.plateCapacity_mAh_cm2[i]);
    if (!(j > 0) || !(q > 0)) continue; // incomplete cycle: skipped, not replayed as zero
    cycles.push({
      restBefore_h: rest(t.restBefore_s, i),
      plateCurrent_mA_cm2: j,
      plateCapacity_mAh_cm2: q,
      restAfterPlate_h: rest(t.restAfterPlate_s, i),
      stripCurrent_mA_cm2: j,
      stripMode: t.stripMode ?? 'voltage',
      stripCapacity_mAh_cm2: t.stripCapacity_mAh_cm2 ? Number(t.stripCapacity_mAh_cm2[i]) : 0,
    });
  }
  return { steps: [], cycles, source: 'cycler-table' };
}

/**
 * From the cycle fitter's per-cycle table (src/fit/cycles/tables.ts: `Discharging Capacity` [Ah] is the
 * Li||Cu plating half, `Rest Time` [s]) plus the electrode area and current density from the manifest.
 * The cycle table does not say where in the cycle a rest fell; rests are placed after plating (the
 * calendar-ageing position).
 */
export function protocolFromCycleColumns(
  columns: readonly Column[],
  ctx: { electrodeAreaCm2: number; currentDensityMaCm2: number; plateColumn?: string },
): Protocol {
  const byName = (name: string): Column | undefined => columns.find((c) => c.name === name);
  const plate = byName(ctx.plateColumn ?? 'Discharging Capacity');
  if (!plate)
    throw new ProtocolError('cycle table', `no '${ctx.plateColumn ?? 'Discharging Capacity'}' column; columns are ${columns.map((c) => c.name).join(', ')}`);
  const scale = plate.unit === 'Ah' ? 1000 / ctx.electrodeAreaCm2 : plate.unit === 'mAh' ? 1 / ctx.electrodeAreaCm2 : 1;
  const q = Array.from(plate.values as ArrayLike<number>, (v) => Number(v) * scale);
  const rest = byName('Rest Time');
  return protocolFromCycleTable({
    plateCurrent_mA_cm2: q.map(() => ctx.currentDensityMaCm2),
    plateCapacity_mAh_cm2: q,
    restAfterPlate_s: rest ? Array.from(rest.values as ArrayLike<number>, Number) : undefined,
  });
}
