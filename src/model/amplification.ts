/**
 * Tip (local current) amplification from heterogeneity (DOMAIN.md §7.3.1): with a lognormal local SEI
 * resistance of CV = H, σ_ln = √ln(1 + H²) and the upper-tail amplification M = exp(z σ − σ²/2).
 */
export function tipAmplification(heterogeneity: number, zq: number): number {
  const s = Math.sqrt(Math.log1p(heterogeneity * heterogeneity));
  return Math.exp(zq * s - (s * s) / 2);
}
