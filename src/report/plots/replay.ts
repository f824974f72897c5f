/**
 * Model replay over data, per cell, with residuals. Input: one `ReplaySeries` per cell and quantity —
 * the observed values and the model's prediction at the same x. Top panel: observed (points) and
 * replayed (line); bottom: residual = observed − predicted.
 */
import type { TopLevelSpec } from 'vega-lite';
import { CONFIG, SCHEMA } from './theme.js';
import { caption, type PlotSpec } from './figure.js';
import { downsampleNote, lttb, MAX_POINTS_PER_LINE } from './downsample.js';

export interface ReplaySeries {
  readonly cell: string;
  /** e.g. `Voltage / V`. */
  readonly quantity: string;
  /** e.g. `Test Time / s` or `Cycle`. */
  readonly xTitle: string;
  readonly x: ArrayLike<number>;
  readonly observed: ArrayLike<number>;
  readonly predicted: ArrayLike<number>;
  /** Model and parameter-set names, for the caption. */
  readonly model?: string;
}

export function replaySpec(s: ReplaySeries, o: { title: string; source: string }): PlotSpec {
  const n = Math.min(s.x.length, s.observed.length, s.predicted.length);
  const resid = new Float64Array(n);
  for (let i = 0; i < n; i++) resid[i] = s.observed[i]! - s.predicted[i]!;
  const d = lttb(s.x, s.observed, MAX_POINTS_PER_LINE);
  const values: Record<string, unknown>[] = [];
  for (const i of d.index) {
    if (i >= n) continue;
    values.push({
      x: s.x[i]!,
      obs: s.observed[i]!,
      pred: Number.isFinite(s.predicted[i]!) ? s.predicted[i]! : null,
      res: Number.isFinite(resid[i]!) ? resid[i]! : null,
    });
  }
  let ss = 0;
  let m = 0;
  for (let i = 0; i < n; i++)
    if (Number.isFinite(resid[i]!)) {
      ss += resid[i]! ** 2;
      m++;
    }
  const rmse = m ? Math.sqrt(ss / m) : NaN;
  const x = { field: 'x', type: 'quantitative', title: s.xTitle };
  const spec = {
    $schema: SCHEMA,
    config: CONFIG,
    data: { values },
    vconcat: [
      {
        width: 520,
        height: 220,
        layer: [
          {
            name: 'observed',
            mark: { type: 'point', filled: true, size: 14, color: '#1d2430', opacity: 0.7 },
            encoding: { x, y: { field: 'obs', type: 'quantitative', title: s.quantity, scale: { zero: false } } },
          },
          {
            name: 'replayed',
            transform: [{ filter: 'datum.pred != null' }],
            mark: { type: 'line', color: '#D55E00', strokeWidth: 1.8 },
            encoding: { x, y: { field: 'pred', type: 'quantitative' } },
          },
        ],
      },
      {
        width: 520,
        height: 110,
        layer: [
          { mark: { type: 'rule', color: '#8a94a6', strokeDash: [3, 3] }, encoding: { y: { datum: 0, type: 'quantitative' } } },
          {
            name: 'residual',
            transform: [{ filter: 'datum.res != null' }],
            mark: { type: 'point', size: 12, color: '#0072B2' },
            encoding: { x, y: { field: 'res', type: 'quantitative', title: 'observed − replayed' } },
          },
        ],
      },
    ],
  } as unknown as TopLevelSpec;
  return {
    title: o.title,
    spec,
    caption: caption(
      `${o.source}. Cell ${s.cell}: points observed, line ${s.model ? `replayed by ${s.model}` : 'replayed by the model'}; bottom: residuals (RMSE ${Number.isFinite(rmse) ? rmse.toPrecision(3) : 'n/a'} over ${m} points, computed on every point).`,
      downsampleNote(d.index.length < d.kept ? [{ label: s.cell, from: d.kept, to: d.index.length }] : []),
    ),
  };
}
