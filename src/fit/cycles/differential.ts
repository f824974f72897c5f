/**
 * Differential capacity dQ/dV (IC) and differential voltage dV/dQ (DV) per cycle for full and anode-free
 * cells, peaks tracked across cycles, and the apparent Li-inventory loss from the shift of dV/dQ features —
 * MECHANISMS.md §3 (../shared/domain/MECHANISMS.md).
 *
 * Method (every choice is stored with the curves, §3.2 "store method + parameters with every IC/DV curve"):
 *  - one constant-current segment per direction and cycle (§3.1): the first run of that sign in the cycle,
 *    cut where |I| falls below (1 − ccTolerance) × its median over the run's first half (CV taper
 *    excluded, §3.5); rest rows are not in a run;
 *  - Q from 0 at the segment start (§3.1), trapezoid of |I| on Test Time;
 *  - resample V(Q) onto a uniform Q grid first, then differentiate (§3.1: a point-by-point ΔQ/ΔV diverges
 *    on flat plateaus); dQ/dV from Q(V) on a uniform V grid, V made monotone by a running max (charge) or
 *    min (discharge) of the smoothed V;
 *  - Savitzky–Golay smoothing and derivative (window, order stated; §3.2: the half-window must stay below
 *    the FWHM of the narrowest peak, Bromba & Ziegler 1981 via the MALDIquant docs — a quality message
 *    says when a picked peak is narrower);
 *  - ends clipped before peak picking: `clipFraction` of Q at each end (§3.5: 1–2 %);
 *  - peaks: local maxima with prominence ≥ `minProminence` × the curve's range; position, height, FWHM
 *    (at half prominence) and area above the peak's base (§3.2: smoothing trades height for width);
 *  - both derivatives are multiplied by the current sign, so a discharge's features are positive peaks too
 *    (dV/dQ in V/Ah and dQ/dV in Ah/V, Q counted from the segment start).
 *
 * Li-inventory loss (§3.4 [D], anode-free / Li-metal full cell): the Li negative is flat, so the dV/dQ
 * features are the cathode's. On the charge curve (Q from the start of charge) a cathode feature sits at
 * its cathode state minus the cathode's lithium deficit at the end of the previous discharge, so it moves
 * to lower Q by the Li inventory lost since the reference cycle: LLI_n = mean over tracked features of
 * (Q_ref − Q_n). Unchanged feature spacing means no loss of active material; a changed spacing is reported.
 * Impedance rise and LAM also move end points (arXiv:2508.02878, §3.4): the result is "apparent LLI".
 * For a graphite (Li-ion) full cell the features of both electrodes mix and this reading does not apply
 * without peak assignment (Dubarry & Anseán 2022, DOI 10.3389/fenrg.2022.1023555) — the note says so.
 */
import type { NumericArray } from '../../records/record.js';
import type { CyclerSeries } from './cycler-series.js';
import { currentRuns, median, runCapacity, type CurrentRun } from './segments.js';
import type { CycleSummary } from './summarize-cycles.js';

export interface DifferentialOptions {
  /** Uniform grid points per curve (Q grid for dV/dQ, V grid for dQ/dV). @default 201 */
  readonly gridPoints: number;
  /** Savitzky–Golay window (odd, grid points). @default 11 */
  readonly sgWindow: number;
  /** Savitzky–Golay polynomial order. @default 3 */
  readonly sgOrder: number;
  /** Fraction of Q clipped at each end before peak picking (§3.5: 1–2 %). @default 0.02 */
  readonly clipFraction: number;
  /** Peaks need prominence ≥ this × (max − min) of the clipped curve. @default 0.05 */
  readonly minProminence: number;
  /** Constant-current part: |I| ≥ (1 − this) × the run's median |I|. @default 0.05 */
  readonly ccTolerance: number;
  /** A peak continues a track when within this fraction of the reference Q (or V) range of its last position. @default 0.1 */
  readonly trackTolerance: number;
  /** Curves stored in the fit table for at most this many cycles (first, last, evenly between); peaks for all. @default 20 */
  readonly maxStoredCycles: number;
  /** Segments with fewer rows are not differentiated. @default 20 */
  readonly minRows: number;
}

export const DEFAULT_DIFFERENTIAL_OPTIONS: DifferentialOptions = {
  gridPoints: 201,
  sgWindow: 11,
  sgOrder: 3,
  clipFraction: 0.02,
  minProminence: 0.05,
  ccTolerance: 0.05,
  trackTolerance: 0.1,
  maxStoredCycles: 20,
  minRows: 20,
};

export interface Peak {
  /** Index of the grid point. */
  readonly index: number;
  /** Q (Ah) and smoothed V (V) at the peak. */
  readonly capacity: number;
  readonly voltage: number;
  readonly height: number;
  readonly prominence: number;
  /** In the grid's unit (Ah for dV/dQ, V for dQ/dV). */
  readonly fwhm: number;
  /** ∫ (curve − base) over the peak (V for dV/dQ, Ah for dQ/dV). */
  readonly area: number;
  /** Track id (index of the reference peak), −1 if untracked. */
  track: number;
}

export interface DifferentialCurve {
  readonly cycleIndex: number;
  readonly sign: number;
  /** Uniform Q grid (Ah), smoothed V on it (V), dV/dQ (V/Ah). */
  readonly q: Float64Array;
  readonly vSmooth: Float64Array;
  readonly dvdq: Float64Array;
  /** Uniform V grid (V), Q on it (Ah), sign × dQ/dV (Ah/V). */
  readonly vGrid: Float64Array;
  readonly qOfV: Float64Array;
  readonly dqdv: Float64Array;
  readonly dvdqPeaks: Peak[];
  readonly dqdvPeaks: Peak[];
  /** Q of the segment (Ah). */
  readonly capacity: number;
}

export interface DifferentialAnalysis {
  readonly curves: readonly DifferentialCurve[];
  /** Per cycle (summary index): apparent LLI since the reference cycle from the charge dV/dQ shift (Ah). */
  readonly lli: Float64Array;
  /** Per cycle: spread (sd) of the per-feature shifts; number of features; spacing change (Ah). */
  readonly lliSd: Float64Array;
  readonly lliFeatures: Int32Array;
  readonly spacingChange: Float64Array;
  /** Summary index of the reference cycle (−1 when none). */
  readonly referenceCycle: number;
  readonly messages: readonly string[];
  readonly options: DifferentialOptions;
}

// ---- Savitzky–Golay ------------------------------------------------------------------------------

/** Least-squares projection h = (AᵀA)⁻¹Aᵀ for a window of 2m+1 unit-spaced points and order p. */
function sgProjection(m: number, p: number): number[][] {
  const w = 2 * m + 1;
  const A: number[][] = [];
  for (let k = 0; k < w; k++) A.push(Array.from({ length: p + 1 }, (_, j) => (k - m) ** j));
  const M: number[][] = Array.from({ length: p + 1 }, (_, a) => Array.from({ length: p + 1 }, (_, b) => A.reduce((s, r) => s + r[a]! * r[b]!, 0)));
  const inv = invert(M);
  return inv.map((row) => A.map((r) => row.reduce((s, x, j) => s + x * r[j]!, 0)));
}

function invert(M: number[][]): number[][] {
  const n = M.length;
  const a = M.map((r, i) => [...r, ...Array.from({ length: n }, (_, j) => (i === j ? 1 : 0))]);
  for (let c = 0; c < n; c++) {
    let piv = c;
    for (let r = c + 1; r < n; r++) if (Math.abs(a[r]![c]!) > Math.abs(a[piv]![c]!)) piv = r;
    [a[c], a[piv]] = [a[piv]!, a[c]!];
    const d = a[c]![c]!;
    for (let j = 0; j < 2 * n; j++) a[c]![j]! /= d;
    for (let r = 0; r < n; r++) {
      if (r === c) continue;
      const f = a[r]![c]!;
      if (f !== 0) for (let j = 0; j < 2 * n; j++) a[r]![j]! -= f * a[c]![j]!;
    }
  }
  return a.map((r) => r.slice(n));
}

/**
 * Savitzky–Golay value (deriv 0) or first derivative (deriv 1) per unit grid step. Points within m of an
 * end use the end window's polynomial evaluated at their offset (no padding).
 */
export function savitzkyGolay(y: ArrayLike<number>, window: number, order: number, deriv: 0 | 1): Float64Array {
  const n = y.length;
  const m = (window - 1) >> 1;
  const out = new Float64Array(n);
  if (n < window) return out.fill(NaN);
  const h = sgProjection(m, order);
  const coef = (t: number): number[] => {
    const c = new Array<number>(window).fill(0);
    for (let j = deriv; j <= order; j++) {
      const f = deriv === 0 ? t ** j : j * t ** (j - 1);
      for (let k = 0; k < window; k++) c[k]! += f * h[j]![k]!;
    }
    return c;
  };
  const centre = coef(0);
  for (let i = 0; i < n; i++) {
    const start = Math.min(Math.max(i - m, 0), n - window);
    const c = start === i - m ? centre : coef(i - start - m);
    let s = 0;
    for (let k = 0; k < window; k++) s += c[k]! * y[start + k]!;
    out[i] = s;
  }
  return out;
}

// ---- curves --------------------------------------------------------------------------------------

function interp(x: ArrayLike<number>, y: ArrayLike<number>, xs: number): number {
  let lo = 0;
  let hi = x.length - 1;
  if (xs <= x[0]!) return y[0]!;
  if (xs >= x[hi]!) return y[hi]!;
  while (hi - lo > 1) {
    const mid = (lo + hi) >> 1;
    if (x[mid]! <= xs) lo = mid;
    else hi = mid;
  }
  const dx = x[hi]! - x[lo]!;
  return dx > 0 ? y[lo]! + ((y[hi]! - y[lo]!) * (xs - x[lo]!)) / dx : y[lo]!;
}

/** The constant-current rows of a run: from its start until |I| falls below (1 − tol) × the median of its first half. */
function ccEnd(I: NumericArray, r: CurrentRun, tol: number): number {
  const half = r.startRow + ((r.endRow - r.startRow) >> 1);
  const ref: number[] = [];
  for (let i = r.startRow; i <= half; i++) ref.push(Math.abs(I[i]!));
  const lim = (1 - tol) * median(ref);
  for (let i = r.startRow + 1; i <= r.endRow; i++) if (Math.abs(I[i]!) < lim) return i - 1;
  return r.endRow;
}

function curve(T: NumericArray, V: NumericArray, I: NumericArray, r: CurrentRun, o: DifferentialOptions): DifferentialCurve | undefined {
  const end = ccEnd(I, r, o.ccTolerance);
  if (end - r.startRow + 1 < o.minRows) return undefined;
  const qRaw = runCapacity(T, I, r.startRow, end);
  // Strictly increasing Q (drop repeated points: rows logged at the same instant).
  const qx: number[] = [];
  const vx: number[] = [];
  for (let k = 0; k < qRaw.length; k++) {
    if (qx.length && !(qRaw[k]! > qx[qx.length - 1]!)) continue;
    qx.push(qRaw[k]!);
    vx.push(V[r.startRow + k]!);
  }
  const qEnd = qx[qx.length - 1]!;
  if (!(qEnd > 0) || qx.length < o.minRows) return undefined;
  const N = o.gridPoints;
  const hq = qEnd / (N - 1);
  const q = Float64Array.from({ length: N }, (_, k) => k * hq);
  const vq = Float64Array.from(q, (x) => interp(qx, vx, x));
  const vSmooth = savitzkyGolay(vq, o.sgWindow, o.sgOrder, 0);
  // Sign-normalised: dV/dQ of a discharge is negative; × the current sign makes both directions' features positive peaks.
  const dvdq = savitzkyGolay(vq, o.sgWindow, o.sgOrder, 1).map((d) => (r.sign * d) / hq);
  // dQ/dV: Q as a function of the (monotone) smoothed V, on a uniform V grid.
  const mono = Float64Array.from(vSmooth);
  const up = r.sign > 0;
  for (let k = 1; k < N; k++) mono[k] = up ? Math.max(mono[k]!, mono[k - 1]!) : Math.min(mono[k]!, mono[k - 1]!);
  // interp needs increasing x: for discharge, walk the curve backwards.
  const vx2 = up ? mono : Float64Array.from(mono).reverse();
  const qx2 = up ? q : Float64Array.from(q).reverse();
  const v0 = vx2[0]!;
  const v1 = vx2[N - 1]!;
  const hv = (v1 - v0) / (N - 1);
  const vGrid = Float64Array.from({ length: N }, (_, k) => v0 + k * hv);
  const qOfV = Float64Array.from(vGrid, (v) => interp(vx2, qx2, v));
  const dqdv = hv > 0 ? savitzkyGolay(qOfV, o.sgWindow, o.sgOrder, 1).map((d) => (r.sign * d) / hv) : new Float64Array(N).fill(NaN);
  // Peak windows: clipFraction of Q at each end; for dQ/dV the V range between those Q points.
  const i0 = Math.ceil(o.clipFraction * (N - 1));
  const i1 = Math.floor((1 - o.clipFraction) * (N - 1));
  const dvdqPeaks = findPeaks(dvdq, i0, i1, o.minProminence).map((p) => peakOf(p, q, vSmooth, dvdq, hq, q));
  const va = Math.min(vSmooth[i0]!, vSmooth[i1]!);
  const vb = Math.max(vSmooth[i0]!, vSmooth[i1]!);
  const j0 = hv > 0 ? Math.max(0, Math.ceil((va - v0) / hv)) : 0;
  const j1 = hv > 0 ? Math.min(N - 1, Math.floor((vb - v0) / hv)) : -1;
  const dqdvPeaks = j1 > j0 ? findPeaks(dqdv, j0, j1, o.minProminence).map((p) => peakOf(p, qOfV, vGrid, dqdv, hv, vGrid)) : [];
  return { cycleIndex: r.cycleIndex, sign: r.sign, q, vSmooth, dvdq, vGrid, qOfV, dqdv, dvdqPeaks, dqdvPeaks, capacity: qEnd };
}

interface RawPeak {
  i: number;
  prom: number;
  left: number;
  right: number;
}

/** Local maxima in [i0, i1] with prominence ≥ minProm × range (prominence as in scipy.signal.peak_prominences). */
export function findPeaks(y: ArrayLike<number>, i0: number, i1: number, minProm: number): RawPeak[] {
  let lo = Infinity,
    hi = -Infinity;
  for (let i = i0; i <= i1; i++) {
    if (y[i]! < lo) lo = y[i]!;
    if (y[i]! > hi) hi = y[i]!;
  }
  const range = hi - lo;
  // A flat curve (a linear V(Q)) has only rounding noise: no peaks.
  if (!(range > 1e-9 * Math.max(Math.abs(hi), Math.abs(lo)))) return [];
  const out: RawPeak[] = [];
  for (let i = i0 + 1; i < i1; i++) {
    if (!(y[i]! > y[i - 1]! && y[i]! >= y[i + 1]!)) continue;
    let l = i,
      lMin = y[i]!,
      left = i;
    while (l > i0 && y[l - 1]! <= y[i]!) {
      l--;
      if (y[l]! < lMin) {
        lMin = y[l]!;
        left = l;
      }
    }
    let r = i,
      rMin = y[i]!,
      right = i;
    while (r < i1 && y[r + 1]! <= y[i]!) {
      r++;
      if (y[r]! < rMin) {
        rMin = y[r]!;
        right = r;
      }
    }
    const prom = y[i]! - Math.max(lMin, rMin);
    if (prom >= minProm * range) out.push({ i, prom, left, right });
  }
  return out;
}

function peakOf(raw: RawPeak, qAxis: ArrayLike<number>, vAxis: ArrayLike<number>, y: ArrayLike<number>, h: number, x: ArrayLike<number>): Peak {
  let p = raw;
  const level = y[p.i]! - p.prom / 2;
  // The peak's own extent: down to the first local minimum on each side (a neighbouring peak of equal
  // height must not fall inside it); FWHM and area stay within it.
  let lo = p.i;
  while (lo > p.left && y[lo - 1]! <= y[lo]!) lo--;
  let hi = p.i;
  while (hi < p.right && y[hi + 1]! <= y[hi]!) hi++;
  p = { ...p, left: lo, right: hi };
  let a = p.i;
  while (a > p.left && y[a - 1]! > level) a--;
  let b = p.i;
  while (b < p.right && y[b + 1]! > level) b++;
  // Interpolated half-height crossings (grid units).
  const xl = a > p.left ? a - (y[a]! - level) / (y[a]! - y[a - 1]!) : a;
  const xr = b < p.right ? b + (y[b]! - level) / (y[b]! - y[b + 1]!) : b;
  const base = y[p.i]! - p.prom;
  let area = 0;
  for (let k = p.left; k < p.right; k++) area += (Math.max(0, y[k]! - base) + Math.max(0, y[k + 1]! - base)) * 0.5 * Math.abs(x[k + 1]! - x[k]!);
  // Vertex of the parabola through the peak and its neighbours: sub-grid position (grid units).
  const den = y[p.i - 1]! - 2 * y[p.i]! + y[p.i + 1]!;
  const dx = den < 0 ? Math.max(-0.5, Math.min(0.5, (0.5 * (y[p.i - 1]! - y[p.i + 1]!)) / den)) : 0;
  const at = (a: ArrayLike<number>): number => a[p.i]! + dx * ((dx > 0 ? a[p.i + 1]! : a[p.i]!) - (dx > 0 ? a[p.i]! : a[p.i - 1]!));
  return { index: p.i, capacity: at(qAxis), voltage: at(vAxis), height: y[p.i]!, prominence: p.prom, fwhm: (xr - xl) * Math.abs(h), area, track: -1 };
}

/** Follow the reference curve's peaks through later curves (nearest peak within tolerance of the track's last position). */
function track(curves: DifferentialCurve[], key: 'dvdqPeaks' | 'dqdvPeaks', pos: (p: Peak) => number, tol: number): void {
  if (!curves.length) return;
  const ref = curves[0]![key];
  const last = ref.map(pos);
  ref.forEach((p, k) => (p.track = k));
  for (const c of curves.slice(1)) {
    const taken = new Set<number>();
    for (let k = 0; k < last.length; k++) {
      let best = -1;
      let bd = tol;
      c[key].forEach((p, j) => {
        const d = Math.abs(pos(p) - last[k]!);
        if (!taken.has(j) && d <= bd) {
          bd = d;
          best = j;
        }
      });
      if (best >= 0) {
        taken.add(best);
        c[key][best]!.track = k;
        last[k] = pos(c[key][best]!);
      }
    }
  }
}

export function differentialAnalysis(series: CyclerSeries, summary: CycleSummary, o: DifferentialOptions = DEFAULT_DIFFERENTIAL_OPTIONS): DifferentialAnalysis {
  if (!(o.sgWindow % 2 === 1 && o.sgWindow > o.sgOrder && o.gridPoints >= o.sgWindow)) {
    throw new RangeError(
      `differential options: sgWindow must be odd, > sgOrder and ≤ gridPoints; got window ${o.sgWindow}, order ${o.sgOrder}, grid ${o.gridPoints}`,
    );
  }
  const T = series.time;
  const V = series.voltage;
  const I = series.current;
  const messages: string[] = [];
  const curves: DifferentialCurve[] = [];
  const seen = new Set<string>();
  let skipped = 0;
  for (const r of currentRuns(series, summary)) {
    if (!r.opensHalf) continue;
    const key = `${r.cycleIndex}:${r.sign}`;
    if (seen.has(key)) continue;
    seen.add(key);
    const c = curve(T, V, I, r, o);
    if (c) curves.push(c);
    else skipped++;
  }
  if (skipped) messages.push(`${skipped} constant-current segments with fewer than ${o.minRows} rows were not differentiated`);
  const charge = curves.filter((c) => c.sign > 0);
  const discharge = curves.filter((c) => c.sign < 0);
  for (const set of [charge, discharge]) {
    if (!set.length) continue;
    const qRange = set[0]!.capacity;
    const vRange = Math.abs(set[0]!.vGrid[set[0]!.vGrid.length - 1]! - set[0]!.vGrid[0]!);
    track(set, 'dvdqPeaks', (p) => p.capacity, o.trackTolerance * qRange);
    track(set, 'dqdvPeaks', (p) => p.voltage, o.trackTolerance * vRange);
  }
  // Bromba & Ziegler rule (§3.2): the SG half-window must stay below the narrowest peak's FWHM.
  let narrow = 0;
  for (const c of curves) {
    const hq = c.capacity / (o.gridPoints - 1);
    const hv = Math.abs(c.vGrid[1]! - c.vGrid[0]!);
    for (const p of c.dvdqPeaks) if (p.fwhm < ((o.sgWindow - 1) / 2) * hq) narrow++;
    for (const p of c.dqdvPeaks) if (p.fwhm < ((o.sgWindow - 1) / 2) * hv) narrow++;
  }
  if (narrow)
    messages.push(
      `${narrow} peaks are narrower than the Savitzky–Golay half-window (${(o.sgWindow - 1) / 2} grid points): heights are underestimated; use a smaller sgWindow (MECHANISMS §3.2)`,
    );

  // Apparent LLI from the charge dV/dQ feature shift against the reference (first) charge curve.
  const n = summary.cycles;
  const lli = new Float64Array(n).fill(NaN);
  const lliSd = new Float64Array(n).fill(NaN);
  const lliFeatures = new Int32Array(n);
  const spacingChange = new Float64Array(n).fill(NaN);
  const ref = charge[0];
  if (ref && ref.dvdqPeaks.length) {
    const refPos = new Map(ref.dvdqPeaks.map((p) => [p.track, p.capacity] as const));
    for (const c of charge) {
      const shifts: number[] = [];
      const tracked = c.dvdqPeaks.filter((p) => p.track >= 0 && refPos.has(p.track)).sort((a, b) => a.track - b.track);
      for (const p of tracked) shifts.push(refPos.get(p.track)! - p.capacity);
      if (!shifts.length) continue;
      const m = shifts.reduce((a, b) => a + b, 0) / shifts.length;
      lli[c.cycleIndex] = m;
      lliFeatures[c.cycleIndex] = shifts.length;
      if (shifts.length > 1) {
        lliSd[c.cycleIndex] = Math.sqrt(shifts.reduce((a, b) => a + (b - m) ** 2, 0) / (shifts.length - 1));
        const f = tracked[0]!;
        const l = tracked[tracked.length - 1]!;
        spacingChange[c.cycleIndex] = l.capacity - f.capacity - (refPos.get(l.track)! - refPos.get(f.track)!);
      }
    }
  } else if (charge.length) {
    messages.push('no dV/dQ peak on the reference charge curve: Li-inventory loss from the feature shift not available');
  }
  return { curves, lli, lliSd, lliFeatures, spacingChange, referenceCycle: ref ? ref.cycleIndex : -1, messages, options: o };
}

/** Cycles whose curves go into the fit table: first, last and evenly spaced between (at most `max`). */
export function storedCycles(cycles: readonly number[], max: number): Set<number> {
  const u = [...new Set(cycles)].sort((a, b) => a - b);
  if (u.length <= max) return new Set(u);
  const out = new Set<number>();
  for (let k = 0; k < max; k++) out.add(u[Math.round((k * (u.length - 1)) / (max - 1))]!);
  return out;
}
