/** η_n = j (R_b + R_SEI + R_ct(f)) M^ω (DOMAIN.md §7.3.9); j in mA cm⁻², R in Ω cm² → V. */
import type { ResolvedParameters } from './params/resolve.js';
import { logMix } from './resistance.js';

export function overpotential_V(j_mA_cm2: number, rSei_Ohm_cm2: number, f: number, M: number, p: ResolvedParameters): number {
  return (j_mA_cm2 * (p.Rb + rSei_Ohm_cm2 + logMix(p.rctOrg, p.rctInorg, f)) * M ** p.omega) / 1000;
}
