/** Electron tunnelling (Cabrera–Mott-like): dL/dt = k exp(−ΔL/λ) ⇒ L' = L + λ ln(1 + k t/λ). DOMAIN.md §1.3. */
import type { PassivationLaw } from './types.js';

export const logarithmic: PassivationLaw = {
  id: 'logarithmic',
  equation: "L' = L + λ ln(1 + k t/λ), k scaled by exp(−β_f f)(1 − ε_c P)",
  rateParameter: 'Logarithmic corrosion rate [nm.h-1]',
  grow: (L, hours, factor, p) => L + p.lambda * Math.log1p((p.kLog * factor * hours) / p.lambda),
};
