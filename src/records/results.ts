/**
 * Result types shared by the layers above records: per-file, per-parameter, per-fit and
 * per-hypothesis entries of the report document (src/report/types.ts assembles them).
 */
/**
 * The one state every path in the campaign folder ends in (issue #18). `pending`: listed but not read
 * yet (a watcher waiting for it to settle); a finished batch leaves none. `incomplete`: parsed, but its
 * own header declares more points, rows or cycles than it holds (FileReport.incomplete); its fits are flagged.
 */
export const PATH_STATES = [
  'parsed',
  'incomplete',
  'companion',
  'ignored',
  'temporary',
  'symlink-not-followed',
  'unreadable',
  'quarantined',
  'duplicate',
  'source removed',
  'pending',
] as const;
export type PathState = (typeof PATH_STATES)[number];

export interface PathEntry {
  readonly path: string;
  readonly state: PathState;
  /** Why (the ignore pattern, the OS error, the file it duplicates, the failure message). */
  readonly detail?: string;
}

export type StageStatus = 'done' | 'not available' | 'failed' | 'skipped';

export interface StageReport {
  readonly name: string;
  readonly status: StageStatus;
  readonly detail: string;
}

export interface FileReport {
  readonly path: string;
  /** `failed` = unreadable; `sidecar` = a metadata companion of `companionOf` (not a problem). */
  readonly status: 'parsed' | 'failed' | 'duplicate' | 'sidecar';
  readonly format: string | null;
  readonly kind: string | null;
  readonly cell: string | null;
  readonly records: number;
  readonly rows: number;
  readonly sha256: string | null;
  readonly parser: string | null;
  readonly parserVersion: string | null;
  readonly warnings: readonly { code: string; message: string; rows?: number }[];
  readonly error: { type: string; line: number | null; offset: number | null; message: string } | null;
  readonly duplicateOf: string | null;
  readonly quarantined: string | null;
  /** Sidecars: the data file their fields are attached to (`meta.sidecar` of its records). */
  readonly companionOf?: string | null;
  /** Sidecars: the fields read from them. */
  readonly companionFields?: Readonly<Record<string, unknown>> | null;
  /** Data files: the metadata companions attached to them. */
  readonly companions?: readonly string[];
  /** Its one state (PATH_STATES): `quarantined` for failed, `companion` for sidecars, `source removed` when it left the folder. */
  readonly state?: PathState;
  /** The file left the folder; its results are kept until `batch --prune`. */
  readonly sourceRemoved?: boolean;
  /**
   * Parsed but incomplete (state `incomplete`): the file's header declares more than it holds — summed
   * over its incomplete records (the `incomplete` warnings). Absent for complete files.
   */
  readonly incomplete?: { readonly declared: number; readonly read: number; readonly unit: string; readonly message: string };
}

/** Files by outcome: unreadable files (`failed`) and metadata companions (`sidecars`) counted apart. */
export interface FileCounts {
  readonly total: number;
  readonly parsed: number;
  readonly failed: number;
  readonly duplicates: number;
  readonly sidecars: number;
}

/**
 * Where a parameter's value comes from: `fitted` (estimated from this cell's data; stderr / CI are its
 * own), `input` (a measurement carried into a model, e.g. P₀ from Pr), `prior-fixed` (held at a stated
 * value: a parameter set's prior or a value from other cells; no stderr / CI), `not identifiable` (these
 * data cannot determine it; value null, no stderr / CI). Absent = `fitted`.
 */
export type ParameterStatus = 'fitted' | 'input' | 'prior-fixed' | 'not identifiable';

/** A parameter of one cell: the mean over that cell's records that gave it, with its sources. */
export interface CellParameter {
  readonly cell: string;
  readonly group: string;
  readonly name: string;
  readonly value: number | null;
  readonly unit: string;
  readonly stderr: number | null;
  readonly ci95: readonly [number, number] | null;
  readonly censored: boolean | null;
  readonly n: number;
  readonly fitter: string;
  readonly fitOk: boolean;
  /** Record ids (`<sha16>:<index>`) the value comes from: trace to file via `files`. */
  readonly sources: readonly string[];
  /** The files those records were read from (what the report shows). */
  readonly sourceFiles?: readonly string[];
  /** Per-file parameters (no manifest, or no cells): the file they were fitted from; `cell` is ''. */
  readonly file?: string;
  /** How the value was obtained (see ParameterStatus); absent = `fitted`. Only `fitted` rows carry a stderr / CI. */
  readonly status?: ParameterStatus;
  /** For `input` / `prior-fixed`: where the value comes from; for `not identifiable`: why, and the prior it was held at. */
  readonly provenance?: string;
  /** How a derived value was computed (e.g. the ToF-SIMS pairing's bin size in µm and the ions paired). */
  readonly note?: string;
}

export interface FitReport {
  readonly recordId: string;
  readonly path: string;
  readonly cell: string | null;
  readonly kind: string;
  readonly fitter: string;
  readonly fitterVersion: string;
  readonly ok: boolean;
  readonly metrics: Readonly<Record<string, number>>;
  readonly messages: readonly string[];
  /** The manifest's `analysis:` settings this fit ran with (its section only); absent = defaults. */
  readonly settings?: Readonly<Record<string, unknown>>;
}

export interface HypothesisReport {
  readonly id: string;
  readonly claim: string;
  readonly verdict: 'supported' | 'refuted' | 'inconclusive' | 'not testable' | 'not available';
  readonly reason: string;
  readonly [extra: string]: unknown;
}
