/**
 * Welch's unequal-variance t-test of mean(x) − mean(y), with the Welch–Satterthwaite df, the CI of
 * the difference and Hedges' g. Matches scipy.stats.ttest_ind(x, y, equal_var=False).
 */
import { mean, variance } from './descriptive.js';
import { tCdf, tQuantile, tTwoSidedP } from './distributions.js';
import { hedgesG } from './effectSize.js';
import type { Alternative, TestResult } from './types.js';

export interface WelchOptions {
  /** @default 'two-sided' */
  readonly alternative?: Alternative;
  /** @default 0.95 */
  readonly confLevel?: number;
  /** Null difference. @default 0 */
  readonly mu?: number;
}

export interface WelchResult extends TestResult {
  readonly se: number;
  readonly meanX: number;
  readonly meanY: number;
}

export function welchT(x: readonly number[], y: readonly number[], opts: WelchOptions = {}): WelchResult {
  const n1 = x.length;
  const n2 = y.length;
  if (n1 < 2 || n2 < 2) throw new RangeError(`welchT needs ≥ 2 values per group (got ${n1} and ${n2})`);
  const alt = opts.alternative ?? 'two-sided';
  const conf = opts.confLevel ?? 0.95;
  const mu = opts.mu ?? 0;
  const v1 = variance(x) / n1;
  const v2 = variance(y) / n2;
  const se = Math.sqrt(v1 + v2);
  const df = (v1 + v2) ** 2 / ((v1 * v1) / (n1 - 1) + (v2 * v2) / (n2 - 1));
  const mx = mean(x);
  const my = mean(y);
  const est = mx - my;
  const t = (est - mu) / se;
  let p: number;
  let ci: [number, number];
  if (alt === 'two-sided') {
    p = tTwoSidedP(t, df);
    const q = tQuantile(1 - (1 - conf) / 2, df);
    ci = [est - q * se, est + q * se];
  } else if (alt === 'greater') {
    p = tCdf(-t, df);
    ci = [est - tQuantile(conf, df) * se, Infinity];
  } else {
    p = tCdf(t, df);
    ci = [-Infinity, est + tQuantile(conf, df) * se];
  }
  return {
    method: 'Welch two-sample t-test',
    n: [n1, n2],
    estimate: est,
    estimateName: 'mean(x) − mean(y)',
    ci,
    confLevel: conf,
    statistic: t,
    statisticName: 't',
    df,
    p,
    alternative: alt,
    se,
    meanX: mx,
    meanY: my,
    effectSize: hedgesG(x, y, conf),
  };
}
