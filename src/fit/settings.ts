/**
 * Analysis settings a campaign manifest may give the fitters (`analysis:` in campaign.yaml, see
 * src/campaign/analysis-options.ts and docs/analysis-options.md). Keys mirror the manifest's own
 * (snake_case, unit in the name) so the report, the docs and the store name a setting the same way.
 * Every key is optional: absent means the fitter's default, so a campaign without `analysis:` fits
 * exactly as before.
 */
import type { RecordKind } from '../records/record.js';

export interface ImpedanceSettings {
  /** Equivalent circuit in the impedance.py grammar. @default 'R0-p(R1,CPE1)-p(R2,CPE2)' */
  readonly circuit?: string;
  /** @default 'modulus' */
  readonly weighting?: 'unit' | 'modulus' | 'proportional';
  /** Points outside [lo, hi] (Hz) are left out of KK, DRT and the fit. @default all points */
  readonly frequency_range_Hz?: readonly [number, number];
  /** lin-KK pass threshold on max |relative residual|. @default 0.01 */
  readonly kk_threshold?: number;
  /** Which parallel block (R_k ‖ CPE_k) is the SEI: R_k → R_SEI, block k+1 → R_ct / CPE_dl. @default 1 */
  readonly sei_block?: number;
  /** DRT regularisation: 'auto' (GCV) or a fixed λ. @default 'auto' */
  readonly drt_lambda?: number | 'auto';
}

export interface CyclingSettings {
  /** First and last cycle number (inclusive) of ce_mean / lce_mean. @default all complete cycles */
  readonly ce_cycles?: readonly [number, number];
  /** Leave the first (formation) cycle out of ce_mean. @default true */
  readonly exclude_first_cycle?: boolean;
  readonly life_criterion?: {
    /** @default 0.8 */
    readonly fraction_of_max?: number;
    /** Reference capacity = max over these cycles; must start at 1. @default [1, 5] */
    readonly of_cycles?: readonly [number, number];
  };
  readonly rest_loss?: {
    /** @default 5 */
    readonly reference_cycles?: number;
    /** @default 5 */
    readonly recovery_cycles?: number;
  };
}

export interface XpsSettings {
  /** Charge reference: a library component and its binding energy (eV). @default C-C 284.8 */
  readonly charge_reference?: { readonly species: string; readonly energy_eV: number };
  /** @default 'shirley' */
  readonly background?: 'shirley' | 'linear' | 'tougaard';
  /** Species counted as inorganic. @default LiF, Li2O, Li3N, LiNxOy, Li2CO3, LixPOyFz */
  readonly inorganic_species?: readonly string[];
  /** Relative sensitivity factors. @default 'scofield' */
  readonly rsf?: 'scofield';
}

export interface TofsimsSettings {
  /** Ions of the image ratio numerator (labels as in the file). @default the marker library's inorganic class */
  readonly inorganic_markers?: readonly string[];
  /** @default the marker library's organic class */
  readonly organic_markers?: readonly string[];
  /** Physical bin edge (µm) of the heterogeneity index of paired single-ion images. @default 8 */
  readonly bin_um?: number;
}

export interface PeSettings {
  /** Film thickness (nm) when neither the file nor the cell states it. */
  readonly film_thickness_nm?: number;
  /** Electrode area (cm²) when the file does not state it (leakage current density). */
  readonly electrode_area_cm2?: number;
}

/** The per-record sections (statistics are campaign-wide and never reach a fitter). */
export interface FitSettings {
  readonly impedance?: ImpedanceSettings;
  readonly cycling?: CyclingSettings;
  readonly xps?: XpsSettings;
  readonly tofsims?: TofsimsSettings;
  readonly pe?: PeSettings;
}

export type FitSettingsSection = keyof FitSettings;

/** Which section's settings a record kind is fitted with. */
export function settingsSectionFor(kind: RecordKind): FitSettingsSection | null {
  if (kind === 'eis') return 'impedance';
  if (kind === 'cycler' || kind === 'cycle-summary') return 'cycling';
  if (kind === 'xps-spectrum' || kind === 'xps-depth-profile' || kind === 'xps-quantification') return 'xps';
  if (kind === 'sims-image' || kind === 'sims-depth-profile' || kind === 'sims-spectrum') return 'tofsims';
  if (kind === 'pe-loop') return 'pe';
  return null;
}

/** JSON with keys sorted, so equal settings give equal text whatever order they were written in. */
export function stableJson(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(stableJson).join(',')}]`;
  if (v && typeof v === 'object') {
    return `{${Object.keys(v)
      .sort()
      .filter((k) => (v as Record<string, unknown>)[k] !== undefined)
      .map((k) => `${JSON.stringify(k)}:${stableJson((v as Record<string, unknown>)[k])}`)
      .join(',')}}`;
  }
  return JSON.stringify(v);
}

/**
 * The settings key of a record: '' when its section sets nothing (a fit made before `analysis:` existed
 * has the same key), else FNV-1a of the section's stable JSON. Part of the fit cache key: a stored fit
 * whose key differs from the current one is re-fitted from the stored columns.
 */
export function settingsKey(kind: RecordKind, settings: FitSettings | undefined): string {
  const section = settingsSectionFor(kind);
  const s = section ? settings?.[section] : undefined;
  const text = s ? stableJson(s) : '{}';
  if (text === '{}') return '';
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h.toString(16).padStart(8, '0');
}
