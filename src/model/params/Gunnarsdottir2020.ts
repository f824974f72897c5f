/**
 * Carbonate electrolytes with and without FEC (1 M LiPF6 in EC/DEC-type), Li||Cu.
 *
 * Anchors:
 * - Dead-Li share of the plated Li per cycle φ_dead = 3.3 % (5 % FEC) and 9.4 % (no FEC) at cycle 1
 *   (NMR dead-Li protocol, DOI 10.1016/j.xcrp.2020.100139). φ₀ is set so that
 *   φ₀ · M(H₀)^κ · (1 − f₀)^μ equals those values at j = j_ref.
 * - Corrosion at rest in both electrolytes (Gunnarsdóttir 2020, JACS), 24 h loss ≈ 2–2.5 % of 1 mAh cm⁻²
 *   (Boyle 2021) through the parabolic law.
 * - CE 95–96 % with FEC, ≈ 88 % without (DOMAIN.md §2.3: carbonates 80–93 %, 95–98 % with FEC).
 * - SEI repair is the smaller share of 1 − CE (Fang 2019: Li⁰ dominates).
 */
import { BASE_VALUES } from './base.js';
import { CITATIONS } from './citations.js';
import { tipAmplification } from '../amplification.js';
import type { ParameterSet, ReplayParameterValues } from './types.js';

/** φ₀ that gives the target cycle-1 dead-Li share for a set's initial H and cycle-1 f (j = j_ref, no FD). */
export function deadLiBaseFraction_NmrDeadLi2020(targetDeadLi: number, v: ReplayParameterValues): number {
  const m = tipAmplification(v['Initial heterogeneity [1]'], v['Tip quantile z-score [1]']);
  const f0 = v['Initial inorganic fraction [1]'];
  const f1 = f0 + (v['Saturated inorganic fraction [1]'] - f0) * (1 - Math.exp(-1 / v['Inorganic accumulation cycles [cycle]']));
  return targetDeadLi / (m ** v['Dead Li amplification exponent [1]'] * (1 - f1) ** v['Dead Li composition exponent [1]']);
}

const fecBase: ReplayParameterValues = {
  ...BASE_VALUES,
  'Initial inorganic fraction [1]': 0.5,
  'Parabolic corrosion constant [nm2.h-1]': 30,
  'SEI repair base fraction [1]': 0.0067,
};
const fec: ReplayParameterValues = { ...fecBase, 'Dead Li base fraction [1]': deadLiBaseFraction_NmrDeadLi2020(0.033, fecBase) };

const plainBase: ReplayParameterValues = {
  ...BASE_VALUES,
  'Initial inorganic fraction [1]': 0.3,
  'Parabolic corrosion constant [nm2.h-1]': 25,
  'SEI repair base fraction [1]': 0.0095,
};
const plain: ReplayParameterValues = { ...plainBase, 'Dead Li base fraction [1]': deadLiBaseFraction_NmrDeadLi2020(0.094, plainBase) };

export const carbonateFec_Gunnarsdottir2020: ParameterSet = {
  id: 'Gunnarsdottir2020_carbonate_FEC',
  title: 'Carbonate + 5 % FEC, Li||Cu',
  description: 'Dead-Li share 3.3 % per cycle at cycle 1 (NMR), 24 h rest loss ≈ 2.4 % (parabolic), CE ≈ 95.7 %.',
  values: fec,
  citations: [CITATIONS.Gunnarsdottir2020, CITATIONS.NmrDeadLi2020, CITATIONS.Boyle2021, CITATIONS.Fang2019],
};

export const carbonate_Gunnarsdottir2020: ParameterSet = {
  id: 'Gunnarsdottir2020_carbonate',
  title: 'Carbonate without FEC, Li||Cu',
  description: 'Dead-Li share 9.4 % per cycle at cycle 1 (NMR), 24 h rest loss ≈ 2 % (parabolic), CE ≈ 88 %.',
  values: plain,
  citations: [CITATIONS.Gunnarsdottir2020, CITATIONS.NmrDeadLi2020, CITATIONS.Boyle2021, CITATIONS.Fang2019],
};
