/**
 * The report document: the single source of every number the HTML, Markdown and JSON show.
 * Its shape is the documented `report.json` schema (README "Outputs").
 */
import type { CellSpec } from '../campaign/manifest.js';
import type { EmptyCell, UnclaimedFile } from '../campaign/load.js';
import type { SettingRow } from '../campaign/analysis-options.js';

export * from '../records/results.js';
import type { CellParameter, FileCounts, FileReport, FitReport, HypothesisReport, PathEntry, PathState, StageReport } from '../records/results.js';

/**
 * 2: file status `sidecar`, `companionOf` / `companions` / `companionFields` on files, `fileCounts`.
 * 3: `paths` (every path in one state) and `pathStates`, `state` / `sourceRemoved` on files,
 *    `manifestProblems`, `lastGoodReport`, `coverage`, `failures`, `sourceFiles` / `file` on parameters.
 */
export const REPORT_SCHEMA_VERSION = 3;

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
    readonly recordId: string;
    readonly cell: string;
    readonly path: string;
    readonly measuredAt: string | null;
    readonly cyclesBefore: number | null;
    readonly restHours: number | null;
    readonly rSei: number | null;
    readonly alpha: number | null;
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
