/**
 * Corrosion dominated by deposit porosity (Lu et al. 2022): 0.08 %/day for dense Li (controlled stack
 * pressure) and 1.71 %/day for porous Li, on a 1 mAh cm⁻² deposit. Non-passivating over days, so the
 * linear law; porosity enters as the roughness A_r (1.5 dense, 10 porous) and k_l is set so that
 * c_SEI · A_r · k_l · 24 h equals the reported loss. β_f = 0: the source gives no composition dependence.
 */
import { BASE_VALUES } from './base.js';
import { CITATIONS } from './citations.js';
import type { ParameterSet, ReplayParameterValues } from './types.js';

/** k_l (nm h⁻¹) giving `lossPerDay` (fraction of a 1 mAh cm⁻² deposit) at roughness `roughness`. */
export function linearCorrosionRate_Lu2022(lossPerDay: number, roughness: number, cSei_mAh_cm2_nm: number): number {
  return (lossPerDay * 1) / (cSei_mAh_cm2_nm * roughness * 24);
}

function lu(roughness: number, lossPerDay: number): ReplayParameterValues {
  return {
    ...BASE_VALUES,
    'Initial roughness [1]': roughness,
    'Passivation composition factor [1]': 0,
    'Roughness growth [cm2.mAh-1]': 0,
    'Linear corrosion rate [nm.h-1]': linearCorrosionRate_Lu2022(lossPerDay, roughness, BASE_VALUES['SEI Li content [mAh.cm-2.nm-1]']),
  };
}

export const dense_Lu2022: ParameterSet = {
  id: 'Lu2022_dense',
  title: 'Dense Li deposit (controlled stack pressure)',
  description: '0.08 %/day, linear law, A_r = 1.5.',
  values: lu(1.5, 0.0008),
  citations: [CITATIONS.Lu2022],
};

export const porous_Lu2022: ParameterSet = {
  id: 'Lu2022_porous',
  title: 'Porous Li deposit',
  description: '1.71 %/day, linear law, A_r = 10.',
  values: lu(10, 0.0171),
  citations: [CITATIONS.Lu2022],
};
