/**
 * Charge referencing. The reference region's components are fitted as a RIGID template (relative
 * positions from the library, one common shift, one FWHM, free non-negative areas) over a grid of
 * shifts, refined by a parabola through the best three. The shift is measured position − reference
 * line (C–C 284.8 eV, or LiF F 1s 685.0 eV once adventitious carbon has been sputtered away).
 *
 * A shift larger than `maxShift` is NOT applied: DOMAIN.md §3.2 (Oswald 2015/2018) warns that shifts
 * of several eV occur next to Li⁰, and forcing them would pull species into the wrong windows. The
 * caller flags such levels as charging.
 */
import { Matrix, inverse } from 'ml-matrix';
import { shirleyBackground } from './backgrounds.js';
import { parseLineShape, peakValue } from './lineshapes.js';
import type { SpeciesEntry } from './species.js';

export interface ShiftMeasurement {
  readonly shift: number;
  /** Share of the reference component in the template fit (adventitious-carbon test). */
  readonly referenceShare: number;
  readonly rss: number;
}

/**
 * Best rigid-template shift for `comps` (the reference component first gets centre `refEnergy`, the
 * others their window centres), searching [−search, +search] eV.
 */
export function measureShift(
  x: ArrayLike<number>, y: ArrayLike<number>, comps: readonly SpeciesEntry[], refId: string, refEnergy: number, search = 6, step = 0.05,
): ShiftMeasurement | undefined {
  const refIdx = comps.findIndex((c) => c.id === refId);
  if (refIdx < 0 || x.length < 8) return undefined;
  const bg = shirleyBackground(x, y, { endpointAverage: 3 }).background;
  const net = Array.from({ length: x.length }, (_, i) => y[i]! - bg[i]!);
  const centres = comps.map((c, j) => (j === refIdx ? refEnergy : (c.window[0] + c.window[1]) / 2));
  const shapes = comps.map((c) => parseLineShape(c.shape));
  const F = Math.max(...comps.map((c) => c.fwhm[0])) * 0.5 + Math.min(...comps.map((c) => c.fwhm[1])) * 0.5;
  const shifts: number[] = [];
  const rss: number[] = [];
  const shares: number[] = [];
  const at = (s: number) => {
    const r = templateFit(x, net, shapes, centres.map((c) => c + s), F);
    shifts.push(s);
    rss.push(r.rss);
    const tot = r.areas.reduce((a, b) => a + b, 0);
    shares.push(tot > 0 ? r.areas[refIdx]! / tot : 0);
  };
  // Coarse grid (4 × step) over the whole search range, then the fine grid around its minimum.
  const coarse = 4 * step;
  for (let s = -search; s <= search + 1e-9; s += coarse) at(s);
  let c = 0;
  for (let i = 1; i < rss.length; i++) if (rss[i]! < rss[c]!) c = i;
  const centre = shifts[c]!;
  shifts.length = 0;
  rss.length = 0;
  shares.length = 0;
  for (let s = centre - coarse; s <= centre + coarse + 1e-9; s += step) at(s);
  let b = 0;
  for (let i = 1; i < rss.length; i++) if (rss[i]! < rss[b]!) b = i;
  let shift = shifts[b]!;
  if (b > 0 && b < rss.length - 1) {
    const [r0, r1, r2] = [rss[b - 1]!, rss[b]!, rss[b + 1]!];
    const den = r0 - 2 * r1 + r2;
    if (den > 0) shift += (step * (r0 - r2)) / (2 * den);
  }
  return { shift, referenceShare: shares[b]!, rss: rss[b]! };
}

function templateFit(x: ArrayLike<number>, net: number[], shapes: ReturnType<typeof parseLineShape>[], c: number[], F: number): { areas: number[]; rss: number } {
  const n = x.length;
  const k = c.length;
  const A = new Matrix(n, k);
  for (let i = 0; i < n; i++) for (let j = 0; j < k; j++) A.set(i, j, peakValue(shapes[j]!, x[i]!, c[j]!, F, 1));
  let active = Array.from({ length: k }, (_, j) => j);
  let areas = new Array<number>(k).fill(0);
  for (let round = 0; round <= k && active.length; round++) {
    const Aa = new Matrix(n, active.length);
    for (let i = 0; i < n; i++) active.forEach((j, q) => Aa.set(i, q, A.get(i, j)));
    const At = Aa.transpose();
    const M = At.mmul(Aa);
    for (let q = 0; q < active.length; q++) M.set(q, q, M.get(q, q) + 1e-12);
    let s: Matrix;
    try {
      s = inverse(M).mmul(At.mmul(Matrix.columnVector(net)));
    } catch {
      break;
    }
    areas = new Array<number>(k).fill(0);
    const keep: number[] = [];
    active.forEach((j, q) => {
      const v = s.get(q, 0);
      if (v > 0) {
        areas[j] = v;
        keep.push(j);
      }
    });
    if (keep.length === active.length) break;
    active = keep;
  }
  let rss = 0;
  for (let i = 0; i < n; i++) {
    let m = 0;
    for (let j = 0; j < k; j++) m += A.get(i, j) * areas[j]!;
    rss += (net[i]! - m) ** 2;
  }
  return { areas, rss };
}
