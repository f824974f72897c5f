/**
 * Campaign data as the engine sees it: per-cell parameter values (mean of the cell's fitOk rows),
 * censored cycle life, and the experimental arms.
 *
 * Arm mapping (documented in docs/hypotheses.md):
 * - FD        = poling 'poled', no pre-adsorbed anion (ferroelectric present and poled)
 * - FD+anion  = poling 'poled' with `preadsorbedAnion`
 * - control   = poling 'none', no pre-adsorbed anion, electrolyte without the pre-adsorbed anion
 * - anion-in-electrolyte = poling 'none' whose electrolyte names the pre-adsorbed anion (e.g. NO3- → 'LiNO3')
 * - unpoled, paraelectric = their own arms (without pre-adsorbed anion)
 */
import type { CellSpec } from '../campaign/manifest.js';
import type { CellParameter } from '../records/results.js';
import { lce } from '../stats/lce.js';
import type { ParameterName } from '../records/parameters.js';

/** What a hypothesis can read per cell: a registered parameter, or one derived here. */
export type Quantity = ParameterName | 'LCE' | 'LCE_reservoir' | 'log_cycle_life' | 'Pr_eff';

export type ArmName = 'FD' | 'FD+anion' | 'control' | 'anion-in-electrolyte' | 'unpoled' | 'depoled' | 'paraelectric' | 'inert';

/** Every arm, in the order the whole-campaign models list them (the first present is the reference). */
export const ARM_ORDER: readonly ArmName[] = ['control', 'FD', 'unpoled', 'depoled', 'paraelectric', 'inert', 'FD+anion', 'anion-in-electrolyte'];
/** Layers of the same kind without net polarisation: the reference of every ferroelectric claim. */
export const NON_POLAR_LAYERS: readonly ArmName[] = ['unpoled', 'depoled', 'paraelectric'];

/** Rest (open-circuit exposure) of a cell and where the number came from. */
export interface RestExposure {
  readonly hours: number;
  readonly source: 'manifest' | 'log';
}

/** What the engine knows about a cell beyond the manifest (from the store: which instrument cycled it). */
export interface CellInfo {
  readonly cycler?: string;
}

export interface Life {
  readonly time: number;
  readonly event: 0 | 1;
}

function anionStem(a: string): string {
  return a
    .replace(/[\s⁻−+\-–]|[0-9]*[+-]$/g, '')
    .replace(/[⁰¹²³⁴⁵⁶⁷⁸⁹]/g, '')
    .toLowerCase();
}

export class CampaignData {
  readonly cells: readonly CellSpec[];
  private readonly values = new Map<string, Map<string, number>>();
  private readonly lives = new Map<string, Life>();
  readonly anionStems: readonly string[];

  readonly info: ReadonlyMap<string, CellInfo>;

  constructor(cells: readonly CellSpec[], params: readonly CellParameter[], info: Readonly<Record<string, CellInfo>> = {}) {
    this.cells = cells;
    this.info = new Map(Object.entries(info));
    const acc = new Map<string, Map<string, number[]>>();
    for (const p of params) {
      if (!p.fitOk || p.value === null || !Number.isFinite(p.value)) continue;
      if (p.name === 'cycle_life_80') {
        // several rows for one cell: keep the longest observation (an event wins over a censoring at the same time)
        const prev = this.lives.get(p.cell);
        const life: Life = { time: p.value, event: p.censored ? 0 : 1 };
        if (!prev || life.time > prev.time || (life.time === prev.time && life.event === 1)) this.lives.set(p.cell, life);
        continue;
      }
      if (!acc.has(p.cell)) acc.set(p.cell, new Map());
      const m = acc.get(p.cell)!;
      if (!m.has(p.name)) m.set(p.name, []);
      m.get(p.name)!.push(p.value);
    }
    for (const [cell, m] of acc) {
      const out = new Map<string, number>();
      for (const [name, v] of m) out.set(name, v.reduce((s, x) => s + x, 0) / v.length);
      this.values.set(cell, out);
    }
    this.anionStems = [...new Set(cells.filter((c) => c.preadsorbedAnion).map((c) => anionStem(c.preadsorbedAnion!)))].filter((s) => s.length > 0);
  }

  value(cell: string, name: Quantity): number | null {
    if (name === 'LCE') return this.lce(cell);
    if (name === 'LCE_reservoir') {
      const ce = this.values.get(cell)?.get('ce_avg_reservoir');
      return ce === undefined ? null : finite(lce(ce));
    }
    if (name === 'log_cycle_life') {
      const l = this.lives.get(cell);
      return l && l.time > 0 ? Math.log(l.time) : null;
    }
    if (name === 'Pr_eff') return this.pr(cell);
    const v = this.values.get(cell)?.get(name);
    return v === undefined ? null : v;
  }

  /** LCE of the cell: lce_mean, else −log10(1 − ce_mean). */
  lce(cell: string): number | null {
    const m = this.values.get(cell);
    const l = m?.get('lce_mean');
    if (l !== undefined) return l;
    const ce = m?.get('ce_mean');
    return ce === undefined ? null : finite(lce(ce));
  }

  /** Remanent polarisation: measured Pr, else manifest pr_uC_cm2; 0 for paraelectric, inert and depoled layers without either. */
  pr(cell: string): number | null {
    const v = this.values.get(cell)?.get('Pr');
    if (v !== undefined) return v;
    const spec = this.cells.find((c) => c.id === cell);
    if (spec?.prUcCm2 !== undefined) return spec.prUcCm2;
    // no net polarisation by construction: paraelectric, inert, and depoled (annealed above T_C)
    if (spec?.poling === 'paraelectric' || spec?.poling === 'inert' || spec?.poling === 'depoled') return 0;
    return null;
  }

  life(cell: string): Life | null {
    return this.lives.get(cell) ?? null;
  }

  has(name: Quantity): boolean {
    return this.cells.some((c) => (name === 'cycle_life_80' ? this.life(c.id) !== null : this.value(c.id, name) !== null));
  }

  /**
   * Open-circuit exposure before or between cycles: the manifest's rest_hours, else the log's initial
   * OCV step (`initial_rest_h` of the cycles fitter), else unknown.
   */
  rest(c: CellSpec): RestExposure | null {
    if (c.restHours !== undefined) return { hours: c.restHours, source: 'manifest' };
    const h = this.values.get(c.id)?.get('initial_rest_h');
    return h === undefined ? null : { hours: h, source: 'log' };
  }

  /** The cycler that ran the cell: the manifest's `cycler`, else the format of its cycling record. */
  cycler(c: CellSpec): string | null {
    return c.cycler ?? this.info.get(c.id)?.cycler ?? null;
  }

  armOf(c: CellSpec): ArmName {
    if (c.poling === 'poled') return c.preadsorbedAnion ? 'FD+anion' : 'FD';
    if (c.poling === 'unpoled') return 'unpoled';
    if (c.poling === 'depoled') return 'depoled';
    if (c.poling === 'paraelectric') return 'paraelectric';
    if (c.poling === 'inert') return 'inert';
    const el = (c.electrolyte ?? '').toLowerCase();
    if (!c.preadsorbedAnion && this.anionStems.some((s) => el.includes(s))) return 'anion-in-electrolyte';
    return 'control';
  }

  arm(name: ArmName): CellSpec[] {
    return this.cells.filter((c) => this.armOf(c) === name && !(c.preadsorbedAnion && c.poling !== 'poled'));
  }

  /** Distinct rest durations (h) among the cells (manifest, else the log's initial rest). */
  restLevels(cells: readonly CellSpec[] = this.cells): number[] {
    return [...new Set(cells.map((c) => this.rest(c)?.hours).filter((h): h is number => h !== undefined))].sort((a, b) => a - b);
  }
}

function finite(v: number): number | null {
  return Number.isFinite(v) ? v : null;
}

/** Values of one parameter for the cells that have it. */
export function valuesOf(data: CampaignData, cells: readonly CellSpec[], name: Quantity): { cells: string[]; values: number[] } {
  const out = { cells: [] as string[], values: [] as number[] };
  for (const c of cells) {
    const v = data.value(c.id, name);
    if (v !== null) {
      out.cells.push(c.id);
      out.values.push(v);
    }
  }
  return out;
}
