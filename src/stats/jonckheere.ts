/**
 * Jonckheere–Terpstra test for an ordered alternative across k groups given in hypothesised
 * increasing order. J = Σ_{i<j} #(x_i < x_j) + ½ #(x_i = x_j). p from the normal approximation with
 * the tie-corrected variance (Lehmann 1975 / Hollander & Wolfe), or exactly by enumerating all
 * distinct relabellings when there are at most `exactLimit` of them.
 */
import { normalSf } from './distributions.js';
import type { Alternative } from './types.js';

export interface JonckheereResult {
  readonly method: string;
  readonly n: readonly number[];
  readonly J: number;
  readonly mean: number;
  readonly variance: number;
  readonly z: number;
  readonly p: number;
  readonly alternative: Alternative;
  readonly exact: boolean;
  /** Kendall-type effect: (J − mean)/(max J − mean) ∈ [−1, 1]. */
  readonly tau: number;
}

function jStat(values: readonly number[], labels: readonly number[]): number {
  let J = 0;
  for (let a = 0; a < values.length; a++) {
    for (let b = 0; b < values.length; b++) {
      if (labels[a]! < labels[b]!) {
        if (values[a]! < values[b]!) J += 1;
        else if (values[a] === values[b]) J += 0.5;
      }
    }
  }
  return J;
}

function multinomialCount(ns: readonly number[]): number {
  let r = 1;
  let tot = 0;
  for (const n of ns) for (let i = 1; i <= n; i++) r = (r * ++tot) / i;
  return Math.round(r);
}

export function jonckheereTerpstra(
  groups: readonly (readonly number[])[],
  opts: { alternative?: Alternative; method?: 'auto' | 'exact' | 'normal'; exactLimit?: number } = {},
): JonckheereResult {
  const alt = opts.alternative ?? 'greater';
  const ns = groups.map((g) => g.length);
  const N = ns.reduce((s, v) => s + v, 0);
  const values = groups.flat();
  const labels = groups.flatMap((g, i) => g.map(() => i));
  const J = jStat(values, labels);
  const mu = (N * N - ns.reduce((s, n) => s + n * n, 0)) / 4;
  const counts = new Map<number, number>();
  for (const v of values) counts.set(v, (counts.get(v) ?? 0) + 1);
  const ts = [...counts.values()];
  const s1 = (a: readonly number[]) => a.reduce((s, t) => s + t * (t - 1) * (2 * t + 5), 0);
  const s2 = (a: readonly number[]) => a.reduce((s, t) => s + t * (t - 1) * (t - 2), 0);
  const s3 = (a: readonly number[]) => a.reduce((s, t) => s + t * (t - 1), 0);
  const v = (N * (N - 1) * (2 * N + 5) - s1(ns) - s1(ts)) / 72 + (s2(ns) * s2(ts)) / (36 * N * (N - 1) * (N - 2)) + (s3(ns) * s3(ts)) / (8 * N * (N - 1));
  const z = (J - mu) / Math.sqrt(v);
  const maxJ = mu * 2;
  const tau = (J - mu) / (maxJ - mu);
  const wantExact =
    opts.method === 'exact' ||
    (opts.method !== 'normal' && multinomialCount(ns) <= (opts.exactLimit ?? 200000) && (opts.method === 'auto' || opts.method === undefined));
  if (wantExact) {
    // enumerate distinct label arrangements over the fixed pooled values
    let ge = 0;
    let le = 0;
    let total = 0;
    const lab = new Array<number>(N);
    const left = [...ns];
    const tol = 1e-9;
    const rec = (pos: number): void => {
      if (pos === N) {
        const j = jStat(values, lab);
        if (j >= J - tol) ge++;
        if (j <= J + tol) le++;
        total++;
        return;
      }
      for (let g = 0; g < left.length; g++) {
        if (left[g]! > 0) {
          left[g]!--;
          lab[pos] = g;
          rec(pos + 1);
          left[g]!++;
        }
      }
    };
    rec(0);
    const p = alt === 'greater' ? ge / total : alt === 'less' ? le / total : Math.min(1, (2 * Math.min(ge, le)) / total);
    return { method: 'Jonckheere–Terpstra (exact enumeration)', n: ns, J, mean: mu, variance: v, z, p, alternative: alt, exact: true, tau };
  }
  const p = alt === 'greater' ? normalSf(z) : alt === 'less' ? normalSf(-z) : Math.min(1, 2 * normalSf(Math.abs(z)));
  return { method: 'Jonckheere–Terpstra (normal approximation, tie-corrected)', n: ns, J, mean: mu, variance: v, z, p, alternative: alt, exact: false, tau };
}
