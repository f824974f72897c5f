/**
 * Depth-profile analysis: TIC normalisation, inorganic/organic marker ratio vs depth, SEI depth (50 %
 * drop of the SEI marker signal) and ferroelectric-layer detection from Ti/Ba tracers. Pure functions
 * over typed arrays.
 */

/**
 * Divide every ion signal by the total ion count of its row. SIMS yields are not quantitative across
 * chemistries (matrix effect, DOMAIN.md §4.1); normalising by TIC removes primary-current drift and
 * topography so that shapes vs depth can be compared. Rows with TIC ≤ 0 give NaN.
 */
export function normaliseToTic(signal: Float64Array, tic: Float64Array): Float64Array {
  const out = new Float64Array(signal.length);
  for (let i = 0; i < signal.length; i++) out[i] = tic[i]! > 0 ? signal[i]! / tic[i]! : NaN;
  return out;
}

/** Element-wise sum of columns, NaN treated as 0 (a NaN row stays NaN only if all are NaN). */
export function sumColumns(cols: readonly Float64Array[], n: number): Float64Array {
  const out = new Float64Array(n);
  const seen = new Uint8Array(n);
  for (const c of cols) {
    for (let i = 0; i < n; i++) {
      const v = c[i]!;
      if (Number.isFinite(v)) {
        out[i]! += v;
        seen[i] = 1;
      }
    }
  }
  for (let i = 0; i < n; i++) if (!seen[i]) out[i] = NaN;
  return out;
}

/** Centred moving average over `w` points (odd; 1 = none), ignoring NaN. */
export function movingAverage(y: Float64Array, w: number): Float64Array {
  if (w <= 1) return Float64Array.from(y);
  const h = Math.floor(w / 2);
  const out = new Float64Array(y.length);
  for (let i = 0; i < y.length; i++) {
    let s = 0;
    let n = 0;
    for (let k = Math.max(0, i - h); k <= Math.min(y.length - 1, i + h); k++) {
      if (Number.isFinite(y[k]!)) {
        s += y[k]!;
        n++;
      }
    }
    out[i] = n ? s / n : NaN;
  }
  return out;
}

export interface DropResult {
  /** Depth (axis units) where the signal first falls to `fraction` of its maximum after the maximum. */
  readonly depth: number;
  readonly peakDepth: number;
  readonly peakValue: number;
  /** True if the signal never fell below the threshold (depth is then the last axis value). */
  readonly censored: boolean;
}

/**
 * Depth at which a (smoothed) signal falls to `fraction` (default 50 %) of its maximum, linearly
 * interpolated between the two bracketing points. The 50 % point of a decaying layer marker is the
 * usual SIMS interface definition (same convention as the XPS sei_thickness_sputter).
 */
export function dropDepth(axis: Float64Array, signal: Float64Array, fraction = 0.5): DropResult | undefined {
  let iMax = -1;
  for (let i = 0; i < signal.length; i++) if (Number.isFinite(signal[i]!) && (iMax < 0 || signal[i]! > signal[iMax]!)) iMax = i;
  if (iMax < 0 || !(signal[iMax]! > 0)) return undefined;
  const thr = fraction * signal[iMax]!;
  let prev = iMax;
  for (let i = iMax + 1; i < signal.length; i++) {
    const v = signal[i]!;
    if (!Number.isFinite(v)) continue;
    if (v <= thr) {
      const a = signal[prev]!;
      const t = a === v ? 0 : (a - thr) / (a - v);
      return { depth: axis[prev]! + t * (axis[i]! - axis[prev]!), peakDepth: axis[iMax]!, peakValue: signal[iMax]!, censored: false };
    }
    prev = i;
  }
  return { depth: axis[prev]!, peakDepth: axis[iMax]!, peakValue: signal[iMax]!, censored: true };
}

export interface LayerDetection {
  readonly detected: boolean;
  /** max / baseline of the TIC-normalised tracer signal. */
  readonly contrast: number;
  readonly peakDepth: number;
  /** First depth at which the tracer reaches 50 % of its maximum (leading edge). */
  readonly onsetDepth: number;
  /** Last depth above 50 % of maximum. */
  readonly endDepth: number;
  readonly peakShare: number;
}

export interface LayerOptions {
  /** Required peak/baseline ratio. @default 5 */
  readonly minContrast?: number;
  /** Required peak share of TIC. @default 1e-4 */
  readonly minShare?: number;
}

/**
 * A buried ferroelectric layer (BaTiO3) shows as a Ti/Ba tracer band: the TIC-normalised tracer must
 * rise well above its baseline (the lower of the median of the first and last 10 % of points) and
 * carry a non-trivial share of the TIC. Thresholds are options because yields depend on the primary
 * ion and polarity.
 */
export function detectLayer(axis: Float64Array, share: Float64Array, o: LayerOptions = {}): LayerDetection {
  const minContrast = o.minContrast ?? 5;
  const minShare = o.minShare ?? 1e-4;
  const finite = (a: Float64Array): number[] => Array.from(a).filter((v) => Number.isFinite(v));
  const n = share.length;
  const k = Math.max(1, Math.round(n * 0.1));
  const med = (v: number[]): number => {
    if (!v.length) return NaN;
    const s = [...v].sort((a, b) => a - b);
    return s[Math.floor(s.length / 2)]!;
  };
  const base = Math.min(med(finite(share.subarray(0, k))), med(finite(share.subarray(n - k))));
  let iMax = -1;
  for (let i = 0; i < n; i++) if (Number.isFinite(share[i]!) && (iMax < 0 || share[i]! > share[iMax]!)) iMax = i;
  if (iMax < 0) return { detected: false, contrast: NaN, peakDepth: NaN, onsetDepth: NaN, endDepth: NaN, peakShare: NaN };
  const peak = share[iMax]!;
  const contrast = base > 0 ? peak / base : peak > 0 ? Infinity : NaN;
  let on = iMax;
  while (on > 0 && share[on - 1]! >= peak / 2) on--;
  let end = iMax;
  while (end < n - 1 && share[end + 1]! >= peak / 2) end++;
  return {
    detected: contrast >= minContrast && peak >= minShare,
    contrast,
    peakDepth: axis[iMax]!,
    onsetDepth: axis[on]!,
    endDepth: axis[end]!,
    peakShare: peak,
  };
}
