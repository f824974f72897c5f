/**
 * Canonical records: what every parser returns, whatever the instrument.
 *
 * A record is a table of typed columns under canonical names with units, plus metadata and
 * provenance. Units are fixed at the parser boundary (see `src/records/names.ts`); nothing
 * downstream converts or guesses them.
 */

/** What a record measures. One file may yield several records (e.g. many EIS spectra). */
export type RecordKind =
  | 'cycler' //               time series of a cycler channel (BDF column names)
  | 'cycle-summary' //        a cycler's per-cycle table (cycle/step layer exports): one row per cycle, no raw rows
  | 'eis' //                  one impedance spectrum
  | 'xps-spectrum' //         XPS regions at one etch level
  | 'xps-depth-profile' //    XPS regions over several etch levels
  | 'xps-quantification' //   a vendor's peak / atomic-% table (no spectra), one row per peak per etch level
  | 'sims-depth-profile' //   ToF-SIMS secondary-ion intensities vs sputter time/dose
  | 'sims-spectrum' //        ToF-SIMS mass spectrum
  | 'sims-image' //           ToF-SIMS ion image(s), 2D or 3D
  | 'pe-loop' //              ferroelectric polarisation–field hysteresis loop
  | 'chronoamperometry' //    potentiostatic step: current vs time at a held voltage (Bruce–Vincent polarisation)
  | 'pfm-image' //            scanning-probe image channels (PFM phase / amplitude) on one pixel grid
  | 'vibrational-spectrum'; // one Raman or FTIR spectrum (Wavenumber / cm-1, Intensity; meta.technique)

export const RECORD_KINDS: readonly RecordKind[] = [
  'cycler',
  'cycle-summary',
  'eis',
  'xps-spectrum',
  'xps-depth-profile',
  'xps-quantification',
  'sims-depth-profile',
  'sims-spectrum',
  'sims-image',
  'pe-loop',
  'chronoamperometry',
  'pfm-image',
  'vibrational-spectrum',
];

/** Instrument families; a format belongs to exactly one. Folder names under `parsers/`. */
export type Family = 'cycler' | 'eis' | 'xps' | 'tofsims' | 'pe-loop' | 'spm' | 'vibrational';

export type NumericArray = Float64Array | Int32Array;

/**
 * One column. `name` is the canonical quantity name WITHOUT unit (e.g. `Voltage`), `unit` the SI-ish
 * unit string (e.g. `V`); `label` joins them BDF-style as `Voltage / V`.
 * A categorical column (region names, step types) stores indices into `levels` in an Int32Array.
 */
export interface Column {
  readonly name: string;
  readonly unit: string;
  readonly values: NumericArray;
  readonly levels?: readonly string[];
}

export interface ParseWarning {
  /** Stable machine code, e.g. `unknown-column-id`, `rows-skipped`. */
  readonly code: string;
  readonly message: string;
  readonly line?: number;
  readonly offset?: number;
  /** Rows affected, when the warning concerns data rows. */
  readonly rows?: number;
  /** Code `incomplete`: what the file's own header declares, and what was read (INCOMPLETE_WARNING). */
  readonly declared?: number;
  readonly read?: number;
  readonly unit?: string;
}

/** Warning code of a record whose file declares more points, rows or cycles than it holds (issue #18). */
export const INCOMPLETE_WARNING = 'incomplete';

/**
 * `meta.incomplete`: the file's own header declares more than it holds (a sweep stopped early, a copy
 * cut short). The record is read and kept, but flagged: the report says `incomplete`, its fits say so and
 * are not ok where the missing part would bias them (fitRecord).
 */
export interface IncompleteInfo {
  readonly declared: number;
  readonly read: number;
  /** What is counted: `points`, `rows`, `cycles`, `blocks`. */
  readonly unit: string;
  /** Where the count is declared (e.g. `ZCURVE TABLE header`). */
  readonly source?: string;
}

/** The record's `meta.incomplete`, when its file declared more than it holds. */
export function incompleteOf(r: { readonly meta?: RecordMeta }): IncompleteInfo | undefined {
  const x = r.meta?.incomplete as IncompleteInfo | undefined;
  return x && typeof x.declared === 'number' && typeof x.read === 'number' && x.read < x.declared ? x : undefined;
}

/** `read of declared unit (source)`, the one sentence every report uses. */
export function describeIncomplete(x: IncompleteInfo): string {
  return `${x.read} of ${x.declared} declared ${x.unit}${x.source ? ` (${x.source})` : ''}`;
}

/**
 * What a parser adds when a declared count exceeds what it read: `meta.incomplete` and an `incomplete`
 * warning carrying both counts. Returns null when nothing is missing.
 */
export function incompleteMark(x: IncompleteInfo, line?: number): { meta: { incomplete: IncompleteInfo }; warning: ParseWarning } | null {
  if (!(x.read < x.declared)) return null;
  return {
    meta: { incomplete: { ...x } },
    warning: {
      code: INCOMPLETE_WARNING,
      message: `incomplete: ${describeIncomplete(x)} — the file holds less than its header declares (cut copy, or measurement stopped early)`,
      declared: x.declared,
      read: x.read,
      unit: x.unit,
      ...(line !== undefined ? { line } : {}),
    },
  };
}

/** What the file says about itself. Only what the file states; never guessed. */
export interface RecordMeta {
  instrument?: string;
  software?: string;
  softwareVersion?: string;
  channel?: string;
  /** ISO 8601, as stated by the file (timezone as given; none assumed). */
  startTime?: string;
  cellId?: string;
  technique?: string;
  /**
   * Cycler records: what the Charging/Discharging Capacity counters span as the file writes them —
   * 'step' (reset every step: Neware, Landt), 'cycle' (Arbin .res) or 'test' (never reset).
   * The cycle fitter handles all three; parsers say which when they know.
   */
  capacityScope?: 'step' | 'cycle' | 'test';
  /** Anything else format-specific that is worth keeping (plain JSON values). */
  [key: string]: unknown;
}

export interface Provenance {
  readonly path: string;
  readonly size: number;
  readonly sha256: string;
  readonly parser: string;
  readonly parserVersion: string;
  /** Index of this record among the records of its file. */
  readonly recordIndex: number;
}

/** Record as produced by a parser: provenance is added by the loader, which knows the file. */
export interface ParsedRecord {
  readonly kind: RecordKind;
  readonly meta: RecordMeta;
  readonly columns: readonly Column[];
  readonly warnings: readonly ParseWarning[];
}

export interface CanonicalRecord extends ParsedRecord {
  readonly format: string;
  readonly provenance: Provenance;
}

export function columnLabel(c: Pick<Column, 'name' | 'unit'>): string {
  return c.unit ? `${c.name} / ${c.unit}` : c.name;
}

/** Rows of a record; a file read in pieces keeps no columns and states its row count in `meta.rows`. */
export function rowCount(r: Pick<ParsedRecord, 'columns'> & { readonly meta?: RecordMeta }): number {
  if (r.columns.length) return r.columns[0]!.values.length;
  return typeof r.meta?.rows === 'number' ? r.meta.rows : 0;
}

export function findColumn(r: Pick<ParsedRecord, 'columns'>, name: string): Column | undefined {
  return r.columns.find((c) => c.name === name);
}

export function requireColumn(r: Pick<ParsedRecord, 'columns'>, name: string): Column {
  const c = findColumn(r, name);
  if (!c) throw new Error(`record has no column '${name}' (has: ${r.columns.map(columnLabel).join(', ')})`);
  return c;
}
