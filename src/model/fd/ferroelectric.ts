/**
 * FD terms (M2): P_n = P₀ exp(−n/n_P); f gains Δf_FD·P; corrosion × (1 − ε_c P); H smoothed by ε_H P H
 * per cycle. Controls have P₀ = 0, so the terms vanish for them (DOMAIN.md §7.3.8).
 */
import type { FdEffect } from './types.js';

export const ferroelectric: FdEffect = {
  id: 'ferroelectric',
  polarisation: (n, p) => p.P0 * Math.exp(-n / p.nP),
  inorganicGain: (P, p) => p.dfFd * P,
  corrosionFactor: (P, p) => Math.max(0, 1 - p.epsC * P),
  smoothing: (P, p) => p.epsH * P,
};
