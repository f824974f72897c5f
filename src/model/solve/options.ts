/** Solver options: one interface, one defaults object, one resolver (STYLE.md §5). */
import { FAILURE_MODES, type FailureMode } from '../failure.js';
import type { CellKind } from '../cycle.js';

export type CapacityReference =
  /** Discharge (strip) capacity of cycle 1. */
  | 'first-cycle'
  /** Max of the first five cycles' discharge capacity (DOMAIN.md §7.4; the cycle fitter's default). */
  | 'max-first-5'
  /** The charge plated in cycle 1 (Q₀ of the anode-free Q_n = Q₀ CEⁿ arithmetic, §2.2). */
  | 'initial-charge';

export interface SolverOptions {
  /** @default 'Li||Cu' */
  readonly cellType: CellKind;
  /** @default 'first-cycle' */
  readonly capacityReference: CapacityReference;
  /** Stop replaying at the first failure (later cycles are not physical). @default true */
  readonly stopAtFailure: boolean;
  /** Criteria that end life. @default all of FAILURE_MODES */
  readonly failureModes: readonly FailureMode[];
  /** Keep per-cycle state traces (costs memory in fits). @default true */
  readonly traces: boolean;
}

export const DEFAULT_SOLVER_OPTIONS: SolverOptions = {
  cellType: 'Li||Cu',
  capacityReference: 'first-cycle',
  stopAtFailure: true,
  failureModes: FAILURE_MODES,
  traces: true,
};

export function resolveSolverOptions(o: Partial<SolverOptions> = {}): SolverOptions {
  const r = { ...DEFAULT_SOLVER_OPTIONS, ...o };
  for (const m of r.failureModes) {
    if (!FAILURE_MODES.includes(m)) throw new Error(`unknown failure mode '${String(m)}'; allowed: ${FAILURE_MODES.join(', ')}`);
  }
  return r;
}
