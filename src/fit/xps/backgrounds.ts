/**
 * XPS backgrounds over a region sampled on an ascending binding-energy grid. Inelastically scattered
 * electrons lose kinetic energy, so they appear at HIGHER binding energy than their peak: every
 * background here rises from the low-BE end towards the high-BE end.
 */

/** Straight line through the (averaged) end points. */
export function linearBackground(x: ArrayLike<number>, y: ArrayLike<number>, endpointAverage = 1): Float64Array {
  const n = x.length;
  const [lo, hi] = endLevels(y, endpointAverage);
  const out = new Float64Array(n);
  const x0 = x[0]!;
  const dx = x[n - 1]! - x0 || 1;
  for (let i = 0; i < n; i++) out[i] = lo + ((hi - lo) * (x[i]! - x0)) / dx;
  return out;
}

export interface ShirleyResult {
  readonly background: Float64Array;
  readonly iterations: number;
  readonly converged: boolean;
  /** True when the step between the ends was within their counting noise: a flat (linear) background was used. */
  readonly flat?: boolean;
}

/**
 * Is the end-to-end step indistinguishable from noise? Compares |I_hi − I_lo| with twice the standard
 * error of the difference of the two end means (5 points or more each, scatter estimated from them).
 * Then the region shows no inelastic step and the Shirley map has no stable fixed point to find.
 */
export function stepWithinNoise(y: ArrayLike<number>, k: number): boolean {
  const n = y.length;
  const m = Math.max(5, Math.min(Math.max(k, 5), Math.floor(n / 4)));
  if (n < 4 * m) return false;
  const end = (from: number): { mean: number; v: number } => {
    let s = 0;
    for (let i = 0; i < m; i++) s += y[from + i]!;
    const mean = s / m;
    let v = 0;
    for (let i = 0; i < m; i++) v += (y[from + i]! - mean) ** 2;
    return { mean, v: v / (m - 1) };
  };
  const a = end(0);
  const b = end(n - m);
  const se = Math.sqrt((a.v + b.v) / m);
  return Math.abs(b.mean - a.mean) <= 2 * se;
}

/**
 * Iterative Shirley (Shirley 1972, Phys. Rev. B 5, 4709; iteration as Proctor & Sherwood 1982):
 *   B(x) = I_lo + (I_hi − I_lo) · ∫_{x0}^{x} (y − B) / ∫_{x0}^{xN} (y − B),
 * repeated until B changes by less than `tol` × max(|I_hi − I_lo|, range of I) (trapezoidal integrals):
 * relative to the signal, because a region whose two ends sit at nearly the same level (a small step,
 * or noise at the ends) never meets a tolerance scaled by the step alone. A fixed point of this map is
 * the Shirley background; we report whether it was reached.
 */
export function shirleyBackground(
  x: ArrayLike<number>, y: ArrayLike<number>,
  opts: { endpointAverage?: number; tol?: number; maxIterations?: number } = {},
): ShirleyResult {
  const n = x.length;
  const { endpointAverage = 1, tol = 1e-6, maxIterations = 100 } = opts;
  const [lo, hi] = endLevels(y, endpointAverage);
  const step = hi - lo;
  const b = new Float64Array(n).fill(lo);
  if (n < 3 || step === 0) return { background: b, iterations: 0, converged: true };
  if (stepWithinNoise(y, endpointAverage)) return { background: linearBackground(x, y, Math.max(5, endpointAverage)), iterations: 0, converged: true, flat: true };
  const cum = new Float64Array(n);
  let ymin = Infinity;
  let ymax = -Infinity;
  for (let i = 0; i < n; i++) {
    if (y[i]! < ymin) ymin = y[i]!;
    if (y[i]! > ymax) ymax = y[i]!;
  }
  const scale = Math.max(Math.abs(step), ymax - ymin);
  for (let it = 1; it <= maxIterations; it++) {
    cum[0] = 0;
    for (let i = 1; i < n; i++) {
      const a = y[i - 1]! - b[i - 1]!;
      const c = y[i]! - b[i]!;
      cum[i] = cum[i - 1]! + 0.5 * (a + c) * (x[i]! - x[i - 1]!);
    }
    const total = cum[n - 1]!;
    if (total === 0) return { background: b, iterations: it, converged: false };
    let change = 0;
    for (let i = 0; i < n; i++) {
      const nb = lo + (step * cum[i]!) / total;
      change = Math.max(change, Math.abs(nb - b[i]!));
      b[i] = nb;
    }
    if (change <= tol * scale) return { background: b, iterations: it, converged: true };
  }
  return { background: b, iterations: maxIterations, converged: false };
}

/** Tougaard universal cross-section (Tougaard 1989, Surf. Interface Anal. 14, 640): K(T) = B·T/(C + T²)². */
export interface TougaardParams {
  /** eV². Universal value 2866; scaled to the data when `fitB` is true. */
  readonly B: number;
  /** eV². Universal value 1643. */
  readonly C: number;
  /** Choose B so the background meets the data at the high-BE end (CasaXPS "U 2 Tougaard" practice). */
  readonly fitB: boolean;
}
export const UNIVERSAL_TOUGAARD: TougaardParams = { B: 2866, C: 1643, fitB: true };

/**
 * B(x) = I_lo + ∫_{x0}^{x} K(x − x′)·(y(x′) − I_lo) dx′ (primary electrons at lower BE x′ lose T = x − x′).
 * Returns the background and the B actually used.
 */
export function tougaardBackground(x: ArrayLike<number>, y: ArrayLike<number>, p: TougaardParams = UNIVERSAL_TOUGAARD, endpointAverage = 1): { background: Float64Array; B: number } {
  const n = x.length;
  const [lo, hi] = endLevels(y, endpointAverage);
  const conv = new Float64Array(n);
  for (let i = 1; i < n; i++) {
    let s = 0;
    for (let j = 0; j < i; j++) {
      const t = x[i]! - x[j]!;
      const k = t / (p.C + t * t) ** 2;
      const dx = x[j + 1]! - x[j]!;
      s += k * (y[j]! - lo) * dx;
    }
    conv[i] = s;
  }
  const B = p.fitB && conv[n - 1]! > 0 ? (hi - lo) / conv[n - 1]! : p.B;
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) out[i] = lo + B * conv[i]!;
  return { background: out, B };
}

/** Mean of the first and last `k` points: the low-BE and high-BE levels. */
export function endLevels(y: ArrayLike<number>, k = 1): [number, number] {
  const n = y.length;
  const m = Math.max(1, Math.min(k, Math.floor(n / 4) || 1));
  let a = 0;
  let b = 0;
  for (let i = 0; i < m; i++) {
    a += y[i]!;
    b += y[n - 1 - i]!;
  }
  return [a / m, b / m];
}
