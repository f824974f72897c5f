/**
 * Capacity and Coulombic efficiency vs cycle by group, with a band per group per cycle.
 * Input: one `CycleSeries` per cell (a column of the per-cycle table stored by the cycle fitter).
 * Cells of a group are aligned by cycle number; the line is the group mean, the band mean ± 1 sd
 * (or the 95 % t-interval of the mean) over the cells that have that cycle. A band needs ≥ 2 cells.
 * A cell's partial last cycle (a log cut mid-cycle: the table's `Partial Cycle` column) is left out of
 * its group's mean and band at that cycle, and the exclusion is stated (caption and `usermeta.excluded`).
 */
import type { TopLevelSpec } from 'vega-lite';
import { CONFIG, PANEL, SCHEMA } from './theme.js';
import { caption, type PlotSpec } from './figure.js';
import { MAX_POINTS_PER_LINE, stride } from './downsample.js';
import { PARTIAL_CYCLE_COLUMN } from '../../fit/cycles/tables.js';
import { tQuantile975 } from '../../stats/distributions.js';

export interface CycleSeries {
  readonly cell: string;
  readonly group: string;
  /** Cycle numbers (the table's `Cycle Count`). */
  readonly cycle: ArrayLike<number>;
  /** One value per cycle (NaN = not defined for that cycle: skipped). */
  readonly value: ArrayLike<number>;
  /** Cycles left out of the group statistics, with why (a partial last cycle: `partialCycles`). */
  readonly exclude?: readonly CycleExclusion[];
}

export interface CycleExclusion {
  readonly cycle: number;
  readonly reason: string;
}

/** The partial last cycle(s) of a stored per-cycle table (`Partial Cycle` = 1), as exclusions. */
export function partialCycles(columns: readonly { name: string; values: ArrayLike<number> }[], cycle: ArrayLike<number>): CycleExclusion[] {
  const flag = columns.find((c) => c.name === PARTIAL_CYCLE_COLUMN);
  if (!flag) return [];
  const out: CycleExclusion[] = [];
  for (let i = 0; i < Math.min(flag.values.length, cycle.length); i++) {
    if (flag.values[i] === 1) out.push({ cycle: cycle[i]!, reason: 'partial last cycle (log cut mid-cycle)' });
  }
  return out;
}

/** `cell A3 cycle 7 (partial last cycle …)` for every exclusion of the series. */
export function exclusionNotes(series: readonly CycleSeries[]): string[] {
  return series.flatMap((s) => (s.exclude ?? []).map((e) => `${s.cell} cycle ${e.cycle} (${e.reason})`));
}

export type BandKind = 'sd' | 'ci95';

export interface CycleBandRow {
  readonly group: string;
  readonly cycle: number;
  readonly mean: number;
  /** Band limits; null when fewer than 2 cells have this cycle. */
  readonly lo: number | null;
  readonly hi: number | null;
  /** Cells contributing to this cycle. */
  readonly n: number;
  /** Cells of the group left out at this cycle, with why (a partial last cycle); absent when none. */
  readonly excluded?: readonly string[];
}

/** Two-sided 97.5 % t quantile for the group-mean band (exact, src/stats); 1.96 below one degree of freedom. */
export function t975(df: number): number {
  return df >= 1 ? tQuantile975(df) : 1.96;
}

/** Group mean and band per cycle. Pure; rows sorted by group, then cycle. */
export function cycleBands(series: readonly CycleSeries[], band: BandKind = 'sd'): CycleBandRow[] {
  const acc = new Map<string, Map<number, number[]>>();
  const left = new Map<string, string[]>(); // `${group}\u0000${cycle}` → notes
  for (const s of series) {
    for (const e of s.exclude ?? []) {
      const k = `${s.group}\u0000${e.cycle}`;
      left.set(k, [...(left.get(k) ?? []), `${s.cell}: ${e.reason}`]);
    }
    const byCycle = acc.get(s.group) ?? new Map<number, number[]>();
    acc.set(s.group, byCycle);
    const n = Math.min(s.cycle.length, s.value.length);
    const skip = new Set((s.exclude ?? []).map((e) => e.cycle));
    for (let i = 0; i < n; i++) {
      const c = s.cycle[i]!;
      const v = s.value[i]!;
      if (!Number.isFinite(c) || !Number.isFinite(v) || skip.has(c)) continue;
      const list = byCycle.get(c) ?? [];
      byCycle.set(c, list);
      list.push(v);
    }
  }
  const rows: CycleBandRow[] = [];
  for (const group of [...acc.keys()].sort()) {
    const byCycle = acc.get(group)!;
    for (const cycle of [...byCycle.keys()].sort((a, b) => a - b)) {
      const v = byCycle.get(cycle)!;
      const n = v.length;
      const mean = v.reduce((a, b) => a + b, 0) / n;
      let lo: number | null = null;
      let hi: number | null = null;
      if (n >= 2) {
        const sd = Math.sqrt(v.reduce((a, b) => a + (b - mean) ** 2, 0) / (n - 1));
        const half = band === 'sd' ? sd : (t975(n - 1) * sd) / Math.sqrt(n);
        lo = mean - half;
        hi = mean + half;
      }
      const excluded = left.get(`${group}\u0000${cycle}`);
      rows.push({ group, cycle, mean, lo, hi, n, ...(excluded ? { excluded } : {}) });
    }
  }
  return rows;
}

export interface CycleBandOptions {
  readonly title: string;
  /** Axis title, unit included, e.g. `Discharging Capacity / mAh`. */
  readonly yTitle: string;
  /** Multiply values for display (e.g. 1000 for Ah → mAh). @default 1 */
  readonly scale?: number;
  readonly band?: BandKind;
  /** Where the numbers come from, for the caption. */
  readonly source: string;
}

/** Group-mean line with band per group vs cycle. */
export function cycleBandSpec(series: readonly CycleSeries[], o: CycleBandOptions): PlotSpec {
  const band = o.band ?? 'sd';
  const k = o.scale ?? 1;
  const all = cycleBands(series, band);
  const groups = [...new Set(all.map((r) => r.group))];
  const values: Record<string, unknown>[] = [];
  const reduced: string[] = [];
  for (const g of groups) {
    const rows = all.filter((r) => r.group === g);
    const idx = stride(rows.length, MAX_POINTS_PER_LINE);
    if (idx.length < rows.length) reduced.push(`${g}: ${idx.length} of ${rows.length} cycles`);
    for (const i of idx) {
      const r = rows[i]!;
      values.push({
        group: r.group,
        cycle: r.cycle,
        mean: r.mean * k,
        lo: r.lo === null ? null : r.lo * k,
        hi: r.hi === null ? null : r.hi * k,
        n: r.n,
        ...(r.excluded ? { excluded: r.excluded.join('; ') } : {}),
      });
    }
  }
  const cellsPer = groups
    .map((g) => {
      const n = new Set(series.filter((s) => s.group === g).map((s) => s.cell)).size;
      return `${g}: ${n} cell${n === 1 ? '' : 's'}`;
    })
    .join(', ');
  const excluded = exclusionNotes(series);
  const spec = {
    $schema: SCHEMA,
    config: CONFIG,
    ...(excluded.length ? { usermeta: { excluded } } : {}),
    width: PANEL.width + 160,
    height: PANEL.height,
    data: { values },
    encoding: {
      x: { field: 'cycle', type: 'quantitative', title: 'Cycle', scale: { zero: false, nice: false }, axis: { tickMinStep: 1, format: 'd' } },
      color: { field: 'group', type: 'nominal', title: 'group' },
    },
    layer: [
      {
        name: 'band',
        transform: [{ filter: 'datum.lo != null && datum.hi != null' }],
        mark: { type: 'area', opacity: 0.22 },
        encoding: {
          y: { field: 'lo', type: 'quantitative', title: o.yTitle, scale: { zero: false }, axis: { format: '.6~g' } },
          y2: { field: 'hi' },
          color: { field: 'group', type: 'nominal' },
        },
      },
      {
        name: 'mean',
        mark: { type: 'line', strokeWidth: 1.8, point: values.length <= 400 ? { size: 18, filled: true } : false },
        encoding: { y: { field: 'mean', type: 'quantitative', title: o.yTitle, scale: { zero: false }, axis: { format: '.6~g' } } },
      },
    ],
  } as unknown as TopLevelSpec;
  return {
    title: o.title,
    spec,
    caption: caption(
      `${o.source}. Line: group mean per cycle; band: ${band === 'sd' ? 'mean ± 1 sd' : '95 % t-interval of the mean'} over the cells of the group that have the cycle (drawn where ≥ 2 cells). ${cellsPer}.`,
      reduced.length ? `Downsampled for display (stride, ≤ ${MAX_POINTS_PER_LINE} cycles per line): ${reduced.join('; ')}.` : '',
      excluded.length ? `Excluded from the group mean and band: ${excluded.join('; ')}.` : '',
    ),
  };
}
