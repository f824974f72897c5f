/**
 * One plate/strip cycle n (DOMAIN.md §7.3), composed of the rest and plating pieces:
 * FD state → optional rest before plating → plating losses → rest after plating → reconnection →
 * strip → inventory, dead Li, heterogeneity, roughness, R_SEI → overpotential.
 */
import type { ResolvedParameters } from './params/resolve.js';
import type { CycleSchedule } from './protocol/types.js';
import type { ReplayModel } from './variants.js';
import { nextState, type CellState } from './state.js';
import { restStep } from './rest.js';
import { inorganicFraction, nextHeterogeneity, platingLosses } from './plating.js';
import { seiResistance } from './resistance.js';
import { overpotential_V } from './overpotential.js';

export type CellKind = 'Li||Cu' | 'Li||Li' | 'anode-free' | 'full';

export interface CycleOutcome {
  readonly state: CellState;
  readonly plated_mAh_cm2: number;
  readonly stripped_mAh_cm2: number;
  /** Coulombic efficiency as a cycler measures it (strip/plate); for fixed-capacity strips the internal 1 − loss/plated. */
  readonly ce: number;
  readonly overpotential_V: number;
  readonly amplification: number;
  readonly phiDead: number;
  readonly phiSei: number;
  /** Irreversible corrosion + stranded Li in this cycle's rests. */
  readonly restLoss_mAh_cm2: number;
  readonly qCorr_mAh_cm2: number;
  readonly reconnected_mAh_cm2: number;
  /** The protocol's plating charge could not be supplied. */
  readonly inventoryShort: boolean;
}

export function cycleStep(s0: CellState, c: CycleSchedule, model: ReplayModel, p: ResolvedParameters, cell: CellKind): CycleOutcome {
  const n = s0.cycle + 1;
  // 1. FD state and composition at this cycle
  const P = model.fd.polarisation(n, p);
  const f = inorganicFraction(n, model.fd.inorganicGain(P, p), p);
  let s: CellState = nextState(s0, { polarisation: P, inorganicFraction: f });
  // 2. rest before plating: only where the working electrode already holds Li
  let qCorr = 0;
  let restLoss = 0;
  if (c.restBefore_h > 0 && (cell === 'Li||Li' || cell === 'full')) {
    const r = restStep(s, c.restBefore_h, model, p, Math.max(0, s.inventory_mAh_cm2 - c.plateCapacity_mAh_cm2));
    s = r.state;
    qCorr += r.qCorr_mAh_cm2;
    restLoss += r.qCorr_mAh_cm2 + r.stranded_mAh_cm2;
  }
  // 3. plating
  const plated = Math.max(0, Math.min(c.plateCapacity_mAh_cm2, s.inventory_mAh_cm2));
  const inventoryShort = (cell === 'Li||Cu' || cell === 'Li||Li') && s.inventory_mAh_cm2 < c.plateCapacity_mAh_cm2;
  const j = c.plateCurrent_mA_cm2;
  const loss = platingLosses(s.heterogeneity, f, s.roughness, j, p);
  const cycLoss = (loss.phiDead + loss.phiSei) * plated;
  // 4. rest after plating: corrodes the fresh deposit
  let afterLoss = 0;
  if (c.restAfterPlate_h > 0) {
    const r = restStep(s, c.restAfterPlate_h, model, p, Math.max(0, plated - cycLoss));
    s = r.state;
    qCorr += r.qCorr_mAh_cm2;
    afterLoss = r.qCorr_mAh_cm2 + r.stranded_mAh_cm2;
    restLoss += afterLoss;
  }
  // 5. reconnection of Li stranded in earlier rests (not the one just stranded)
  const strandedNow = afterLoss - (afterLoss > 0 ? afterLoss / (1 + p.chiR) : 0);
  const reconnect = p.rhoRec * Math.max(0, s.deadLiRest_mAh_cm2 - strandedNow);
  // 6. strip
  const strippable = plated - cycLoss - afterLoss + reconnect;
  let stripped: number;
  let ce: number;
  if (c.stripMode === 'voltage') {
    stripped = Math.max(0, strippable);
    ce = plated > 0 ? stripped / plated : 0;
  } else {
    stripped = Math.min(c.stripCapacity_mAh_cm2, Math.max(0, s.inventory_mAh_cm2));
    ce = plated > 0 ? 1 - (cycLoss + afterLoss - reconnect) / plated : 0;
  }
  // 7. inventory and the other states
  const inventory = s.inventory_mAh_cm2 - cycLoss + reconnect;
  const H = nextHeterogeneity(s.heterogeneity, loss.amplification, plated, model.fd.smoothing(P, p), p);
  const Ar = s.roughness + p.alphaA * loss.phiDead * plated;
  const rSei = seiResistance(p.rhoOrg, p.rhoInorg, f, s.seiThickness_nm, Ar);
  const eta = overpotential_V(j, rSei, f, loss.amplification, p);
  return {
    state: nextState(s, {
      cycle: n,
      inventory_mAh_cm2: inventory,
      heterogeneity: H,
      roughness: Ar,
      deadLiCycling_mAh_cm2: s.deadLiCycling_mAh_cm2 + loss.phiDead * plated,
      deadLiRest_mAh_cm2: s.deadLiRest_mAh_cm2 - reconnect,
      rSei_Ohm_cm2: rSei,
    }),
    plated_mAh_cm2: plated,
    stripped_mAh_cm2: stripped,
    ce,
    overpotential_V: eta,
    amplification: loss.amplification,
    phiDead: loss.phiDead,
    phiSei: loss.phiSei,
    restLoss_mAh_cm2: restLoss,
    qCorr_mAh_cm2: qCorr,
    reconnected_mAh_cm2: reconnect,
    inventoryShort,
  };
}
