/**
 * Distribution of relaxation times by Tikhonov-regularised non-negative least squares.
 *
 *   Z(ω) ≈ R∞ [+ jωL] + Σ_m x_m A_m(ω)      (Gaussian RBF basis on ln τ, basis.ts)
 *   min  ‖W (A x − Z)‖² + λ ‖x_RBF‖²   subject to x ≥ 0
 * Real and imaginary parts are stacked, rows weighted by W = 1/|Z| (so λ is dimensionless once
 * the unknowns are scaled by max|Z|). NNLS is Lawson–Hanson (nnls.ts) on the regularised Gram
 * matrix. λ is chosen by generalised cross-validation (Golub, Heath & Wahba 1979; for DRT see
 * Saccoccio et al., Electrochim. Acta 147, 470 (2014)):
 *   GCV(λ) = n ‖W(Ax − Z)‖² / (n − tr H)²,  H = A_P (A_Pᵀ A_P + λ I_P)⁻¹ A_Pᵀ on the NNLS passive set P
 * minimised over a log grid of λ. Peaks of γ(ln τ) give τ and a polarisation resistance each
 * (area of γ between the neighbouring minima).
 */
import { Matrix, inverse } from 'ml-matrix';
import { type RbfBasis, basisResponse, gammaAt, makeBasis } from './basis.js';
import { gramOf, nnlsGram } from './nnls.js';
import { choleskyInverse, choleskyInverseDiagonal, choleskyOn } from '../../stats/cholesky.js';
import { resolvePeaks, type ResolvedPeak } from './peaks.js';

export interface DrtOptions {
  /** RBF centres per decade of τ. @default 10 */
  readonly pointsPerDecade?: number;
  /** Decades added beyond 1/ω_max and 1/ω_min on each side. @default 1 */
  readonly extendDecades?: number;
  /** Gaussian width ε in units of the centre spacing. @default 1 */
  readonly widthFactor?: number;
  /** A fixed λ, or 'gcv'. @default 'gcv' */
  readonly lambda?: number | 'gcv';
  /** λ search grid for GCV: [min, max, count], log-spaced. @default [1e-8, 1, 25] */
  readonly lambdaGrid?: readonly [number, number, number];
  /** Series inductance column: 'auto' = when any Z'' > 0. @default 'auto' */
  readonly inductance?: boolean | 'auto';
  /** Maxima lower than this fraction of max γ are not even candidates. @default 0.02 */
  readonly peakThreshold?: number;
  /** z of the peak significance tests (dip between two maxima, area of a peak), peaks.ts. @default 3 */
  readonly significanceZ?: number;
  /** A peak must hold at least this share of the total polarisation resistance, peaks.ts. @default 0.05 */
  readonly minPeakShare?: number;
  /** Two maxima closer than this many resolution lengths merge, peaks.ts. @default 2 */
  readonly resolutionFactor?: number;
  /** A peak with less than this share of an adjacent peak's resistance, within 3 resolution lengths of it, is that peak's side lobe, peaks.ts. @default 0.2 */
  readonly sideLobeShare?: number;
}

export const DEFAULT_DRT_OPTIONS = {
  pointsPerDecade: 10,
  extendDecades: 1,
  widthFactor: 1,
  lambda: 'gcv',
  lambdaGrid: [1e-8, 1, 25],
  inductance: 'auto',
  peakThreshold: 0.02,
  significanceZ: 3,
  minPeakShare: 0.05,
  resolutionFactor: 2,
  sideLobeShare: 0.2,
} as const satisfies DrtOptions;

export interface DrtPeak {
  readonly tau: number;
  readonly frequency: number;
  /** Polarisation resistance of the peak (Ω): ∫γ d ln τ between the neighbouring minima. */
  readonly r: number;
  /** γ at the peak (Ω per unit ln τ). */
  readonly gamma: number;
  readonly tauRange: readonly [number, number];
  /** 1σ of `r` from the coefficient covariance at the chosen λ (conditional on the NNLS active set). */
  readonly rStderr: number;
  /** Resolution length at the peak: FWHM in ln τ of the Tikhonov resolution kernel at the chosen λ. */
  readonly resolution: number;
  /** Local maxima of γ merged into this peak (1 = it stood alone). */
  readonly members: number;
}

export interface DrtResult {
  /** Fine grid of τ (s) where γ is reported. */
  readonly tau: Float64Array;
  /** γ(ln τ), Ω per unit ln τ. */
  readonly gamma: Float64Array;
  readonly rInf: number;
  readonly inductance: number | null;
  /** Σ R of the distribution = ∫γ d ln τ. */
  readonly rPolarisation: number;
  readonly lambda: number;
  readonly lambdaMethod: 'gcv' | 'fixed';
  readonly gcv: { readonly lambda: Float64Array; readonly score: Float64Array } | null;
  /** Peaks that pass the resolvability and significance rule (peaks.ts), ascending τ. */
  readonly peaks: readonly DrtPeak[];
  /** Local maxima of γ before the rule (ringing and side lobes included). */
  readonly candidatePeaks: number;
  /** Noise σ of the weighted residuals, RSS/(2n − tr H), in units of |Z| (≈ relative noise). */
  readonly noiseSigma: number;
  /** (Z − Z_DRT)/|Z|, ascending frequency. */
  readonly residualsRe: Float64Array;
  readonly residualsIm: Float64Array;
  readonly converged: boolean;
}

export interface DrtInput {
  readonly frequency: Float64Array;
  readonly re: Float64Array;
  readonly im: Float64Array;
}

interface Solved {
  readonly x: Float64Array;
  readonly rss: number;
  readonly trH: number;
  readonly converged: boolean;
  readonly passive: readonly number[];
}

export function computeDrt(s: DrtInput, options: DrtOptions = {}): DrtResult {
  const o = { ...DEFAULT_DRT_OPTIONS, ...options };
  const n = s.frequency.length;
  const omega = Array.from(s.frequency, (f) => 2 * Math.PI * f);
  const wMin = Math.min(...omega);
  const wMax = Math.max(...omega);
  const ext = 10 ** o.extendDecades;
  const basis: RbfBasis = makeBasis(1 / (wMax * ext), ext / wMin, o.pointsPerDecade, o.widthFactor);
  const M = basis.centres.length;
  const withL = o.inductance === 'auto' ? s.im.some((v) => v > 0) : o.inductance;
  const off = withL ? 2 : 1; // columns: R∞, [L], x_1..x_M
  const cols = off + M;
  const zs = Math.max(...Array.from(s.re, (v, i) => Math.hypot(v, s.im[i]!)));
  const lScale = zs / wMax; // L column scaled so its unknown is O(1)
  // Design matrix A (2n × cols, row-major: Re rows then Im rows) and b, rows weighted by 1/|Z|.
  const rows = 2 * n;
  const a = new Float64Array(rows * cols);
  const b = new Float64Array(rows);
  for (let i = 0; i < n; i++) {
    const wt = zs / Math.hypot(s.re[i]!, s.im[i]!); // unknowns in units of zs, rows weighted by 1/|Z|
    const ri = i * cols;
    const ii = (n + i) * cols;
    a[ri] = wt;
    if (withL) a[ii + 1] = (wt * omega[i]! * lScale) / zs;
    for (let m = 0; m < M; m++) {
      const r = basisResponse(basis, m, omega[i]!);
      a[ri + off + m] = wt * r.re;
      a[ii + off + m] = wt * r.im;
    }
    b[i] = (s.re[i]! * wt) / zs;
    b[n + i] = (s.im[i]! * wt) / zs;
  }
  const { g: gram, h } = gramOf(a, rows, cols, b);
  const regularised = (lambda: number): Float64Array => withRidge(gram, cols, off, lambda);

  const solve = (lambda: number, start: readonly number[]): Solved => {
    const g = regularised(lambda);
    const res = nnlsGram(g, h, start);
    const x = res.x;
    const p = res.passive;
    let rss = 0;
    for (let r = 0; r < rows; r++) {
      let v = -b[r]!;
      const ar = r * cols;
      for (const k of p) v += a[ar + k]! * x[k]!;
      rss += v * v;
    }
    // tr H on the passive set: tr((G_P + λD)⁻¹ G_P) = |P| − λ Σ_{u ∈ P, RBF} ((G_P + λD)⁻¹)_uu
    let trH = 0;
    if (p.length) {
      const diag = spdInverseDiagonalOn(g, cols, p);
      trH = p.length;
      p.forEach((i, u) => {
        if (i >= off) trH -= lambda * diag[u]!;
      });
    }
    return { x, rss, trH, converged: res.converged, passive: p };
  };

  let lambda: number;
  let solved: Solved;
  let gcv: DrtResult['gcv'] = null;
  if (o.lambda === 'gcv') {
    const [lo, hi, count] = o.lambdaGrid;
    const lam = Float64Array.from({ length: count }, (_, k) => lo * (hi / lo) ** (k / Math.max(1, count - 1)));
    const score = new Float64Array(count);
    // Each λ warm-starts from the passive set at the previous (larger) λ: the NNLS solution is unique,
    // so only the work changes, not the answer.
    const sols = new Array<Solved>(count);
    let start: readonly number[] = [];
    for (let k = count - 1; k >= 0; k--) {
      const sv = solve(lam[k]!, start);
      const dof = 2 * n - sv.trH;
      score[k] = dof > 0 ? (2 * n * sv.rss) / (dof * dof) : Infinity;
      sols[k] = sv;
      start = sv.passive;
    }
    let best = 0;
    for (let k = 1; k < count; k++) if (score[k]! < score[best]!) best = k;
    lambda = lam[best]!;
    solved = sols[best]!;
    gcv = { lambda: lam, score };
  } else {
    lambda = o.lambda;
    solved = solve(lambda, []);
  }

  const x = solved.x;
  const coef = Float64Array.from({ length: M }, (_, m) => x[off + m]! * zs);
  const rInf = x[0]! * zs;
  const inductance = withL ? x[1]! * lScale : null;

  // γ on a grid 4× finer than the centres
  const fine = 4 * (M - 1) + 1;
  const y0 = basis.centres[0]!;
  const y1 = basis.centres[M - 1]!;
  const ys = Float64Array.from({ length: fine }, (_, k) => y0 + ((y1 - y0) * k) / (fine - 1));
  const gamma = Float64Array.from(ys, (y) => gammaAt(basis, coef, y));
  const tau = Float64Array.from(ys, Math.exp);
  const rPolarisation = coef.reduce((acc, v) => acc + v * basis.area, 0);
  // Uncertainty and resolution of the solution at the chosen λ, for the peak rule (peaks.ts).
  const sigma2 = solved.rss / Math.max(2 * n - solved.trH, 1);
  const cov = coefficientCovariance(gram, cols, solved.passive, off, M, lambda, sigma2, zs);
  const resolution = resolutionLengths(gram, cols, off, M, lambda, basis);
  const rule = resolvePeaks(
    { ys, gamma, centres: basis.centres, epsilon: basis.epsilon, coef, cov, resolution },
    {
      peakThreshold: o.peakThreshold,
      significanceZ: o.significanceZ,
      minPeakShare: o.minPeakShare,
      resolutionFactor: o.resolutionFactor,
      sideLobeShare: o.sideLobeShare,
    },
  );
  const peaks = rule.peaks.map((p) => toPeak(ys, gamma, p));

  const residualsRe = new Float64Array(n);
  const residualsIm = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let zr = rInf;
    let zi = inductance !== null ? omega[i]! * inductance : 0;
    for (let m = 0; m < M; m++) {
      if (coef[m] === 0) continue;
      const r = basisResponse(basis, m, omega[i]!);
      zr += coef[m]! * r.re;
      zi += coef[m]! * r.im;
    }
    const mod = Math.hypot(s.re[i]!, s.im[i]!);
    residualsRe[i] = (s.re[i]! - zr) / mod;
    residualsIm[i] = (s.im[i]! - zi) / mod;
  }
  return {
    tau,
    gamma,
    rInf,
    inductance,
    rPolarisation,
    lambda,
    lambdaMethod: o.lambda === 'gcv' ? 'gcv' : 'fixed',
    gcv,
    peaks,
    candidatePeaks: rule.candidates,
    noiseSigma: Math.sqrt(sigma2),
    residualsRe,
    residualsIm,
    converged: solved.converged,
  };
}

/** G + λD: a copy of the Gram matrix (row-major, cols × cols) with λ added on the RBF columns' diagonal (from `off`). */
function withRidge(gram: Float64Array, cols: number, off: number, lambda: number): Float64Array {
  const g = Float64Array.from(gram);
  for (let m = off; m < cols; m++) g[m * cols + m] = g[m * cols + m]! + lambda;
  return g;
}

/**
 * σ²·(G_P + λD)⁻¹ G_P (G_P + λD)⁻¹ on the NNLS passive set P (D = 1 on the RBF columns), mapped to
 * the M RBF coefficients in Ω (zero rows/columns off P): the covariance of the regularised estimate.
 */
function coefficientCovariance(
  gram: Float64Array,
  cols: number,
  passive: readonly number[],
  off: number,
  M: number,
  lambda: number,
  sigma2: number,
  zs: number,
): Float64Array {
  const cov = new Float64Array(M * M);
  const p = passive;
  const k = p.length;
  if (!k) return cov;
  const gl = withRidge(gram, cols, off, lambda);
  // (G_P + λD)⁻¹ G_P (G_P + λD)⁻¹ = S − λ S D S with S = (G_P + λD)⁻¹
  const inv = spdInverseOn(gl, cols, p);
  for (let u = 0; u < k; u++) {
    if (p[u]! < off) continue;
    for (let v = 0; v < k; v++) {
      if (p[v]! < off) continue;
      let sds = 0;
      for (let q = 0; q < k; q++) if (p[q]! >= off) sds += inv[u * k + q]! * inv[q * k + v]!;
      cov[(p[u]! - off) * M + (p[v]! - off)] = sigma2 * zs * zs * (inv[u * k + v]! - lambda * sds);
    }
  }
  return cov;
}

/**
 * (A[idx, idx])⁻¹ for a symmetric positive semi-definite A (row-major, `stride` columns): by Cholesky,
 * or by the SVD pseudo-inverse when the sub-matrix is numerically singular.
 */
function spdInverseOn(a: Float64Array, stride: number, idx: readonly number[]): Float64Array {
  const k = idx.length;
  const l = choleskyOn(a, stride, idx);
  if (l) return choleskyInverse(l, k);
  const m = new Matrix(k, k);
  idx.forEach((i, u) => idx.forEach((j, v) => m.set(u, v, a[i * stride + j]!)));
  return Float64Array.from(inverse(m, true).to1DArray());
}

/** The diagonal of (A[idx, idx])⁻¹, as `spdInverseOn` but by Cholesky alone when it applies. */
function spdInverseDiagonalOn(a: Float64Array, stride: number, idx: readonly number[]): Float64Array {
  const k = idx.length;
  const l = choleskyOn(a, stride, idx);
  if (l) return choleskyInverseDiagonal(l, k);
  const inv = spdInverseOn(a, stride, idx);
  return Float64Array.from({ length: k }, (_, u) => inv[u * k + u]!);
}

/**
 * Resolution length at each RBF centre: FWHM (ln τ) of the estimate the unconstrained Tikhonov
 * inversion returns when the truth is that one basis function, i.e. column m of the resolution
 * matrix R_λ = (G + λD)⁻¹ G = I − λ (G + λD)⁻¹ D rendered on the basis. Never narrower than the basis
 * function itself.
 */
function resolutionLengths(gram: Float64Array, cols: number, off: number, M: number, lambda: number, basis: RbfBasis): Float64Array {
  const gl = withRidge(gram, cols, off, lambda);
  const inv = spdInverseOn(
    gl,
    cols,
    Array.from({ length: cols }, (_, i) => i),
  );
  const eps = basis.epsilon;
  const h = eps / 4;
  const out = new Float64Array(M);
  const col = new Float64Array(M);
  for (let m = 0; m < M; m++) {
    for (let k = 0; k < M; k++) col[k] = (k === m ? 1 : 0) - lambda * inv[(off + k) * cols + off + m]!;
    const y0 = basis.centres[m]!;
    const psf = (y: number): number => gammaAt(basis, col, y);
    // apex of the kernel near y0, then walk out to half of it on each side
    let ya = y0;
    let pa = psf(y0);
    for (let d = -4 * eps; d <= 4 * eps; d += h) {
      const v = psf(y0 + d);
      if (v > pa) {
        pa = v;
        ya = y0 + d;
      }
    }
    if (!(pa > 0)) {
      out[m] = Infinity;
      continue;
    }
    const span = basis.centres[M - 1]! - basis.centres[0]!;
    let lo = ya;
    while (lo > ya - span && psf(lo) > pa / 2) lo -= h;
    let hi = ya;
    while (hi < ya + span && psf(hi) > pa / 2) hi += h;
    out[m] = Math.max(hi - lo, 2 * Math.sqrt(Math.LN2) * eps);
  }
  return out;
}

function toPeak(ys: Float64Array, gamma: Float64Array, p: ResolvedPeak): DrtPeak {
  // τ: centroid in ln τ of the part of the peak above half its apex, (γ − γ_apex/2)₊. For one clean
  // maximum this is the apex (symmetric top); for maxima merged as unresolved it lies between them
  // rather than on whichever spike happened to be taller; low side lobes carry no weight.
  const half = gamma[p.apex]! / 2;
  let sw = 0;
  let swy = 0;
  for (let j = p.lo; j <= p.hi; j++) {
    const w = gamma[j]! - half;
    if (w > 0) {
      sw += w;
      swy += w * ys[j]!;
    }
  }
  const tau = Math.exp(sw > 0 ? swy / sw : ys[p.apex]!);
  return {
    tau,
    frequency: 1 / (2 * Math.PI * tau),
    r: p.area,
    gamma: gamma[p.apex]!,
    tauRange: [Math.exp(ys[p.lo]!), Math.exp(ys[p.hi]!)],
    rStderr: p.areaStderr,
    resolution: p.resolution,
    members: p.members,
  };
}

/**
 * Every local maximum of γ above `threshold`·max γ, area by trapezoid between neighbouring minima —
 * the raw candidates, WITHOUT the resolvability/significance rule that `computeDrt` applies
 * (peaks.ts); kept for inspecting ringing.
 */
export function findPeaks(ys: Float64Array, gamma: Float64Array, threshold: number): DrtPeak[] {
  const n = ys.length;
  const gmax = Math.max(...gamma);
  if (!(gmax > 0)) return [];
  const maxima: number[] = [];
  for (let k = 1; k < n - 1; k++) {
    if (gamma[k]! > gamma[k - 1]! && gamma[k]! >= gamma[k + 1]! && gamma[k]! > threshold * gmax) maxima.push(k);
  }
  const peaks: DrtPeak[] = [];
  maxima.forEach((k, idx) => {
    // valley between this peak and its neighbours (minimum of γ between maxima)
    const lowBound = idx > 0 ? maxima[idx - 1]! : 0;
    const highBound = idx < maxima.length - 1 ? maxima[idx + 1]! : n - 1;
    let lo = k;
    for (let j = k; j >= lowBound; j--) if (gamma[j]! < gamma[lo]!) lo = j;
    let hi = k;
    for (let j = k; j <= highBound; j++) if (gamma[j]! < gamma[hi]!) hi = j;
    if (idx === 0) lo = 0;
    if (idx === maxima.length - 1) hi = n - 1;
    let area = 0;
    for (let j = lo; j < hi; j++) area += 0.5 * (gamma[j]! + gamma[j + 1]!) * (ys[j + 1]! - ys[j]!);
    // parabolic refinement of the apex in ln τ
    const [g0, g1, g2] = [gamma[k - 1]!, gamma[k]!, gamma[k + 1]!];
    const den = g0 - 2 * g1 + g2;
    const shift = den !== 0 ? (0.5 * (g0 - g2)) / den : 0;
    const y = ys[k]! + shift * (ys[k + 1]! - ys[k]!);
    const tau = Math.exp(y);
    peaks.push({
      tau,
      frequency: 1 / (2 * Math.PI * tau),
      r: area,
      gamma: g1,
      tauRange: [Math.exp(ys[lo]!), Math.exp(ys[hi]!)],
      rStderr: NaN,
      resolution: NaN,
      members: 1,
    });
  });
  return peaks;
}
