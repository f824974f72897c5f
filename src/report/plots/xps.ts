/**
 * XPS depth profiles. Input: per cell, species shares (atomic %) at each depth (etch level or
 * sputter time), as quantified by the XPS fitter; and the inorganic fraction per depth.
 *  - `xpsDepthSpec`: stacked bars of species % per depth (one panel per cell).
 *  - `inorganicDepthSpec`: inorganic fraction vs depth, one line per cell, coloured by group.
 */
import type { TopLevelSpec } from 'vega-lite';
import { CONFIG, SCHEMA } from './theme.js';
import { caption, type PlotSpec } from './figure.js';

export interface XpsDepthRow {
  readonly depth: number;
  readonly species: string;
  /** Atomic %, 0–100. */
  readonly percent: number;
}

export interface XpsDepthProfile {
  readonly cell: string;
  readonly group: string;
  /** Axis title with unit, e.g. `Sputter Time / s` or `Etch Level`. */
  readonly depthTitle: string;
  readonly rows: readonly XpsDepthRow[];
}

export function xpsDepthSpec(profile: XpsDepthProfile, o: { title: string; source: string }): PlotSpec {
  const values = profile.rows.filter((r) => Number.isFinite(r.depth) && Number.isFinite(r.percent)).map((r) => ({ ...r }));
  const spec = {
    $schema: SCHEMA,
    config: CONFIG,
    width: 420,
    height: 240,
    data: { values },
    layer: [{ name: 'species', mark: { type: 'bar' } }],
    encoding: {
      x: { field: 'depth', type: 'ordinal', title: profile.depthTitle, sort: 'ascending' },
      y: { field: 'percent', type: 'quantitative', title: 'Atomic %', stack: 'zero' },
      color: { field: 'species', type: 'nominal', title: 'species' },
      order: { field: 'species', type: 'nominal' },
      tooltip: [{ field: 'species' }, { field: 'depth' }, { field: 'percent', format: '.1f' }],
    },
  } as unknown as TopLevelSpec;
  const depths = new Set(values.map((v) => v.depth)).size;
  return {
    title: o.title,
    spec,
    caption: caption(
      `${o.source}. Cell ${profile.cell} (${profile.group}): species shares at ${depths} depths, stacked; a bar sums to the quantified total (100 % when every region was fitted).`,
    ),
  };
}

export interface InorganicSeries {
  readonly cell: string;
  readonly group: string;
  readonly depth: ArrayLike<number>;
  /** Inorganic fraction (0–1). */
  readonly fraction: ArrayLike<number>;
}

export function inorganicDepthSpec(series: readonly InorganicSeries[], o: { title: string; depthTitle: string; source: string }): PlotSpec {
  const values: Record<string, unknown>[] = [];
  for (const s of series) {
    const n = Math.min(s.depth.length, s.fraction.length);
    for (let i = 0; i < n; i++) {
      if (Number.isFinite(s.depth[i]!) && Number.isFinite(s.fraction[i]!))
        values.push({ cell: s.cell, group: s.group, depth: s.depth[i]!, fraction: s.fraction[i]! });
    }
  }
  const spec = {
    $schema: SCHEMA,
    config: CONFIG,
    width: 420,
    height: 240,
    data: { values },
    mark: { type: 'line', point: { filled: true, size: 30 } },
    encoding: {
      x: { field: 'depth', type: 'quantitative', title: o.depthTitle },
      y: { field: 'fraction', type: 'quantitative', title: 'Inorganic fraction', scale: { domain: [0, 1] } },
      color: { field: 'group', type: 'nominal', title: 'group' },
      detail: { field: 'cell', type: 'nominal' },
      tooltip: [{ field: 'cell' }, { field: 'depth' }, { field: 'fraction', format: '.3f' }],
    },
  } as unknown as TopLevelSpec;
  return {
    title: o.title,
    spec,
    caption: caption(
      `${o.source}. One line per cell (${series.length} cells), coloured by group; inorganic fraction = inorganic / (inorganic + organic) SEI species, atomic basis.`,
    ),
  };
}
