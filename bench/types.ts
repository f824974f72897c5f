/**
 * A bench file exports a BenchSuite: it prepares its input files once (in the parent process), lists
 * its cases, and runs one case at a time in a child process so every case gets its own peak RSS.
 * Benches are never test assertions: they print numbers and ratios, nothing fails on them.
 */
export interface BenchCase {
  readonly id: string;
  /** Input the case reads (a row group in the table). */
  readonly input: string;
  /** Tool, e.g. 'interphase', 'duckdb', 'papaparse'. */
  readonly tool: string;
  /** The case the ratio column divides by (same input). */
  readonly baseline?: boolean;
  /** When set, the case is not run and the table says why. */
  readonly skip?: string;
}

/** What a case reports from inside its child process. */
export type CaseOutcome =
  | {
      readonly status: 'ok';
      readonly ms: number;
      readonly rows?: number;
      readonly note?: string;
      /** RSS (bytes) just before the timed part, when untimed set-up (e.g. parsing) ran first in the case. */
      readonly rssBeforeTimed?: number;
    }
  | { readonly status: 'not-available'; readonly note: string };

export interface BenchSuite {
  readonly id: string;
  readonly title: string;
  /** Writes inputs under `dir`; returns a JSON-able context handed to every case. */
  prepare(dir: string): Promise<Record<string, string>>;
  cases(ctx: Readonly<Record<string, string>>): readonly BenchCase[];
  run(caseId: string, ctx: Readonly<Record<string, string>>): Promise<CaseOutcome>;
}

export interface CaseRow extends BenchCase {
  readonly suite: string;
  readonly outcome: CaseOutcome | { readonly status: 'skipped' | 'failed'; readonly note: string };
  /** Peak RSS of the child minus its RSS just before the case started (MB). */
  readonly peakRssDeltaMb?: number;
}
