/**
 * Rest at open circuit (DOMAIN.md §7.2): SEI grows by the passivation law, the Li it takes is lost,
 * χ_r of that again is stranded (reconnectable dead Li, Bassett 2023), and — in M1/M2 — heterogeneity rises.
 */
import type { ResolvedParameters } from './params/resolve.js';
import type { ReplayModel } from './variants.js';
import { nextState, type CellState } from './state.js';
import { seiResistance } from './resistance.js';

export interface RestOutcome {
  readonly state: CellState;
  /** Q_corr: Li turned into SEI (irreversible). */
  readonly qCorr_mAh_cm2: number;
  /** χ_r Q_corr: Li stranded, reconnectable later. */
  readonly stranded_mAh_cm2: number;
}

/** `available_mAh_cm2` caps what the rest can take (the deposit on the working electrode). */
export function restStep(s: CellState, hours: number, model: ReplayModel, p: ResolvedParameters, available_mAh_cm2: number): RestOutcome {
  if (!(hours > 0) || !(available_mAh_cm2 > 0)) return { state: s, qCorr_mAh_cm2: 0, stranded_mAh_cm2: 0 };
  const f = s.inorganicFraction;
  const factor = Math.exp(-p.betaF * f) * model.fd.corrosionFactor(s.polarisation, p);
  const L1 = model.passivation.grow(s.seiThickness_nm, hours, factor, p);
  let q = p.cSei * s.roughness * (L1 - s.seiThickness_nm);
  let stranded = p.chiR * q;
  const total = q + stranded;
  if (total > available_mAh_cm2) {
    q *= available_mAh_cm2 / total;
    stranded *= available_mAh_cm2 / total;
  }
  const H = s.heterogeneity + model.coupling.heterogeneityGain(q, p);
  return {
    qCorr_mAh_cm2: q,
    stranded_mAh_cm2: stranded,
    state: nextState(s, {
      seiThickness_nm: L1,
      heterogeneity: H,
      inventory_mAh_cm2: s.inventory_mAh_cm2 - q - stranded,
      deadLiRest_mAh_cm2: s.deadLiRest_mAh_cm2 + stranded,
      rSei_Ohm_cm2: seiResistance(p.rhoOrg, p.rhoInorg, f, L1, s.roughness),
    }),
  };
}
