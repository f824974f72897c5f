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
  /** True when `background` is a fixed point of the Shirley map to the tolerance. */
  readonly converged: boolean;
  /** True when the step between the ends was within their counting noise: a flat (linear) background was used. */
  readonly flat?: boolean;
  /** Why the iteration stopped without a fixed point, in words. */
  readonly message?: string;
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
 * repeated until B changes by less than `tol` × max(|I_hi − I_lo|, range of I) (trapezoidal integrals).
 *
 * When it cannot converge. Every fixed point has the form B = I_lo + κ·∫(y − B), κ = step / ∫(y − B)
 * (the step over the peak area). Past the peak B relaxes onto the data over a length 1/κ, so the end
 * condition B(x_N) = I_hi constrains κ only through e^(−κℓ) (ℓ: peak to high-BE end). When κ·ℓ is more
 * than a few — weak lines with a large step (Li 1s, RSF 0.057), low-count levels of a depth profile —
 * B(x_N) can hardly leave the level the data have near the end, and an I_hi that differs from it by
 * Poisson noise in a few-point average (or by discretisation) leaves no fixed point at all: the iteration
 * oscillates for ever. (Where a fixed point does exist it converges, if slowly.) The iteration therefore
 * stops when the change has not set a new minimum for 10 iterations, or at `maxIterations`, and returns
 * the iterate with the smallest change with `converged: false` and a message; a region fit should use
 * `fitRegion`'s active Shirley, which fits the end level and the step with the peaks instead of
 * imposing them.
 */
export function shirleyBackground(
  x: ArrayLike<number>,
  y: ArrayLike<number>,
  opts: { endpointAverage?: number; tol?: number; maxIterations?: number } = {},
): ShirleyResult {
  const n = x.length;
  const { endpointAverage = 1, tol = 1e-6, maxIterations = 100 } = opts;
  const [lo, hi] = endLevels(y, endpointAverage);
  const step = hi - lo;
  const b = new Float64Array(n).fill(lo);
  if (n < 3 || step === 0) return { background: b, iterations: 0, converged: true };
  if (stepWithinNoise(y, endpointAverage))
    return { background: linearBackground(x, y, Math.max(5, endpointAverage)), iterations: 0, converged: true, flat: true };
  let ymin = Infinity;
  let ymax = -Infinity;
  for (let i = 0; i < n; i++) {
    if (y[i]! < ymin) ymin = y[i]!;
    if (y[i]! > ymax) ymax = y[i]!;
  }
  const scale = Math.max(Math.abs(step), ymax - ymin);
  const cum = new Float64Array(n);
  let best = { change: Infinity, b: Float64Array.from(b) };
  let stalled = 0;
  for (let it = 1; it <= maxIterations; it++) {
    cum[0] = 0;
    for (let i = 1; i < n; i++) cum[i] = cum[i - 1]! + 0.5 * (y[i - 1]! - b[i - 1]! + y[i]! - b[i]!) * (x[i]! - x[i - 1]!);
    const total = cum[n - 1]!;
    if (total === 0) return { background: best.b, iterations: it, converged: false, message: 'Shirley iteration stopped: ∫(y − B) = 0 over the region' };
    let change = 0;
    for (let i = 0; i < n; i++) {
      const nb = lo + (step * cum[i]!) / total;
      change = Math.max(change, Math.abs(nb - b[i]!));
      b[i] = nb;
    }
    // (Below 1e-13 of the scale the change is round-off: converged whatever `tol` asked for.)
    if (change <= Math.max(tol, 1e-13) * scale) return { background: b, iterations: it, converged: true };
    // A slow but steady contraction sets a new smallest change every iteration; an iteration without a
    // fixed point oscillates or grows and stops doing so.
    if (change < best.change) {
      best = { change, b: Float64Array.from(b) };
      stalled = 0;
    } else if (++stalled >= 10) {
      return {
        background: best.b,
        iterations: it,
        converged: false,
        message: `no Shirley fixed point: the iteration oscillates (smallest change ${best.change.toPrecision(3)} of ${scale.toPrecision(3)}) — step ${step.toPrecision(3)} against ∫(y − B) = ${total.toPrecision(3)} over ${Math.abs(x[n - 1]! - x[0]!).toPrecision(3)} eV, the end levels (${endpointAverage}-point averages) are not consistent with the data near them; fit the background with the peaks (active Shirley)`,
      };
    }
  }
  return { background: best.b, iterations: maxIterations, converged: false, message: `Shirley iteration stopped at the cap of ${maxIterations} iteration(s)` };
}

/**
 * Normalised Shirley shape of a noise-free peak envelope: Φ(x) = ∫_{x0}^{x} P / ∫_{x0}^{xN} P (trapezoidal).
 * I_lo + s·Φ is then the exact Shirley background of the spectrum I_lo + s·Φ + P: the fixed point
 * needs no iteration. The referencing template uses it; `fitRegion`'s active Shirley computes the same Φ
 * inline, with its derivatives. Returns null when ∫P ≤ 0.
 */
export function shirleyShape(x: ArrayLike<number>, peaks: ArrayLike<number>): Float64Array | null {
  const n = x.length;
  const phi = new Float64Array(n);
  for (let i = 1; i < n; i++) phi[i] = phi[i - 1]! + 0.5 * (peaks[i - 1]! + peaks[i]!) * (x[i]! - x[i - 1]!);
  const total = phi[n - 1]!;
  if (!(total > 0)) return null;
  for (let i = 0; i < n; i++) phi[i] = phi[i]! / total;
  return phi;
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
export function tougaardBackground(
  x: ArrayLike<number>,
  y: ArrayLike<number>,
  p: TougaardParams = UNIVERSAL_TOUGAARD,
  endpointAverage = 1,
): { background: Float64Array; B: number } {
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
