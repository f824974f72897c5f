/**
 * Per-cycle quantities derived from the raw summary under the cell's sign convention: CE, LCE,
 * energy efficiency, mean voltages, overpotential and short-circuit flags. O(cycles), no row access.
 */
import type { CycleConvention } from './convention.js';
import type { CycleSummary } from './summarize-cycles.js';
import type { ResolvedCycleOptions } from './options.js';

/** Bit flags of the `Short Circuit Flag` column. */
export const SHORT_CE = 1;
export const SHORT_COLLAPSE = 2;

export interface CycleMetrics {
  /** Capacity of the half that opens the cycle (plating for Li||Cu, charge for cathode cells). */
  readonly openingCapacity: Float64Array;
  /** Capacity of the closing half: what the cell gives back; the retention basis. */
  readonly closingCapacity: Float64Array;
  /** 1 when both halves moved charge. */
  readonly complete: Int32Array;
  /** closing / opening (NaN for incomplete cycles). */
  readonly ce: Float64Array;
  /** −log10(1 − CE); NaN where CE ≥ 1 (flagged in `lceUndefined`) or CE is NaN. */
  readonly lce: Float64Array;
  readonly lceUndefined: Int32Array;
  /** closing energy / opening energy. */
  readonly energyEfficiency: Float64Array;
  /** Energy-weighted mean voltage E/Q of each direction (V). */
  readonly meanChargeVoltage: Float64Array;
  readonly meanDischargeVoltage: Float64Array;
  /** Li||Li: mean of the two half-cycle plateau magnitudes (median |V|); Li||Cu: the plating plateau; NaN otherwise. */
  readonly overpotential: Float64Array;
  readonly shortFlag: Int32Array;
}

/** LCE of Kim et al. 2023: −log10(1 − CE). Undefined (NaN) for CE ≥ 1, where the log has no value. */
export function logCe(ce: number): number {
  return ce < 1 ? -Math.log10(1 - ce) : NaN;
}

export function cycleMetrics(s: CycleSummary, conv: CycleConvention, o: ResolvedCycleOptions): CycleMetrics {
  const n = s.cycles;
  const openingCapacity = conv.openingSign > 0 ? s.chargeCapacity : s.dischargeCapacity;
  const closingCapacity = conv.openingSign > 0 ? s.dischargeCapacity : s.chargeCapacity;
  const openingEnergy = conv.openingSign > 0 ? s.chargeEnergy : s.dischargeEnergy;
  const closingEnergy = conv.openingSign > 0 ? s.dischargeEnergy : s.chargeEnergy;
  let maxOpen = 0;
  for (let c = 0; c < n; c++) if (openingCapacity[c]! > maxOpen) maxOpen = openingCapacity[c]!;
  // A half that moved less than a millionth of the largest one is noise (rest current), not a half cycle.
  const tiny = 1e-6 * maxOpen;
  const complete = new Int32Array(n);
  const ce = new Float64Array(n);
  const lce = new Float64Array(n);
  const lceUndefined = new Int32Array(n);
  const energyEfficiency = new Float64Array(n);
  const meanChargeVoltage = new Float64Array(n);
  const meanDischargeVoltage = new Float64Array(n);
  const overpotential = new Float64Array(n);
  const shortFlag = new Int32Array(n);
  for (let c = 0; c < n; c++) {
    const qo = openingCapacity[c]!;
    const qx = closingCapacity[c]!;
    complete[c] = qo > tiny && qx > tiny ? 1 : 0;
    ce[c] = complete[c] ? qx / qo : NaN;
    lce[c] = logCe(ce[c]!);
    lceUndefined[c] = ce[c]! >= 1 ? 1 : 0;
    energyEfficiency[c] = complete[c] && openingEnergy[c]! !== 0 ? closingEnergy[c]! / openingEnergy[c]! : NaN;
    meanChargeVoltage[c] = s.chargeCapacity[c]! > tiny ? s.chargeEnergy[c]! / s.chargeCapacity[c]! : NaN;
    meanDischargeVoltage[c] = s.dischargeCapacity[c]! > tiny ? s.dischargeEnergy[c]! / s.dischargeCapacity[c]! : NaN;
    const pc = s.plateauCharge[c]!;
    const pd = s.plateauDischarge[c]!;
    // Li||Li: mean of the two half-cycle plateaus. Li||Cu: the plating plateau (I < 0) only — the
    // stripping half ends in the rise to the cut-off, which is not an overpotential.
    overpotential[c] = conv.cellType === 'Li||Cu' ? pd : pc === pc && pd === pd ? (pc + pd) / 2 : pc === pc ? pc : pd;
    let flag = 0;
    if (conv.ceMeaningful && complete[c] && ce[c]! > o.shortCircuitCe) flag |= SHORT_CE;
    if (s.collapseRow[c]! >= 0) flag |= SHORT_COLLAPSE;
    shortFlag[c] = flag;
  }
  return {
    openingCapacity,
    closingCapacity,
    complete,
    ce,
    lce,
    lceUndefined,
    energyEfficiency,
    meanChargeVoltage,
    meanDischargeVoltage,
    overpotential,
    shortFlag,
  };
}
