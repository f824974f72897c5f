/**
 * Calendar ageing of deposited Li at open circuit (Boyle et al. 2021): 2–3 % of the plated charge lost in
 * 24 h, with the rate slowing over time (so a passivating law: parabolic here, k_p0 chosen for ≈ 2.5 %
 * of 1 mAh cm⁻² in 24 h at A_r = 3, f = 0.5). About half of the rest loss is stranded, reconnectable Li
 * (Bassett 2023). Cycling losses are those of a good ether electrolyte (CE ≈ 98.5 %, Qian 2015 range).
 */
import { BASE_VALUES } from './base.js';
import { CITATIONS } from './citations.js';
import type { ParameterSet } from './types.js';

export const ether_Boyle2021: ParameterSet = {
  id: 'Boyle2021_ether',
  title: 'Ether electrolyte with 24 h calendar-ageing anchor, Li||Cu',
  description: '24 h OCV loss ≈ 2.5 % of 1 mAh cm⁻² (parabolic, k_p0 = 32 nm² h⁻¹); CE ≈ 98.5 %.',
  values: {
    ...BASE_VALUES,
    'Initial inorganic fraction [1]': 0.55,
    'Parabolic corrosion constant [nm2.h-1]': 32,
    'Dead Li base fraction [1]': 0.0145,
    'SEI repair base fraction [1]': 0.002,
    'Rest stranding fraction [1]': 0.5,
  },
  citations: [CITATIONS.Boyle2021, CITATIONS.Bassett2023, CITATIONS.Qian2015],
};
