/**
 * Linear Kramers–Kronig test (lin-KK), Schönleber, Klotz & Ivers-Tiffée, Electrochim. Acta 131, 20
 * (2014), DOI 10.1016/j.electacta.2014.01.034; same recipe as impedance.py `validation.linKK`.
 *
 * The spectrum is fitted, by LINEAR weighted least squares (weights 1/|Z|, real and imaginary parts
 * together), with a KK-compliant model: a series R₀, M Voigt (RC) elements with fixed time
 * constants τ_k log-spaced from 1/ω_max to 1/ω_min, and optionally a series inductance L and a
 * series capacitance C:  Z_KK(ω) = R₀ + Σ R_k/(1 + jωτ_k) [+ jωL] [+ 1/(jωC)].
 * M grows (from 3 per decade, see `minPerDecade`) until μ = 1 − Σ_{R_k<0}|R_k| / Σ_{R_k≥0}|R_k| drops below c (default 0.85): more
 * elements would start fitting noise (over-fit shows up as negative R_k).
 * Relative residuals Δ' = (Z' − Z'_KK)/|Z|, Δ'' = (Z'' − Z''_KK)/|Z|. The spectrum passes when
 * max(|Δ'|, |Δ''|) < threshold (default 0.01 = 1 %): Schönleber et al. report residuals well below
 * 1 % for valid lab spectra (typical FRA noise 0.1–0.5 %), while drift, non-stationarity and
 * non-linearity give systematic residuals of several %.
 */
import { Matrix, QrDecomposition, SingularValueDecomposition } from 'ml-matrix';
import type { EisSpectrum } from './spectrum.js';

export interface KkOptions {
  /** Which parts the linear fit uses. @default 'complex' */
  readonly fitType?: KkFitType;
  /**
   * M starts at ceil(minPerDecade × decades). Deviation from Schönleber (who start at M = 1): with
   * narrow (ideal-RC) arcs a coarse τ grid under-resolves the arc and the LS answer has negative
   * R_k, so μ < c fires at M ≈ 6 with residuals of ~40 % (measured; see docs). Three per decade
   * resolves an ideal RC to < 0.3 %. @default 3
   */
  readonly minPerDecade?: number;
  /** μ cut-off. @default 0.85 */
  readonly c?: number;
  /** Upper limit on M. @default 50 (or 2N/3 when smaller) */
  readonly maxM?: number;
  /** Pass threshold on max |relative residual|. @default 0.01 */
  readonly threshold?: number;
  /** Add a series inductance: 'auto' = when any Z'' > 0. @default 'auto' */
  readonly inductance?: boolean | 'auto';
  /** Add a series capacitance (blocking electrodes). @default false */
  readonly capacitance?: boolean;
}

export type KkFitType = 'complex' | 'real';

export const DEFAULT_KK_OPTIONS = {
  fitType: 'complex' as KkFitType,
  minPerDecade: 3,
  c: 0.85,
  maxM: 50,
  threshold: 0.01,
  inductance: 'auto',
  capacitance: false,
} as const;

export interface KkResult {
  readonly passed: boolean;
  readonly threshold: number;
  readonly M: number;
  readonly mu: number;
  readonly tau: Float64Array;
  /** R_k of the Voigt elements. */
  readonly rk: Float64Array;
  readonly r0: number;
  readonly inductance: number | null;
  readonly capacitance: number | null;
  /** Relative residuals, ascending frequency like the spectrum. */
  readonly residualsRe: Float64Array;
  readonly residualsIm: Float64Array;
  readonly maxResidual: number;
  readonly rmsResidual: number;
}

interface LinFit {
  readonly coef: Float64Array;
  readonly fitRe: Float64Array;
  readonly fitIm: Float64Array;
}

function linFit(s: EisSpectrum, tau: Float64Array, withL: boolean, withC: boolean, fitType: KkFitType): LinFit {
  const n = s.frequency.length;
  const M = tau.length;
  const cols = 1 + M + (withL ? 1 : 0) + (withC ? 1 : 0);
  const a = new Matrix(2 * n, cols);
  const b = new Matrix(2 * n, 1);
  const raw = new Matrix(2 * n, cols);
  for (let i = 0; i < n; i++) {
    const w = 2 * Math.PI * s.frequency[i]!;
    const wt = 1 / Math.hypot(s.re[i]!, s.im[i]!);
    raw.set(i, 0, 1);
    for (let k = 0; k < M; k++) {
      const wtau = w * tau[k]!;
      const d = 1 + wtau * wtau;
      raw.set(i, 1 + k, 1 / d);
      raw.set(n + i, 1 + k, -wtau / d);
    }
    let col = 1 + M;
    if (withL) raw.set(n + i, col++, w);
    if (withC) raw.set(n + i, col, -1 / w); // coefficient = 1/C
    for (let k = 0; k < cols; k++) {
      a.set(i, k, raw.get(i, k) * wt);
      a.set(n + i, k, raw.get(n + i, k) * wt);
    }
    b.set(i, 0, s.re[i]! * wt);
    b.set(n + i, 0, s.im[i]! * wt);
    // a 'real' fit zeroes the imaginary rows (the imaginary part is then a KK prediction)
    if (fitType === 'real') for (let k = 0; k <= cols; k++) k < cols ? a.set(n + i, k, 0) : b.set(n + i, 0, 0);
  }
  const x = leastSquaresSolve(a, b);
  const coef = Float64Array.from({ length: cols }, (_, k) => x.get(k, 0));
  const fit = raw.mmul(x);
  return {
    coef,
    fitRe: Float64Array.from({ length: n }, (_, i) => fit.get(i, 0)),
    fitIm: Float64Array.from({ length: n }, (_, i) => fit.get(n + i, 0)),
  };
}

/**
 * min ‖a x − b‖ by Householder QR (backward stable: the condition number is not squared as with the
 * normal equations); columns that are all zero (L and C in a 'real' fit) get 0. A rank-deficient rest
 * falls back to the SVD's minimum-norm solution.
 */
function leastSquaresSolve(a: Matrix, b: Matrix): Matrix {
  const used: number[] = [];
  for (let k = 0; k < a.columns; k++) if (a.getColumn(k).some((v) => v !== 0)) used.push(k);
  const sub = used.length === a.columns ? a : a.subMatrixColumn(used);
  const qr = new QrDecomposition(sub);
  const xs = qr.isFullRank() ? qr.solve(b) : new SingularValueDecomposition(sub, { autoTranspose: true }).solve(b);
  if (sub === a) return xs;
  const x = Matrix.zeros(a.columns, 1);
  used.forEach((k, i) => x.set(k, 0, xs.get(i, 0)));
  return x;
}

export function tauGrid(fMin: number, fMax: number, M: number): Float64Array {
  const t1 = 1 / (2 * Math.PI * fMax);
  const tM = 1 / (2 * Math.PI * fMin);
  if (M === 1) return Float64Array.of(Math.sqrt(t1 * tM));
  return Float64Array.from({ length: M }, (_, k) => t1 * (tM / t1) ** (k / (M - 1)));
}

export function muOf(rk: ArrayLike<number>): number {
  let neg = 0;
  let pos = 0;
  for (let k = 0; k < rk.length; k++) {
    if (rk[k]! < 0) neg += -rk[k]!;
    else pos += rk[k]!;
  }
  return pos > 0 ? 1 - neg / pos : -Infinity;
}

export function linKK(s: EisSpectrum, options: KkOptions = {}): KkResult {
  const o = { ...DEFAULT_KK_OPTIONS, ...options };
  const n = s.frequency.length;
  const withL = o.inductance === 'auto' ? s.im.some((v) => v > 0) : o.inductance;
  const withC = o.capacitance;
  const fMin = s.frequency[0]!;
  const fMax = s.frequency[n - 1]!;
  // keep the linear problem over-determined: 2N equations, ≤ 2N/3 unknowns
  const maxM = Math.max(1, Math.min(o.maxM, Math.floor((2 * n) / 3) - 1 - (withL ? 1 : 0) - (withC ? 1 : 0)));
  const decades = Math.log10(fMax / fMin);
  let M = Math.min(maxM, Math.max(1, Math.ceil(o.minPerDecade * decades)));
  let tau = tauGrid(fMin, fMax, M);
  let fit = linFit(s, tau, withL, withC, o.fitType);
  let mu = muOf(fit.coef.subarray(1, 1 + M));
  while (mu >= o.c && M < maxM) {
    M++;
    tau = tauGrid(fMin, fMax, M);
    fit = linFit(s, tau, withL, withC, o.fitType);
    mu = muOf(fit.coef.subarray(1, 1 + M));
  }
  const residualsRe = new Float64Array(n);
  const residualsIm = new Float64Array(n);
  let max = 0;
  let ss = 0;
  for (let i = 0; i < n; i++) {
    const mod = Math.hypot(s.re[i]!, s.im[i]!);
    residualsRe[i] = (s.re[i]! - fit.fitRe[i]!) / mod;
    residualsIm[i] = (s.im[i]! - fit.fitIm[i]!) / mod;
    max = Math.max(max, Math.abs(residualsRe[i]!), Math.abs(residualsIm[i]!));
    ss += residualsRe[i]! ** 2 + residualsIm[i]! ** 2;
  }
  let col = 1 + M;
  const inductance = withL ? fit.coef[col++]! : null;
  const capacitance = withC ? 1 / fit.coef[col]! : null;
  return {
    passed: Number.isFinite(max) && max < o.threshold,
    threshold: o.threshold,
    M,
    mu,
    tau,
    rk: Float64Array.from(fit.coef.subarray(1, 1 + M)),
    r0: fit.coef[0]!,
    inductance,
    capacitance,
    residualsRe,
    residualsIm,
    maxResidual: max,
    rmsResidual: Math.sqrt(ss / (2 * n)),
  };
}
