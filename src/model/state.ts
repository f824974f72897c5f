/** Per-cell state between cycles (DOMAIN.md §7.1), areal quantities per cm² geometric. */
export interface CellState {
  /** Cycles completed. */
  readonly cycle: number;
  /** Q_Li: cyclable Li inventory. */
  readonly inventory_mAh_cm2: number;
  /** L: mean SEI thickness. */
  readonly seiThickness_nm: number;
  /** f: SEI inorganic fraction. */
  readonly inorganicFraction: number;
  /** H: lateral heterogeneity (CV). */
  readonly heterogeneity: number;
  /** A_r: true/geometric area. */
  readonly roughness: number;
  /** P: polarisation retention P/P₀_ref. */
  readonly polarisation: number;
  /** Permanent dead Li from cycling (Σ φ_dead Q_c). */
  readonly deadLiCycling_mAh_cm2: number;
  /** Rest-stranded Li that can still reconnect (Bassett 2023). */
  readonly deadLiRest_mAh_cm2: number;
  /** R_SEI = ρ_SEI(f) L / A_r. */
  readonly rSei_Ohm_cm2: number;
}

/** Total dead Li D = permanent + reconnectable. */
export function deadLi_mAh_cm2(s: CellState): number {
  return s.deadLiCycling_mAh_cm2 + s.deadLiRest_mAh_cm2;
}

/** Copy of `s` with `changes` applied, built field by field in one fixed shape (object spread in the
 * per-cycle hot loop cost ~2.5 µs a cycle, measured in bench/model.ts; this keeps objects monomorphic). */
export function nextState(s: CellState, c: Partial<CellState>): CellState {
  return {
    cycle: c.cycle ?? s.cycle,
    inventory_mAh_cm2: c.inventory_mAh_cm2 ?? s.inventory_mAh_cm2,
    seiThickness_nm: c.seiThickness_nm ?? s.seiThickness_nm,
    inorganicFraction: c.inorganicFraction ?? s.inorganicFraction,
    heterogeneity: c.heterogeneity ?? s.heterogeneity,
    roughness: c.roughness ?? s.roughness,
    polarisation: c.polarisation ?? s.polarisation,
    deadLiCycling_mAh_cm2: c.deadLiCycling_mAh_cm2 ?? s.deadLiCycling_mAh_cm2,
    deadLiRest_mAh_cm2: c.deadLiRest_mAh_cm2 ?? s.deadLiRest_mAh_cm2,
    rSei_Ohm_cm2: c.rSei_Ohm_cm2 ?? s.rSei_Ohm_cm2,
  };
}
