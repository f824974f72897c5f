/** H ← H + γ_H Q_corr / Q_ref (DOMAIN.md §7.2.3): corrosion seeds surface tips, the SEI grows unevenly. */
import type { CorrosionCoupling } from './types.js';

export const corrosionHeterogeneity: CorrosionCoupling = {
  id: 'corrosion-heterogeneity',
  heterogeneityGain: (q, p) => (p.gammaH * q) / p.qRef,
};
