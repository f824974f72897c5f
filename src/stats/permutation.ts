/**
 * Two-sample permutation test of a statistic of (x, y) (default: difference in means). Exact
 * enumeration of all C(n1+n2, n1) relabellings when that is ≤ `exactLimit`, otherwise `nPerm`
 * seeded random relabellings with p = (b + 1)/(nPerm + 1). Two-sided p = min(1, 2·min(P≤, P≥)), as
 * scipy.stats.permutation_test.
 */
import { createRng } from './rng.js';
import type { Alternative } from './types.js';

export interface PermutationOptions {
  /** @default 'two-sided' */
  readonly alternative?: Alternative;
  /** @default 9999 */
  readonly nPerm?: number;
  /** @default 1 */
  readonly seed?: number;
  /** Enumerate exactly when the number of relabellings is at most this. @default 100000 */
  readonly exactLimit?: number;
  /** Statistic; default mean(x) − mean(y) (evaluated by a fast path). */
  readonly statistic?: (x: readonly number[], y: readonly number[]) => number;
}

export interface PermutationResult {
  readonly method: string;
  readonly n: readonly number[];
  readonly statistic: number;
  readonly p: number;
  readonly alternative: Alternative;
  readonly exact: boolean;
  readonly nPerm: number;
  readonly seed: number | null;
}

function choose(n: number, k: number): number {
  let r = 1;
  for (let i = 1; i <= k; i++) r = (r * (n - k + i)) / i;
  return Math.round(r);
}

export function permutationTest(x: readonly number[], y: readonly number[], opts: PermutationOptions = {}): PermutationResult {
  const n1 = x.length;
  const n2 = y.length;
  const N = n1 + n2;
  const pooled = [...x, ...y];
  const alt = opts.alternative ?? 'two-sided';
  const custom = opts.statistic;
  const total = pooled.reduce((s, v) => s + v, 0);
  const stat = (idx: readonly number[]): number => {
    if (!custom) {
      let s = 0;
      for (const i of idx) s += pooled[i]!;
      return s / n1 - (total - s) / n2;
    }
    const inX = new Uint8Array(N);
    for (const i of idx) inX[i] = 1;
    const a: number[] = [];
    const b: number[] = [];
    for (let i = 0; i < N; i++) (inX[i] ? a : b).push(pooled[i]!);
    return custom(a, b);
  };
  const obsIdx = Array.from({ length: n1 }, (_, i) => i);
  const obs = stat(obsIdx);
  const tol = 1e-12 * Math.max(1, Math.abs(obs));
  let le = 0;
  let ge = 0;
  let count = 0;
  const combos = choose(N, n1);
  const exact = combos <= (opts.exactLimit ?? 100000);
  if (exact) {
    const idx: number[] = [];
    const rec = (start: number): void => {
      if (idx.length === n1) {
        const s = stat(idx);
        if (s <= obs + tol) le++;
        if (s >= obs - tol) ge++;
        count++;
        return;
      }
      for (let i = start; i <= N - (n1 - idx.length); i++) {
        idx.push(i);
        rec(i + 1);
        idx.pop();
      }
    };
    rec(0);
  } else {
    const rng = createRng(opts.seed ?? 1);
    const nPerm = opts.nPerm ?? 9999;
    const perm = Array.from({ length: N }, (_, i) => i);
    for (let b = 0; b < nPerm; b++) {
      for (let i = 0; i < n1; i++) {
        const j = i + rng.int(N - i);
        [perm[i], perm[j]] = [perm[j]!, perm[i]!];
      }
      const s = stat(perm.slice(0, n1));
      if (s <= obs + tol) le++;
      if (s >= obs - tol) ge++;
    }
    count = nPerm;
    le += 1;
    ge += 1;
    count += 1;
  }
  const pLe = le / count;
  const pGe = ge / count;
  const p = alt === 'greater' ? pGe : alt === 'less' ? pLe : Math.min(1, 2 * Math.min(pLe, pGe));
  return {
    method: exact ? 'permutation test (exact enumeration)' : 'permutation test (Monte Carlo, seeded)',
    n: [n1, n2],
    statistic: obs,
    p,
    alternative: alt,
    exact,
    nPerm: count,
    seed: exact ? null : (opts.seed ?? 1),
  };
}
