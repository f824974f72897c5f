/**
 * Nonparametric bootstrap over row indices with BCa (bias-corrected and accelerated, Efron 1987) or
 * percentile intervals. The statistic receives the resampled row indices, so one function serves
 * one-sample, two-sample (resample within groups via `strata`) and row-wise (mediation) statistics.
 * Acceleration comes from the jackknife. Seeded: the same seed gives the same interval.
 */
import { normalCdf, normalQuantile } from './distributions.js';
import { createRng } from './rng.js';

export interface BootstrapOptions {
  /** @default 4999 */
  readonly B?: number;
  /** @default 1 */
  readonly seed?: number;
  /** @default 0.95 */
  readonly confLevel?: number;
  /** @default 'bca' */
  readonly method?: 'bca' | 'percentile';
  /** Stratum of each row (e.g. group label): rows are resampled within their stratum. */
  readonly strata?: readonly (string | number)[];
}

export interface BootstrapResult {
  readonly method: string;
  readonly estimate: number;
  readonly ci: readonly [number, number];
  readonly confLevel: number;
  readonly se: number;
  readonly bias: number;
  readonly z0: number | null;
  readonly acceleration: number | null;
  readonly B: number;
  readonly seed: number;
}

/** Type-7 quantile of a sorted array. */
function sortedQuantile(s: Float64Array, p: number): number {
  const h = (s.length - 1) * Math.min(1, Math.max(0, p));
  const lo = Math.floor(h);
  const hi = Math.ceil(h);
  return s[lo]! + (h - lo) * (s[hi]! - s[lo]!);
}

export function bootstrap(n: number, statistic: (idx: readonly number[]) => number, opts: BootstrapOptions = {}): BootstrapResult {
  const B = opts.B ?? 4999;
  const seed = opts.seed ?? 1;
  const conf = opts.confLevel ?? 0.95;
  const method = opts.method ?? 'bca';
  const rng = createRng(seed);
  const all = Array.from({ length: n }, (_, i) => i);
  const theta = statistic(all);
  const strata: number[][] = [];
  if (opts.strata) {
    const m = new Map<string | number, number[]>();
    opts.strata.forEach((s, i) => {
      if (!m.has(s)) m.set(s, []);
      m.get(s)!.push(i);
    });
    strata.push(...m.values());
  } else strata.push(all);
  const reps = new Float64Array(B);
  const idx = new Array<number>(n);
  for (let b = 0; b < B; b++) {
    let k = 0;
    for (const s of strata) for (let i = 0; i < s.length; i++) idx[k++] = s[rng.int(s.length)]!;
    reps[b] = statistic(idx);
  }
  let m = 0;
  for (const v of reps) m += v;
  m /= B;
  let ss = 0;
  for (const v of reps) ss += (v - m) ** 2;
  const se = Math.sqrt(ss / (B - 1));
  const sorted = Float64Array.from(reps).sort();
  const alpha = (1 - conf) / 2;
  if (method === 'percentile') {
    return {
      method: 'bootstrap percentile',
      estimate: theta,
      ci: [sortedQuantile(sorted, alpha), sortedQuantile(sorted, 1 - alpha)],
      confLevel: conf,
      se,
      bias: m - theta,
      z0: null,
      acceleration: null,
      B,
      seed,
    };
  }
  let less = 0;
  let leq = 0;
  for (const v of reps) {
    if (v < theta) less++;
    if (v <= theta) leq++;
  }
  const z0 = normalQuantile((less + leq) / (2 * B));
  // jackknife acceleration
  const jack = new Float64Array(n);
  for (let i = 0; i < n; i++) jack[i] = statistic(all.filter((j) => j !== i));
  let jm = 0;
  for (const v of jack) jm += v;
  jm /= n;
  let num = 0;
  let den = 0;
  for (const v of jack) {
    num += (jm - v) ** 3;
    den += (jm - v) ** 2;
  }
  const a = den === 0 ? 0 : num / (6 * den ** 1.5);
  const adj = (z: number) => normalCdf(z0 + (z0 + z) / (1 - a * (z0 + z)));
  const lo = adj(normalQuantile(alpha));
  const hi = adj(normalQuantile(1 - alpha));
  return {
    method: 'bootstrap BCa',
    estimate: theta,
    ci: [sortedQuantile(sorted, lo), sortedQuantile(sorted, hi)],
    confLevel: conf,
    se,
    bias: m - theta,
    z0,
    acceleration: a,
    B,
    seed,
  };
}

/** BCa interval for the mean of x. */
export function bootstrapMean(x: readonly number[], opts: BootstrapOptions = {}): BootstrapResult {
  return bootstrap(
    x.length,
    (idx) => {
      let s = 0;
      for (const i of idx) s += x[i]!;
      return s / idx.length;
    },
    opts,
  );
}
