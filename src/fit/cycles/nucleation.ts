/**
 * Nucleation overpotential of Li plating on Cu (or another substrate) from the cycler's V(t) —
 * MECHANISMS.md §1 (../shared/domain/MECHANISMS.md).
 *
 * Definition (§1.1, after Pei et al., Nano Lett. 17, 1132 (2017), DOI 10.1021/acs.nanolett.6b04755):
 *   η_nuc = |V_min − V_plateau|, η_pl = |V_plateau|,
 * with, on each plating run (I < 0 on the working electrode, the record's sign convention: positive =
 * charge), V_min = min V while Q ≤ 0.05 mAh cm⁻² and V_plateau = median V for Q = 0.1–0.3 mAh cm⁻²
 * (the pipeline algorithm of §1.1 [D]; the Q windows are options, defaults from that line).
 *
 * Resolution (§1.3 [D]): the dip is only measured when the logging interval Δt ≤ t_min/5 and ≥ 5 points
 * lie before V_min; otherwise the value is NOT reported as a number (NaN, flagged) and a message says
 * why. Δt ≤ t_min/20 is the requirement of §1.3; between t_min/20 and t_min/5 the value is reported
 * with a `marginal-logging-interval` note. No typical t_min has a source (§1.3, §9): it is measured.
 *
 * Pitfalls carried into the notes (§1.4): the ohmic drop sits in both V_min and V_plateau (cancels only
 * at constant j); only the first plating on fresh Cu is heterogeneous nucleation, later platings
 * nucleate on residual/dead Li — so the first is never averaged with the others.
 */
import type { NumericArray } from '../../records/record.js';
import type { CyclerSeries } from './cycler-series.js';
import { currentRuns, median, medianInterval, runCapacity, type CurrentRun } from './segments.js';
import type { CycleSummary } from './summarize-cycles.js';

export interface NucleationOptions {
  /** V_min is searched while Q ≤ this (mAh cm⁻²). MECHANISMS §1.1. @default 0.05 */
  readonly nucleationDipQ: number;
  /** V_plateau = median V for Q in this window (mAh cm⁻²). MECHANISMS §1.1. @default [0.1, 0.3] */
  readonly nucleationPlateauQ: readonly [number, number];
  /** Refuse when Δt > t_min / this (§1.3). @default 5 */
  readonly nucleationRefuseRatio: number;
  /** Δt ≤ t_min / this is the §1.3 requirement; between the two ratios the value is marked marginal. @default 20 */
  readonly nucleationRequireRatio: number;
  /** Refuse when fewer points than this lie before V_min (§1.3). @default 5 */
  readonly nucleationMinPoints: number;
}

export const DEFAULT_NUCLEATION_OPTIONS: NucleationOptions = {
  nucleationDipQ: 0.05,
  nucleationPlateauQ: [0.1, 0.3],
  nucleationRefuseRatio: 5,
  nucleationRequireRatio: 20,
  nucleationMinPoints: 5,
};

/** Why a plating's η_nuc is not a number. */
export type NucleationStatus = 'resolved' | 'marginal' | 'too-coarse' | 'too-few-points' | 'no-plateau' | 'no-dip-window';

export interface PlatingNucleation {
  readonly cycleIndex: number;
  readonly startRow: number;
  /** Test Time at the start of the plating run (s). */
  readonly startTime: number;
  readonly vMin: number;
  readonly vPlateau: number;
  /** |V_min − V_plateau| when V_min lies below the plateau, else 0 (no dip); NaN unless resolved/marginal. */
  readonly etaNuc: number;
  /** |V_plateau| (V); NaN without a plateau window. */
  readonly etaPlateau: number;
  /** Time from the run start to V_min (s) and the charge then (mAh cm⁻²). */
  readonly tMin: number;
  readonly qMin: number;
  /** Median logging interval over the dip window (s). */
  readonly dt: number;
  /** Rows logged before V_min in the run. */
  readonly pointsBefore: number;
  /** Current density |I|/area (mA cm⁻²), median over the run. */
  readonly currentDensity: number;
  /** Rest before the plating run (s). */
  readonly restBeforeS: number;
  readonly status: NucleationStatus;
  /** The dip measured but at or above the plateau (no overshoot): η_nuc = 0. */
  readonly noDip: boolean;
}

export interface NucleationResult {
  readonly platings: readonly PlatingNucleation[];
  readonly areaCm2: number;
}

export const isNumber = (s: NucleationStatus): boolean => s === 'resolved' || s === 'marginal';

/**
 * Every plating half (first run of I < 0 after stripping or at the start) of a Li||Cu record. Needs the
 * electrode area: the §1.1 windows are areal (mAh cm⁻²).
 */
export function platingNucleation(
  series: CyclerSeries,
  summary: CycleSummary,
  areaCm2: number,
  o: NucleationOptions = DEFAULT_NUCLEATION_OPTIONS,
  runs: readonly CurrentRun[] = currentRuns(series, summary),
): NucleationResult {
  const out: PlatingNucleation[] = [];
  for (const r of runs) {
    if (r.sign >= 0 || !r.opensHalf) continue;
    out.push(onePlating(series.time, series.voltage, series.current, r, areaCm2, o));
  }
  return { platings: out, areaCm2 };
}

function onePlating(T: NumericArray, V: NumericArray, I: NumericArray, r: CurrentRun, area: number, o: NucleationOptions): PlatingNucleation {
  const q = runCapacity(T, I, r.startRow, r.endRow);
  const toAreal = 1000 / area; // Ah → mAh cm⁻²
  let vMin = Infinity;
  let rowMin = -1;
  let dipEnd = r.startRow;
  const plateau: number[] = [];
  const amps: number[] = [];
  for (let i = r.startRow; i <= r.endRow; i++) {
    const qa = q[i - r.startRow]! * toAreal;
    amps.push(Math.abs(I[i]!));
    if (qa <= o.nucleationDipQ) {
      dipEnd = i;
      if (V[i]! < vMin) {
        vMin = V[i]!;
        rowMin = i;
      }
    }
    if (qa >= o.nucleationPlateauQ[0] && qa <= o.nucleationPlateauQ[1]) plateau.push(V[i]!);
  }
  const vPlateau = median(plateau);
  const tMin = rowMin >= 0 ? T[rowMin]! - T[r.startRow]! : NaN;
  const qMin = rowMin >= 0 ? q[rowMin - r.startRow]! * toAreal : NaN;
  const dt = medianInterval(T, r.startRow, Math.max(dipEnd, Math.min(r.endRow, r.startRow + 1)));
  const pointsBefore = rowMin >= 0 ? rowMin - r.startRow : 0;
  let status: NucleationStatus;
  if (rowMin < 0) status = 'no-dip-window';
  else if (plateau.length === 0) status = 'no-plateau';
  else if (pointsBefore < o.nucleationMinPoints) status = 'too-few-points';
  else if (!(dt <= tMin / o.nucleationRefuseRatio)) status = 'too-coarse';
  else status = dt <= tMin / o.nucleationRequireRatio ? 'resolved' : 'marginal';
  const noDip = rowMin >= 0 && plateau.length > 0 && !(vMin < vPlateau);
  const etaNuc = isNumber(status) ? (noDip ? 0 : Math.abs(vMin - vPlateau)) : NaN;
  return {
    cycleIndex: r.cycleIndex,
    startRow: r.startRow,
    startTime: T[r.startRow]!,
    vMin: rowMin >= 0 ? vMin : NaN,
    vPlateau,
    etaNuc,
    etaPlateau: Math.abs(vPlateau),
    tMin,
    qMin,
    dt,
    pointsBefore,
    currentDensity: (median(amps) * 1000) / area,
    restBeforeS: r.restBeforeS,
    status,
    noDip,
  };
}

/** One line saying why a plating's η_nuc is or is not a number. */
export function describeStatus(p: PlatingNucleation, o: NucleationOptions = DEFAULT_NUCLEATION_OPTIONS): string {
  const dt = `Δt ${fmt(p.dt)} s, t_min ${fmt(p.tMin)} s, ${p.pointsBefore} points before V_min`;
  switch (p.status) {
    case 'resolved':
      return `resolved (${dt}; Δt ≤ t_min/${o.nucleationRequireRatio}, MECHANISMS §1.3)`;
    case 'marginal':
      return `marginal logging interval (${dt}; t_min/${o.nucleationRequireRatio} < Δt ≤ t_min/${o.nucleationRefuseRatio}, MECHANISMS §1.3)`;
    case 'too-coarse':
      return `logging interval too coarse to resolve the dip (${dt}; needs Δt ≤ t_min/${o.nucleationRefuseRatio}, MECHANISMS §1.3): not reported`;
    case 'too-few-points':
      return `fewer than ${o.nucleationMinPoints} points before V_min (${dt}; MECHANISMS §1.3): dip not resolved, not reported`;
    case 'no-plateau':
      return `no row with Q in ${o.nucleationPlateauQ[0]}–${o.nucleationPlateauQ[1]} mAh/cm² (plating too short or too coarsely logged): no plateau, not reported`;
    case 'no-dip-window':
      return `no row with Q ≤ ${o.nucleationDipQ} mAh/cm²: not reported`;
  }
}

/** Numeric status codes for the per-cycle table (0 = no plating in the cycle). */
export const NUCLEATION_STATUS_CODE: Record<NucleationStatus, number> = {
  resolved: 1,
  marginal: 2,
  'too-coarse': 3,
  'too-few-points': 4,
  'no-plateau': 5,
  'no-dip-window': 6,
};

function fmt(x: number): string {
  return Number.isFinite(x) ? x.toPrecision(3) : 'n/a';
}
