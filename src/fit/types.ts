/**
 * The contract between measurements and the model: a fitter turns one canonical record into named
 * physical parameters, each saying how good it is. Fitters are pure; the pipeline stores the outcome.
 */
import type { CanonicalRecord, Column, RecordKind } from '../records/record.js';
import type { FitSettings } from './settings.js';

export interface FittedParameter {
  /** One of PARAMETERS (src/records/parameters.ts) or a fitter-specific name. */
  readonly name: string;
  readonly value: number;
  readonly unit: string;
  /** 1σ standard error, when the method gives one. */
  readonly stderr?: number;
  /** 95 % confidence interval, when the method gives one. */
  readonly ci95?: readonly [number, number];
  /** For time-to-event quantities (cycle life): true if the test ended before the event. */
  readonly censored?: boolean;
  /** Sub-record the value belongs to (e.g. spectrum index, etch level), when not the whole record. */
  readonly scope?: string;
  readonly note?: string;
  /** Machine-readable caveats, e.g. `charging`, `non-identifiable`, `kk-failed`. */
  readonly flags?: readonly string[];
}

export interface FitQuality {
  /** False when the fit must not be used (did not converge, failed validation): reports flag it. */
  readonly ok: boolean;
  /** Goodness-of-fit numbers the method has (chi2, R2, rmse, KK residual, iterations, ...). */
  readonly metrics: Readonly<Record<string, number>>;
  readonly messages: readonly string[];
}

export interface FitOutcome {
  readonly fitter: string;
  readonly fitterVersion: string;
  readonly parameters: readonly FittedParameter[];
  /** Derived tables worth storing (e.g. the per-cycle table), as typed columns. */
  readonly tables?: Readonly<Record<string, readonly Column[]>>;
  readonly quality: FitQuality;
  /** The options the fit ran with (so every number can be traced to its settings). */
  readonly options?: Readonly<Record<string, unknown>>;
}

/** What a fitter may know about the cell beyond the record (from the campaign manifest). */
export interface CellContext {
  readonly cellId?: string;
  readonly cellType?: 'Li||Cu' | 'Li||Li' | 'full' | 'anode-free';
  /** cm², for areal quantities (R_SEI in Ω cm², capacities in mAh/cm²). */
  readonly electrodeAreaCm2?: number;
  readonly currentDensityMaPerCm2?: number;
  readonly arealCapacityMahPerCm2?: number;
  /** P–E loops: film thickness (nm) and electrode area (cm²) when the file does not state them. */
  readonly filmThicknessNm?: number;
  /** The manifest's `analysis:` settings in force for this record's file (src/fit/settings.ts); absent = defaults. */
  readonly analysis?: FitSettings;
}

export interface RecordFitter {
  readonly id: string;
  readonly version: string;
  readonly kinds: readonly RecordKind[];
  fit(record: CanonicalRecord, cell: CellContext): FitOutcome;
}
