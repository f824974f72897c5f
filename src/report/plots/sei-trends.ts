/**
 * R_SEI and the SEI CPE exponent α vs rest time and vs cycle. Input: one `SeiPoint` per fitted
 * spectrum (per-record values from the impedance fitter), with the rest time of its cell (manifest
 * `rest_hours`) and the cycle the spectrum was taken at when the record says so.
 */
import type { TopLevelSpec } from 'vega-lite';
import { CONFIG, SCHEMA, finiteOrNull } from './theme.js';
import { caption, type PlotSpec } from './figure.js';

export interface SeiPoint {
  readonly cell: string;
  readonly group: string;
  readonly restHours: number | null;
  readonly cycle: number | null;
  readonly rSei: number | null;
  readonly rSeiStderr: number | null;
  readonly alpha: number | null;
  readonly alphaStderr: number | null;
  /** False when the fit is flagged (KK failed, not converged): drawn hollow. */
  readonly fitOk: boolean;
}

export interface SeiTrendOptions {
  readonly title: string;
  readonly x: 'restHours' | 'cycle';
  /** Unit of R_SEI as stored (`ohm`, or `ohm*cm2` for the areal value). */
  readonly rUnit: string;
  readonly source: string;
}

/** Points with an x value and at least one of R_SEI / α. Pure. */
export function seiRows(points: readonly SeiPoint[], x: 'restHours' | 'cycle'): Record<string, unknown>[] {
  const out: Record<string, unknown>[] = [];
  for (const p of points) {
    const xv = finiteOrNull(p[x]);
    if (xv === null) continue;
    const r = finiteOrNull(p.rSei);
    const a = finiteOrNull(p.alpha);
    if (r === null && a === null) continue;
    const rse = finiteOrNull(p.rSeiStderr);
    const ase = finiteOrNull(p.alphaStderr);
    out.push({
      cell: p.cell,
      group: p.group,
      x: xv,
      rSei: r,
      alpha: a,
      ok: p.fitOk ? 'ok' : 'flagged',
      rLo: r !== null && rse !== null ? r - rse : null,
      rHi: r !== null && rse !== null ? r + rse : null,
      aLo: a !== null && ase !== null ? a - ase : null,
      aHi: a !== null && ase !== null ? a + ase : null,
    });
  }
  return out;
}

export function seiTrendSpec(points: readonly SeiPoint[], o: SeiTrendOptions): PlotSpec {
  const values = seiRows(points, o.x);
  const xTitle = o.x === 'restHours' ? 'Rest time / h' : 'Cycle';
  const x = { field: 'x', type: 'quantitative', title: xTitle, scale: { zero: o.x === 'restHours' }, axis: { tickMinStep: 1 } };
  const color = { field: 'group', type: 'nominal', title: 'group' };
  const panel = (field: string, lo: string, hi: string, title: string) => ({
    width: 340,
    height: 220,
    layer: [
      {
        transform: [{ filter: `datum.${lo} != null` }],
        mark: { type: 'rule', opacity: 0.6 },
        encoding: { x, y: { field: lo, type: 'quantitative', title }, y2: { field: hi }, color },
      },
      {
        name: `${field}_points`,
        transform: [{ filter: `datum.${field} != null` }],
        mark: { type: 'point', size: 40 },
        encoding: {
          x,
          y: { field, type: 'quantitative', title, scale: { zero: false } },
          color,
          fill: { condition: { test: "datum.ok == 'ok'", field: 'group', type: 'nominal' }, value: 'transparent' },
          tooltip: [{ field: 'cell' }, { field, type: 'quantitative' }],
        },
      },
    ],
  });
  const spec = {
    $schema: SCHEMA,
    config: CONFIG,
    data: { values },
    hconcat: [panel('rSei', 'rLo', 'rHi', `R_SEI / ${o.rUnit === 'ohm' ? 'Ω' : o.rUnit.replace('ohm', 'Ω')}`), panel('alpha', 'aLo', 'aHi', 'CPE_SEI α')],
  } as unknown as TopLevelSpec;
  const cells = new Set(values.map((v) => v.cell)).size;
  return {
    title: o.title,
    spec,
    caption: caption(
      `${o.source}. One point per fitted spectrum (${values.length} spectra, ${cells} cells); bars: ± 1 standard error of the fit; hollow points: fit flagged (lin-KK failed or not converged).`,
      o.x === 'restHours' ? 'Rest time from the campaign manifest (rest_hours).' : 'Cycle as stated by the impedance record.',
    ),
  };
}
