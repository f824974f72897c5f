/**
 * P–E loop analysis: remanent polarisation Pr±, coercive field Ec±, Pmax, loop area, imprint and a
 * leakage estimate, robust to unclosed and noisy loops.
 *
 * Method (docs/ferro.md):
 *  1. One period is chosen: a min→max→min (or max→min→max) window of the drive x(t), or, when the
 *     record is exactly one period starting and ending at the same phase (aixACCT: 0 → +max → −max → 0),
 *     the whole record wrapped around.
 *  2. Unclosed loops (leakage integrates into P): the drift δ = P(end) − P(start) over the period is
 *     removed linearly in time (or index), so the loop closes. δ is reported.
 *  3. The period is split at its extremum into an ascending and a descending branch.
 *  4. Zero crossings (P at x = 0 → Pr±; x at P = 0 → Ec±) are interpolated on each branch by a local
 *     least-squares line through the `window` points nearest the crossing. No smoothing of the data
 *     itself: the local line is the only noise filter, and its standard error is reported.
 */

export interface LoopOptions {
  /** Points in the local line fit at each crossing; default max(5, 3 % of the branch). */
  readonly window?: number;
  /** Remove linear drift so the loop closes. @default true */
  readonly closeLoop?: boolean;
  /**
   * 'ohmic': estimate j_leak = g·x + j0 from the slope of P(t) either side of the two drive turns (the
   * displacement part flips sign there, the leakage part does not) and subtract ∫ j_leak dt. Needs time.
   * @default 'none' (as aixPlorer reports; 'ohmic' is opt-in)
   */
  readonly leakage?: 'none' | 'ohmic';
}

export interface Crossing {
  readonly value: number;
  readonly stderr: number;
}

export interface LoopResult {
  readonly prPlus: Crossing;
  readonly prMinus: Crossing;
  /** x at P = 0 on the ascending branch (usually positive). */
  readonly ecPlus: Crossing;
  /** x at P = 0 on the descending branch (usually negative). */
  readonly ecMinus: Crossing;
  /** P at the x maximum and at the x minimum (after closure). */
  readonly pmaxPlus: number;
  readonly pmaxMinus: number;
  /** ∮ P dx over the closed period (P units × x units); positive for a counter-clockwise loop. */
  readonly area: number;
  readonly xMax: number;
  readonly xMin: number;
  /** P drift over the period that was removed (P units). */
  readonly closureDrift: number;
  /** How the period was chosen. */
  readonly period: 'min-max-min' | 'max-min-max' | 'wrapped' | 'partial';
  readonly points: number;
  /** Leakage conductance per area removed (P units per x unit per s), 0 when not compensated. */
  readonly leakageG: number;
  /** Indices into the input arrays of the analysed period, in order (after wrapping). */
  readonly order: Int32Array;
  /** Closed P, aligned with `order`. */
  readonly closedP: Float64Array;
}

function argExtrema(x: Float64Array): { iMax: number; iMin: number } {
  let iMax = 0;
  let iMin = 0;
  for (let i = 1; i < x.length; i++) {
    if (x[i]! > x[iMax]!) iMax = i;
    if (x[i]! < x[iMin]!) iMin = i;
  }
  return { iMax, iMin };
}

/**
 * Turning points of x: extrema confirmed once x has moved back by more than `frac` of the amplitude
 * (hysteresis, so noise on the drive does not create turns). A record starting at an extremum reports
 * it at index 0.
 */
export function turningPoints(x: Float64Array, frac = 0.25): { index: number; type: 'max' | 'min' }[] {
  const { iMax, iMin } = argExtrema(x);
  const thr = frac * (x[iMax]! - x[iMin]!);
  const out: { index: number; type: 'max' | 'min' }[] = [];
  let dir = 0;
  let hi = 0;
  let lo = 0;
  let cand = 0;
  for (let i = 1; i < x.length; i++) {
    const v = x[i]!;
    if (dir === 0) {
      if (v > x[hi]!) hi = i;
      if (v < x[lo]!) lo = i;
      // The first turn is a real extremum only if it reaches the global range (a record starting at
      // x = 0 and rising has no minimum at index 0).
      const near = 0.1 * (x[iMax]! - x[iMin]!);
      if (x[hi]! - v > thr) {
        if (x[iMax]! - x[hi]! <= near) out.push({ index: hi, type: 'max' });
        dir = -1;
        cand = i;
      } else if (v - x[lo]! > thr) {
        if (x[lo]! - x[iMin]! <= near) out.push({ index: lo, type: 'min' });
        dir = 1;
        cand = hi = i;
      }
    } else if (dir === 1) {
      if (v > x[cand]!) cand = i;
      else if (x[cand]! - v > thr) {
        out.push({ index: cand, type: 'max' });
        dir = -1;
        cand = i;
      }
    } else {
      if (v < x[cand]!) cand = i;
      else if (v - x[cand]! > thr) {
        out.push({ index: cand, type: 'min' });
        dir = 1;
        cand = i;
      }
    }
  }
  return out;
}

/** Local least-squares line y = a + b·x through points idx; returns the root or value wanted. */
function lineFit(xs: number[], ys: number[]): { a: number; b: number; sa: number; sb: number; cov: number } {
  const n = xs.length;
  let mx = 0;
  let my = 0;
  for (let i = 0; i < n; i++) {
    mx += xs[i]!;
    my += ys[i]!;
  }
  mx /= n;
  my /= n;
  let sxx = 0;
  let sxy = 0;
  for (let i = 0; i < n; i++) {
    sxx += (xs[i]! - mx) ** 2;
    sxy += (xs[i]! - mx) * (ys[i]! - my);
  }
  const b = sxy / sxx;
  const a = my - b * mx;
  let rss = 0;
  for (let i = 0; i < n; i++) rss += (ys[i]! - a - b * xs[i]!) ** 2;
  const s2 = n > 2 ? rss / (n - 2) : 0;
  const sb2 = s2 / sxx;
  const sa2 = s2 * (1 / n + (mx * mx) / sxx);
  return { a, b, sa: Math.sqrt(sa2), sb: Math.sqrt(sb2), cov: -mx * sb2 };
}

/**
 * Value of `y` where `x` crosses `x0` along a branch (ordered arrays), by a local line through the
 * `w` points nearest the first crossing (first sign change of a w-point running mean, so a noisy
 * branch does not stop at a spurious early crossing).
 */
function crossing(xb: Float64Array, yb: Float64Array, x0: number, w: number, solveFor: 'y' | 'x'): Crossing {
  const n = xb.length;
  // `u` is the variable whose zero we look for: x − x0 (for Pr) or y (for Ec).
  const u = solveFor === 'y' ? Float64Array.from(xb, (v) => v - x0) : yb;
  const h = Math.max(1, Math.floor(w / 2));
  const mean = (i: number): number => {
    let s = 0;
    let c = 0;
    for (let k = Math.max(0, i - h); k <= Math.min(n - 1, i + h); k++) {
      s += u[k]!;
      c++;
    }
    return s / c;
  };
  let k = -1;
  let prev = mean(0);
  for (let i = 1; i < n; i++) {
    const cur = mean(i);
    if ((prev <= 0 && cur > 0) || (prev >= 0 && cur < 0)) {
      k = i;
      break;
    }
    prev = cur;
  }
  if (k < 0) return { value: NaN, stderr: NaN };
  const lo = Math.max(0, k - h - 1);
  const hi = Math.min(n, lo + Math.max(w, 3));
  const xs: number[] = [];
  const ys: number[] = [];
  for (let i = Math.max(0, hi - Math.max(w, 3)); i < hi; i++) {
    xs.push(xb[i]!);
    ys.push(yb[i]!);
  }
  const f = lineFit(xs, ys);
  if (solveFor === 'y') {
    const v = f.a + f.b * x0;
    const se = Math.sqrt(f.sa ** 2 + x0 * x0 * f.sb ** 2 + 2 * x0 * f.cov);
    return { value: v, stderr: se };
  }
  const v = -f.a / f.b;
  // Delta method for −a/b.
  const se = Math.sqrt((f.sa / f.b) ** 2 + ((f.a * f.sb) / (f.b * f.b)) ** 2 - (2 * f.a * f.cov) / f.b ** 3);
  return { value: v, stderr: Number.isFinite(se) ? Math.abs(se) : NaN };
}

/** Analyse one loop: x is field (or voltage), P polarisation, t time (optional, for drift removal). */
export function analyseLoop(x: Float64Array, P0: Float64Array, t?: Float64Array, o: LoopOptions = {}): LoopResult {
  const n = x.length;
  const leak = t && (o.leakage ?? 'none') === 'ohmic' ? ohmicLeakage(x, P0, t) : { g: 0, j0: 0 };
  let P = P0;
  if (leak.g !== 0 || leak.j0 !== 0) {
    P = new Float64Array(n);
    let q = 0;
    P[0] = P0[0]!;
    for (let i = 1; i < n; i++) {
      q += 0.5 * (leak.g * (x[i]! + x[i - 1]!) + 2 * leak.j0) * (t![i]! - t![i - 1]!);
      P[i] = P0[i]! - q;
    }
  }
  const tp = turningPoints(x);
  const order: number[] = [];
  let period: LoopResult['period'] = 'partial';
  const { iMax, iMin } = argExtrema(x);
  const amp = x[iMax]! - x[iMin]!;
  if (tp.length >= 3) {
    // The last full extremum-to-extremum period (later periods are closer to steady state).
    const a = tp[tp.length - 3]!;
    const b = tp[tp.length - 1]!;
    period = a.type === 'min' ? 'min-max-min' : 'max-min-max';
    for (let i = a.index; i <= b.index; i++) order.push(i);
  }
  if (!order.length && Math.abs(x[n - 1]! - x[0]!) < 0.05 * amp && tp.length >= 2) {
    // One period starting and ending at the same phase: wrap it to start at the minimum. The last
    // point repeats the phase of the first, so the drift is P[n−1] − P[0].
    period = 'wrapped';
    for (let i = iMin; i < n; i++) order.push(i);
    for (let i = 1; i <= iMin; i++) order.push(i);
  }
  if (!order.length) for (let i = 0; i < n; i++) order.push(i);
  // Drift removal.
  const closedP = new Float64Array(order.length);
  let drift = 0;
  const close = (o.closeLoop ?? true) && period !== 'partial';
  if (close) {
    if (period === 'wrapped') {
      drift = P[n - 1]! - P[0]!;
      const tt = t ?? Float64Array.from({ length: n }, (_, i) => i);
      const span = tt[n - 1]! - tt[0]!;
      const corr = (i: number): number => P[i]! - (drift * (tt[i]! - tt[0]!)) / span;
      // P_meas(t) = P_periodic(t) + δ·(t − t0)/T, so corr(i) is the periodic loop at every point; the
      // points before iMin stand in for the same phase one period later.
      for (let k = 0; k < order.length; k++) closedP[k] = corr(order[k]!);
    } else {
      const s = order[0]!;
      const e = order[order.length - 1]!;
      drift = P[e]! - P[s]!;
      const tt = t ?? Float64Array.from({ length: n }, (_, i) => i);
      const span = tt[e]! - tt[s]!;
      for (let k = 0; k < order.length; k++) closedP[k] = P[order[k]!]! - (drift * (tt[order[k]!]! - tt[s]!)) / span;
    }
  } else for (let k = 0; k < order.length; k++) closedP[k] = P[order[k]!]!;
  const xo = Float64Array.from(order, (i) => x[i]!);
  // Split at the interior extremum.
  let split = 0;
  const firstIsMin = xo[0]! < (x[iMax]! + x[iMin]!) / 2;
  for (let k = 1; k < xo.length; k++) if (firstIsMin ? xo[k]! > xo[split]! : xo[k]! < xo[split]!) split = k;
  const ascX = firstIsMin ? xo.subarray(0, split + 1) : xo.subarray(split);
  const ascP = firstIsMin ? closedP.subarray(0, split + 1) : closedP.subarray(split);
  const desX = firstIsMin ? xo.subarray(split) : xo.subarray(0, split + 1);
  const desP = firstIsMin ? closedP.subarray(split) : closedP.subarray(0, split + 1);
  const w = o.window ?? Math.max(5, Math.round(0.03 * Math.min(ascX.length, desX.length)));
  const prMinus = crossing(ascX, ascP, 0, w, 'y');
  const prPlus = crossing(desX, desP, 0, w, 'y');
  const ecPlus = crossing(ascX, ascP, 0, w, 'x');
  const ecMinus = crossing(desX, desP, 0, w, 'x');
  // Pmax: P at the field extremes (mean of the points within 0.5 % of the extreme, for noise).
  const atExtreme = (target: number): number => {
    let s = 0;
    let c = 0;
    for (let k = 0; k < xo.length; k++)
      if (Math.abs(xo[k]! - target) <= 0.005 * amp) {
        s += closedP[k]!;
        c++;
      }
    return s / c;
  };
  // Loop area by the trapezoid rule along the period.
  let area = 0;
  for (let k = 1; k < xo.length; k++) area += 0.5 * (closedP[k]! + closedP[k - 1]!) * (xo[k]! - xo[k - 1]!);
  return {
    prPlus,
    prMinus,
    ecPlus,
    ecMinus,
    pmaxPlus: atExtreme(x[iMax]!),
    pmaxMinus: atExtreme(x[iMin]!),
    area: -area,
    leakageG: leak.g,
    xMax: x[iMax]!,
    xMin: x[iMin]!,
    closureDrift: drift,
    period,
    points: order.length,
    order: Int32Array.from(order),
    closedP,
  };
}

/** Slope of P vs t by a line through the w points ending at (side −1) or starting at (side +1) i. */
function slopeAt(t: Float64Array, P: Float64Array, i: number, side: -1 | 1, w: number): number {
  const xs: number[] = [];
  const ys: number[] = [];
  for (let k = 1; k <= w; k++) {
    const j = i + side * k;
    if (j < 0 || j >= t.length) break;
    xs.push(t[j]!);
    ys.push(P[j]!);
  }
  return xs.length >= 2 ? lineFit(xs, ys).b : NaN;
}

/**
 * Ohmic leakage from P(t) alone: at each drive turn the displacement dP/dt reverses while the leakage
 * current density does not, so j_leak(x_turn) = mean of dP/dt just before and after the turn. Two turns
 * give g and j0 of j_leak = g·x + j0. Slopes are local lines over w = max(5, 1 % of the record) points,
 * so sample noise averages out. Turns at the record ends give no estimate (treated as none).
 */
export function ohmicLeakage(x: Float64Array, P: Float64Array, t: Float64Array, w = Math.max(5, Math.round(0.01 * x.length))): { g: number; j0: number } {
  const { iMax, iMin } = argExtrema(x);
  const jAt = (i: number): number => 0.5 * (slopeAt(t, P, i, -1, w) + slopeAt(t, P, i, 1, w));
  const jp = jAt(iMax);
  const jm = jAt(iMin);
  if (!Number.isFinite(jp) || !Number.isFinite(jm) || x[iMax] === x[iMin]) return { g: 0, j0: 0 };
  const g = (jp - jm) / (x[iMax]! - x[iMin]!);
  return { g, j0: jp - g * x[iMax]! };
}

/**
 * Leakage at the drive extremes from the current: at a triangle-wave turning point the displacement
 * current C·dV/dt flips sign but the resistive current G·V does not, so the mean of the currents just
 * before and after the turn is the leakage current there. Uses `k` points each side.
 */
export function leakageAtTurns(x: Float64Array, current: Float64Array, k = 3): { plus: number; minus: number } {
  const { iMax, iMin } = argExtrema(x);
  const around = (i: number): number => {
    let s = 0;
    let c = 0;
    for (let d = 1; d <= k; d++) {
      if (i - d >= 0 && i + d < x.length) {
        s += current[i - d]! + current[i + d]!;
        c += 2;
      }
    }
    return c ? s / c : NaN;
  };
  return { plus: around(iMax), minus: around(iMin) };
}
