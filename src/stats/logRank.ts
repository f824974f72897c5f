/**
 * Log-rank (Mantel–Haenszel) test of equal survival across k groups: χ² = (O − E)ᵀ V⁻¹ (O − E) over
 * the first k − 1 groups with the hypergeometric variance, df = k − 1. Matches R survival::survdiff.
 * Also returns per-subject log-rank scores (Peto/Savage: δ − Λ̂(t) with the pooled Nelson–Aalen
 * cumulative hazard), usable as censored-data scores in composite tests.
 */
import { Matrix, inverse } from 'ml-matrix';
import { chiSquareSf } from './distributions.js';

export interface LogRankResult {
  readonly method: string;
  readonly groups: readonly string[];
  readonly n: readonly number[];
  readonly observed: readonly number[];
  readonly expected: readonly number[];
  readonly chiSquare: number;
  readonly df: number;
  readonly p: number;
}

export function logRank(time: readonly number[], event: readonly (0 | 1 | boolean)[], group: readonly string[]): LogRankResult {
  const labels = [...new Set(group)];
  const k = labels.length;
  if (k < 2) throw new RangeError('logRank needs at least two groups');
  const gi = group.map((g) => labels.indexOf(g));
  const O = new Array<number>(k).fill(0);
  const E = new Array<number>(k).fill(0);
  const V = Array.from({ length: k }, () => new Array<number>(k).fill(0));
  const eventTimes = [...new Set(time.filter((_, i) => event[i]))].sort((a, b) => a - b);
  for (const t of eventTimes) {
    const nr = new Array<number>(k).fill(0);
    const dr = new Array<number>(k).fill(0);
    for (let i = 0; i < time.length; i++) {
      if (time[i]! >= t) nr[gi[i]!]++;
      if (time[i] === t && event[i]) dr[gi[i]!]++;
    }
    const N = nr.reduce((s, v) => s + v, 0);
    const D = dr.reduce((s, v) => s + v, 0);
    for (let a = 0; a < k; a++) {
      O[a] += dr[a]!;
      E[a] += (D * nr[a]!) / N;
      if (N > 1) {
        const f = (D * (N - D)) / (N * N * (N - 1));
        for (let b = 0; b < k; b++) V[a]![b] += f * ((a === b ? N * nr[a]! : 0) - nr[a]! * nr[b]!);
      }
    }
  }
  const diff = O.slice(0, k - 1).map((o, i) => o - E[i]!);
  const Vs = new Matrix(V.slice(0, k - 1).map((r) => r.slice(0, k - 1)));
  const d = Matrix.columnVector(diff);
  const chi = d.transpose().mmul(inverse(Vs)).mmul(d).get(0, 0);
  return {
    method: 'log-rank (Mantel–Haenszel)',
    groups: labels,
    n: labels.map((_, j) => gi.filter((g) => g === j).length),
    observed: O,
    expected: E,
    chiSquare: chi,
    df: k - 1,
    p: chiSquareSf(chi, k - 1),
  };
}

/** Log-rank scores δ_i − Λ̂(t_i) (pooled Nelson–Aalen); higher = earlier failure. */
export function logRankScores(time: readonly number[], event: readonly (0 | 1 | boolean)[]): number[] {
  const eventTimes = [...new Set(time.filter((_, i) => event[i]))].sort((a, b) => a - b);
  const cum: [number, number][] = [];
  let H = 0;
  for (const t of eventTimes) {
    let nr = 0;
    let d = 0;
    for (let i = 0; i < time.length; i++) {
      if (time[i]! >= t) nr++;
      if (time[i] === t && event[i]) d++;
    }
    H += d / nr;
    cum.push([t, H]);
  }
  return time.map((t, i) => {
    let h = 0;
    for (const [ct, ch] of cum) if (ct <= t) h = ch;
    return (event[i] ? 1 : 0) - h;
  });
}
