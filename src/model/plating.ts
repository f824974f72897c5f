/**
 * Plating/stripping losses (DOMAIN.md §7.3.1–3): tip amplification from H, the dead-Li share
 * φ_dead = φ₀ M^κ (j/j_ref)^ν (1 − f)^μ and the SEI-repair share φ_SEI = s₀ A_r (1 − f)^μ_s.
 */
import type { ResolvedParameters } from './params/resolve.js';
import { tipAmplification } from './amplification.js';

export interface PlatingLosses {
  readonly amplification: number;
  readonly phiDead: number;
  readonly phiSei: number;
}

export function platingLosses(H: number, f: number, roughness: number, j_mA_cm2: number, p: ResolvedParameters): PlatingLosses {
  const M = tipAmplification(H, p.zq);
  const g = 1 - f;
  let phiDead = p.phi0 * M ** p.kappa * (j_mA_cm2 / p.jRef) ** p.nu * g ** p.mu;
  let phiSei = p.s0 * roughness * g ** p.muS;
  const sum = phiDead + phiSei;
  if (sum > 1) {
    phiDead /= sum;
    phiSei /= sum;
  }
  return { amplification: M, phiDead, phiSei };
}

/** H ← H + η_H (M − 1) Q_c/Q_ref − ζ_H H − (ε_H P) H, floored at 0 (§7.3.6). */
export function nextHeterogeneity(H: number, M: number, plated_mAh_cm2: number, smoothing: number, p: ResolvedParameters): number {
  return Math.max(0, H + (p.etaH * (M - 1) * plated_mAh_cm2) / p.qRef - p.zetaH * H - smoothing * H);
}

/** f_n = f_base + Δf_FD P_n + (f_sat − f_base)(1 − e^(−n/n_f)), clipped to [0, 1] (§7.3.7, closed form). */
export function inorganicFraction(n: number, fdGain: number, p: ResolvedParameters): number {
  const f = p.f0 + fdGain + (p.fSat - p.f0) * (1 - Math.exp(-n / p.nF));
  return Math.min(1, Math.max(0, f));
}
