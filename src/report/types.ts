/**
 * The report document: the single source of every number the HTML, Markdown and JSON show.
 * Its shape is the documented `report.json` schema (README "Outputs").
 */
import type { CellSpec } from '../campaign/manifest.js';
import type { EmptyCell, UnclaimedFile } from '../campaign/load.js';
import type { SettingRow } from '../campaign/analysis-options.js';

/**
 * 2: file status `sidecar`, `companionOf` / `companions` / `companionFields` on files, `fileCounts`.
 * 3: `paths` (every path in one state) and `pathStates`, `state` / `sourceRemoved` on files,
 *    `manifestProblems`, `lastGoodReport`, `coverage`, `failures`, `sourceFiles` / `file` on parameters.
 */
export const REPORT_SCHEMA_VERSION = 3;

/**
 * The one state every path in the campaign folder ends in (issue #18). `pending`: listed but not read
 * yet (a watcher waiting for it to settle); a finished batch leaves none. `incomplete`: parsed, but its
 * own header declares more points, rows or cycles than it holds (FileReport.incomplete); its fits are flagged.
 */
export const PATH_STATES = ['parsed', 'incomplete', 'companion', 'ignored', 'temporary', 'symlink-not-followed', 'unreadable', 'quarantined', 'duplicate', 'source removed', 'pending'] as const;
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

export interface CampaignReport {
  readonly schemaVersion: number;
  readonly generatedAt: string;
  readonly interphase: { readonly version: string };
  readonly campaign: { readonly name: string; readonly folder: string; readonly manifest: string | null; readonly description?: string };
  readonly cells: readonly (CellSpec & { readonly fileCount: number })[];
  readonly files: readonly FileReport[];
  /** Counts of `files` by status (absent in reports written before schema 2). */
  readonly fileCounts?: FileCounts;
  readonly stages: readonly StageReport[];
  readonly parameters: readonly CellParameter[];
  readonly fits: readonly FitReport[];
  readonly hypotheses: readonly HypothesisReport[];
  /** One sentence: whether any ferroelectric claim is made (H8–H10 supported), and on which evidence. */
  readonly ferroelectricClaim?: string;
  readonly problems: readonly string[];
  /** Each impedance spectrum in its cell's history: cycles completed before it, hours at rest, R_SEI, α. */
  readonly impedanceHistory?: readonly {
    readonly recordId: string; readonly cell: string; readonly path: string; readonly measuredAt: string | null;
    readonly cyclesBefore: number | null; readonly restHours: number | null; readonly rSei: number | null; readonly alpha: number | null;
  }[];
  /**
   * Analysis settings in force (`analysis:` in the manifest, docs/analysis-options.md): every key
   * campaign-wide with its source (`default` or `analysis`), then each override's keys
   * (`override #k (group X | cell Y | files glob)`).
   */
  readonly settings?: readonly SettingRow[];
  /** What the report was built from: a batch with the same store generation, manifest and folder listing reuses it. */
  readonly inputs?: { readonly storeGeneration: number; readonly manifestSha256: string | null; readonly pathsSha256?: string };
  /** Every path in the folder (and every kept removed file), each in exactly one state. */
  readonly paths?: readonly PathEntry[];
  /** Counts of `paths` by state. */
  readonly pathStates?: Readonly<Partial<Record<PathState, number>>>;
  /** Problems of the manifest, each local to its entry (the entry left out, valid cells kept): the report's banner. */
  readonly manifestProblems?: readonly string[];
  /** With manifest problems: the last report built from a manifest without problems, kept beside this one. */
  readonly lastGoodReport?: string | null;
  /** Cells that claim no file and files no cell claims, each with the pattern that would claim it. */
  readonly coverage?: { readonly emptyCells: readonly EmptyCell[]; readonly unclaimed: readonly UnclaimedFile[] };
  /** Files failed now (from the store; source still in the folder), with the reason. */
  readonly failures?: readonly { readonly path: string; readonly message: string; readonly quarantined: string | null }[];
}
