/**
 * One-file fit plots for `interphase fit --plot`: the fitted model drawn over the data it was fitted
 * to. Same look and renderer as the report plots (theme.ts, render.ts: Vega-Lite → SVG, offline).
 * Mark groups are named so a reader (or a test) can find each series in the SVG:
 *  - impedance: Nyquist (`measured`, `fit`), Bode |Z| and phase (`mod_measured`, `mod_fit`,
 *    `phase_measured`, `phase_fit`), residuals (model − data)/|Z| in % (`residual`);
 *  - XPS: counts (`measured`), background (`background`), components (`component`), envelope (`fit`);
 *  - P–E: the loop (`loop`), Pr± and Ec± (`marked`, labelled);
 *  - cycling: charge/discharge capacity (`capacity`) and CE (`ce`) vs cycle.
 */
import type { TopLevelSpec } from 'vega-lite';
import { CONFIG, SCHEMA } from './theme.js';
import { equalDomains } from './eis.js';
import { lttb, MAX_POINTS_PER_LINE } from './downsample.js';

type Row = Record<string, string | number>;
const fin = (v: number): boolean => Number.isFinite(v);

export interface ImpedanceFitPlot {
  readonly label: string;
  readonly circuit: string;
  readonly frequency: ArrayLike<number>;
  readonly re: ArrayLike<number>;
  readonly im: ArrayLike<number>;
  readonly modelRe: ArrayLike<number>;
  readonly modelIm: ArrayLike<number>;
}

/** Nyquist (equal axes) beside Bode |Z| and phase, with the fit residuals underneath; one colour per sweep. */
export function impedanceFitSpec(sweeps: readonly ImpedanceFitPlot[], title: string): TopLevelSpec {
  const meas: Row[] = [];
  const fit: Row[] = [];
  const res: Row[] = [];
  for (const s of sweeps) {
    for (let i = 0; i < s.frequency.length; i++) {
      const f = s.frequency[i]!;
      const [r, m, mr, mi] = [s.re[i]!, s.im[i]!, s.modelRe[i]!, s.modelIm[i]!];
      if (![f, r, m].every(fin)) continue;
      meas.push({ sweep: s.label, f, zr: r, nzi: -m, mod: Math.hypot(r, m), phase: (Math.atan2(m, r) * 180) / Math.PI });
      if ([mr, mi].every(fin)) {
        fit.push({ sweep: s.label, f, zr: mr, nzi: -mi, mod: Math.hypot(mr, mi), phase: (Math.atan2(mi, mr) * 180) / Math.PI });
        const mod = Math.hypot(r, m);
        res.push({ sweep: s.label, f, part: 'Z′', residual: ((mr - r) / mod) * 100 });
        res.push({ sweep: s.label, f, part: 'Z″', residual: ((mi - m) / mod) * 100 });
      }
    }
  }
  const dom = equalDomains(
    [...meas, ...fit].map((r) => r.zr as number),
    [...meas, ...fit].map((r) => r.nzi as number),
  );
  const color = { field: 'sweep', type: 'nominal', title: 'sweep' };
  const nx = { field: 'zr', type: 'quantitative', title: 'Z′ / Ω', scale: { domain: dom.x, nice: false, zero: false } };
  const ny = { field: 'nzi', type: 'quantitative', title: '−Z″ / Ω', scale: { domain: dom.y, nice: false, zero: false } };
  const fx = { field: 'f', type: 'quantitative', title: 'Frequency / Hz', scale: { type: 'log' }, axis: { format: '~s' } };
  const nyquist = {
    width: 340,
    height: 340,
    title: `Nyquist · ${sweeps[0]?.circuit ?? ''}`,
    layer: [
      { name: 'measured', data: { values: meas }, mark: { type: 'point', filled: true, size: 22, clip: true }, encoding: { x: nx, y: ny, color } },
      {
        name: 'fit',
        data: { values: fit },
        mark: { type: 'line', strokeWidth: 1.6, clip: true },
        encoding: { x: nx, y: ny, color, order: { field: 'f', type: 'quantitative' } },
      },
    ],
  };
  const panel = (field: string, yTitle: string, yScale: Record<string, unknown>, height: number) => ({
    width: 380,
    height,
    layer: [
      {
        name: `${field}_measured`,
        data: { values: meas },
        mark: { type: 'point', filled: true, size: 16 },
        encoding: { x: fx, y: { field, type: 'quantitative', title: yTitle, scale: yScale }, color },
      },
      {
        name: `${field}_fit`,
        data: { values: fit },
        mark: { type: 'line', strokeWidth: 1.4 },
        encoding: { x: fx, y: { field, type: 'quantitative', title: yTitle, scale: yScale }, color, order: { field: 'f', type: 'quantitative' } },
      },
    ],
  });
  const residuals = {
    width: 380,
    height: 110,
    layer: [
      { data: { values: [{ y: 0 }] }, mark: { type: 'rule', color: '#8a94a6', strokeDash: [3, 3] }, encoding: { y: { field: 'y', type: 'quantitative' } } },
      {
        name: 'residual',
        data: { values: res },
        mark: { type: 'point', filled: false, size: 16 },
        encoding: {
          x: fx,
          y: { field: 'residual', type: 'quantitative', title: 'residual / % of |Z|' },
          color,
          shape: { field: 'part', type: 'nominal', title: 'part' },
        },
      },
    ],
  };
  return {
    $schema: SCHEMA,
    config: CONFIG,
    title,
    hconcat: [nyquist, { vconcat: [panel('mod', '|Z| / Ω', { type: 'log' }, 130), panel('phase', 'phase / °', { zero: false }, 130), residuals] }],
    resolve: { scale: { color: 'shared' } },
  } as unknown as TopLevelSpec;
}

export interface XpsFitPlot {
  readonly label: string;
  readonly x: ArrayLike<number>;
  readonly y: ArrayLike<number>;
  readonly background: ArrayLike<number>;
  readonly model: ArrayLike<number>;
  readonly components: readonly { readonly id: string; readonly curve: ArrayLike<number> }[];
}

/** One panel per region/level: counts as points, background, each component on the background, envelope. BE axis reversed. */
export function xpsFitSpec(panels: readonly XpsFitPlot[], title: string): TopLevelSpec {
  const one = (p: XpsFitPlot) => {
    const meas: Row[] = [];
    const bg: Row[] = [];
    const env: Row[] = [];
    const comp: Row[] = [];
    for (let i = 0; i < p.x.length; i++) {
      const x = p.x[i]!;
      if (!fin(x)) continue;
      if (fin(p.y[i]!)) meas.push({ be: x, counts: p.y[i]! });
      if (fin(p.background[i]!)) bg.push({ be: x, counts: p.background[i]! });
      if (fin(p.model[i]!)) env.push({ be: x, counts: p.model[i]! });
      for (const c of p.components) if (fin(c.curve[i]!)) comp.push({ be: x, counts: c.curve[i]!, component: c.id });
    }
    const x = { field: 'be', type: 'quantitative', title: 'Binding energy / eV', scale: { reverse: true, zero: false } };
    const y = { field: 'counts', type: 'quantitative', title: 'Intensity / counts', scale: { zero: false } };
    return {
      width: 440,
      height: 260,
      title: p.label,
      layer: [
        { name: 'measured', data: { values: meas }, mark: { type: 'point', size: 10, color: '#5a6577', opacity: 0.7 }, encoding: { x, y } },
        {
          name: 'background',
          data: { values: bg },
          mark: { type: 'line', strokeDash: [4, 3], color: '#8a94a6' },
          encoding: { x, y, order: { field: 'be', type: 'quantitative' } },
        },
        {
          name: 'component',
          data: { values: comp },
          mark: { type: 'line', strokeWidth: 1.3 },
          encoding: { x, y, color: { field: 'component', type: 'nominal', title: 'component' }, order: { field: 'be', type: 'quantitative' } },
        },
        {
          name: 'fit',
          data: { values: env },
          mark: { type: 'line', strokeWidth: 1.8, color: '#000000' },
          encoding: { x, y, order: { field: 'be', type: 'quantitative' } },
        },
      ],
    };
  };
  return { $schema: SCHEMA, config: CONFIG, title, vconcat: panels.map(one), resolve: { scale: { color: 'independent' } } } as unknown as TopLevelSpec;
}

export interface PeFitPlot {
  readonly label: string;
  readonly x: ArrayLike<number>;
  readonly p: ArrayLike<number>;
  readonly xTitle: string;
  /** Pr+ / Pr− (at x = 0) and Ec+ / Ec− (at P = 0). */
  readonly marks: readonly { readonly label: string; readonly x: number; readonly p: number }[];
}

/** The loop in acquisition order with Pr± and Ec± marked and labelled. */
export function peFitSpec(loops: readonly PeFitPlot[], title: string): TopLevelSpec {
  const values: Row[] = [];
  const marks: Row[] = [];
  for (const l of loops) {
    const d = lttb(l.x, l.p, MAX_POINTS_PER_LINE);
    d.index.forEach((i, k) => {
      if (fin(l.x[i]!) && fin(l.p[i]!)) values.push({ loop: l.label, x: l.x[i]!, p: l.p[i]!, k });
    });
    for (const m of l.marks) if (fin(m.x) && fin(m.p)) marks.push({ loop: l.label, x: m.x, p: m.p, what: m.label });
  }
  const xt = loops[0]?.xTitle ?? 'Electric field / kV cm⁻¹';
  const x = { field: 'x', type: 'quantitative', title: xt };
  const y = { field: 'p', type: 'quantitative', title: 'Polarization / µC cm⁻²' };
  return {
    $schema: SCHEMA,
    config: CONFIG,
    title,
    width: 440,
    height: 320,
    layer: [
      { data: { values: [{ z: 0 }] }, mark: { type: 'rule', color: '#c5ccd6' }, encoding: { x: { field: 'z', type: 'quantitative' } } },
      { data: { values: [{ z: 0 }] }, mark: { type: 'rule', color: '#c5ccd6' }, encoding: { y: { field: 'z', type: 'quantitative' } } },
      {
        name: 'loop',
        data: { values },
        mark: { type: 'line', strokeWidth: 1.6 },
        encoding: { x, y, color: { field: 'loop', type: 'nominal', title: 'loop' }, order: { field: 'k', type: 'quantitative' } },
      },
      { name: 'marked', data: { values: marks }, mark: { type: 'point', filled: true, size: 70, color: '#D55E00', shape: 'diamond' }, encoding: { x, y } },
      {
        name: 'marked_label',
        data: { values: marks },
        mark: { type: 'text', dx: 8, dy: -8, align: 'left', fontSize: 11 },
        encoding: { x, y, text: { field: 'what', type: 'nominal' } },
      },
    ],
  } as unknown as TopLevelSpec;
}

export interface CycleFitPlot {
  readonly cycle: ArrayLike<number>;
  readonly charge: ArrayLike<number>;
  readonly discharge: ArrayLike<number>;
  readonly ce: ArrayLike<number>;
  readonly capacityTitle: string;
  /** Cycles the CE mean was taken over (shaded), when given. */
  readonly ceWindow?: readonly [number, number];
  readonly ceMean?: number;
}

/** Capacity (charge and discharge) and CE vs cycle, one above the other on a shared cycle axis. */
export function cycleFitSpec(p: CycleFitPlot, title: string): TopLevelSpec {
  const cap: Row[] = [];
  const ce: Row[] = [];
  for (let i = 0; i < p.cycle.length; i++) {
    const c = p.cycle[i]!;
    if (!fin(c)) continue;
    if (fin(p.charge[i]!)) cap.push({ cycle: c, capacity: p.charge[i]!, half: 'charge' });
    if (fin(p.discharge[i]!)) cap.push({ cycle: c, capacity: p.discharge[i]!, half: 'discharge' });
    if (fin(p.ce[i]!)) ce.push({ cycle: c, ce: p.ce[i]! });
  }
  const x = { field: 'cycle', type: 'quantitative', title: 'Cycle' };
  const ceLayer: unknown[] = [];
  if (p.ceWindow)
    ceLayer.push({
      data: { values: [{ a: p.ceWindow[0], b: p.ceWindow[1] }] },
      mark: { type: 'rect', color: '#eef1f5' },
      encoding: { x: { field: 'a', type: 'quantitative' }, x2: { field: 'b' } },
    });
  ceLayer.push({
    name: 'ce',
    data: { values: ce },
    mark: { type: 'line', point: { filled: true, size: 18 }, strokeWidth: 1.2 },
    encoding: { x, y: { field: 'ce', type: 'quantitative', title: 'Coulombic efficiency', scale: { zero: false } } },
  });
  if (p.ceMean !== undefined && fin(p.ceMean))
    ceLayer.push({
      name: 'ce_mean',
      data: { values: [{ y: p.ceMean }] },
      mark: { type: 'rule', color: '#D55E00', strokeDash: [5, 3] },
      encoding: { y: { field: 'y', type: 'quantitative' } },
    });
  return {
    $schema: SCHEMA,
    config: CONFIG,
    title,
    vconcat: [
      {
        width: 460,
        height: 200,
        layer: [
          {
            name: 'capacity',
            data: { values: cap },
            mark: { type: 'line', point: { filled: true, size: 18 }, strokeWidth: 1.2 },
            encoding: {
              x,
              y: { field: 'capacity', type: 'quantitative', title: p.capacityTitle },
              color: { field: 'half', type: 'nominal', title: 'half cycle' },
            },
          },
        ],
      },
      { width: 460, height: 180, layer: ceLayer },
    ],
  } as unknown as TopLevelSpec;
}
