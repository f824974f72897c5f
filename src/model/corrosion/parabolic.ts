/** Diffusion / electron-transport limited growth (Pinson & Bazant 2013): L'² = L² + 2 k_p t. DOMAIN.md §1.3, §7.2.1. */
import type { PassivationLaw } from './types.js';

export const parabolic: PassivationLaw = {
  id: 'parabolic',
  equation: "L' = sqrt(L² + 2 k_p t), k_p = k_p0 exp(−β_f f)(1 − ε_c P)",
  rateParameter: 'Parabolic corrosion constant [nm2.h-1]',
  grow: (L, hours, factor, p) => Math.sqrt(L * L + 2 * p.kp0 * factor * hours),
};
