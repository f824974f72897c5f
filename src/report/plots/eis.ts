/**
 * Impedance plots. Input: one `ImpedanceSeries` per spectrum — the measured points (canonical EIS
 * columns: `Imaginary Impedance` is the true imaginary part, negative for capacitive arcs), and,
 * when available, the fitted circuit evaluated at the measured frequencies and the lin-KK relative
 * residuals.
 *  - Nyquist: −Z″ vs Z′ on equal axes (same Ω per pixel on both), measured as points, fit as a line.
 *  - Bode: |Z| and phase vs frequency (log), and the KK residuals (%) in a third panel.
 */
import type { TopLevelSpec } from 'vega-lite';
import { CONFIG, SCHEMA } from './theme.js';
import { caption, type PlotSpec } from './figure.js';
import { downsampleNote, lttb, MAX_POINTS_PER_LINE } from './downsample.js';

export interface ImpedanceSeries {
  /** Legend label, e.g. `cell A1 · spectrum 2`. */
  readonly label: string;
  readonly frequency: ArrayLike<number>;
  readonly re: ArrayLike<number>;
  readonly im: ArrayLike<number>;
  /** Fitted model at `fit.frequency` (same sign convention). */
  readonly fit?: { readonly frequency: ArrayLike<number>; readonly re: ArrayLike<number>; readonly im: ArrayLike<number>; readonly circuit: string } | null;
  /** lin-KK relative residuals (fractions) at `kk.frequency`. */
  readonly kk?: { readonly frequency: ArrayLike<number>; readonly re: ArrayLike<number>; readonly im: ArrayLike<number>; readonly maxResidual?: number } | null;
}

interface ZRow {
  series: string;
  f: number;
  zr: number;
  nzi: number;
  mod: number;
  phase: number;
  i: number;
}

function rows(
  label: string,
  f: ArrayLike<number>,
  re: ArrayLike<number>,
  im: ArrayLike<number>,
  reduced: { label: string; from: number; to: number }[],
): ZRow[] {
  const d = lttb(re, im, MAX_POINTS_PER_LINE);
  if (d.index.length < d.kept) reduced.push({ label, from: d.kept, to: d.index.length });
  const out: ZRow[] = [];
  for (const i of d.index) {
    const r = re[i]!;
    const m = im[i]!;
    if (!Number.isFinite(f[i]!)) continue;
    out.push({ series: label, f: f[i]!, zr: r, nzi: -m, mod: Math.hypot(r, m), phase: (Math.atan2(m, r) * 180) / Math.PI, i });
  }
  return out;
}

/** Equal-axis domains: both axes span the same number of ohms; the panel is square. Pure. */
export function equalDomains(xs: readonly number[], ys: readonly number[], pad = 0.05): { x: [number, number]; y: [number, number] } {
  const fx = xs.filter(Number.isFinite);
  const fy = ys.filter(Number.isFinite);
  let x0 = Math.min(0, ...fx);
  let x1 = Math.max(...fx);
  let y0 = Math.min(0, ...fy);
  let y1 = Math.max(...fy);
  if (!(x1 > x0)) x1 = x0 + 1;
  if (!(y1 > y0)) y1 = y0 + 1;
  const span = Math.max(x1 - x0, y1 - y0) * (1 + 2 * pad);
  const cx = x0 - (x1 - x0) * pad;
  const cy = y0 - (y1 - y0) * pad;
  x0 = cx;
  y0 = cy;
  return { x: [x0, x0 + span], y: [y0, y0 + span] };
}

export interface ImpedanceOptions {
  readonly title: string;
  readonly source: string;
}

export function nyquistSpec(series: readonly ImpedanceSeries[], o: ImpedanceOptions): PlotSpec {
  const reduced: { label: string; from: number; to: number }[] = [];
  const meas = series.flatMap((s) => rows(s.label, s.frequency, s.re, s.im, reduced));
  const fit = series.flatMap((s) => (s.fit ? rows(s.label, s.fit.frequency, s.fit.re, s.fit.im, reduced) : []));
  const dom = equalDomains(
    [...meas, ...fit].map((r) => r.zr),
    [...meas, ...fit].map((r) => r.nzi),
  );
  const side = 380;
  const x = { field: 'zr', type: 'quantitative', title: 'Z′ / Ω', scale: { domain: dom.x, nice: false, zero: false } };
  const y = { field: 'nzi', type: 'quantitative', title: '−Z″ / Ω', scale: { domain: dom.y, nice: false, zero: false } };
  const layer: unknown[] = [
    {
      name: 'measured',
      data: { values: meas },
      mark: { type: 'point', filled: true, size: 22, clip: true },
      encoding: { x, y, color: { field: 'series', type: 'nominal', title: 'spectrum' } },
    },
  ];
  if (fit.length) {
    layer.push({
      name: 'fit',
      data: { values: fit },
      mark: { type: 'line', strokeWidth: 1.6, clip: true },
      encoding: { x, y, order: { field: 'f', type: 'quantitative' }, color: { field: 'series', type: 'nominal' } },
    });
  }
  const spec = { $schema: SCHEMA, config: CONFIG, width: side, height: side, layer } as unknown as TopLevelSpec;
  const circuits = [...new Set(series.map((s) => s.fit?.circuit).filter((c): c is string => !!c))];
  return {
    title: o.title,
    spec,
    caption: caption(
      `${o.source}. Points: measured spectrum; ${circuits.length ? `line: fitted circuit ${circuits.join(', ')} at the measured frequencies` : 'no fitted circuit available'}. Equal axes: 1 Ω is the same length on both.`,
      downsampleNote(reduced),
    ),
  };
}

export function bodeSpec(series: readonly ImpedanceSeries[], o: ImpedanceOptions): PlotSpec {
  const reduced: { label: string; from: number; to: number }[] = [];
  const meas = series.flatMap((s) => rows(s.label, s.frequency, s.re, s.im, reduced));
  const fit = series.flatMap((s) => (s.fit ? rows(s.label, s.fit.frequency, s.fit.re, s.fit.im, reduced) : []));
  const kk = series.flatMap((s) => {
    if (!s.kk) return [];
    const out: Record<string, unknown>[] = [];
    const n = Math.min(s.kk.frequency.length, s.kk.re.length, s.kk.im.length);
    for (let i = 0; i < n; i++) {
      out.push({ series: s.label, f: s.kk.frequency[i]!, part: 'Re', residual: s.kk.re[i]! * 100 });
      out.push({ series: s.label, f: s.kk.frequency[i]!, part: 'Im', residual: s.kk.im[i]! * 100 });
    }
    return out;
  });
  const fx = { field: 'f', type: 'quantitative', title: 'Frequency / Hz', scale: { type: 'log' }, axis: { format: '~s' } };
  const color = { field: 'series', type: 'nominal', title: 'spectrum' };
  const panel = (field: string, title: string, yScale: Record<string, unknown>) => ({
    width: 420,
    height: 150,
    layer: [
      {
        name: `${field}_measured`,
        data: { values: meas },
        mark: { type: 'point', filled: true, size: 18 },
        encoding: { x: fx, y: { field, type: 'quantitative', title, scale: yScale }, color },
      },
      ...(fit.length
        ? [
            {
              name: `${field}_fit`,
              data: { values: fit },
              mark: { type: 'line', strokeWidth: 1.5 },
              encoding: { x: fx, y: { field, type: 'quantitative', title, scale: yScale }, order: { field: 'f', type: 'quantitative' }, color },
            },
          ]
        : []),
    ],
  });
  const vconcat: unknown[] = [panel('mod', '|Z| / Ω', { type: 'log' }), panel('phase', 'phase / °', { zero: false })];
  if (kk.length) {
    vconcat.push({
      width: 420,
      height: 110,
      data: { values: kk },
      layer: [
        { mark: { type: 'rule', color: '#8a94a6', strokeDash: [3, 3] }, encoding: { y: { datum: 0, type: 'quantitative' } } },
        {
          name: 'kk_residual',
          mark: { type: 'point', filled: false, size: 18 },
          encoding: {
            x: fx,
            y: { field: 'residual', type: 'quantitative', title: 'KK residual / %' },
            color,
            shape: { field: 'part', type: 'nominal', title: 'part' },
          },
        },
      ],
    });
  }
  const spec = { $schema: SCHEMA, config: CONFIG, vconcat, resolve: { scale: { color: 'shared' } } } as unknown as TopLevelSpec;
  const kkMax = series.map((s) => s.kk?.maxResidual).filter((v): v is number => typeof v === 'number' && Number.isFinite(v));
  return {
    title: o.title,
    spec,
    caption: caption(
      `${o.source}. |Z| and phase (atan2(Z″, Z′)) vs frequency; points measured, lines the fitted circuit.`,
      kk.length
        ? `Bottom: lin-KK relative residuals (Schönleber 2014) in %${kkMax.length ? `, max |residual| ${kkMax.map((v) => (v * 100).toFixed(2)).join(', ')} %` : ''}.`
        : 'No KK residuals available.',
      downsampleNote(reduced),
    ),
  };
}
