/**
 * Charge referencing. The reference region's components are fitted as a RIGID template (relative
 * positions from the library, one common shift, one FWHM, free non-negative areas) over a grid of
 * shifts, refined by a parabola through the best three. The shift is measured position − reference
 * line (C–C 284.8 eV, or LiF F 1s 685.0 eV once adventitious carbon has been sputtered away).
 *
 * A shift larger than `maxShift` is NOT applied: DOMAIN.md §3.2 (Oswald 2015/2018) warns that shifts
 * of several eV occur next to Li⁰, and forcing them would pull species into the wrong windows. The
 * caller flags such levels as charging.
 *
 * Guards against referencing on what the data cannot tell apart (seen on low-count depth profiles,
 * where they shifted sputtered levels by 1.5–3 eV or flagged them as charging):
 * - a rigid template can alias: a C 1s with only C–O is fitted equally well by C–O at 286.5 eV (shift 0)
 *   or by "C–C" slid onto it (shift +1.7). Every local minimum of the RSS over the shift is refined on
 *   the fine grid, and among those within Δχ² = 9 of the best (9, not 4: the best of ~60 trial shifts
 *   beats a true one by several s² on noise alone) the one with the smallest |shift| is taken;
 * - the template carries a free constant, ramp and Shirley term, so a background step the subtracted
 *   background left is not taken up by the components placed after the line;
 * - only interior minima with the reference line inside the recorded window count, and the reference
 *   area must be significant (`referenceZ` = area / stderr; the caller asks for ≥ 3).
 */
import { linearBackground, shirleyBackground, shirleyShape } from './backgrounds.js';
import { parseLineShape, shapeValue, unitArea } from './lineshapes.js';
import type { SpeciesEntry } from './species.js';

export interface ShiftMeasurement {
  readonly shift: number;
  /** Share of the reference component in the template fit (adventitious-carbon test). */
  readonly referenceShare: number;
  /** Reference component's area over its standard error at the chosen shift (0 when absent). */
  readonly referenceZ: number;
  readonly rss: number;
}

/**
 * Best rigid-template shift for `comps` (the reference component first gets centre `refEnergy`, the
 * others their window centres), searching [−search, +search] eV.
 */
export function measureShift(
  x: ArrayLike<number>,
  y: ArrayLike<number>,
  comps: readonly SpeciesEntry[],
  refId: string,
  refEnergy: number,
  search = 6,
  step = 0.05,
): ShiftMeasurement | undefined {
  const refIdx = comps.findIndex((c) => c.id === refId);
  if (refIdx < 0 || x.length < 8) return undefined;
  const sh = shirleyBackground(x, y, { endpointAverage: 3 });
  // A Shirley without a fixed point on these data (low counts) is no base for a template: use the line.
  const bg = sh.converged ? sh.background : linearBackground(x, y, 5);
  const net = Array.from({ length: x.length }, (_, i) => y[i]! - bg[i]!);
  const centres = comps.map((c, j) => (j === refIdx ? refEnergy : (c.window[0] + c.window[1]) / 2));
  const shapes = comps.map((c) => parseLineShape(c.shape));
  const F = Math.max(...comps.map((c) => c.fwhm[0])) * 0.5 + Math.min(...comps.map((c) => c.fwhm[1])) * 0.5;
  const fitAt = (s: number, shirleyPass = true) => {
    const r = templateFit(
      x,
      net,
      shapes,
      centres.map((c) => c + s),
      F,
      shirleyPass,
    );
    const tot = r.areas.reduce((a, b) => a + b, 0);
    return { s, rss: r.rss, share: tot > 0 ? r.areas[refIdx]! / tot : 0, area: r.areas[refIdx]!, inv: r.invDiag[refIdx]! };
  };
  // Coarse grid (4 × step) over the whole search range; every local minimum refined on the fine grid
  // (the coarse RSS is too rough to compare minima: a strong line moves it by many s² per 0.2 eV).
  const coarse = 4 * step;
  const grid: ReturnType<typeof fitAt>[] = [];
  // The coarse scan only locates candidate minima: without the Shirley pass (half the cost).
  for (let s = -search; s <= search + 1e-9; s += coarse) grid.push(fitAt(s, false));
  // Only interior minima whose reference line lies inside the region by a width: a minimum on the edge
  // of the search, or a "reference" fitted outside the recorded window, is not a measurement.
  const xLo = Math.min(x[0]!, x[x.length - 1]!) + F;
  const xHi = Math.max(x[0]!, x[x.length - 1]!) - F;
  const minima = grid
    .map((g, i) => ({ g, i }))
    .filter(({ g, i }) => i > 0 && i < grid.length - 1 && g.rss <= grid[i - 1]!.rss && g.rss <= grid[i + 1]!.rss)
    .filter(({ g }) => refEnergy + g.s >= xLo && refEnergy + g.s <= xHi)
    .sort((p, q) => p.g.rss - q.g.rss)
    .slice(0, 6);
  if (minima.length === 0) return undefined;
  const refined = minima.map(({ g }) => {
    const fine: ReturnType<typeof fitAt>[] = [];
    for (let s = Math.max(-search, g.s - coarse); s <= Math.min(search, g.s + coarse) + 1e-9; s += step) fine.push(fitAt(s));
    let b = 0;
    for (let i = 1; i < fine.length; i++) if (fine[i]!.rss < fine[b]!.rss) b = i;
    let shift = fine[b]!.s;
    if (b > 0 && b < fine.length - 1) {
      const [r0, r1, r2] = [fine[b - 1]!.rss, fine[b]!.rss, fine[b + 1]!.rss];
      const den = r0 - 2 * r1 + r2;
      if (den > 0) shift += (step * (r0 - r2)) / (2 * den);
    }
    return { shift, fb: fine[b]! };
  });
  let best = refined[0]!;
  for (const r of refined) if (r.fb.rss < best.fb.rss) best = r;
  // Minima statistically as good as the best (Δχ² ≤ 9): the smallest |shift| (see the header).
  const s2 = best.fb.rss / Math.max(1, x.length - comps.length - 2);
  let chosen = best;
  for (const r of refined) if (r.fb.rss <= best.fb.rss + 9 * s2 && Math.abs(r.shift) < Math.abs(chosen.shift)) chosen = r;
  const { shift, fb } = chosen;
  const sf2 = fb.rss / Math.max(1, x.length - comps.length - 2);
  const se = Math.sqrt(Math.max(0, sf2 * fb.inv));
  const referenceZ = fb.area > 0 ? (se > 0 ? fb.area / se : Infinity) : 0;
  return { shift, referenceShare: fb.share, referenceZ, rss: fb.rss };
}

/**
 * Non-negative template areas, plus free background terms that absorb what the subtracted background
 * left (on low-count levels it is the largest error): a constant, a linear ramp and — in a second pass —
 * the Shirley shape Φ of the first pass's template peaks (an active Shirley, as in `fitRegion`), so that
 * a step under the line is not taken up by template components placed after it. `invDiag` =
 * diag((AᵀA)⁻¹) of the peak columns over the final active set (0 for inactive components).
 */
function templateFit(
  x: ArrayLike<number>,
  net: number[],
  shapes: ReturnType<typeof parseLineShape>[],
  c: number[],
  F: number,
  shirleyPass = true,
): { areas: number[]; rss: number; invDiag: number[] } {
  const n = x.length;
  const k = c.length;
  const x0 = x[0]!;
  const L = x[n - 1]! - x0 || 1;
  const peaks: Float64Array[] = [];
  for (let j = 0; j < k; j++) {
    const col = new Float64Array(n);
    const norm = 1 / (unitArea(shapes[j]!) * F);
    for (let i = 0; i < n; i++) col[i] = norm * shapeValue(shapes[j]!, x[i]!, c[j]!, F);
    peaks.push(col);
  }
  const ramp = new Float64Array(n);
  for (let i = 0; i < n; i++) ramp[i] = (x[i]! - x0) / L;
  const ones = new Float64Array(n).fill(1);
  const first = nnlsWithFree(peaks, [ones, ramp], net);
  if (!shirleyPass) return first;
  const env = new Float64Array(n);
  for (let j = 0; j < k; j++) for (let i = 0; i < n; i++) env[i]! += first.coef[j]! * peaks[j]![i]!;
  const phi = shirleyShape(x, env);
  return phi ? nnlsWithFree(peaks, [ones, ramp, phi], net) : first;
}

/**
 * Least squares with the `pos` columns' coefficients ≥ 0 (active set) and the `free` columns
 * unconstrained. Works on the normal equations (K ≤ ~10 columns): the n-point work is one Gram matrix.
 */
function nnlsWithFree(
  pos: readonly Float64Array[],
  free: readonly Float64Array[],
  y: number[],
): { coef: number[]; areas: number[]; rss: number; invDiag: number[] } {
  const n = y.length;
  const k = pos.length;
  const cols = [...pos, ...free];
  const K = cols.length;
  const G = new Float64Array(K * K);
  const b = new Float64Array(K);
  let yy = 0;
  for (let i = 0; i < n; i++) yy += y[i]! * y[i]!;
  for (let a = 0; a < K; a++) {
    const ca = cols[a]!;
    let s = 0;
    for (let i = 0; i < n; i++) s += ca[i]! * y[i]!;
    b[a] = s;
    for (let c = a; c < K; c++) {
      const cc = cols[c]!;
      let t = 0;
      for (let i = 0; i < n; i++) t += ca[i]! * cc[i]!;
      G[a * K + c] = G[c * K + a] = t;
    }
  }
  let active = Array.from({ length: K }, (_, j) => j);
  let coef = new Array<number>(K).fill(0);
  let invDiag = new Array<number>(k).fill(0);
  for (let round = 0; round <= k; round++) {
    const m = active.length;
    const M = new Float64Array(m * m);
    const r = new Float64Array(m);
    active.forEach((ja, qa) => {
      r[qa] = b[ja]!;
      active.forEach((jc, qc) => (M[qa * m + qc] = G[ja * K + jc]!));
      M[qa * m + qa] = M[qa * m + qa]! * (1 + 1e-12) + 1e-12;
    });
    const Mi = invertSmall(M, m);
    if (!Mi) break;
    coef = new Array<number>(K).fill(0);
    invDiag = new Array<number>(k).fill(0);
    const keep: number[] = [];
    active.forEach((j, q) => {
      let v = 0;
      for (let t = 0; t < m; t++) v += Mi[q * m + t]! * r[t]!;
      if (j < k) invDiag[j] = Mi[q * m + q]!;
      if (v > 0 || j >= k) {
        coef[j] = v;
        keep.push(j);
      }
    });
    if (keep.length === active.length) break;
    active = keep;
  }
  // RSS = yᵀy − 2cᵀb + cᵀGc
  let rss = yy;
  for (let a = 0; a < K; a++) {
    rss -= 2 * coef[a]! * b[a]!;
    for (let c = 0; c < K; c++) rss += coef[a]! * G[a * K + c]! * coef[c]!;
  }
  return { coef, areas: coef.slice(0, k), rss: Math.max(0, rss), invDiag };
}

/** Inverse of a small dense matrix by Gauss–Jordan with partial pivoting; null when singular. */
function invertSmall(A: Float64Array, m: number): Float64Array | null {
  const a = Float64Array.from(A);
  const inv = new Float64Array(m * m);
  for (let i = 0; i < m; i++) inv[i * m + i] = 1;
  for (let c = 0; c < m; c++) {
    let p = c;
    for (let r = c + 1; r < m; r++) if (Math.abs(a[r * m + c]!) > Math.abs(a[p * m + c]!)) p = r;
    const piv = a[p * m + c]!;
    if (!(Math.abs(piv) > 0)) return null;
    if (p !== c) {
      for (let t = 0; t < m; t++) {
        [a[p * m + t], a[c * m + t]] = [a[c * m + t]!, a[p * m + t]!];
        [inv[p * m + t], inv[c * m + t]] = [inv[c * m + t]!, inv[p * m + t]!];
      }
    }
    for (let t = 0; t < m; t++) {
      a[c * m + t] = a[c * m + t]! / piv;
      inv[c * m + t] = inv[c * m + t]! / piv;
    }
    for (let r = 0; r < m; r++) {
      if (r === c) continue;
      const f = a[r * m + c]!;
      if (f === 0) continue;
      for (let t = 0; t < m; t++) {
        a[r * m + t] = a[r * m + t]! - f * a[c * m + t]!;
        inv[r * m + t] = inv[r * m + t]! - f * inv[c * m + t]!;
      }
    }
  }
  return inv;
}
