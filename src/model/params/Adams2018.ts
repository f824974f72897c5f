/**
 * High-concentration ether with a proper formation protocol (Adams et al. 2018): average CE 99.5 % at
 * high areal capacity. Losses split 70/30 dead Li / SEI repair (the HCE share is lower than in
 * carbonates, DOMAIN.md §7.5); corrosion slow (k_p0 = 5 nm² h⁻¹).
 */
import { BASE_VALUES } from './base.js';
import { CITATIONS } from './citations.js';
import type { ParameterSet } from './types.js';

export const hce_Adams2018: ParameterSet = {
  id: 'Adams2018_HCE',
  title: 'High-concentration ether, Li||Cu',
  description: 'CE ≈ 99.5 %; corrosion k_p0 = 5 nm² h⁻¹.',
  values: {
    ...BASE_VALUES,
    'Initial inorganic fraction [1]': 0.65,
    'Parabolic corrosion constant [nm2.h-1]': 5,
    'Dead Li base fraction [1]': 0.0055,
    'SEI repair base fraction [1]': 0.0004,
    'Roughness growth [cm2.mAh-1]': 0.5,
  },
  citations: [CITATIONS.Adams2018, CITATIONS.Xu2026],
};
