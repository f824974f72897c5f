/** What every plot builder returns: a Vega-Lite spec plus the caption the report prints under it. */
import type { TopLevelSpec } from 'vega-lite';
import { escapeHtml } from '../format.js';
import { renderSvg } from './render.js';

export interface PlotSpec {
  /** Section title in the report (also the key of the plots map). */
  readonly title: string;
  readonly spec: TopLevelSpec;
  /** Plain-text caption: where the data come from, what the bands mean, what was downsampled. */
  readonly caption: string;
  /** The cell a per-cell figure shows (its page is cells/<id>.html); absent for campaign-level figures. */
  readonly cell?: string;
}

/** Inline SVG followed by its caption as a `<figcaption>`: the value stored in the plots map. */
export async function renderFigure(p: PlotSpec): Promise<string> {
  const svg = await renderSvg(p.spec);
  return p.caption ? `${svg}<figcaption>${escapeHtml(p.caption)}</figcaption>` : svg;
}

/** Join caption sentences, skipping empty ones. */
export function caption(...parts: readonly (string | false | null | undefined)[]): string {
  return parts.filter((p): p is string => typeof p === 'string' && p.length > 0).join(' ');
}
