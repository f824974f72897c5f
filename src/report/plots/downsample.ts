/**
 * Keeping plots small: long series are reduced before they reach a spec. LTTB (Largest-Triangle-
 * Three-Buckets, Steinarsson 2013) keeps the visual shape of a line — peaks and edges survive — with
 * a fixed number of points; the first and last points are always kept. Non-finite points are dropped
 * first. Every builder that downsamples says so in its caption (`DownsampleNote`).
 */

/** Most points drawn per line. */
export const MAX_POINTS_PER_LINE = 2000;

export interface Downsampled {
  /** Indices into the input arrays, ascending. */
  readonly index: Int32Array;
  /** Finite points in the input. */
  readonly kept: number;
  readonly total: number;
}

/** Indices of the finite (x, y) points, reduced by LTTB to at most `max`. Pure. */
export function lttb(x: ArrayLike<number>, y: ArrayLike<number>, max = MAX_POINTS_PER_LINE): Downsampled {
  const n = Math.min(x.length, y.length);
  const fin: number[] = [];
  for (let i = 0; i < n; i++) if (Number.isFinite(x[i]!) && Number.isFinite(y[i]!)) fin.push(i);
  const m = fin.length;
  if (m <= max || max < 3) return { index: Int32Array.from(max < 3 ? fin.slice(0, Math.max(0, max)) : fin), kept: m, total: n };
  const out = new Int32Array(max);
  const every = (m - 2) / (max - 2);
  let a = 0; // index into fin of the last selected point
  out[0] = fin[0]!;
  for (let k = 0; k < max - 2; k++) {
    // Average of the next bucket.
    const nextStart = Math.floor((k + 1) * every) + 1;
    const nextEnd = Math.min(Math.floor((k + 2) * every) + 1, m);
    let ax = 0;
    let ay = 0;
    for (let j = nextStart; j < nextEnd; j++) {
      ax += x[fin[j]!]!;
      ay += y[fin[j]!]!;
    }
    const len = Math.max(1, nextEnd - nextStart);
    ax /= len;
    ay /= len;
    // Point of this bucket with the largest triangle.
    const start = Math.floor(k * every) + 1;
    const end = Math.floor((k + 1) * every) + 1;
    const px = x[fin[a]!]!;
    const py = y[fin[a]!]!;
    let best = -1;
    let bestJ = start;
    for (let j = start; j < end; j++) {
      const area = Math.abs((px - ax) * (y[fin[j]!]! - py) - (px - x[fin[j]!]!) * (ay - py));
      if (area > best) {
        best = area;
        bestJ = j;
      }
    }
    out[k + 1] = fin[bestJ]!;
    a = bestJ;
  }
  out[max - 1] = fin[m - 1]!;
  return { index: out, kept: m, total: n };
}

/** Every k-th index (first and last kept) so that at most `max` remain. Pure. */
export function stride(n: number, max = MAX_POINTS_PER_LINE): Int32Array {
  if (n <= max) return Int32Array.from({ length: n }, (_, i) => i);
  const step = (n - 1) / (max - 1);
  return Int32Array.from({ length: max }, (_, k) => Math.round(k * step));
}

/** Caption sentence for a figure whose lines were reduced, or '' when nothing was. */
export function downsampleNote(reduced: readonly { label: string; from: number; to: number }[]): string {
  const r = reduced.filter((d) => d.to < d.from);
  if (!r.length) return '';
  const parts = r.slice(0, 4).map((d) => `${d.label}: ${d.to} of ${d.from} points`);
  return `Long series downsampled for display (LTTB, ≤ ${MAX_POINTS_PER_LINE} points per line) — ${parts.join('; ')}${r.length > 4 ? `; and ${r.length - 4} more` : ''}. Exported tables keep every point.`;
}
