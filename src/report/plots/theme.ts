/**
 * Shared look of the report plots: one config object (fonts are generic families, so nothing is
 * fetched), a colour-blind-safe categorical palette, and the top-level spec skeleton.
 */
import type { Config } from 'vega-lite';

export const FONT = 'system-ui, -apple-system, "Segoe UI", Roboto, sans-serif';

/** Okabe–Ito (colour-blind safe), in order. */
export const PALETTE = ['#0072B2', '#E69F00', '#009E73', '#D55E00', '#CC79A7', '#56B4E9', '#F0E442', '#000000'] as const;

export const CONFIG: Config = {
  font: FONT,
  /** No per-item ARIA labels: they repeat every datum as text and triple the SVG size. */
  aria: false,
  background: 'white',
  view: { stroke: '#dde2ea' },
  axis: { labelFontSize: 11, titleFontSize: 12, gridColor: '#eef1f5', domainColor: '#8a94a6', tickColor: '#8a94a6' },
  legend: { labelFontSize: 11, titleFontSize: 12, orient: 'right' },
  title: { fontSize: 14, anchor: 'start', subtitleFontSize: 11, subtitleColor: '#5a6577' },
  range: { category: [...PALETTE] },
};

export const SCHEMA = 'https://vega.github.io/schema/vega-lite/v6.json';

/** Default panel size (px) of one plot; two panels side by side stay under ~1000 px. */
export const PANEL = { width: 420, height: 260 } as const;

/** Finite number or null (Vega-Lite drops nulls from lines instead of drawing them at 0). */
export function finiteOrNull(v: number | null | undefined): number | null {
  return v === null || v === undefined || !Number.isFinite(v) ? null : v;
}
