import type { ResolvedParameters } from '../params/resolve.js';

/** Ferroelectric-dipole effects (DOMAIN.md §7.3.7–8, §7.2.1). */
export interface FdEffect {
  readonly id: 'none' | 'ferroelectric';
  /** P_n at cycle n (n = 1 for the first plating). */
  polarisation(n: number, p: ResolvedParameters): number;
  /** Δf added to f at polarisation P. */
  inorganicGain(P: number, p: ResolvedParameters): number;
  /** Multiplier on the corrosion rate at polarisation P. */
  corrosionFactor(P: number, p: ResolvedParameters): number;
  /** Per-cycle fractional smoothing of H at polarisation P (ε_H P). */
  smoothing(P: number, p: ResolvedParameters): number;
}
