/**
 * `analysis:` in the campaign manifest: campaign-wide analysis settings, with overrides per group, per
 * cell or per file glob (docs/analysis-options.md). One table (ANALYSIS_KEYS) declares every key: its
 * type, unit, range, default and the fitter that reads it; validation, resolution, the report's
 * Settings section and the docs all read it.
 *
 * Problems are local: a bad value drops that key, a bad override drops that override, and the rest of
 * the manifest (cells, other keys) is kept. The problems are reported with the manifest's.
 */
import { closest } from '../records/suggest.js';
import { parseCircuit } from '../fit/eis/circuit.js';
import { CircuitSyntaxError } from '../fit/eis/errors.js';
import { LI_METAL_CIRCUIT } from '../fit/eis/li-metal.js';
import { DEFAULT_CYCLE_OPTIONS } from '../fit/cycles/options.js';
import { DEFAULT_XPS_FIT_OPTIONS } from '../fit/xps/fitter.js';
import { SPECIES_LIBRARY } from '../fit/xps/species.js';
import { DEFAULT_SIMS_BIN_UM } from '../fit/sims/image.js';
import { DECISION_DEFAULTS } from '../stats/decision-defaults.js';
import type { FitSettings } from '../fit/settings.js';
import { globEscapes, globToRegExp } from './glob.js';

export const ANALYSIS_SECTIONS = ['impedance', 'cycling', 'xps', 'tofsims', 'pe', 'statistics'] as const;
export type AnalysisSection = (typeof ANALYSIS_SECTIONS)[number];

type KeyType =
  | { readonly kind: 'number'; readonly min?: number; readonly max?: number; readonly open?: boolean }
  | { readonly kind: 'integer'; readonly min: number }
  | { readonly kind: 'boolean' }
  | { readonly kind: 'enum'; readonly values: readonly string[] }
  | { readonly kind: 'range'; readonly min: number; readonly integer?: boolean }
  | { readonly kind: 'circuit' }
  | { readonly kind: 'lambda' }
  | { readonly kind: 'reference' }
  | { readonly kind: 'species' }
  | { readonly kind: 'ions' };

export interface AnalysisKey {
  readonly section: AnalysisSection;
  /** Dotted for nested keys: `life_criterion.fraction_of_max`. */
  readonly key: string;
  readonly type: KeyType;
  readonly unit: string;
  /** The value in force when the manifest does not set it (null: the fitter's own rule, see `defaultText`). */
  readonly default: unknown;
  readonly defaultText?: string;
  /** Which code reads it. */
  readonly readBy: string;
  readonly doc: string;
  /** Campaign-wide only (no overrides): statistics and the SIMS pairing bin. */
  readonly campaignOnly?: boolean;
}

const CYC = DEFAULT_CYCLE_OPTIONS;
const EV = DECISION_DEFAULTS;
const XPS_INORGANIC = DEFAULT_XPS_FIT_OPTIONS.inorganic.map((id) => id);

export const ANALYSIS_KEYS: readonly AnalysisKey[] = [
  {
    section: 'impedance',
    key: 'circuit',
    type: { kind: 'circuit' },
    unit: '',
    default: LI_METAL_CIRCUIT,
    readBy: 'eis-li-metal (src/fit/eis/eis-fitter.ts)',
    doc: 'equivalent circuit, impedance.py grammar; R0 → R_bulk, block sei_block → R_SEI / CPE_SEI, the next → R_ct / CPE_dl, any other parameter under its own name (R3, CPE3_Q, CPE3_alpha)',
  },
  {
    section: 'impedance',
    key: 'weighting',
    type: { kind: 'enum', values: ['unit', 'modulus', 'proportional'] },
    unit: '',
    default: 'modulus',
    readBy: 'eis-li-metal (fitCircuit)',
    doc: 'residual weighting of the CNLS fit',
  },
  {
    section: 'impedance',
    key: 'frequency_range_Hz',
    type: { kind: 'range', min: 0 },
    unit: 'Hz',
    default: null,
    defaultText: 'all points',
    readBy: 'eis-li-metal (before lin-KK, DRT and the fit)',
    doc: 'only points with lo ≤ f ≤ hi are used',
  },
  {
    section: 'impedance',
    key: 'kk_threshold',
    type: { kind: 'number', min: 0, max: 1, open: true },
    unit: '1',
    default: 0.01,
    readBy: 'eis-li-metal (linKK)',
    doc: 'lin-KK passes when max |relative residual| < this',
  },
  {
    section: 'impedance',
    key: 'sei_block',
    type: { kind: 'integer', min: 1 },
    unit: '',
    default: 1,
    readBy: 'eis-li-metal (parameter names)',
    doc: 'index k of the parallel block R_k ‖ CPE_k that is the SEI',
  },
  {
    section: 'impedance',
    key: 'drt_lambda',
    type: { kind: 'lambda' },
    unit: '1',
    default: 'auto',
    readBy: 'eis-li-metal (computeDrt)',
    doc: "DRT regularisation: 'auto' (GCV) or a fixed λ > 0",
  },
  {
    section: 'cycling',
    key: 'ce_cycles',
    type: { kind: 'range', min: 1, integer: true },
    unit: 'cycle',
    default: null,
    defaultText: 'all complete cycles',
    readBy: 'cycles (src/fit/cycles/fitter.ts: ce_mean, lce_mean)',
    doc: 'first and last cycle number (inclusive) averaged into ce_mean',
  },
  {
    section: 'cycling',
    key: 'exclude_first_cycle',
    type: { kind: 'boolean' },
    unit: '',
    default: true,
    readBy: 'cycles (ce_mean, lce_mean)',
    doc: 'leave the first (formation) cycle out of ce_mean',
  },
  {
    section: 'cycling',
    key: 'life_criterion.fraction_of_max',
    type: { kind: 'number', min: 0, max: 1, open: true },
    unit: '1',
    default: CYC.retentionThreshold,
    readBy: 'cycles (cycle_life_80: retentionThreshold)',
    doc: 'end of life when capacity falls below this fraction of the reference',
  },
  {
    section: 'cycling',
    key: 'life_criterion.of_cycles',
    type: { kind: 'range', min: 1, integer: true },
    unit: 'cycle',
    default: [1, CYC.referenceCycles],
    readBy: 'cycles (cycle_life_80: referenceCycles)',
    doc: 'reference capacity = max over these cycles; must start at 1',
  },
  {
    section: 'cycling',
    key: 'rest_loss.reference_cycles',
    type: { kind: 'integer', min: 1 },
    unit: 'cycle',
    default: CYC.restReferenceCycles,
    readBy: 'cycles (rest_loss_fraction: restReferenceCycles)',
    doc: 'CE_ref = mean CE of this many unaffected cycles just before the rest',
  },
  {
    section: 'cycling',
    key: 'rest_loss.recovery_cycles',
    type: { kind: 'integer', min: 0 },
    unit: 'cycle',
    default: CYC.restRecoveryCycles,
    readBy: 'cycles (rest_loss_fraction: restRecoveryCycles)',
    doc: 'cycles after a rest that are its recovery transient, never a reference',
  },
  {
    section: 'xps',
    key: 'charge_reference',
    type: { kind: 'reference' },
    unit: 'eV',
    default: 'C-C 284.8',
    readBy: 'xps-sei (src/fit/xps/fitter.ts: reference)',
    doc: "'<library species> <binding energy in eV>', e.g. 'C-C 284.8' or 'LiF 685.0'",
  },
  {
    section: 'xps',
    key: 'background',
    type: { kind: 'enum', values: ['shirley', 'linear', 'tougaard'] },
    unit: '',
    default: DEFAULT_XPS_FIT_OPTIONS.background,
    readBy: 'xps-sei (region fits)',
    doc: 'background under each region',
  },
  {
    section: 'xps',
    key: 'inorganic_species',
    type: { kind: 'species' },
    unit: '',
    default: XPS_INORGANIC,
    readBy: 'xps-sei (SEI inorganic fraction)',
    doc: 'library species counted as inorganic',
  },
  {
    section: 'xps',
    key: 'rsf',
    type: { kind: 'enum', values: ['scofield'] },
    unit: '',
    default: 'scofield',
    readBy: 'xps-sei (quantification)',
    doc: 'relative sensitivity factors (only Scofield is tabulated)',
  },
  {
    section: 'tofsims',
    key: 'inorganic_markers',
    type: { kind: 'ions' },
    unit: '',
    default: null,
    defaultText: "the marker library's inorganic class",
    readBy: 'sims (image ratio numerator)',
    doc: 'ion labels (as in the file) of the inorganic share of a multi-ion image',
  },
  {
    section: 'tofsims',
    key: 'organic_markers',
    type: { kind: 'ions' },
    unit: '',
    default: null,
    defaultText: "the marker library's organic class",
    readBy: 'sims (image ratio denominator)',
    doc: 'ion labels of the organic share',
  },
  {
    section: 'tofsims',
    key: 'bin_um',
    type: { kind: 'number', min: 0, open: true },
    unit: 'µm',
    default: DEFAULT_SIMS_BIN_UM,
    readBy: 'sims-pairing (src/derived/sims-pairs.ts)',
    doc: 'physical bin edge of the heterogeneity index of paired single-ion images',
    campaignOnly: true,
  },
  {
    section: 'pe',
    key: 'film_thickness_nm',
    type: { kind: 'number', min: 0, open: true },
    unit: 'nm',
    default: null,
    defaultText: "the file's, else the cell's film_thickness_nm",
    readBy: 'ferro (field from voltage)',
    doc: 'film thickness when neither the file nor the cell states it',
  },
  {
    section: 'pe',
    key: 'electrode_area_cm2',
    type: { kind: 'number', min: 0, open: true },
    unit: 'cm²',
    default: null,
    defaultText: "the file's",
    readBy: 'ferro (leakage current density)',
    doc: 'electrode area when the file does not state it',
  },
  {
    section: 'statistics',
    key: 'alpha',
    type: { kind: 'number', min: 0, max: 0.5, open: true },
    unit: '1',
    default: EV.alpha,
    readBy: 'evaluateHypotheses (alpha)',
    doc: 'two-sided significance level of every decision',
    campaignOnly: true,
  },
  {
    section: 'statistics',
    key: 'correction',
    type: { kind: 'enum', values: ['bh', 'holm', 'none'] },
    unit: '',
    default: EV.decideWith === 'raw' ? 'none' : EV.decideWith,
    readBy: 'evaluateHypotheses (decideWith)',
    doc: "p-value that decides 'supported': Benjamini–Hochberg, Holm, or raw ('none')",
    campaignOnly: true,
  },
  {
    section: 'statistics',
    key: 'lce_margin',
    type: { kind: 'number', min: 0, open: true },
    unit: 'LCE',
    default: EV.lceMargin,
    readBy: 'evaluateHypotheses (lceMargin)',
    doc: 'TOST equivalence margin on the LCE scale',
    campaignOnly: true,
  },
  {
    section: 'statistics',
    key: 'smd_margin',
    type: { kind: 'number', min: 0, open: true },
    unit: 'SMD',
    default: EV.smdMargin,
    readBy: 'evaluateHypotheses (smdMargin)',
    doc: 'TOST margin on standardised scales',
    campaignOnly: true,
  },
  {
    section: 'statistics',
    key: 'min_cells',
    type: { kind: 'integer', min: 2 },
    unit: 'cells',
    default: EV.minPerArm,
    readBy: 'evaluateHypotheses (minPerArm)',
    doc: 'fewest cells per arm for a test to run',
    campaignOnly: true,
  },
];

export interface StatisticsSettings {
  readonly alpha?: number;
  readonly correction?: 'bh' | 'holm' | 'none';
  readonly lce_margin?: number;
  readonly smd_margin?: number;
  readonly min_cells?: number;
}

/** Campaign-wide settings: the fitter sections plus statistics. */
export type AnalysisSettings = FitSettings & { readonly statistics?: StatisticsSettings };

export interface AnalysisSelector {
  readonly group?: string;
  readonly cell?: string;
  readonly files?: string;
}

export interface AnalysisOverride {
  /** 1-based position in `overrides` (its name in the report: override #k). */
  readonly index: number;
  readonly selector: AnalysisSelector;
  readonly settings: FitSettings;
}

export interface AnalysisSpec {
  readonly campaign: AnalysisSettings;
  readonly overrides: readonly AnalysisOverride[];
}

export const EMPTY_ANALYSIS: AnalysisSpec = { campaign: {}, overrides: [] };

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function suggest(key: string, options: readonly string[]): string {
  const { best, distance } = closest(key, options);
  return best && distance <= Math.max(2, Math.floor(key.length / 3)) ? ` (did you mean '${best}'?)` : '';
}

function num(v: unknown): number {
  return typeof v === 'number' ? v : typeof v === 'string' && v.trim() !== '' ? Number(v.trim()) : NaN;
}

const SPECIES_NAMES = [...new Set(SPECIES_LIBRARY.map((s) => s.species))];

/** The library component of a charge reference: an id (`LiF:F1s`) or a species (its first enabled line). */
function referenceComponent(name: string): string | undefined {
  const byId = SPECIES_LIBRARY.find((s) => s.id === name);
  if (byId) return byId.id;
  const entries = SPECIES_LIBRARY.filter((s) => s.species === name);
  return (entries.find((s) => s.enabled) ?? entries[0])?.id;
}

/** Check one value against its key's type: the value to keep, or a problem. */
function checkValue(spec: AnalysisKey, v: unknown): { value: unknown } | { problem: string } {
  const t = spec.type;
  const unit = spec.unit && spec.unit !== '1' ? ` ${spec.unit}` : '';
  switch (t.kind) {
    case 'number': {
      const n = num(v);
      if (!Number.isFinite(n)) return { problem: `must be a number${unit ? ` (in${unit})` : ''}, found '${String(v)}'` };
      const lo = t.min;
      const hi = t.max;
      const below = lo !== undefined && (t.open ? n <= lo : n < lo);
      const above = hi !== undefined && (t.open ? n >= hi : n > hi);
      if (below || above) {
        const range = hi !== undefined ? `${t.open ? 'between' : 'in'} ${lo} and ${hi}${t.open ? ' (exclusive)' : ''}` : `${t.open ? '>' : '≥'} ${lo}`;
        return { problem: `must be ${range}${unit}, found ${n}` };
      }
      return { value: n };
    }
    case 'integer': {
      const n = num(v);
      if (!Number.isInteger(n) || n < t.min) return { problem: `must be a whole number ≥ ${t.min}, found '${String(v)}'` };
      return { value: n };
    }
    case 'boolean':
      if (typeof v === 'boolean') return { value: v };
      if (v === 'true' || v === 'false') return { value: v === 'true' };
      return { problem: `must be true or false, found '${String(v)}'` };
    case 'enum': {
      const s = String(v).trim();
      const hit = t.values.find((x) => x.toLowerCase() === s.toLowerCase());
      return hit ? { value: hit } : { problem: `must be one of ${t.values.join(', ')}, found '${s}'${suggest(s, t.values)}` };
    }
    case 'range': {
      if (!Array.isArray(v) || v.length !== 2)
        return { problem: `must be a pair [from, to]${unit ? ` in${unit}` : ''}, e.g. ${t.integer ? '[10, 50]' : '[0.1, 1e5]'}; found ${JSON.stringify(v)}` };
      const [a, b] = v.map(num) as [number, number];
      if (!Number.isFinite(a) || !Number.isFinite(b)) return { problem: `must hold two numbers, found ${JSON.stringify(v)}` };
      if (t.integer && (!Number.isInteger(a) || !Number.isInteger(b))) return { problem: `must hold two whole cycle numbers, found ${JSON.stringify(v)}` };
      if (t.integer ? a < t.min : a <= t.min) return { problem: `must start ${t.integer ? `at ${t.min} or later` : `above ${t.min}${unit}`}, found ${a}` };
      if (!(a < b || (t.integer && a === b))) return { problem: `must be [from, to] with from < to, found [${a}, ${b}]` };
      return { value: [a, b] };
    }
    case 'circuit': {
      if (typeof v !== 'string' || !v.trim()) return { problem: `must be a circuit string like '${LI_METAL_CIRCUIT}'` };
      try {
        parseCircuit(v.trim());
      } catch (e) {
        if (e instanceof CircuitSyntaxError) return { problem: e.message };
        return { problem: (e as Error).message };
      }
      return { value: v.trim() };
    }
    case 'lambda': {
      if (typeof v === 'string' && v.trim().toLowerCase() === 'auto') return { value: 'auto' };
      const n = num(v);
      return Number.isFinite(n) && n > 0 ? { value: n } : { problem: `must be 'auto' or a positive number, found '${String(v)}'` };
    }
    case 'reference': {
      const m = /^\s*(\S+)\s+([-+0-9.eE]+)\s*(?:eV)?\s*$/.exec(String(v));
      if (!m) return { problem: `must be '<species> <binding energy in eV>', e.g. 'C-C 284.8', found '${String(v)}'` };
      const id = referenceComponent(m[1]!);
      if (!id) return { problem: `species '${m[1]}' is not in the XPS library${suggest(m[1]!, SPECIES_NAMES)}` };
      const e = Number(m[2]);
      if (!(e > 0 && e < 1500)) return { problem: `binding energy must be between 0 and 1500 eV, found ${m[2]}` };
      return { value: { species: id, energy_eV: e } };
    }
    case 'species': {
      const arr = Array.isArray(v)
        ? v.map(String)
        : typeof v === 'string'
          ? v
              .split(/[,;]/)
              .map((s) => s.trim())
              .filter(Boolean)
          : null;
      if (!arr || !arr.length) return { problem: `must be a list of library species, e.g. [LiF, Li2O, Li2CO3]` };
      const bad = arr.filter((s) => !SPECIES_NAMES.includes(s));
      if (bad.length) return { problem: bad.map((s) => `'${s}' is not an XPS library species${suggest(s, SPECIES_NAMES)}`).join('; ') };
      return { value: arr };
    }
    case 'ions': {
      const arr = Array.isArray(v) ? v.map(String).map((s) => s.trim()) : typeof v === 'string' ? [v.trim()] : null;
      if (!arr || !arr.length || arr.some((s) => !s)) return { problem: `must be a list of ion labels as in the files, e.g. [LiF2-]` };
      return { value: arr };
    }
  }
}

function setPath(target: Record<string, unknown>, dotted: string, value: unknown): void {
  const parts = dotted.split('.');
  let o = target;
  for (const p of parts.slice(0, -1)) o = (o[p] ??= {}) as Record<string, unknown>;
  o[parts[parts.length - 1]!] = value;
}

function getPath(source: unknown, dotted: string): unknown {
  let o = source;
  for (const p of dotted.split('.')) o = isObject(o) ? o[p] : undefined;
  return o;
}

/** One section's mapping → its settings; every problem is pushed with `where` and the key. */
function validateSection(section: AnalysisSection, raw: unknown, where: string, problems: string[], inOverride: boolean): Record<string, unknown> | undefined {
  if (!isObject(raw)) {
    problems.push(
      `${where}: must be a mapping of ${section} settings, e.g. ${section}: { ${ANALYSIS_KEYS.find((k) => k.section === section)!.key.split('.')[0]}: … }`,
    );
    return undefined;
  }
  const keys = ANALYSIS_KEYS.filter((k) => k.section === section);
  const out: Record<string, unknown> = {};
  const walk = (obj: Record<string, unknown>, prefix: string): void => {
    const here = keys.filter((k) => k.key.startsWith(prefix)).map((k) => k.key.slice(prefix.length).split('.')[0]!);
    const names = [...new Set(here)];
    for (const [k, v] of Object.entries(obj)) {
      const dotted = prefix + k;
      const leaf = keys.find((x) => x.key === dotted);
      if (!leaf && !names.includes(k)) {
        problems.push(`${where}: unknown key '${dotted}'${suggest(k, names)}; allowed: ${names.join(', ')}`);
        continue;
      }
      if (!leaf) {
        if (!isObject(v))
          problems.push(
            `${where}: '${dotted}' must be a mapping, e.g. { ${keys.find((x) => x.key.startsWith(`${dotted}.`))!.key.slice(dotted.length + 1)}: … }`,
          );
        else walk(v, `${dotted}.`);
        continue;
      }
      if (v === null || v === undefined) continue;
      if (inOverride && leaf.campaignOnly) {
        problems.push(`${where}: '${section}.${dotted}' is campaign-wide and cannot be overridden per group, cell or file; set it under analysis.${section}`);
        continue;
      }
      const r = checkValue(leaf, v);
      if ('problem' in r) problems.push(`${where}: '${dotted}' ${r.problem}`);
      else setPath(out, dotted, r.value);
    }
  };
  walk(raw, '');
  return out;
}

/** `life_criterion.of_cycles` must start at 1 (the reference is the max over the first n cycles). */
function crossCheck(s: Record<string, unknown>, where: string, problems: string[], seiBlockDefault: number | undefined): void {
  const cyc = s.cycling as Record<string, unknown> | undefined;
  const of = getPath(cyc, 'life_criterion.of_cycles') as [number, number] | undefined;
  if (of && of[0] !== 1) {
    problems.push(`${where}: 'life_criterion.of_cycles' must start at 1 (the reference is the max over cycles 1–n), found [${of[0]}, ${of[1]}]`);
    delete (cyc!.life_criterion as Record<string, unknown>).of_cycles;
  }
  const imp = s.impedance as Record<string, unknown> | undefined;
  if (imp?.circuit) {
    const sei = (imp.sei_block as number | undefined) ?? seiBlockDefault ?? 1;
    const names = parseCircuit(imp.circuit as string).parameters.map((p) => p.name);
    if (!names.includes(`R${sei}`)) {
      problems.push(
        `${where}: circuit '${String(imp.circuit)}' has no R${sei} for sei_block ${sei}: R_SEI would not be reported; name the SEI resistor R${sei} or set sei_block`,
      );
      delete imp.circuit;
    }
  }
}

function validateSettings(
  raw: Record<string, unknown>,
  where: string,
  problems: string[],
  inOverride: boolean,
  seiBlockDefault?: number,
): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(raw)) {
    if (!(ANALYSIS_SECTIONS as readonly string[]).includes(k)) {
      problems.push(
        `${where}: unknown key '${k}'${suggest(k, [...ANALYSIS_SECTIONS, ...(inOverride ? ['group', 'cell', 'files'] : ['overrides'])])}; allowed: ${ANALYSIS_SECTIONS.join(', ')}${inOverride ? ' (and one of group, cell, files)' : ', overrides'}`,
      );
      continue;
    }
    const s = validateSection(k as AnalysisSection, v, `${where}.${k}`, problems, inOverride);
    if (s && Object.keys(s).length) out[k] = s;
  }
  crossCheck(out, where, problems, seiBlockDefault);
  return pruneEmpty(out);
}

/** Drop mappings left empty by a dropped key (an override that sets nothing valid applies nothing). */
function pruneEmpty(o: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(o)) {
    const w = isObject(v) ? pruneEmpty(v) : v;
    if (!isObject(w) || Object.keys(w).length) out[k] = w;
  }
  return out;
}

/**
 * Validate the `analysis:` block. Never throws: problems are returned, and what was valid is kept
 * (a bad key is dropped, a bad override is dropped; the campaign settings and other overrides stay).
 */
export function validateAnalysis(
  raw: unknown,
  known: { readonly cells: readonly string[]; readonly groups: readonly string[] } = { cells: [], groups: [] },
): { spec: AnalysisSpec; problems: string[] } {
  const problems: string[] = [];
  if (raw === undefined || raw === null) return { spec: EMPTY_ANALYSIS, problems };
  if (!isObject(raw))
    return { spec: EMPTY_ANALYSIS, problems: [`analysis: must be a mapping of ${ANALYSIS_SECTIONS.join(', ')} and overrides; see docs/analysis-options.md`] };
  const { overrides: rawOverrides, ...rest } = raw;
  const campaign = validateSettings(rest, 'analysis', problems, false) as AnalysisSettings;
  const overrides: AnalysisOverride[] = [];
  if (rawOverrides !== undefined && rawOverrides !== null) {
    if (!Array.isArray(rawOverrides)) problems.push(`analysis.overrides: must be a list like - { group: BTO-poled, impedance: { circuit: 'R0-p(R1,CPE1)' } }`);
    else
      rawOverrides.forEach((o, i) => {
        const where = `analysis.overrides[${i + 1}]`;
        if (!isObject(o)) {
          problems.push(`${where}: must be a mapping like { group: BTO-poled, impedance: { … } }`);
          return;
        }
        const { group, cell, files, ...settingsRaw } = o;
        const given = [
          ['group', group],
          ['cell', cell],
          ['files', files],
        ].filter(([, v]) => v !== undefined && v !== null) as [string, unknown][];
        if (given.length !== 1) {
          problems.push(
            `${where}: needs exactly one of 'group', 'cell' or 'files' (found ${given.length ? given.map(([k]) => k).join(' and ') : 'none'}); override dropped`,
          );
          return;
        }
        const [kind, value] = given[0]!;
        const text = String(value).trim();
        if (kind === 'files' && globEscapes(text)) {
          problems.push(`${where}: pattern '${text}' leaves the campaign folder; override dropped`);
          return;
        }
        if (kind === 'group' && known.groups.length && !known.groups.includes(text)) {
          problems.push(`${where}: no cell has group '${text}'${suggest(text, known.groups)}; override dropped`);
          return;
        }
        if (kind === 'cell' && known.cells.length && !known.cells.includes(text)) {
          problems.push(`${where}: no cell has id '${text}'${suggest(text, known.cells)}; override dropped`);
          return;
        }
        const before = problems.length;
        const settings = validateSettings(settingsRaw, `${where} (${kind} ${text})`, problems, true, campaign.impedance?.sei_block);
        if (!Object.keys(settings).length && problems.length === before) problems.push(`${where} (${kind} ${text}): sets nothing`);
        if (Object.keys(settings).length) overrides.push({ index: i + 1, selector: { [kind]: text }, settings: settings as FitSettings });
      });
  }
  return { spec: { campaign, overrides }, problems };
}

/** Does an override apply to this file of this cell? */
export function overrideApplies(o: AnalysisOverride, at: { readonly cellId: string | null; readonly group?: string; readonly path: string }): boolean {
  const s = o.selector;
  if (s.group !== undefined) return at.group === s.group;
  if (s.cell !== undefined) return at.cellId === s.cell;
  return s.files !== undefined && globToRegExp(s.files).test(at.path);
}

function mergeDeep(a: Record<string, unknown>, b: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = { ...a };
  for (const [k, v] of Object.entries(b)) out[k] = isObject(v) && isObject(out[k]) ? mergeDeep(out[k] as Record<string, unknown>, v) : v;
  return out;
}

/** The fitter settings in force for one file: the campaign's, then every matching override in order (later wins). */
export function resolveFitSettings(spec: AnalysisSpec, at: { readonly cellId: string | null; readonly group?: string; readonly path: string }): FitSettings {
  const { statistics: _s, ...campaign } = spec.campaign;
  let out = campaign as Record<string, unknown>;
  for (const o of spec.overrides) if (overrideApplies(o, at)) out = mergeDeep(out, o.settings as Record<string, unknown>);
  return out as FitSettings;
}

/** An override's name in the report: `override #2 (group BTO-poled)`. */
export function overrideLabel(o: AnalysisOverride): string {
  const [k, v] = Object.entries(o.selector)[0]!;
  return `override #${o.index} (${k} ${v})`;
}

export interface SettingRow {
  readonly section: AnalysisSection;
  readonly key: string;
  /** The value (JSON); null with `valueText` when the fitter's own rule applies. */
  readonly value: unknown;
  readonly valueText: string;
  readonly unit: string;
  /** `default`, `analysis` or `override #k (group X | cell Y | files glob)`. */
  readonly source: string;
  readonly readBy: string;
}

export function formatSettingValue(v: unknown): string {
  if (v === null || v === undefined) return '';
  if (Array.isArray(v)) return `[${v.map(formatSettingValue).join(', ')}]`;
  if (isObject(v) && 'species' in v && 'energy_eV' in v) return `${String(v.species).split(':')[0]} ${String(v.energy_eV)}`;
  if (isObject(v)) return JSON.stringify(v);
  return String(v);
}

/**
 * The report's Settings rows: every key campaign-wide (from the default or from `analysis`), then each
 * override's keys with where they apply.
 */
export function settingsRows(spec: AnalysisSpec): SettingRow[] {
  const rows: SettingRow[] = [];
  for (const k of ANALYSIS_KEYS) {
    const set = getPath((spec.campaign as Record<string, unknown>)[k.section], k.key);
    const value = set ?? k.default;
    rows.push({
      section: k.section,
      key: k.key,
      value,
      valueText: value === null ? (k.defaultText ?? '') : formatSettingValue(value),
      unit: k.unit,
      source: set === undefined ? 'default' : 'analysis',
      readBy: k.readBy,
    });
  }
  for (const o of spec.overrides) {
    for (const k of ANALYSIS_KEYS) {
      const set = getPath((o.settings as Record<string, unknown>)[k.section], k.key);
      if (set !== undefined)
        rows.push({ section: k.section, key: k.key, value: set, valueText: formatSettingValue(set), unit: k.unit, source: overrideLabel(o), readBy: k.readBy });
    }
  }
  return rows;
}
