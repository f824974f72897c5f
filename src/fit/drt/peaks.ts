/**
 * Which maxima of a regularised DRT are peaks: a parsimony rule that asks the inversion itself what
 * it can resolve and what it can tell from noise (issue #16: a two-arc spectrum used to give 5–8
 * "peaks", most of them NNLS ringing and side lobes of one broad arc).
 *
 * Inputs are the γ(ln τ) of `computeDrt` on its fine grid plus two things the Tikhonov solution at
 * the chosen λ carries with it:
 *  - its **resolution length** ℓ(ln τ): the FWHM of the resolution (averaging) kernel
 *    R_λ = (AᵀA + λI)⁻¹AᵀA applied to one basis function, i.e. how wide a sharp relaxation comes
 *    out at this λ and this frequency coverage (wide outside the measured band);
 *  - the **covariance** of the coefficients, σ²·(G_P + λI)⁻¹ G_P (G_P + λI)⁻¹ on the NNLS passive
 *    set P, σ² = RSS/(2n − tr H): the pointwise uncertainty of γ and of any area under it.
 *
 * Rule (each step repeats, weakest pair or peak first, until everything passes):
 *  1. candidates are local maxima of γ above `peakThreshold`·max γ; a candidate owns the γ between
 *     the minima that separate it from its neighbours;
 *  2. two adjacent candidates are merged unless they are RESOLVED: apart by at least
 *     `resolutionFactor` local resolution lengths, Δ ln τ ≥ κ·(ℓ_a + ℓ_b)/2 (κ = 2: positivity lets
 *     NNLS split one broad distribution into spikes about 1–2 ℓ apart), AND the dip between them is significant,
 *     min(γ_a, γ_b) − γ_valley ≥ z·σ(γ_smaller − γ_valley);
 *  3. a peak whose area (its polarisation resistance) is below `minPeakShare` of the total, or
 *     below z times its own standard error, or below `sideLobeShare` of an adjacent peak's area
 *     while within SIDE_LOBE_REACH resolution lengths of it (NNLS ringing of that peak), is not a
 *     process: it is merged into its larger adjacent peak (its resistance stays in the distribution).
 * A merged peak keeps the apex of its higher member; its resistance is the area over the union.
 */

/** erf by Abramowitz & Stegun 7.1.26 (|error| ≤ 1.5e-7, ample for area weights). */
function erf(x: number): number {
  const t = 1 / (1 + 0.3275911 * Math.abs(x));
  const y = 1 - ((((1.061405429 * t - 1.453152027) * t + 1.421413741) * t - 0.284496736) * t + 0.254829592) * t * Math.exp(-x * x);
  return x >= 0 ? y : -y;
}

export interface PeakRuleOptions {
  /** Candidates below this fraction of max γ are ignored. */
  readonly peakThreshold: number;
  /** z of the dip and area significance tests. */
  readonly significanceZ: number;
  /** Minimum resistance share of the total polarisation. */
  readonly minPeakShare: number;
  /** Separation, in resolution lengths, below which two maxima merge. */
  readonly resolutionFactor: number;
  /** Share of an adjacent peak's resistance below which a peak within SIDE_LOBE_REACH resolution lengths is its side lobe. */
  readonly sideLobeShare: number;
}

/** How far (in resolution lengths) NNLS ringing of a peak reaches. */
export const SIDE_LOBE_REACH = 3;

export interface PeakInput {
  /** Fine grid of y = ln τ, ascending, and γ on it. */
  readonly ys: Float64Array;
  readonly gamma: Float64Array;
  /** RBF centres, width ε and coefficients (Ω). */
  readonly centres: Float64Array;
  readonly epsilon: number;
  readonly coef: Float64Array;
  /** Covariance of the coefficients (M × M, row-major), Ω². */
  readonly cov: Float64Array;
  /** Resolution length (FWHM of the resolution kernel, in ln τ) at each centre. */
  readonly resolution: Float64Array;
}

export interface ResolvedPeak {
  /** Fine-grid index of the apex and the segment [lo, hi] the peak owns. */
  readonly apex: number;
  readonly lo: number;
  readonly hi: number;
  /** Area ∫γ d ln τ over the segment (Ω) and its standard error. */
  readonly area: number;
  readonly areaStderr: number;
  /** Resolution length at the apex (ln τ units). */
  readonly resolution: number;
  /** Candidates merged into this peak (1 = none). */
  readonly members: number;
}

interface Seg {
  apex: number;
  lo: number;
  hi: number;
  members: number;
}

export function resolvePeaks(inp: PeakInput, o: PeakRuleOptions): { peaks: ResolvedPeak[]; candidates: number } {
  const { ys, gamma, centres, epsilon: eps, coef, cov, resolution } = inp;
  const n = ys.length;
  const M = centres.length;
  const gmax = Math.max(...gamma);
  if (!(gmax > 0)) return { peaks: [], candidates: 0 };

  // Candidates and the minima between them.
  const maxima: number[] = [];
  for (let k = 1; k < n - 1; k++) {
    if (gamma[k]! > gamma[k - 1]! && gamma[k]! >= gamma[k + 1]! && gamma[k]! > o.peakThreshold * gmax) maxima.push(k);
  }
  if (maxima.length === 0) return { peaks: [], candidates: 0 };
  const argminBetween = (a: number, b: number): number => {
    let m = a;
    for (let j = a; j <= b; j++) if (gamma[j]! < gamma[m]!) m = j;
    return m;
  };
  let segs: Seg[] = maxima.map((k, i) => ({
    apex: k,
    lo: i === 0 ? 0 : argminBetween(maxima[i - 1]!, k),
    hi: i === maxima.length - 1 ? n - 1 : argminBetween(k, maxima[i + 1]!),
    members: 1,
  }));

  // Linear functionals of the coefficients: γ(y) and ∫_lo^hi γ dy.
  const pointRow = (y: number): Float64Array =>
    Float64Array.from(centres, (c) => {
      const u = (y - c) / eps;
      return Math.abs(u) < 8 ? Math.exp(-u * u) : 0;
    });
  const areaRow = (y0: number, y1: number): Float64Array =>
    Float64Array.from(centres, (c) => 0.5 * eps * Math.sqrt(Math.PI) * (erf((y1 - c) / eps) - erf((y0 - c) / eps)));
  const quad = (w: Float64Array): number => {
    let s = 0;
    for (let i = 0; i < M; i++) {
      if (w[i] === 0) continue;
      let t = 0;
      for (let j = 0; j < M; j++) t += cov[i * M + j]! * w[j]!;
      s += w[i]! * t;
    }
    return Math.max(s, 0);
  };
  const areaOf = (s: Seg): { area: number; se: number } => {
    const w = areaRow(ys[s.lo]!, ys[s.hi]!);
    let a = 0;
    for (let m = 0; m < M; m++) a += w[m]! * coef[m]!;
    return { area: a, se: Math.sqrt(quad(w)) };
  };
  const resAt = (y: number): number => {
    // resolution length at the nearest centre
    let best = 0;
    for (let m = 1; m < M; m++) if (Math.abs(centres[m]! - y) < Math.abs(centres[best]! - y)) best = m;
    return resolution[best]!;
  };
  const merge = (i: number): void => {
    const a = segs[i]!;
    const b = segs[i + 1]!;
    const apex = gamma[a.apex]! >= gamma[b.apex]! ? a.apex : b.apex;
    segs = [...segs.slice(0, i), { apex, lo: a.lo, hi: b.hi, members: a.members + b.members }, ...segs.slice(i + 2)];
  };

  // Step 2: resolvability of adjacent pairs; score < 1 means unresolved, the weakest merges first.
  const pairScore = (i: number): number => {
    const a = segs[i]!;
    const b = segs[i + 1]!;
    const sep = Math.abs(ys[b.apex]! - ys[a.apex]!);
    const ell = 0.5 * (resAt(ys[a.apex]!) + resAt(ys[b.apex]!));
    const v = a.hi; // the minimum between them (= b.lo)
    const small = gamma[a.apex]! <= gamma[b.apex]! ? a.apex : b.apex;
    const dip = gamma[small]! - gamma[v]!;
    const w = pointRow(ys[small]!);
    const wv = pointRow(ys[v]!);
    for (let m = 0; m < M; m++) w[m] = w[m]! - wv[m]!;
    const sd = Math.sqrt(quad(w));
    const dipScore = sd > 0 ? dip / (o.significanceZ * sd) : Infinity;
    return Math.min(sep / (o.resolutionFactor * ell), dipScore);
  };
  for (;;) {
    let worst = -1;
    let worstScore = 1;
    for (let i = 0; i + 1 < segs.length; i++) {
      const s = pairScore(i);
      if (s < worstScore) {
        worstScore = s;
        worst = i;
      }
    }
    if (worst < 0) break;
    merge(worst);
  }

  // Step 3: area significance and side lobes; a failing peak joins its larger adjacent neighbour.
  const total = areaOf({ apex: 0, lo: 0, hi: n - 1, members: 0 }).area;
  for (;;) {
    if (segs.length <= 1) break;
    const areas = segs.map(areaOf);
    let worst = -1;
    let worstScore = 1;
    segs.forEach((s, i) => {
      const { area, se } = areas[i]!;
      let score = Math.min(area / (o.minPeakShare * total), se > 0 ? area / (o.significanceZ * se) : Infinity);
      for (const j of [i - 1, i + 1]) {
        if (j < 0 || j >= segs.length) continue;
        const sep = Math.abs(ys[segs[j]!.apex]! - ys[s.apex]!);
        const ell = 0.5 * (resAt(ys[s.apex]!) + resAt(ys[segs[j]!.apex]!));
        if (sep < SIDE_LOBE_REACH * ell) score = Math.min(score, area / (o.sideLobeShare * areas[j]!.area));
      }
      if (score < worstScore) {
        worstScore = score;
        worst = i;
      }
    });
    if (worst < 0) break;
    const left = worst > 0 ? areas[worst - 1]!.area : -Infinity;
    const right = worst < segs.length - 1 ? areas[worst + 1]!.area : -Infinity;
    merge(right > left ? worst : worst - 1);
  }

  const peaks = segs.map((s) => {
    const { area, se } = areaOf(s);
    return { apex: s.apex, lo: s.lo, hi: s.hi, area, areaStderr: se, resolution: resAt(ys[s.apex]!), members: s.members };
  });
  return { peaks, candidates: maxima.length };
}
