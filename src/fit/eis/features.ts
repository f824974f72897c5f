/**
 * Shape features read straight off a spectrum, for automatic initial guesses:
 *  - `rInf`: high-frequency real intercept (where Z'' crosses 0 if it does, else the lowest-|Z''|
 *    high-frequency point extrapolated along the arc);
 *  - `arcs`: local maxima of −Z'' vs log ω. The apex gives τ = 1/ω_peak; the arc width R comes from
 *    the Z' span between the neighbouring −Z'' minima (fallback 2·height); the peak width in decades
 *    gives α ≈ 1.144/width (1.144 decades is the FWHM of an ideal RC arc);
 *  - `tail`: the low-frequency slope of log(−Z'') vs log ω (−0.5 Warburg, −1 capacitor) and the
 *    point values needed to size W, Wo/Ws or a blocking C/CPE.
 */
import type { EisSpectrum } from './spectrum.js';

export interface Arc {
  readonly omega: number;
  readonly r: number;
  readonly alpha: number;
  readonly height: number;
}

export interface SpectrumFeatures {
  readonly rInf: number;
  readonly rLow: number;
  readonly omegaMin: number;
  readonly omegaMax: number;
  /** Sorted by ω descending (high-frequency arc first). */
  readonly arcs: readonly Arc[];
  readonly tail: { readonly slope: number; readonly negImag: number; readonly rising: boolean };
  /** |Z| at the highest frequency and Z'' there (positive = inductive). */
  readonly hf: { readonly modulus: number; readonly imag: number };
}

export function spectrumFeatures(s: EisSpectrum): SpectrumFeatures {
  const n = s.frequency.length;
  const w = Array.from(s.frequency, (f) => 2 * Math.PI * f);
  const lw = w.map(Math.log10);
  const nz = Array.from(s.im, (v) => -v);
  // light 3-point smoothing of −Z'' for peak finding
  const sm = nz.map((v, i) => (i === 0 || i === n - 1 ? v : 0.25 * nz[i - 1]! + 0.5 * v + 0.25 * nz[i + 1]!));

  // high-frequency intercept
  let rInf = s.re[n - 1]!;
  let crossing = false;
  for (let i = n - 1; i > 0; i--) {
    if (s.im[i]! >= 0 && s.im[i - 1]! < 0) {
      const t = s.im[i]! / (s.im[i]! - s.im[i - 1]!);
      rInf = s.re[i]! + t * (s.re[i - 1]! - s.re[i]!);
      crossing = true;
      break;
    }
  }
  if (!crossing && nz[n - 1]! > 0 && n >= 2) {
    // still on an arc at f_max: extrapolate Z' linearly in −Z'' to −Z'' = 0 from the last two points
    const d = nz[n - 2]! - nz[n - 1]!;
    if (d > 0) rInf = s.re[n - 1]! - (nz[n - 1]! * (s.re[n - 2]! - s.re[n - 1]!)) / d;
    rInf = Math.min(s.re[n - 1]!, Math.max(rInf, 0.5 * s.re[n - 1]!));
  }
  rInf = Math.max(rInf, 1e-9 * Math.max(...Array.from(s.re, Math.abs), 1));

  // arcs: local maxima of smoothed −Z''
  const arcs: Arc[] = [];
  for (let i = 0; i < n; i++) {
    const v = sm[i]!;
    if (!(v > 0)) continue;
    const left = i > 0 ? sm[i - 1]! : -Infinity;
    const right = i < n - 1 ? sm[i + 1]! : -Infinity;
    if (!(v >= left && v > right) || i === 0) continue;
    // neighbouring minima
    let lo = i;
    while (lo > 0 && sm[lo - 1]! <= sm[lo]!) lo--;
    let hi = i;
    while (hi < n - 1 && sm[hi + 1]! <= sm[hi]!) hi++;
    // half-maximum width in decades (one-sided if the other side is cut off)
    const half = v / 2;
    let a = i;
    while (a > 0 && sm[a]! > half) a--;
    let b = i;
    while (b < n - 1 && sm[b]! > half) b++;
    const leftW = sm[a]! <= half ? lw[i]! - lw[a]! : NaN;
    const rightW = sm[b]! <= half ? lw[b]! - lw[i]! : NaN;
    const width =
      Number.isFinite(leftW) && Number.isFinite(rightW) ? leftW + rightW : 2 * (Number.isFinite(leftW) ? leftW : Number.isFinite(rightW) ? rightW : 0.572);
    const alpha = Math.min(1, Math.max(0.5, 1.144 / Math.max(width, 1e-3)));
    const span = Math.abs(s.re[lo]! - s.re[hi]!);
    const r = span > 1.2 * v ? Math.min(span, 4 * v) : 2 * v;
    arcs.push({ omega: w[i]!, r, alpha, height: nz[i]! });
  }
  arcs.sort((p, q) => q.omega - p.omega);

  // low-frequency tail
  const k = Math.min(3, n - 1);
  const slope = nz[0]! > 0 && nz[k]! > 0 ? (Math.log10(nz[0]!) - Math.log10(nz[k]!)) / (lw[0]! - lw[k]!) : 0;
  return {
    rInf,
    rLow: s.re[0]!,
    omegaMin: w[0]!,
    omegaMax: w[n - 1]!,
    arcs,
    tail: { slope, negImag: Math.max(nz[0]!, 0), rising: slope < -0.2 && nz[0]! > 0 },
    hf: { modulus: Math.hypot(s.re[n - 1]!, s.im[n - 1]!), imag: s.im[n - 1]! },
  };
}
