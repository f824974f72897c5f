/**
 * The report document: the single source of every number the HTML, Markdown and JSON show.
 * Its shape is the documented `report.json` schema (README "Outputs").
 */
import type { CellSpec } from '../campaign/manifest.js';

export const REPORT_SCHEMA_VERSION = 1;

export type StageStatus = 'done' | 'not available' | 'failed' | 'skipped';

export interface StageReport {
  readonly name: string;
  readonly status: StageStatus;
  readonly detail: string;
}

export interface FileReport {
  readonly path: string;
  readonly status: 'parsed' | 'failed' | 'duplicate';
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
}

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
  readonly stages: readonly StageReport[];
  readonly parameters: readonly CellParameter[];
  readonly fits: readonly FitReport[];
  readonly hypotheses: readonly HypothesisReport[];
  readonly problems: readonly string[];
  /** Each impedance spectrum in its cell's history: cycles completed before it, hours at rest, R_SEI, α. */
  readonly impedanceHistory?: readonly {
    readonly recordId: string; readonly cell: string; readonly path: string; readonly measuredAt: string | null;
    readonly cyclesBefore: number | null; readonly restHours: number | null; readonly rSei: number | null; readonly alpha: number | null;
  }[];
  /** What the report was built from: a batch with the same store generation and manifest reuses it. */
  readonly inputs?: { readonly storeGeneration: number; readonly manifestSha256: string | null };
}
