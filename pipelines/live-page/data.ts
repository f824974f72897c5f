/**
 * What the live page (`watch --serve`) shows, read from the report document and the campaign store
 * after each report rebuild: a status card per cell, the plots (capacity and CE vs cycle by group, the
 * Nyquist plot of the latest spectrum with its fit) as Vega-Lite specs, and the hypothesis table.
 * Store reads only; rendering the specs to SVG is left to the caller (it does not touch the store).
 */
import { latestSpectrumRow } from '../../src/store/queries.js';
import type { CampaignStore } from '../../src/store/store.js';
import type { CampaignReport } from '../../src/report/types.js';
import type { PlotSpec } from '../../src/report/plots/figure.js';
import { CYCLER, EIS } from '../../src/records/names.js';
import { PARAMETERS } from '../../src/records/parameters.js';
import { groupLookup, pick, readFitTables, readFits, readParameters, type StoredTable } from '../../src/report/plots/data.js';
import { cycleBandSpec, partialCycles, type CycleSeries } from '../../src/report/plots/cycling.js';
import { nyquistSpec, type ImpedanceSeries } from '../../src/report/plots/eis.js';
import { parseCircuit } from '../../src/fit/eis/circuit.js';
import { simulate } from '../../src/fit/eis/evaluate.js';
import { checkSpectrum } from '../../src/fit/eis/spectrum.js';
import { LI_METAL_CIRCUIT, LI_METAL_MAPPING } from '../../src/fit/eis/li-metal.js';

export interface CellCard {
  readonly id: string;
  readonly group: string;
  /** Files of this cell in the store (any status) plus any seen since the last report. */
  readonly files: number;
  readonly failed: number;
  /** Newest write time (ms) of this cell's files. */
  readonly lastDataMs: number | null;
  /** Cycles in its per-cycle tables (the longest cycling record). */
  readonly cycles: number | null;
  /** Mean CE over cycles 2..n (report parameter `ce_mean`, fraction). */
  readonly ceMean: number | null;
  /** CE of the last complete cycle in its per-cycle table (fraction). */
  readonly ceLast: number | null;
  /** Flags: a short-circuit signature, unreadable files. */
  readonly flags: readonly string[];
}

export interface HypothesisRow {
  readonly id: string;
  readonly claim: string;
  readonly verdict: string;
  readonly reason: string;
  /** "What to add to the experiment" lines (not-testable verdicts). */
  readonly toAdd: readonly string[];
}

const CYCLE_NAMES = ['Cycle Count', CYCLER.cycle.name, 'Cycle', 'Cycle Index', 'Cycle Number'];
const DISCHARGE_NAMES = [CYCLER.dischargeCapacity.name, 'Discharge Capacity'];
const CHARGE_NAMES = [CYCLER.chargeCapacity.name, 'Charge Capacity'];
const CE_NAMES = ['Coulombic Efficiency', 'CE'];
const EIS_FITTER = 'eis-li-metal';

function lastFinite(v: ArrayLike<number>): number | null {
  for (let i = v.length - 1; i >= 0; i--) if (Number.isFinite(v[i]!)) return v[i]!;
  return null;
}

function maxFinite(v: ArrayLike<number>): number | null {
  let m = -Infinity;
  for (let i = 0; i < v.length; i++) if (Number.isFinite(v[i]!) && v[i]! > m) m = v[i]!;
  return m === -Infinity ? null : m;
}

/** The hypothesis table with its "what to add" lines. */
export function hypothesisRows(report: CampaignReport): HypothesisRow[] {
  return report.hypotheses.map((h) => {
    let toAdd = Array.isArray(h.toAdd) ? (h.toAdd as unknown[]).map(String) : [];
    if (!toAdd.length) {
      const m = /add to the experiment: (.*)$/.exec(h.reason);
      if (m) toAdd = m[1]!.split('; ').filter(Boolean);
    }
    return { id: h.id, claim: h.claim, verdict: h.verdict, reason: h.reason, toAdd };
  });
}

/** A card per cell: the manifest's cells, then any other cell a file was assigned to. */
export async function cellCards(report: CampaignReport, store: CampaignStore, cycleTables?: readonly StoredTable[]): Promise<CellCard[]> {
  const group = groupLookup(report);
  const ids = [...report.cells.map((c) => c.id)];
  for (const f of report.files) if (f.cell && !ids.includes(f.cell)) ids.push(f.cell);
  const files = await store.allFiles();
  const tables = cycleTables ?? (await readFitTables(store, 'cycles'));
  const param = (cell: string, name: string): number | null => {
    const p = report.parameters.find((x) => x.cell === cell && x.name === name);
    return p && p.value !== null && Number.isFinite(p.value) ? p.value : null;
  };
  return ids.map((id) => {
    const mine = files.filter((f) => f.cellId === id);
    const failed = mine.filter((f) => f.status === 'failed').length;
    let cycles: number | null = null;
    let ceLast: number | null = null;
    for (const t of tables.filter((x) => x.cellId === id)) {
      const cyc = pick(t.columns, CYCLE_NAMES);
      const n = cyc ? maxFinite(cyc.values) : (t.columns[0]?.values.length ?? null);
      if (n !== null && (cycles === null || n > cycles)) {
        cycles = n;
        const ce = pick(t.columns, CE_NAMES);
        ceLast = ce ? lastFinite(ce.values) : null;
        if (ceLast !== null && ce!.unit === '%') ceLast /= 100;
      }
    }
    const short = param(id, PARAMETERS.shortCircuit.name);
    const flags: string[] = [];
    if (short !== null) flags.push(`short-circuit signature at cycle ${short}`);
    if (failed) flags.push(`${failed} unreadable file${failed > 1 ? 's' : ''}`);
    const last = mine.reduce((m, f) => Math.max(m, f.mtimeMs || 0), 0);
    return {
      id,
      group: group(id),
      files: mine.length,
      failed,
      lastDataMs: last > 0 ? last : null,
      cycles,
      ceMean: param(id, PARAMETERS.ceMean.name),
      ceLast,
      flags,
    };
  });
}

/** Capacity and CE vs cycle by group, and the Nyquist plot of the latest spectrum with its fit. */
export async function livePlotSpecs(report: CampaignReport, store: CampaignStore, cycleTables?: readonly StoredTable[]): Promise<PlotSpec[]> {
  const out: PlotSpec[] = [];
  const tables = cycleTables ?? (await readFitTables(store, 'cycles'));
  const group = groupLookup(report);
  const seriesOf = (names: readonly string[]) => {
    const series: CycleSeries[] = [];
    let unit: string | undefined;
    let name = '';
    for (const t of tables) {
      const cyc = pick(t.columns, [CYCLER.cycle.name, 'Cycle', 'Cycle Index', 'Cycle Number', 'Cycle Count']);
      const v = pick(t.columns, names);
      if (!cyc || !v) continue;
      unit ??= v.unit;
      name ||= v.name;
      const exclude = partialCycles(t.columns, cyc.values); // a log still being written ends mid-cycle
      series.push({ cell: t.cellId ?? t.path, group: group(t.cellId), cycle: cyc.values, value: v.values, ...(exclude.length ? { exclude } : {}) });
    }
    const finite = series.some((s) => Array.prototype.some.call(s.value, (x: number) => Number.isFinite(x)));
    return finite ? { series, unit: unit ?? '', name } : null;
  };
  const src = `Per-cycle tables of the cycle fitter (${tables.length} cycler records)`;
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
    const s = seriesOf(names);
    if (!s) continue;
    const mAh = s.unit === 'Ah';
    out.push(
      cycleBandSpec(s.series, {
        title: `${what} vs cycle`,
        yTitle: `${s.name} / ${mAh ? 'mAh' : s.unit}`,
        scale: mAh ? 1000 : 1,
        source: `${src}, column '${s.name}'`,
      }),
    );
    break;
  }
  const ce = seriesOf(CE_NAMES);
  if (ce) {
    const pct = ce.unit === '1';
    out.push(
      cycleBandSpec(ce.series, {
        title: 'Coulombic efficiency vs cycle',
        yTitle: `Coulombic efficiency / ${pct ? '%' : ce.unit}`,
        scale: pct ? 100 : 1,
        source: `${src}, column '${ce.name}' (complete cycles only)`,
      }),
    );
  }
  const nyquist = await latestNyquist(report, store);
  if (nyquist) out.push(nyquist);
  return out;
}

/** The spectrum whose file was written last (last record of that file), with its stored circuit fit. */
async function latestNyquist(report: CampaignReport, store: CampaignStore): Promise<PlotSpec | null> {
  const rows = await latestSpectrumRow(store);
  const r = rows[0];
  if (!r) return null;
  const recordId = String(r.record_id);
  const path = String(r.path);
  const cell = (r.cell_id as string | null) ?? null;
  const cols = await store.recordColumns(recordId);
  const f = pick(cols, [EIS.frequency.name]);
  const re = pick(cols, [EIS.zReal.name]);
  const im = pick(cols, [EIS.zImag.name]);
  if (!f || !re || !im) return null;
  let fit: ImpedanceSeries['fit'] = null;
  const fitted = (await readFits(store, EIS_FITTER)).some((x) => x.recordId === recordId);
  if (fitted) {
    try {
      const names = Object.values(LI_METAL_MAPPING).map((m) => m.name);
      const params = (await readParameters(store, names)).filter((p) => p.recordId === recordId && p.fitter === EIS_FITTER && p.scope === null);
      const circuit = parseCircuit(LI_METAL_CIRCUIT);
      const values = circuit.parameters.map((p) => params.find((q) => q.name === LI_METAL_MAPPING[p.name]?.name)?.value ?? NaN);
      if (values.every(Number.isFinite)) {
        const spectrum = checkSpectrum(f.values, re.values, im.values);
        const z = simulate(circuit, values, spectrum.frequency);
        fit = { frequency: spectrum.frequency, re: z.re, im: z.im, circuit: LI_METAL_CIRCUIT };
      }
    } catch {
      /* points only */
    }
  }
  const label = path.split('/').pop() ?? path;
  const g = groupLookup(report)(cell);
  return nyquistSpec([{ label, frequency: f.values, re: re.values, im: im.values, fit, kk: null }], {
    title: `Nyquist — latest spectrum (${cell ?? 'no cell'})`,
    source: `Latest impedance record ${label}${cell ? ` of cell ${cell}${g !== 'no cell' && g !== 'no group' ? ` (${g})` : ''}` : ''}; fit = stored '${EIS_FITTER}' parameters`,
  });
}
