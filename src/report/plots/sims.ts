/**
 * ToF-SIMS ratio maps as heatmaps, the heterogeneity index H (CV_true, Poisson noise removed) in the
 * title. Input: a `RatioMapInput` — the per-pixel ratio or share map, row-major, NaN where masked.
 * Maps wider or taller than `maxSide` are mean-pooled over blocks for display (the caption says so);
 * H is the fitter's number, computed on the full map.
 */
import type { TopLevelSpec } from 'vega-lite';
import { CONFIG, SCHEMA } from './theme.js';
import { caption, type PlotSpec } from './figure.js';

export interface RatioMapInput {
  readonly cell: string;
  readonly label: string;
  readonly width: number;
  readonly height: number;
  /** Row-major, length width × height; NaN = masked (too few counts). */
  readonly values: ArrayLike<number>;
  /** 'share' = I/(I+O), 'ratio' = I/O. */
  readonly metric: 'share' | 'ratio';
  readonly heterogeneity: number | null;
  /** Pixel binning already applied before `values` (1 = raw pixels). */
  readonly binFactor: number;
  /** Ions in the numerator and denominator, for the caption. */
  readonly inorganic: readonly string[];
  readonly organic: readonly string[];
}

/** Most cells per side drawn (so a map stays ≤ 48² rects). */
export const MAX_MAP_SIDE = 48;

/** Mean-pool a map by an integer factor so both sides are ≤ maxSide. Pure. */
export function poolMap(
  values: ArrayLike<number>,
  width: number,
  height: number,
  maxSide = MAX_MAP_SIDE,
): { values: Float64Array; width: number; height: number; factor: number } {
  const f = Math.max(1, Math.ceil(Math.max(width, height) / maxSide));
  if (f === 1) return { values: Float64Array.from(values), width, height, factor: 1 };
  const w = Math.ceil(width / f);
  const h = Math.ceil(height / f);
  const sum = new Float64Array(w * h);
  const cnt = new Int32Array(w * h);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const v = values[y * width + x]!;
      if (!Number.isFinite(v)) continue;
      const k = Math.floor(y / f) * w + Math.floor(x / f);
      sum[k]! += v;
      cnt[k]!++;
    }
  }
  const out = new Float64Array(w * h);
  for (let k = 0; k < out.length; k++) out[k] = cnt[k]! > 0 ? sum[k]! / cnt[k]! : NaN;
  return { values: out, width: w, height: h, factor: f };
}

export function simsMapSpec(m: RatioMapInput, o: { title: string; source: string }): PlotSpec {
  const p = poolMap(m.values, m.width, m.height);
  const values: Record<string, unknown>[] = [];
  for (let y = 0; y < p.height; y++) {
    for (let x = 0; x < p.width; x++) {
      const v = p.values[y * p.width + x]!;
      if (Number.isFinite(v)) values.push({ x, y, v });
    }
  }
  const cell = Math.max(4, Math.floor(300 / Math.max(p.width, p.height)));
  const H = m.heterogeneity;
  const spec = {
    $schema: SCHEMA,
    config: CONFIG,
    title: { text: `${m.label} — H = ${H === null || !Number.isFinite(H) ? 'n/a' : H.toPrecision(3)}`, fontSize: 13 },
    width: cell * p.width,
    height: cell * p.height,
    data: { values },
    layer: [{ name: 'pixels', mark: { type: 'rect' } }],
    encoding: {
      x: { field: 'x', type: 'ordinal', axis: null, scale: { domain: Array.from({ length: p.width }, (_, i) => i) } },
      y: { field: 'y', type: 'ordinal', axis: null, scale: { domain: Array.from({ length: p.height }, (_, i) => i) } },
      color: { field: 'v', type: 'quantitative', title: m.metric === 'share' ? 'I/(I+O)' : 'I/O', scale: { scheme: 'viridis' } },
    },
  } as unknown as TopLevelSpec;
  const total = m.binFactor * p.factor;
  return {
    title: o.title,
    spec,
    caption: caption(
      `${o.source}. ${m.metric === 'share' ? 'Inorganic share I/(I+O)' : 'Ratio I/O'} per pixel with I = ${m.inorganic.join('+') || '—'}, O = ${m.organic.join('+') || '—'}; blank pixels have too few counts. H = heterogeneity index of the fitter (CV of the map with counting noise removed).`,
      total > 1
        ? `Displayed at ${p.width}×${p.height} cells (${total}×${total} raw pixels each${p.factor > 1 ? `, mean-pooled ×${p.factor} for display` : ''}).`
        : '',
    ),
  };
}
