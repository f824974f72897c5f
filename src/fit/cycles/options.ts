/**
 * Options of the per-cycle summary and the cycle fitter: one interface, one defaults object, one
 * resolver (docs and code read the same constant, see STYLE.md §5).
 */
import type { CyclingSettings } from '../settings.js';
import type { ProfileOptions } from './profile.js';

/** How cycles are delimited. */
export type CycleSource =
  /** Use the record's `Cycle Count` column when present, else derive from the current sign. */
  | 'auto'
  /** Contiguous runs of `Cycle Count` (the instrument's own cycle counting). */
  | 'column'
  /** A new cycle starts when the opening half (plating on Cu, charge of a cathode) follows the closing half. */
  | 'current-sign';

export interface CycleOptions {
  /**
   * |I| below this (A) counts as rest. When undefined, `restCurrentFraction` × max|I| of the record
   * is used, because cells range from µA coin cells to 10 A pouches.
   * @default undefined
   */
  readonly restCurrentA?: number;
  /** @default 0.005 */
  readonly restCurrentFraction: number;
  /** A low-current run shorter than this (s) is not reported as a rest segment (step switching, pulses). @default 60 */
  readonly minRestS: number;
  /** A rest of at least this (s) between the opening and closing halves makes a cycle a rest-loss (corrosion) cycle. @default 3600 */
  readonly restLossMinS: number;
  /** rest_loss_fraction: CE_ref is the mean CE of this many unaffected cycles just before the rest cycle (docs/cycles.md). @default 5 */
  readonly restReferenceCycles: number;
  /** rest_loss_fraction: this many cycles after a rest cycle are its recovery transient and never a reference. @default 5 */
  readonly restRecoveryCycles: number;
  /** @default 'auto' */
  readonly cycleSource: CycleSource;
  /** Capacity-retention threshold for cycle life (fraction of the reference). @default 0.8 */
  readonly retentionThreshold: number;
  /** The reference capacity is the max over the first this-many complete cycles (DOMAIN §7.4: cycles 1–5). @default 5 */
  readonly referenceCycles: number;
  /** Li||Li failure: plateau overpotential above this (V). @default 0.5 */
  readonly overpotentialLimitV: number;
  /** Li||Li failure: plateau overpotential above this multiple of the initial one. @default 5 */
  readonly overpotentialFactor: number;
  /** Apparent CE above this flags a soft short (DOMAIN §2.5, §7.4). @default 1.02 */
  readonly shortCircuitCe: number;
  /** A one-sample voltage jump (V) against the direction the current drives it flags a voltage collapse. @default 0.1 */
  readonly collapseDropV: number;
  /**
   * Li||Li: |V| falling below this fraction of the previous sample's |V| in one sample at constant
   * current flags a collapse (the plateau is only tens of mV, so an absolute threshold does not work).
   * @default 0.3
   */
  readonly collapseFraction: number;
  /** Li||Li collapse test only applies when the previous |V| exceeds this (V), so noise near 0 V is not a short. @default 0.005 */
  readonly collapseMinV: number;
  /** ce_mean / lce_mean: only cycles whose number is in [from, to] (inclusive). @default undefined (every complete cycle) */
  readonly ceCycles?: readonly [number, number];
  /** ce_mean / lce_mean leave out the first (formation) cycle. @default true */
  readonly excludeFirstCycle: boolean;
  /**
   * Voltage-profile features (nucleation dip, Li||Li hysteresis and soft-short flags, dQ/dV–dV/dQ):
   * overrides of DEFAULT_PROFILE_OPTIONS (src/fit/cycles/profile.ts, docs/cycles.md). @default undefined
   */
  readonly profile?: Partial<ProfileOptions>;
}

export const DEFAULT_CYCLE_OPTIONS: CycleOptions = {
  restCurrentFraction: 0.005,
  minRestS: 60,
  restLossMinS: 3600,
  restReferenceCycles: 5,
  restRecoveryCycles: 5,
  cycleSource: 'auto',
  retentionThreshold: 0.8,
  referenceCycles: 5,
  overpotentialLimitV: 0.5,
  overpotentialFactor: 5,
  shortCircuitCe: 1.02,
  collapseDropV: 0.1,
  collapseFraction: 0.3,
  collapseMinV: 0.005,
  excludeFirstCycle: true,
};

export type ResolvedCycleOptions = CycleOptions;

/** Merge user options over the defaults and reject values that would silently give nonsense. */
export function resolveCycleOptions(user: Partial<CycleOptions> = {}): ResolvedCycleOptions {
  const o: CycleOptions = { ...DEFAULT_CYCLE_OPTIONS, ...stripUndefined(user) };
  const positive: (keyof CycleOptions)[] = [
    'restCurrentFraction',
    'minRestS',
    'restLossMinS',
    'overpotentialLimitV',
    'overpotentialFactor',
    'shortCircuitCe',
    'collapseDropV',
    'collapseFraction',
  ];
  for (const k of positive) {
    const v = o[k];
    if (typeof v !== 'number' || !(v > 0) || !Number.isFinite(v)) {
      throw new RangeError(`cycle option ${k} must be a positive finite number, got ${String(v)}`);
    }
  }
  if (o.restCurrentA !== undefined && !(o.restCurrentA >= 0)) {
    throw new RangeError(`cycle option restCurrentA must be >= 0 A, got ${o.restCurrentA}`);
  }
  if (!(o.retentionThreshold > 0 && o.retentionThreshold < 1)) {
    throw new RangeError(`cycle option retentionThreshold must be in (0, 1), e.g. 0.8; got ${o.retentionThreshold}`);
  }
  if (!Number.isInteger(o.referenceCycles) || o.referenceCycles < 1) {
    throw new RangeError(`cycle option referenceCycles must be an integer >= 1, got ${o.referenceCycles}`);
  }
  if (!Number.isInteger(o.restReferenceCycles) || o.restReferenceCycles < 1) {
    throw new RangeError(`cycle option restReferenceCycles must be an integer >= 1, got ${o.restReferenceCycles}`);
  }
  if (!Number.isInteger(o.restRecoveryCycles) || o.restRecoveryCycles < 0) {
    throw new RangeError(`cycle option restRecoveryCycles must be an integer >= 0, got ${o.restRecoveryCycles}`);
  }
  if (o.ceCycles !== undefined && !(o.ceCycles.length === 2 && o.ceCycles[0] <= o.ceCycles[1])) {
    throw new RangeError(`cycle option ceCycles must be [from, to] with from <= to, got ${JSON.stringify(o.ceCycles)}`);
  }
  if (!['auto', 'column', 'current-sign'].includes(o.cycleSource)) {
    throw new RangeError(`cycle option cycleSource must be 'auto', 'column' or 'current-sign'; got '${o.cycleSource}'`);
  }
  return o;
}

/** The manifest's `analysis.cycling` settings as cycle options (only what it sets). */
export function cycleOptionsFromSettings(s: CyclingSettings | undefined): Partial<CycleOptions> {
  if (!s) return {};
  return stripUndefined({
    ceCycles: s.ce_cycles,
    excludeFirstCycle: s.exclude_first_cycle,
    retentionThreshold: s.life_criterion?.fraction_of_max,
    referenceCycles: s.life_criterion?.of_cycles?.[1],
    restReferenceCycles: s.rest_loss?.reference_cycles,
    restRecoveryCycles: s.rest_loss?.recovery_cycles,
  });
}

function stripUndefined<T extends object>(o: T): Partial<T> {
  const out: Partial<T> = {};
  for (const [k, v] of Object.entries(o)) if (v !== undefined) (out as Record<string, unknown>)[k] = v;
  return out;
}
