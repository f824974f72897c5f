/** Non-passivating growth on porous / mossy Li (Lu 2022): L' = L + k_l t. DOMAIN.md §1.3. */
import type { PassivationLaw } from './types.js';

export const linear: PassivationLaw = {
  id: 'linear',
  equation: "L' = L + k_l t, k_l scaled by exp(−β_f f)(1 − ε_c P)",
  rateParameter: 'Linear corrosion rate [nm.h-1]',
  grow: (L, hours, factor, p) => L + p.kl * factor * hours,
};
