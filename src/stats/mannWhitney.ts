/**
 * Mann–Whitney U test. U is the statistic of x (U1 = R1 − n1(n1+1)/2), as scipy reports it.
 * method 'auto': exact null distribution when both n ≤ 8 and there are no ties, otherwise the normal
 * approximation with tie-corrected variance and continuity correction (scipy.stats.mannwhitneyu,
 * method='auto', use_continuity=True). Effect sizes: probability of superiority U1/(n1 n2) and the
 * rank-biserial correlation 2·U1/(n1 n2) − 1; the Hodges–Lehmann shift is the estimate.
 */
import { median, ranks, tieSizes } from './descriptive.js';
import { normalSf } from './distributions.js';
import type { Alternative, TestResult } from './types.js';

export interface MannWhitneyOptions {
  /** @default 'two-sided' */
  readonly alternative?: Alternative;
  /** @default 'auto' */
  readonly method?: 'auto' | 'exact' | 'asymptotic';
}

export interface MannWhitneyResult extends TestResult {
  readonly U: number;
  readonly exact: boolean;
  readonly probabilityOfSuperiority: number;
  readonly rankBiserial: number;
}

/** Counts c[u] of arrangements with U = u, for sample sizes m, n (no ties). */
export function mannWhitneyCounts(m: number, n: number): number[] {
  // f[i][j] = distribution for sizes (i, j); recurrence f(i,j)(u) = f(i−1,j)(u − j) + f(i,j−1)(u)
  let prev: number[][] = [];
  for (let j = 0; j <= n; j++) prev.push([1]);
  for (let i = 1; i <= m; i++) {
    const cur: number[][] = [[1]];
    for (let j = 1; j <= n; j++) {
      const size = i * j + 1;
      const arr = new Array<number>(size).fill(0);
      const a = prev[j]!;
      for (let u = 0; u < a.length; u++) arr[u + j] = (arr[u + j] ?? 0) + a[u]!;
      const b = cur[j - 1]!;
      for (let u = 0; u < b.length; u++) arr[u] = arr[u]! + b[u]!;
      cur.push(arr);
    }
    prev = cur;
  }
  return prev[n]!;
}

export function mannWhitneyU(x: readonly number[], y: readonly number[], opts: MannWhitneyOptions = {}): MannWhitneyResult {
  const n1 = x.length;
  const n2 = y.length;
  if (n1 === 0 || n2 === 0) throw new RangeError('mannWhitneyU needs both samples non-empty');
  const alt = opts.alternative ?? 'two-sided';
  const all = [...x, ...y];
  const r = ranks(all);
  let r1 = 0;
  for (let i = 0; i < n1; i++) r1 += r[i]!;
  const U1 = r1 - (n1 * (n1 + 1)) / 2;
  const U2 = n1 * n2 - U1;
  const ties = tieSizes(all);
  const method = opts.method ?? 'auto';
  const exact = method === 'exact' || (method === 'auto' && n1 <= 8 && n2 <= 8 && ties.length === 0);
  const U = alt === 'two-sided' ? Math.max(U1, U2) : alt === 'greater' ? U1 : U2;
  let p: number;
  if (exact) {
    const c = mannWhitneyCounts(n1, n2);
    const total = c.reduce((s, v) => s + v, 0);
    let tail = 0;
    for (let u = Math.ceil(U); u < c.length; u++) tail += c[u]!;
    p = tail / total;
  } else {
    const N = n1 + n2;
    const mu = (n1 * n2) / 2;
    const tieTerm = ties.reduce((s, t) => s + (t ** 3 - t), 0);
    const s = Math.sqrt(((n1 * n2) / 12) * (N + 1 - tieTerm / (N * (N - 1))));
    const z = (U - mu - 0.5) / s;
    p = normalSf(z);
  }
  if (alt === 'two-sided') p = Math.min(1, 2 * p);
  const diffs: number[] = [];
  for (const a of x) for (const b of y) diffs.push(a - b);
  return {
    method: exact ? 'Mann–Whitney U (exact)' : 'Mann–Whitney U (normal approximation, tie and continuity corrected)',
    n: [n1, n2],
    estimate: median(diffs),
    estimateName: 'Hodges–Lehmann shift x − y',
    ci: null,
    confLevel: 0.95,
    statistic: U1,
    statisticName: 'U1',
    df: null,
    p,
    alternative: alt,
    U: U1,
    exact,
    probabilityOfSuperiority: U1 / (n1 * n2),
    rankBiserial: (2 * U1) / (n1 * n2) - 1,
    effectSize: { name: 'rank-biserial r', value: (2 * U1) / (n1 * n2) - 1, ci: null },
  };
}
