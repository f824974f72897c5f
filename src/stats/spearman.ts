/**
 * Spearman rank correlation (Pearson on mid-ranks) with the t-approximation p-value of
 * scipy.stats.spearmanr and a Fisher-z CI with SE = √((1 + ρ²/2)/(n − 3)) (Bonett & Wright 2000).
 */
import { pearson, ranks } from './descriptive.js';
import { normalQuantile, tTwoSidedP } from './distributions.js';

export interface SpearmanResult {
  readonly method: string;
  readonly n: number;
  readonly rho: number;
  readonly p: number;
  readonly ci: readonly [number, number] | null;
}

export function spearman(x: readonly number[], y: readonly number[], confLevel = 0.95): SpearmanResult {
  const n = x.length;
  const rho = pearson(ranks(x), ranks(y));
  const t = rho * Math.sqrt((n - 2) / Math.max(1e-300, 1 - rho * rho));
  const p = Math.abs(rho) >= 1 ? 0 : tTwoSidedP(t, n - 2);
  let ci: [number, number] | null = null;
  if (n > 3 && Math.abs(rho) < 1) {
    const z = Math.atanh(rho);
    const se = Math.sqrt((1 + (rho * rho) / 2) / (n - 3));
    const q = normalQuantile(1 - (1 - confLevel) / 2);
    ci = [Math.tanh(z - q * se), Math.tanh(z + q * se)];
  }
  return { method: 'Spearman rank correlation', n, rho, p, ci };
}
