import type { ResolvedParameters } from '../params/resolve.js';

/** How corrosion during a rest feeds heterogeneity (the perspective's claim 2, DOMAIN.md §7.2.3). */
export interface CorrosionCoupling {
  readonly id: 'none' | 'corrosion-heterogeneity';
  /** ΔH caused by Q_corr (mAh cm⁻²) lost in one rest. */
  heterogeneityGain(qCorr_mAh_cm2: number, p: ResolvedParameters): number;
}
