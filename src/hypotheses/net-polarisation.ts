/**
 * Net polarisation of a cell's layer for H9 / H10 (issue #20 §4): the non-switching probes that say
 * whether a layer is poled — a P–E loop's Pr does not (shared/domain/MECHANISMS.md §6.4: a bipolar loop
 * erases the starting state, so poled and unpoled films give the same Pr).
 *
 * Measures, in order of preference (one measure per test: their units differ, they are never mixed):
 * 1. `pfm_net_polarisation`: PFM (up − down)/(up + down) (src/fit/pfm; mean of the cell's images), or a
 *    checkpoint's `pfm_net_polarisation` in the manifest;
 * 2. `d33` (pm/V ≡ pC/N), manifest `d33_pm_V` / checkpoints (MECHANISMS §6.2);
 * 3. `pyroelectric current` (nA), manifest `pyro_current_nA` / checkpoints (MECHANISMS §6.3).
 * Magnitudes are used: the sign follows the poling direction (and PVDF's d33 is negative), the dose is
 * how much net polarisation there is. Layers without net polarisation by construction (paraelectric,
 * inert, depoled) count 0 when not measured, as for Pr (data.ts).
 * The as-built value is the cell key (`d33_pm_V`, …) or the first checkpoint carrying the measure; the
 * retention is |last checkpoint| / |as built| of the same measure (≥ 2 values).
 */
import type { CellSpec } from '../campaign/manifest.js';
import type { PolarisationCheckpoint } from '../campaign/polarisation.js';
import type { CampaignData } from './data.js';

export type NetMeasure = 'pfm_net_polarisation' | 'd33' | 'pyroelectric current';

export const NET_MEASURES: readonly {
  readonly id: NetMeasure;
  readonly unit: string;
  readonly cellKey?: 'd33PmV' | 'pyroCurrentNa';
  readonly cp: keyof PolarisationCheckpoint;
}[] = [
  { id: 'pfm_net_polarisation', unit: '1', cp: 'pfmNetPolarisation' },
  { id: 'd33', unit: 'pm/V', cellKey: 'd33PmV', cp: 'd33PmV' },
  { id: 'pyroelectric current', unit: 'nA', cellKey: 'pyroCurrentNa', cp: 'pyroCurrentNa' },
];

function series(data: CampaignData, c: CellSpec, m: (typeof NET_MEASURES)[number]): number[] {
  const out: number[] = [];
  if (m.cellKey && c[m.cellKey] !== undefined) out.push(c[m.cellKey]!);
  else if (m.id === 'pfm_net_polarisation') {
    const v = data.value(c.id, 'pfm_net_polarisation');
    if (v !== null) out.push(v);
  }
  const cps = [...(c.polarisationCheckpoints ?? [])].filter((p) => typeof p[m.cp] === 'number');
  cps.sort((a, b) => (a.cycles ?? 0) - (b.cycles ?? 0));
  for (const p of cps) out.push(p[m.cp] as number);
  return out.map(Math.abs);
}

const NON_POLAR = new Set(['paraelectric', 'inert', 'depoled']);

/** As-built magnitude of a measure for a cell (0 for a non-polar layer without a measurement), or null. */
export function netAsBuilt(data: CampaignData, c: CellSpec, id: NetMeasure): number | null {
  const m = NET_MEASURES.find((x) => x.id === id)!;
  const s = series(data, c, m);
  if (s.length) return s[0]!;
  return NON_POLAR.has(c.poling) ? 0 : null;
}

/** |last| / |as built| of a measure, or null (fewer than 2 values, or as built 0). */
export function netRetention(data: CampaignData, c: CellSpec, id: NetMeasure): number | null {
  const s = series(data, c, NET_MEASURES.find((x) => x.id === id)!);
  return s.length >= 2 && s[0]! > 0 ? s[s.length - 1]! / s[0]! : null;
}

export interface ChosenMeasure {
  readonly measure: NetMeasure;
  readonly unit: string;
  readonly value: (c: CellSpec) => number | null;
  /** Cells (of those asked) with a value that is a measurement, not a 0 by construction. */
  readonly measured: number;
}

/**
 * The first measure (PFM, d33, pyro) that ≥ `min` of the cells carry as a measurement (0 by
 * construction for non-polar layers counts as a value but not as a measurement) — or null.
 */
export function chooseNetMeasure(data: CampaignData, cells: readonly CellSpec[], min: number, kind: 'as-built' | 'retention'): ChosenMeasure | null {
  for (const m of NET_MEASURES) {
    const value = (c: CellSpec) => (kind === 'as-built' ? netAsBuilt(data, c, m.id) : netRetention(data, c, m.id));
    const measured = cells.filter((c) => series(data, c, m).length >= (kind === 'as-built' ? 1 : 2)).length;
    if (measured >= min) return { measure: m.id, unit: kind === 'as-built' ? m.unit : '1', value, measured };
  }
  return null;
}
