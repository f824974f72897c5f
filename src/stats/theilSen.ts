/**
 * Theil–Sen slope (median of pairwise slopes) with Sen's (1968) distribution-free CI, intercept
 * median(y) − slope·median(x). Matches scipy.stats.theilslopes(y, x, alpha=0.95, method='separate')
 * including its tie-corrected variance and round-half-even index choice.
 */
import { median, roundHalfEven, tieSizes } from './descriptive.js';
import { normalQuantile } from './distributions.js';

export interface TheilSenResult {
  readonly method: string;
  readonly n: number;
  readonly slope: number;
  readonly intercept: number;
  readonly ci: readonly [number, number];
  readonly confLevel: number;
}

export function theilSen(x: readonly number[], y: readonly number[], confLevel = 0.95): TheilSenResult {
  const n = x.length;
  const slopes: number[] = [];
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) if (x[j]! - x[i]! > 0) slopes.push((y[j]! - y[i]!) / (x[j]! - x[i]!));
  if (slopes.length === 0) throw new RangeError('theilSen needs at least two distinct x values');
  slopes.sort((a, b) => a - b);
  const slope = median(slopes);
  const intercept = median(y) - slope * median(x);
  const z = normalQuantile((1 - confLevel) / 2);
  const tt = (ts: number[]) => ts.reduce((s, k) => s + k * (k - 1) * (2 * k + 5), 0);
  const sigsq = (n * (n - 1) * (2 * n + 5) - tt(tieSizes(x)) - tt(tieSizes(y))) / 18;
  const sigma = Math.sqrt(sigsq);
  const nt = slopes.length;
  const ru = Math.min(roundHalfEven((nt - z * sigma) / 2), nt - 1);
  const rl = Math.max(roundHalfEven((nt + z * sigma) / 2) - 1, 0);
  return { method: 'Theil–Sen (Sen 1968 CI)', n, slope, intercept, ci: [slopes[rl]!, slopes[ru]!], confLevel };
}
