/**
 * Which plots a campaign gets: read what exists in the store, build a spec for each plot whose data
 * is there, render them to inline SVG. Plots whose data is missing are skipped; nothing is invented,
 * and nothing here throws for missing or odd data (a section that fails is skipped and logged).
 *
 * Sources:
 *  - cycling (capacity, CE, KM): fit tables `cycles` (cycle fitter) and the report's `cycle_life_80`
 *  - impedance (Nyquist, Bode, KK, R_SEI/α trends): `eis` records, `eis-li-metal` parameters
 *  - XPS: fit tables `depth_profile` of an `xps*` fitter (see docs/reports.md for the shape)
 *  - ToF-SIMS maps: `sims-image` records with their `sims` fit (bin, metric, heterogeneity_index)
 *  - P–E loops: `pe-loop` records
 *  - model replay: fit tables `replay` (any fitter)
 */
import type { CampaignStore } from '../../store/store.js';
import type { CampaignReport } from '../types.js';
import type { Column } from '../../records/record.js';
import { EIS, PE, CYCLER } from '../../records/names.js';
import { PARAMETERS } from '../../records/parameters.js';
import { parseCircuit } from '../../fit/eis/circuit.js';
import { simulate } from '../../fit/eis/evaluate.js';
import { checkSpectrum } from '../../fit/eis/spectrum.js';
import { linKK } from '../../fit/eis/kk.js';
import { LI_METAL_CIRCUIT, LI_METAL_MAPPING } from '../../fit/eis/li-metal.js';
import { KK_RESIDUAL_IM, KK_RESIDUAL_RE, KK_TABLE } from '../../fit/eis/eis-fitter.js';
import { matchMarkers, type MarkerMatch } from '../../fit/sims/markers.js';
import { bin, ratioMap, type RatioMetric } from '../../fit/sims/image.js';
import { renderFigure, type PlotSpec } from './figure.js';
import { groupLookup, pick, readFitTables, readFits, readParameters, readRecords, type StoredTable } from './data.js';
import { cycleBandSpec, partialCycles, type CycleSeries } from './cycling.js';
import { kaplanMeier, kmSpec } from './km.js';
import { bodeSpec, nyquistSpec, type ImpedanceSeries } from './eis.js';
import { seiTrendSpec, type SeiPoint } from './sei-trends.js';
import { inorganicDepthSpec, xpsDepthSpec, type InorganicSeries, type XpsDepthRow } from './xps.js';
import { simsMapSpec } from './sims.js';
import { peLoopSpec, type PeLoop } from './pe.js';
import { replaySpec } from './replay.js';
import { renderSvg } from './render.js';
import { FIGURE_KIND, figureKey, type CachedFigure } from './figure-cache.js';
import { work } from '../../records/work.js';
import { CONFIG, SCHEMA } from './theme.js';
import { MAX_POINTS_PER_LINE, stride } from './downsample.js';
import { pageSpec, type ReportFigure } from '../interactive.js';
import type { ReportFigures } from '../write.js';
import type { TopLevelSpec } from 'vega-lite';

export interface CollectOptions {
  /** Called with a message for each section skipped because it failed (not for absent data). */
  readonly log?: (message: string) => void;
  /** Most spectra overlaid in one cell's impedance plots. @default 8 */
  readonly maxSpectraPerCell?: number;
  /** Most cells drawn in each per-cell figure family (Nyquist/Bode, SIMS maps, P–E loops). @default 12 */
  readonly maxCellFigures?: number;
  /**
   * Keep derived results in the store's `derived` table and reuse them (issue #18): each spectrum's KK
   * residuals under its record and the KK options, each figure's compiled spec and SVG under the hash
   * of its spec. Off by default (a caller that only reads the store writes nothing).
   */
  readonly cache?: boolean;
}

/**
 * The cells that get per-cell figures: all of them up to `max`, else `max` chosen round-robin over the
 * groups in manifest order (so every arm is shown). A 96-cell campaign would otherwise render ~300
 * figures into a 20 MB page; every cell's numbers stay in the tables.
 */
export function cellsToDraw(report: CampaignReport, withData: readonly string[], max: number): { cells: Set<string>; note: string } {
  const present = new Set(withData);
  if (present.size <= max) return { cells: present, note: '' };
  const groups = new Map<string, string[]>();
  for (const c of report.cells) if (present.has(c.id)) groups.set(c.group, [...(groups.get(c.group) ?? []), c.id]);
  const rest = [...present].filter((id) => !report.cells.some((c) => c.id === id));
  if (rest.length) groups.set('', rest);
  const queues = [...groups.values()];
  const out = new Set<string>();
  for (let i = 0; out.size < max; i++) {
    let added = false;
    for (const q of queues)
      if (q[i] !== undefined && out.size < max) {
        out.add(q[i]!);
        added = true;
      }
    if (!added) break;
  }
  return {
    cells: out,
    note: ` Per-cell figures are drawn for ${out.size} of ${present.size} cells (round-robin over groups); every cell's values are in the parameter tables.`,
  };
}

function noteFirst(specs: PlotSpec[], note: string): PlotSpec[] {
  return note && specs.length ? [{ ...specs[0]!, caption: specs[0]!.caption + note }, ...specs.slice(1)] : specs;
}

type Section = (report: CampaignReport, store: CampaignStore, o: CollectOptions) => Promise<PlotSpec[]>;

const SECTIONS: readonly (readonly [string, Section])[] = [
  ['cycling', cyclingFigures],
  ['cycle life', cycleLifeFigures],
  ['SEI trends', seiTrendFigures],
  ['XPS', xpsFigures],
  ['ToF-SIMS maps', simsFigures],
  ['P–E loops', peFigures],
  ['impedance', impedanceFigures],
  ['model replay', replayFigures],
];

/** Build every plot whose data exists (specs only; no rendering). Never throws. */
export async function collectFigures(report: CampaignReport, store: CampaignStore, o: CollectOptions = {}): Promise<PlotSpec[]> {
  const out: PlotSpec[] = [];
  for (const [name, section] of SECTIONS) {
    try {
      out.push(...(await section(report, store, o)));
    } catch (e) {
      o.log?.(`plots: ${name} skipped: ${(e as Error)?.message ?? String(e)}`);
    }
  }
  return out;
}

/** title → inline SVG (with its `<figcaption>`) for every plot whose data exists. Never throws. */
export async function collectPlots(report: CampaignReport, store: CampaignStore, o: CollectOptions = {}): Promise<Record<string, string>> {
  const plots: Record<string, string> = {};
  let figures: PlotSpec[] = [];
  try {
    figures = await collectFigures(report, store, o);
  } catch (e) {
    o.log?.(`plots: none drawn: ${(e as Error)?.message ?? String(e)}`);
  }
  for (const f of figures) {
    try {
      const svg = await renderFigure(f);
      let title = f.title;
      for (let k = 2; title in plots; k++) title = `${f.title} (${k})`;
      plots[title] = svg;
    } catch (e) {
      o.log?.(`plots: '${f.title}' not rendered: ${(e as Error)?.message ?? String(e)}`);
    }
  }
  return plots;
}

/**
 * The report's figures (issue #21): campaign-level figures for report.html, each rendered to static SVG
 * too (print, no script), and every cell's figures for cells/<id>.html (no cap: each cell has its page;
 * these are drawn in the page only, so a 96-cell campaign does not render hundreds of SVGs). Every figure
 * carries the interactive spec (tooltips, legend toggles, zoom). Never throws.
 */
export async function collectReportFigures(report: CampaignReport, store: CampaignStore, o: CollectOptions = {}): Promise<ReportFigures> {
  let figures: PlotSpec[] = [];
  try {
    figures = await collectFigures(report, store, { ...o, maxCellFigures: Number.POSITIVE_INFINITY });
  } catch (e) {
    o.log?.(`plots: none drawn: ${(e as Error)?.message ?? String(e)}`);
  }
  try {
    figures.unshift(...(await cellCyclingFigures(report, store))); // a cell page opens with its cycling
  } catch (e) {
    o.log?.(`plots: per-cell cycling skipped: ${(e as Error)?.message ?? String(e)}`);
  }
  const campaign: ReportFigure[] = [];
  const cells = new Map<string, ReportFigure[]>();
  const unique = (list: readonly ReportFigure[], t: string): string => {
    let title = t;
    for (let k = 2; list.some((f) => f.title === title); k++) title = `${t} (${k})`;
    return title;
  };
  // Figures whose spec is unchanged since a report was last built: their compiled spec and SVG from the store.
  const keys = o.cache ? figures.map((f) => figureKey(f.spec, !f.cell)) : [];
  const cached = o.cache ? await cachedFigures(store, keys, o.log) : new Map<string, CachedFigure>();
  const fresh: { recordId: null; kind: string; key: string; value: CachedFigure }[] = [];
  for (const [i, f] of figures.entries()) {
    try {
      let hit = o.cache ? cached.get(keys[i]!) : undefined;
      if (!hit) {
        hit = { spec: await pageSpec(f.spec), ...(f.cell ? {} : { svg: await renderSvg(f.spec) }) };
        work.figuresCompiled++;
        if (o.cache) {
          cached.set(keys[i]!, hit); // the same figure twice: compiled once
          fresh.push({ recordId: null, kind: FIGURE_KIND, key: keys[i]!, value: hit });
        }
      }
      const spec = hit.spec as ReportFigure['spec'];
      if (f.cell) {
        const list = cells.get(f.cell) ?? [];
        cells.set(f.cell, list);
        list.push({ title: unique(list, f.title), cell: f.cell, spec, caption: f.caption });
      } else {
        campaign.push({ title: unique(campaign, f.title), cell: null, spec, caption: f.caption, svg: hit.svg ?? '' });
      }
    } catch (e) {
      o.log?.(`plots: '${f.title}' not rendered: ${(e as Error)?.message ?? String(e)}`);
    }
  }
  if (o.cache) {
    try {
      await store.putDerived(fresh);
      await store.pruneDerived(FIGURE_KIND, new Set(keys));
    } catch (e) {
      o.log?.(`plots: figures not cached: ${(e as Error)?.message ?? String(e)}`);
    }
  }
  return { campaign, cells };
}

async function cachedFigures(store: CampaignStore, keys: readonly string[], log?: (m: string) => void): Promise<Map<string, CachedFigure>> {
  try {
    return new Map((await store.derivedEntries<CachedFigure>(FIGURE_KIND, [...new Set(keys)])).map((e) => [e.key, e.value]));
  } catch (e) {
    log?.(`plots: figure cache not read: ${(e as Error)?.message ?? String(e)}`);
    return new Map();
  }
}

/** One cell's capacity and CE vs cycle, one line per cycler record (its page only). */
async function cellCyclingFigures(report: CampaignReport, store: CampaignStore): Promise<PlotSpec[]> {
  const tables = (await readFitTables(store, 'cycles')).filter((t) => t.cellId !== null);
  const byCell = new Map<string, StoredTable[]>();
  for (const t of tables) byCell.set(t.cellId!, [...(byCell.get(t.cellId!) ?? []), t]);
  const liCu = report.cells.length > 0 && report.cells.every((c) => c.cellType === 'Li||Cu');
  const out: PlotSpec[] = [];
  for (const [cell, list] of byCell) {
    const plot = (names: readonly string[], what: string, unitOf: (u: string) => { unit: string; k: number }): void => {
      const values: Record<string, unknown>[] = [];
      let title = '';
      const reduced: string[] = [];
      for (const t of list) {
        const cyc = pick(t.columns, CYCLE_NAMES);
        const v = pick(t.columns, names);
        if (!cyc || !v) continue;
        const u = unitOf(v.unit);
        title ||= `${v.name} / ${u.unit}`;
        const file = t.path.split('/').pop() ?? t.path;
        const n = Math.min(cyc.values.length, v.values.length);
        const idx = stride(n, MAX_POINTS_PER_LINE);
        if (idx.length < n) reduced.push(`${file}: ${idx.length} of ${n} cycles`);
        for (const i of idx) {
          const y = v.values[i]!;
          if (Number.isFinite(y)) values.push({ cell, file, cycle: cyc.values[i]!, value: y * u.k });
        }
      }
      if (!values.length) return;
      const spec = {
        $schema: SCHEMA,
        config: CONFIG,
        width: 520,
        height: 220,
        data: { values },
        mark: { type: 'line', strokeWidth: 1.5, point: values.length <= 600 ? { filled: true, size: 16 } : false },
        encoding: {
          x: { field: 'cycle', type: 'quantitative', title: 'Cycle', scale: { zero: false, nice: false }, axis: { tickMinStep: 1, format: 'd' } },
          y: { field: 'value', type: 'quantitative', title, scale: { zero: false }, axis: { format: '.6~g' } },
          color: { field: 'file', type: 'nominal', title: 'file' },
        },
      } as unknown as TopLevelSpec;
      out.push({
        title: `${what} vs cycle — ${cell}`,
        cell,
        spec,
        caption: `Per-cycle table of the cycle fitter for each cycler record of ${cell} (${list.length}).${reduced.length ? ` Downsampled for display (stride): ${reduced.join('; ')}.` : ''}`,
      });
    };
    const cap = (u: string) => (u === 'Ah' ? { unit: 'mAh', k: 1000 } : { unit: u, k: 1 });
    if (liCu) plot(CHARGE_NAMES, 'Stripped capacity', cap);
    else plot(DISCHARGE_NAMES, 'Discharge capacity', cap);
    plot(CE_NAMES, 'Coulombic efficiency', (u) => (u === '1' ? { unit: '%', k: 100 } : { unit: u, k: 1 }));
  }
  return out;
}

// ── cycling ────────────────────────────────────────────────────────────────────────────────────

const CYCLE_NAMES = [CYCLER.cycle.name, 'Cycle', 'Cycle Index', 'Cycle Number'];
const DISCHARGE_NAMES = [CYCLER.dischargeCapacity.name, 'Discharge Capacity'];
const CHARGE_NAMES = [CYCLER.chargeCapacity.name, 'Charge Capacity'];
const CE_NAMES = ['Coulombic Efficiency', 'CE'];

function cellLabel(t: { cellId: string | null; path: string }): string {
  return t.cellId ?? t.path;
}

async function cyclingFigures(report: CampaignReport, store: CampaignStore): Promise<PlotSpec[]> {
  const tables = await readFitTables(store, 'cycles');
  if (!tables.length) return [];
  const group = groupLookup(report);
  const out: PlotSpec[] = [];
  const seriesOf = (names: readonly string[]): { series: CycleSeries[]; col: Column | undefined } => {
    const series: CycleSeries[] = [];
    let col: Column | undefined;
    for (const t of tables) {
      const cyc = pick(t.columns, CYCLE_NAMES);
      const v = pick(t.columns, names);
      if (!cyc || !v) continue;
      col ??= v;
      // A partial last cycle (log cut mid-cycle) is left out of the group statistics, and said so (issue #18).
      const exclude = partialCycles(t.columns, cyc.values);
      series.push({ cell: cellLabel(t), group: group(t.cellId), cycle: cyc.values, value: v.values, ...(exclude.length ? { exclude } : {}) });
    }
    return { series, col };
  };
  const src = `Per-cycle tables of the cycle fitter (${tables.length} cycler records)`;
  // Li||Cu: the capacity that tells the story is the Li stripped back (positive current = charge).
  const liCu = report.cells.length > 0 && report.cells.every((c) => c.cellType === 'Li||Cu');
  const order = liCu
    ? ([
        [CHARGE_NAMES, 'Stripped capacity'],
        [DISCHARGE_NAMES, 'Plated capacity'],
      ] as const)
    : ([
        [DISCHARGE_NAMES, 'Discharge capacity'],
        [CHARGE_NAMES, 'Charge capacity'],
      ] as const);
  for (const [names, what] of order) {
    const { series, col } = seriesOf(names);
    if (!series.length || !col || !hasFinite(series)) continue;
    const mAh = col.unit === 'Ah';
    out.push(
      cycleBandSpec(series, {
        title: `${what} vs cycle`,
        yTitle: `${col.name} / ${mAh ? 'mAh' : col.unit}`,
        scale: mAh ? 1000 : 1,
        source: `${src}, column '${col.name}'`,
      }),
    );
    break; // one capacity plot: discharge when present, else charge
  }
  const ce = seriesOf(CE_NAMES);
  if (ce.series.length && ce.col && hasFinite(ce.series)) {
    const pct = ce.col.unit === '1';
    out.push(
      cycleBandSpec(ce.series, {
        title: 'Coulombic efficiency vs cycle',
        yTitle: `Coulombic efficiency / ${pct ? '%' : ce.col.unit}`,
        scale: pct ? 100 : 1,
        source: `${src}, column '${ce.col.name}' (complete cycles only)`,
      }),
    );
  }
  return out;
}

function hasFinite(series: readonly CycleSeries[]): boolean {
  return series.some((s) => Array.prototype.some.call(s.value, (v: number) => Number.isFinite(v)));
}

async function cycleLifeFigures(report: CampaignReport): Promise<PlotSpec[]> {
  const life = report.parameters.filter((p) => p.name === PARAMETERS.cycleLife80.name && p.value !== null && Number.isFinite(p.value));
  if (!life.length) return [];
  const km = kaplanMeier(life.map((p) => ({ group: p.group || 'no group', time: p.value!, event: p.censored !== true })));
  return [
    kmSpec(km, {
      title: 'Cycle life (Kaplan–Meier)',
      timeTitle: 'Cycles to 80 % capacity',
      source: `Report parameter '${PARAMETERS.cycleLife80.name}' of ${life.length} cells (censored where the test ended first)`,
    }),
  ];
}

// ── impedance ──────────────────────────────────────────────────────────────────────────────────

const EIS_FITTER = 'eis-li-metal';

function numMeta(meta: Record<string, unknown>, keys: readonly string[]): number | null {
  for (const k of keys) {
    const v = meta[k];
    const x = typeof v === 'number' ? v : typeof v === 'string' && v.trim() !== '' ? Number(v) : NaN;
    if (Number.isFinite(x)) return x;
  }
  return null;
}

const CYCLE_META_KEYS = ['cycle', 'Cycle', 'cycleNumber', 'cycle_number', 'Cycle Count', 'cycleIndex'];

async function seiTrendFigures(report: CampaignReport, store: CampaignStore): Promise<PlotSpec[]> {
  const params = await readParameters(store, [PARAMETERS.rSei.name, PARAMETERS.rSeiAreal.name, PARAMETERS.cpeSeiAlpha.name]);
  const recs = params.filter((p) => p.scope === null);
  if (!recs.length) return [];
  const group = groupLookup(report);
  const rest = new Map(report.cells.map((c) => [c.id, c.restHours ?? null]));
  const meta = new Map((await readRecords(store, 'eis')).map((r) => [r.recordId, r.meta]));
  const ids = [...new Set(recs.map((p) => p.recordId))];
  const areal = ids.every((id) => recs.some((p) => p.recordId === id && p.name === PARAMETERS.rSeiAreal.name));
  const rName = areal ? PARAMETERS.rSeiAreal.name : PARAMETERS.rSei.name;
  const restOf = (cell: string | null): number | null => (cell === null ? null : (rest.get(cell) ?? null));
  const points: SeiPoint[] = ids.map((id) => {
    const of = (n: string) => recs.find((p) => p.recordId === id && p.name === n);
    const r = of(rName);
    const a = of(PARAMETERS.cpeSeiAlpha.name);
    const cell = r?.cellId ?? a?.cellId ?? null;
    const m = meta.get(id) ?? {};
    return {
      cell: cell ?? id,
      group: group(cell),
      restHours: restOf(cell) ?? numMeta(m, ['restHours', 'rest_hours']),
      cycle: numMeta(m, CYCLE_META_KEYS),
      rSei: r?.value ?? null,
      rSeiStderr: r?.stderr ?? null,
      alpha: a?.value ?? null,
      alphaStderr: a?.stderr ?? null,
      fitOk: (r?.fitOk ?? true) && (a?.fitOk ?? true),
    };
  });
  const out: PlotSpec[] = [];
  const unit = areal ? PARAMETERS.rSeiAreal.unit : PARAMETERS.rSei.unit;
  const src = `Per-spectrum parameters '${rName}' and '${PARAMETERS.cpeSeiAlpha.name}' of the impedance fitter`;
  if (points.some((p) => p.restHours !== null))
    out.push(seiTrendSpec(points, { title: 'R_SEI and CPE α vs rest time', x: 'restHours', rUnit: unit, source: src }));
  if (points.some((p) => p.cycle !== null)) out.push(seiTrendSpec(points, { title: 'R_SEI and CPE α vs cycle', x: 'cycle', rUnit: unit, source: src }));
  return out;
}

/** `derived.kind` of a spectrum's KK residuals; the key is the KK options (and this layout's version). */
const KK_KIND = 'kk';
const KK_CACHE_VERSION = 'kk1';
interface CachedKk {
  readonly residualsRe: readonly number[];
  readonly residualsIm: readonly number[];
  readonly maxResidual: number;
}

/** KK residuals from the EIS fitter's `kk` table, when it holds one value per point of the spectrum. */
function kkOfFit(cols: readonly Column[] | undefined, n: number): CachedKk | undefined {
  const re = cols?.find((c) => c.name === KK_RESIDUAL_RE)?.values;
  const im = cols?.find((c) => c.name === KK_RESIDUAL_IM)?.values;
  if (!re || !im || re.length !== n || im.length !== n) return undefined;
  let max = 0; // as linKK: max |residual| over both parts
  for (let i = 0; i < n; i++) max = Math.max(max, Math.abs(re[i]!), Math.abs(im[i]!));
  return { residualsRe: Array.from(re), residualsIm: Array.from(im), maxResidual: max };
}

async function impedanceFigures(report: CampaignReport, store: CampaignStore, o: CollectOptions): Promise<PlotSpec[]> {
  const recs = await readRecords(store, 'eis');
  if (!recs.length) return [];
  const max = o.maxSpectraPerCell ?? 8;
  const names = Object.values(LI_METAL_MAPPING).map((m) => m.name);
  const params = (await readParameters(store, names)).filter((p) => p.fitter === EIS_FITTER && p.scope === null);
  const fits = new Map((await readFits(store, EIS_FITTER)).map((f) => [f.recordId, f]));
  const circuit = parseCircuit(LI_METAL_CIRCUIT);
  // Each spectrum's KK residuals, cached under its record (its bytes) and the KK options of its fit.
  const kkCache = new Map<string, CachedKk>();
  if (o.cache) for (const e of await store.derivedEntries<CachedKk>(KK_KIND)) kkCache.set(`${e.recordId}\u0000${e.key}`, e.value);
  const kkFresh: { recordId: string; kind: string; key: string; value: CachedKk }[] = [];
  // The fitter's own lin-KK residuals (fit table `kk`, same test on the same spectrum): not run again.
  const kkTables = new Map((await readFitTables(store, KK_TABLE, EIS_FITTER)).map((t) => [t.recordId, t.columns]));
  const byCell = new Map<string, typeof recs>();
  for (const r of recs) {
    const k = r.cellId ?? r.path;
    byCell.set(k, [...(byCell.get(k) ?? []), r]);
  }
  const out: PlotSpec[] = [];
  const drawn = cellsToDraw(report, [...byCell.keys()], o.maxCellFigures ?? 12);
  for (const [cell, all] of byCell) {
    if (!drawn.cells.has(cell)) continue;
    const chosen = all.length <= max ? all : Array.from({ length: max }, (_, k) => all[Math.round((k * (all.length - 1)) / (max - 1))]!);
    const series: ImpedanceSeries[] = [];
    for (const [k, r] of chosen.entries()) {
      const cols = await store.recordColumns(r.recordId);
      const f = pick(cols, [EIS.frequency.name]);
      const re = pick(cols, [EIS.zReal.name]);
      const im = pick(cols, [EIS.zImag.name]);
      if (!f || !re || !im) continue;
      const label =
        chosen.length > 1
          ? `${k + 1}: ${r.path.split('/').pop()}${all.filter((x) => x.path === r.path).length > 1 ? ` #${r.recordId.split(':')[1]}` : ''}`
          : (r.path.split('/').pop() ?? r.path);
      let fit: ImpedanceSeries['fit'] = null;
      let kk: ImpedanceSeries['kk'] = null;
      const fitRow = fits.get(r.recordId);
      if (fitRow) {
        try {
          const spectrum = checkSpectrum(f.values, re.values, im.values);
          const values = circuit.parameters.map(
            (p) => params.find((q) => q.recordId === r.recordId && q.name === LI_METAL_MAPPING[p.name]?.name)?.value ?? NaN,
          );
          if (values.every(Number.isFinite)) {
            const z = simulate(circuit, values, spectrum.frequency);
            fit = { frequency: spectrum.frequency, re: z.re, im: z.im, circuit: LI_METAL_CIRCUIT };
          }
          const opt = fitRow.options;
          const kkOptions = { threshold: typeof opt.kkThreshold === 'number' ? opt.kkThreshold : 0.01, c: typeof opt.kkC === 'number' ? opt.kkC : 0.85 };
          const key = `${KK_CACHE_VERSION}:${kkOptions.threshold}:${kkOptions.c}`;
          let res = kkCache.get(`${r.recordId}\u0000${key}`) ?? kkOfFit(kkTables.get(r.recordId), spectrum.frequency.length);
          if (!res) {
            const full = linKK(spectrum, kkOptions);
            work.kkComputed++;
            res = { residualsRe: Array.from(full.residualsRe), residualsIm: Array.from(full.residualsIm), maxResidual: full.maxResidual };
            if (o.cache) kkFresh.push({ recordId: r.recordId, kind: KK_KIND, key, value: res });
          }
          kk = { frequency: spectrum.frequency, re: Float64Array.from(res.residualsRe), im: Float64Array.from(res.residualsIm), maxResidual: res.maxResidual };
        } catch {
          /* the fitter skipped this spectrum too: plot the points only */
        }
      }
      series.push({ label, frequency: f.values, re: re.values, im: im.values, fit, kk });
    }
    if (!series.length) continue;
    const shown = chosen.length < all.length ? ` Showing ${chosen.length} of ${all.length} spectra, evenly spaced in file order.` : '';
    const group = groupLookup(report)(all[0]!.cellId);
    const src = `Impedance records of cell ${cell}${group !== 'no cell' && group !== 'no group' ? ` (${group})` : ''}; fit = stored '${EIS_FITTER}' parameters.${shown}`;
    const tag = all[0]!.cellId ? { cell: all[0]!.cellId } : {};
    out.push({ ...nyquistSpec(series, { title: `Nyquist — ${cell}`, source: src }), ...tag });
    out.push({ ...bodeSpec(series, { title: `Bode and KK residuals — ${cell}`, source: src }), ...tag });
  }
  if (kkFresh.length) await store.putDerived(kkFresh);
  return noteFirst(out, drawn.note);
}

// ── XPS ────────────────────────────────────────────────────────────────────────────────────────

const DEPTH_NAMES = ['Sputter Time', 'Etch Time', 'Etch Level', 'Depth'];
const INORGANIC_NAMES = ['Inorganic Fraction', 'SEI Inorganic Fraction'];

function isShareUnit(u: string): boolean {
  return u === '%' || u === 'at%' || u === 'at.%' || u === '1';
}

async function xpsFigures(report: CampaignReport, store: CampaignStore): Promise<PlotSpec[]> {
  const tables = await readFitTables(store, 'depth_profile', 'xps%');
  if (!tables.length) return [];
  const group = groupLookup(report);
  const out: PlotSpec[] = [];
  const inorganic: InorganicSeries[] = [];
  let depthTitle = '';
  for (const t of tables) {
    const depth = pick(t.columns, DEPTH_NAMES);
    if (!depth) continue;
    depthTitle ||= depth.unit && depth.unit !== '1' ? `${depth.name} / ${depth.unit}` : depth.name;
    const inorg = pick(t.columns, INORGANIC_NAMES);
    if (inorg)
      inorganic.push({
        cell: cellLabel(t),
        group: group(t.cellId),
        depth: depth.values,
        fraction: inorg.unit === '%' ? Float64Array.from(inorg.values, (v) => v / 100) : inorg.values,
      });
    const species = t.columns.filter((c) => c !== depth && c !== inorg && isShareUnit(c.unit) && !/(stderr|error|\bse\b|fraction)/i.test(c.name));
    const rows: XpsDepthRow[] = [];
    for (const s of species) {
      const k = s.unit === '1' ? 100 : 1;
      for (let i = 0; i < Math.min(depth.values.length, s.values.length); i++)
        rows.push({ depth: depth.values[i]!, species: s.name, percent: s.values[i]! * k });
    }
    if (rows.some((r) => Number.isFinite(r.percent))) {
      out.push({
        ...xpsDepthSpec(
          { cell: cellLabel(t), group: group(t.cellId), depthTitle: depth.unit && depth.unit !== '1' ? `${depth.name} / ${depth.unit}` : depth.name, rows },
          { title: `XPS depth profile — ${cellLabel(t)}`, source: `XPS fitter '${t.fitter}', table 'depth_profile' of ${t.path}` },
        ),
        ...(t.cellId ? { cell: t.cellId } : {}),
      });
    }
  }
  if (inorganic.length)
    out.unshift(
      inorganicDepthSpec(inorganic, {
        title: 'SEI inorganic fraction vs depth',
        depthTitle,
        source: `XPS fitter tables 'depth_profile' (${inorganic.length} profiles)`,
      }),
    );
  return out;
}

// ── ToF-SIMS ───────────────────────────────────────────────────────────────────────────────────

function ionRefs(meta: Record<string, unknown>, cols: readonly Column[]): { column: string; label?: string; mass?: number | null }[] {
  const ions = meta.ions;
  if (Array.isArray(ions) && ions.length && typeof ions[0] === 'object') {
    return (ions as { column: string; label: string; mass: number | null; kind?: string }[])
      .filter((i) => i.kind === undefined || i.kind === 'ion')
      .map((i) => ({ column: i.column, label: i.label, mass: i.mass }));
  }
  const masses = Array.isArray(meta.masses) ? (meta.masses as (number | null)[]) : [];
  if (Array.isArray(ions)) return (ions as string[]).map((c, k) => ({ column: c, label: c, mass: masses[k] ?? null }));
  return cols.filter((c) => c.unit === 'counts').map((c) => ({ column: c.name, label: c.name }));
}

function classCols(matches: readonly MarkerMatch[], cls: string): string[] {
  return matches.filter((m) => m.marker.class === cls).flatMap((m) => m.columns);
}

function sumCols(cols: readonly Column[], names: readonly string[], n: number): Float64Array {
  const out = new Float64Array(n);
  for (const name of names) {
    const c = cols.find((x) => x.name === name);
    if (!c) continue;
    for (let i = 0; i < Math.min(n, c.values.length); i++) if (Number.isFinite(c.values[i]!)) out[i]! += c.values[i]!;
  }
  return out;
}

async function simsFigures(report: CampaignReport, store: CampaignStore, o: CollectOptions): Promise<PlotSpec[]> {
  const all = await readRecords(store, 'sims-image');
  if (!all.length) return [];
  const shown = cellsToDraw(report, [...new Set(all.map((r) => r.cellId ?? r.path))], o.maxCellFigures ?? 12);
  const recs = all.filter((r) => shown.cells.has(r.cellId ?? r.path));
  const fits = new Map((await readFits(store, 'sims')).map((f) => [f.recordId, f]));
  const H = (await readParameters(store, [PARAMETERS.heterogeneity.name])).filter((p) => p.fitter === 'sims');
  const out: PlotSpec[] = [];
  for (const r of recs) {
    const fit = fits.get(r.recordId);
    if (!fit) continue;
    const W = Number(r.meta.width);
    const Hh = Number(r.meta.height);
    const S = Number(r.meta.slices ?? 1);
    if (!(W > 0 && Hh > 0 && S > 0)) continue;
    const cols = await store.recordColumns(r.recordId);
    const matches = matchMarkers(ionRefs(r.meta, cols));
    const inorg = classCols(matches, 'inorganic');
    const org = classCols(matches, 'organic');
    if (!inorg.length || !org.length) continue;
    const plane = W * Hh;
    const I3 = sumCols(cols, inorg, plane * S);
    const O3 = sumCols(cols, org, plane * S);
    const I = new Float64Array(plane);
    const O = new Float64Array(plane);
    for (let z = 0; z < S; z++)
      for (let k = 0; k < plane; k++) {
        I[k]! += I3[z * plane + k]!;
        O[k]! += O3[z * plane + k]!;
      }
    const b = Number(fit.metrics.bin);
    const factor = Number.isInteger(b) && b >= 1 ? b : 1;
    const metric: RatioMetric = fit.options.metric === 'ratio' ? 'ratio' : 'share';
    const minCounts = typeof fit.options.minCountsPerPixel === 'number' ? fit.options.minCountsPerPixel : undefined;
    const map = ratioMap(bin(I, O, W, Hh, factor), { metric, ...(minCounts !== undefined ? { minCountsPerPixel: minCounts } : {}) });
    const h = H.find((p) => p.recordId === r.recordId)?.value ?? null;
    const cell = r.cellId ?? r.path;
    out.push({
      ...(r.cellId ? { cell: r.cellId } : {}),
      ...simsMapSpec(
        {
          cell,
          label: `${cell} · ${r.path.split('/').pop()}`,
          width: map.width,
          height: map.height,
          values: map.values,
          metric,
          heterogeneity: h,
          binFactor: factor,
          inorganic: inorg,
          organic: org,
        },
        {
          title: `ToF-SIMS ratio map — ${cell}${recs.filter((x) => (x.cellId ?? x.path) === cell).length > 1 ? ` · ${r.path.split('/').pop()}` : ''}`,
          source: `Ion image ${r.path}${S > 1 ? ` (${S} slices summed)` : ''}; binning and metric as used by the sims fitter`,
        },
      ),
    });
  }
  return noteFirst(out, shown.note);
}

// ── P–E loops ──────────────────────────────────────────────────────────────────────────────────

/** pristine / cycled from the record's meta, else from its path; otherwise 'unlabelled'. */
export function loopState(meta: Record<string, unknown>, path: string): string {
  for (const k of ['state', 'condition', 'sampleState', 'stage']) {
    const v = meta[k];
    if (typeof v === 'string' && v.trim()) return v.trim().toLowerCase();
  }
  const name = path.toLowerCase();
  if (/pristine|fresh|as[-_ ]?(deposited|prepared)|before/.test(name)) return 'pristine';
  if (/cycled|after|post[-_ ]?cycl/.test(name)) return 'cycled';
  return 'unlabelled';
}

async function peFigures(report: CampaignReport, store: CampaignStore, o: CollectOptions): Promise<PlotSpec[]> {
  const thickness = new Map(report.cells.map((c) => [c.id, c.filmThicknessNm]));
  const recs = (await readRecords(store, 'pe-loop')).filter((r) => r.meta.technique !== 'leakage');
  if (!recs.length) return [];
  const byCell = new Map<string, PeLoop[]>();
  for (const r of recs) {
    const cols = await store.recordColumns(r.recordId);
    let E = pick(cols, [PE.field.name]);
    const P = pick(cols, [PE.polarization.name]);
    // The file had no thickness: the manifest's film_thickness_nm gives the field (V/nm → kV/cm is ×1e4).
    const d = r.cellId ? thickness.get(r.cellId) : undefined;
    const V = pick(cols, [PE.voltage.name]);
    if (!E && V && d) E = { ...V, name: PE.field.name, unit: PE.field.unit, values: Float64Array.from(V.values, (v) => (v / d) * 1e4) };
    if (!E || !P) continue;
    const cell = r.cellId ?? 'no cell';
    const loops = byCell.get(cell) ?? [];
    byCell.set(cell, loops);
    loops.push({
      cell,
      state: loopState(r.meta, r.path),
      label: `${r.path.split('/').pop()} #${r.recordId.split(':')[1]}`,
      field: E.values,
      polarization: P.values,
    });
  }
  const shown = cellsToDraw(report, [...byCell.keys()], o.maxCellFigures ?? 12);
  return noteFirst(
    [...byCell]
      .filter(([cell]) => shown.cells.has(cell))
      .map(([cell, loops]) => ({
        ...peLoopSpec(loops, { title: `P–E loops — ${cell}`, source: `P–E loop records (${loops.length}); state from the record's meta or the file name` }),
        ...(cell !== 'no cell' ? { cell } : {}),
      })),
    shown.note,
  );
}

// ── model replay ───────────────────────────────────────────────────────────────────────────────

async function replayFigures(_report: CampaignReport, store: CampaignStore): Promise<PlotSpec[]> {
  const tables: StoredTable[] = await readFitTables(store, 'replay');
  const out: PlotSpec[] = [];
  for (const t of tables) {
    const obs = t.columns.find((c) => /^(observed|measured)\b/i.test(c.name));
    const pred = t.columns.find((c) => /^(predicted|replayed|model)\b/i.test(c.name));
    const x = t.columns.find((c) => c !== obs && c !== pred);
    if (!obs || !pred || !x) continue;
    const q = obs.name.replace(/^(observed|measured)\s*/i, '') || 'value';
    out.push({
      ...(t.cellId ? { cell: t.cellId } : {}),
      ...replaySpec(
        {
          cell: cellLabel(t),
          quantity: obs.unit ? `${q} / ${obs.unit}` : q,
          xTitle: x.unit && x.unit !== '1' ? `${x.name} / ${x.unit}` : x.name,
          x: x.values,
          observed: obs.values,
          predicted: pred.values,
          model: t.fitter,
        },
        { title: `Model replay — ${cellLabel(t)}`, source: `Replay table of '${t.fitter}' for ${t.path}` },
      ),
    });
  }
  return out;
}
