/** Failure criteria (DOMAIN.md §7.4). Cells alive at the end of the protocol are right-censored. */
export const FAILURE_MODES = ['capacity', 'short-circuit', 'overpotential', 'inventory'] as const;
export type FailureMode = (typeof FAILURE_MODES)[number];

export interface Failure {
  /** null when censored. */
  readonly mode: FailureMode | null;
  /** Cycle at which a criterion first fired, or the last cycle run when censored. */
  readonly cycle: number;
  /** Capacity criterion only: continuous crossing of the retention limit (log-linear between cycles). */
  readonly cycleFractional: number | null;
  readonly censored: boolean;
}

export interface FailureCheck {
  readonly retention: number;
  readonly prevRetention: number;
  readonly amplification: number;
  readonly overpotential_V: number;
  readonly inventoryShort: boolean;
}

export function checkFailure(
  c: FailureCheck,
  limits: { retention: number; mCrit: number; etaLimit: number },
  enabled: ReadonlySet<FailureMode>,
): FailureMode | null {
  if (enabled.has('short-circuit') && c.amplification > limits.mCrit) return 'short-circuit';
  if (enabled.has('overpotential') && c.overpotential_V > limits.etaLimit) return 'overpotential';
  if (enabled.has('capacity') && c.retention < limits.retention) return 'capacity';
  if (enabled.has('inventory') && c.inventoryShort) return 'inventory';
  return null;
}

/** n* where retention crosses `limit` between cycle n−1 (r0) and n (r1), log-linear. */
export function crossing(n: number, r0: number, r1: number, limit: number): number {
  if (!(r1 > 0) || !(r0 > r1)) return n;
  return n - 1 + Math.log(r0 / limit) / Math.log(r0 / r1);
}
