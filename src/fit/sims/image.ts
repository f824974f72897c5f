/**
 * Lateral heterogeneity of the SEI from ToF-SIMS ion images (DOMAIN.md §4.2): a marker-ratio map, its
 * coefficient of variation with counting noise removed (the heterogeneity index H), Moran's I with a
 * seeded permutation test, and the hot-spot fraction.
 *
 * Noise terms (derivation in docs/tofsims.md, "Counting noise of a ratio map"):
 *  - share map s = I/(I+O): given N = I+O counts in a pixel, I ~ Binomial(N, s) for independent Poisson
 *    I and O, so Var(ŝ|N) = s(1−s)/N exactly, and ŝ(1−ŝ)/(N−1) is its unbiased estimate.
 *  - ratio map R = I/O: first-order (delta method) Var(R)/R² ≈ 1/μ_I + 1/μ_O, estimated per pixel as
 *    R²(1/I + 1/O). Biased at low counts (E[1/O] ≠ 1/μ_O), which is why binning comes first.
 * CV_true² = max(0, CV_obs² − mean(noise variance)/mean²); for a single Poisson map this reduces to the
 * familiar CV_obs² − 1/μ.
 */
import { shuffleInPlace } from '../../stats/rng.js';

export type RatioMetric = 'share' | 'ratio';

export interface MapOptions {
  /**
   * 'share' = I/(I+O) (DOMAIN.md §4.2 item 4, exact binomial noise term), 'ratio' = I/O (delta method).
   * @default 'share'
   */
  readonly metric?: RatioMetric;
  /** Minimum counts per (binned) pixel: N = I+O for 'share', min(I, O) for 'ratio'. @default 20 */
  readonly minCountsPerPixel?: number;
  /** Share of binned pixels that must reach the minimum before the bin factor is accepted. @default 0.9 */
  readonly minCoverage?: number;
  /** Bin factors tried, smallest first. @default [1, 2, 4, 8, 16, 32] */
  readonly binFactors?: readonly number[];
}

export const DEFAULT_MAP_OPTIONS = {
  metric: 'share' as RatioMetric,
  minCountsPerPixel: 20,
  minCoverage: 0.9,
  binFactors: [1, 2, 4, 8, 16, 32] as readonly number[],
};

export interface Binned {
  readonly I: Float64Array;
  readonly O: Float64Array;
  readonly width: number;
  readonly height: number;
  readonly factor: number;
}

/** Sum b×b blocks. Incomplete blocks at the right/bottom edge are dropped (stated in the outcome). */
export function bin(I: Float64Array, O: Float64Array, W: number, H: number, b: number): Binned {
  if (b === 1) return { I, O, width: W, height: H, factor: 1 };
  const w = Math.floor(W / b);
  const h = Math.floor(H / b);
  const bi = new Float64Array(w * h);
  const bo = new Float64Array(w * h);
  for (let y = 0; y < h * b; y++) {
    const row = y * W;
    const brow = Math.floor(y / b) * w;
    for (let x = 0; x < w * b; x++) {
      const k = brow + Math.floor(x / b);
      bi[k]! += I[row + x]!;
      bo[k]! += O[row + x]!;
    }
  }
  return { I: bi, O: bo, width: w, height: h, factor: b };
}

function countOf(metric: RatioMetric, i: number, o: number): number {
  return metric === 'share' ? i + o : Math.min(i, o);
}

/** Smallest bin factor whose binned map has ≥ minCoverage of pixels at ≥ minCountsPerPixel. */
export function chooseBin(I: Float64Array, O: Float64Array, W: number, H: number, o: MapOptions = {}): Binned & { coverage: number; reached: boolean } {
  const metric = o.metric ?? DEFAULT_MAP_OPTIONS.metric;
  const min = o.minCountsPerPixel ?? DEFAULT_MAP_OPTIONS.minCountsPerPixel;
  const cov = o.minCoverage ?? DEFAULT_MAP_OPTIONS.minCoverage;
  let last: (Binned & { coverage: number; reached: boolean }) | undefined;
  for (const b of o.binFactors ?? DEFAULT_MAP_OPTIONS.binFactors) {
    if (Math.floor(W / b) < 3 || Math.floor(H / b) < 3) break;
    const m = bin(I, O, W, H, b);
    let ok = 0;
    for (let k = 0; k < m.I.length; k++) if (countOf(metric, m.I[k]!, m.O[k]!) >= min) ok++;
    const coverage = ok / m.I.length;
    last = { ...m, coverage, reached: coverage >= cov };
    if (coverage >= cov) return last;
  }
  if (!last) return { ...bin(I, O, W, H, 1), coverage: NaN, reached: false };
  return last;
}

export interface RatioMap {
  readonly values: Float64Array;
  /** Per-pixel counting-noise variance of `values`. */
  readonly noiseVar: Float64Array;
  /** 1 where the pixel is used (count criterion met). */
  readonly mask: Uint8Array;
  readonly width: number;
  readonly height: number;
  readonly valid: number;
}

/** Ratio or share map with its per-pixel noise variance; pixels below the count minimum are masked. */
export function ratioMap(b: Binned, o: MapOptions = {}): RatioMap {
  const metric = o.metric ?? DEFAULT_MAP_OPTIONS.metric;
  const min = Math.max(o.minCountsPerPixel ?? DEFAULT_MAP_OPTIONS.minCountsPerPixel, metric === 'share' ? 2 : 1);
  const n = b.I.length;
  const values = new Float64Array(n);
  const noiseVar = new Float64Array(n);
  const mask = new Uint8Array(n);
  let valid = 0;
  for (let k = 0; k < n; k++) {
    const i = b.I[k]!;
    const oo = b.O[k]!;
    if (countOf(metric, i, oo) < min) {
      values[k] = NaN;
      continue;
    }
    if (metric === 'share') {
      const N = i + oo;
      const s = i / N;
      values[k] = s;
      noiseVar[k] = (s * (1 - s)) / (N - 1);
    } else {
      const r = i / oo;
      values[k] = r;
      noiseVar[k] = r * r * (1 / i + 1 / oo);
    }
    mask[k] = 1;
    valid++;
  }
  return { values, noiseVar, mask, width: b.width, height: b.height, valid };
}

export interface CvResult {
  readonly mean: number;
  readonly sd: number;
  readonly cvObs: number;
  /** sqrt(mean noise variance)/mean: the CV counting noise alone would give. */
  readonly cvNoise: number;
  readonly cvTrue: number;
  readonly n: number;
}

/** CV of the masked map and its noise-corrected value. Sample variance uses n − 1. */
export function cvTrue(m: RatioMap): CvResult {
  let n = 0;
  let s = 0;
  let nv = 0;
  for (let k = 0; k < m.values.length; k++) {
    if (!m.mask[k]) continue;
    n++;
    s += m.values[k]!;
    nv += m.noiseVar[k]!;
  }
  if (n < 2) return { mean: NaN, sd: NaN, cvObs: NaN, cvNoise: NaN, cvTrue: NaN, n };
  const mean = s / n;
  let ss = 0;
  for (let k = 0; k < m.values.length; k++) if (m.mask[k]) ss += (m.values[k]! - mean) ** 2;
  const variance = ss / (n - 1);
  const cvObs2 = variance / (mean * mean);
  const cvNoise2 = nv / n / (mean * mean);
  return { mean, sd: Math.sqrt(variance), cvObs: Math.sqrt(cvObs2), cvNoise: Math.sqrt(cvNoise2), cvTrue: Math.sqrt(Math.max(0, cvObs2 - cvNoise2)), n };
}

/** Share of valid pixels above mean + 2σ (σ = observed SD of the map). */
export function hotspotFraction(m: RatioMap, cv: CvResult = cvTrue(m)): number {
  if (!(cv.n > 1)) return NaN;
  const thr = cv.mean + 2 * cv.sd;
  let hot = 0;
  for (let k = 0; k < m.values.length; k++) if (m.mask[k] && m.values[k]! > thr) hot++;
  return hot / cv.n;
}

export interface MoranResult {
  readonly I: number;
  /** −1/(N−1): the expectation under spatial randomness. */
  readonly expected: number;
  /** z-score under the normality assumption (Cliff & Ord 1981). */
  readonly z: number;
  /** One-sided permutation p-value for clustering, (1 + #{I_perm ≥ I}) / (1 + permutations); NaN if none run. */
  readonly pPermutation: number;
  readonly permutations: number;
  readonly n: number;
  readonly edges: number;
}

export interface MoranOptions {
  /** @default 999 */
  readonly permutations?: number;
  /** PRNG seed, so the p-value is reproducible. @default 1 */
  readonly seed?: number;
}

/**
 * Moran's I with rook (edge-sharing) binary weights among valid pixels (Moran, Biometrika 37, 17
 * (1950)): I = (N / S0) Σ_ij w_ij z_i z_j / Σ_i z_i², here with each undirected edge counted once in
 * both sums, so I = (N / E) Σ_edges z_a z_b / Σ z².
 */
export function moransI(m: RatioMap, o: MoranOptions = {}): MoranResult {
  const { width: W, height: H } = m;
  const size = W * H;
  // Valid pixel positions (ascending) and the degree of each; edges are counted once.
  const pos: number[] = [];
  let E = 0;
  let S2 = 0;
  for (let y = 0; y < H; y++) {
    for (let x = 0; x < W; x++) {
      const k = y * W + x;
      if (!m.mask[k]) continue;
      pos.push(k);
      let d = 0;
      if (x > 0 && m.mask[k - 1]) d++;
      if (x + 1 < W && m.mask[k + 1]) {
        d++;
        E++;
      }
      if (y > 0 && m.mask[k - W]) d++;
      if (y + 1 < H && m.mask[k + W]) {
        d++;
        E++;
      }
      S2 += 4 * d * d;
    }
  }
  const N = pos.length;
  const nan: MoranResult = { I: NaN, expected: NaN, z: NaN, pPermutation: NaN, permutations: 0, n: N, edges: E };
  if (N < 3 || E === 0) return nan;
  let mean = 0;
  for (const k of pos) mean += m.values[k]!;
  mean /= N;
  const z = new Float64Array(N);
  let s2 = 0;
  for (let i = 0; i < N; i++) {
    z[i] = m.values[pos[i]!]! - mean;
    s2 += z[i]! * z[i]!;
  }
  if (s2 === 0) return nan;
  // Deviations on the full grid with 0 at masked pixels: a product with a masked neighbour adds 0, so
  // the contiguous grid sum equals the sum over valid rook edges (and runs ~5× faster than an edge list).
  const g = new Float64Array(size);
  const scatter = (v: Float64Array): void => {
    for (let i = 0; i < N; i++) g[pos[i]!] = v[i]!;
  };
  const cross = (): number => {
    let c = 0;
    for (let y = 0; y < H; y++) {
      const r = y * W;
      for (let x = 0; x < W - 1; x++) c += g[r + x]! * g[r + x + 1]!;
    }
    for (let k = 0; k < size - W; k++) c += g[k]! * g[k + W]!;
    return c;
  };
  scatter(z);
  const I = (N / E) * (cross() / s2);
  const expected = -1 / (N - 1);
  // Normality-assumption variance (Cliff & Ord) with S0 = 2E, S1 = 2·S0, S2 = Σ(2 d_i)².
  const S0 = 2 * E;
  const S1 = 2 * S0;
  const varI = (N * N * S1 - N * S2 + 3 * S0 * S0) / ((N * N - 1) * S0 * S0) - expected * expected;
  const zScore = (I - expected) / Math.sqrt(varI);
  const perms = o.permutations ?? 999;
  let ge = 0;
  if (perms > 0) {
    const rng = { state: o.seed ?? 1 };
    // Without a mask the valid values ARE the grid: shuffle it in place and skip the scatter.
    const p = N === size ? g : Float64Array.from(z);
    for (let r = 0; r < perms; r++) {
      shuffleInPlace(p, rng);
      if (p !== g) scatter(p);
      if ((N / E) * (cross() / s2) >= I) ge++;
    }
  }
  return { I, expected, z: zScore, pPermutation: perms > 0 ? (1 + ge) / (1 + perms) : NaN, permutations: perms, n: N, edges: E };
}

export interface MapAnalysis {
  readonly bin: number;
  readonly coverage: number;
  readonly minCountReached: boolean;
  readonly cv: CvResult;
  readonly moran: MoranResult;
  readonly hotspot: number;
  readonly masked: number;
}

/** Bin → ratio map → CV_true, Moran's I, hot-spot fraction, for one 2D pair of count maps. */
export function analyseMap(I: Float64Array, O: Float64Array, W: number, H: number, o: MapOptions & MoranOptions = {}): MapAnalysis {
  const b = chooseBin(I, O, W, H, o);
  const m = ratioMap(b, o);
  const cv = cvTrue(m);
  return {
    bin: b.factor,
    coverage: b.coverage,
    minCountReached: b.reached,
    cv,
    moran: moransI(m, o),
    hotspot: hotspotFraction(m, cv),
    masked: m.values.length - m.valid,
  };
}

/** Physical bin edge (µm) of the heterogeneity index of paired single-ion images (src/derived/sims-pairs.ts). */
export const DEFAULT_SIMS_BIN_UM = 8;
