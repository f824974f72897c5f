/** Types of the per-cell and campaign fits of the replay model (DOMAIN.md §7.6). */
import type { ParameterName, ReplayParameterValues } from '../params/types.js';
import type { Protocol } from '../protocol/types.js';
import type { ModelVariant } from '../variants.js';
import type { PassivationId } from '../corrosion/index.js';
import type { CellKind } from '../cycle.js';
import type { ParameterStatus } from '../../records/results.js';

export interface Measurement {
  readonly value: number;
  /** 1σ; required: a measurement without an uncertainty cannot be weighed. */
  readonly stderr: number;
}

/** Measured cell parameters (src/records/parameters.ts names in brackets), taken at the end of the test. */
export interface MeasuredInputs {
  /** `sei_inorganic_fraction`: observation of f at the last cycle. */
  readonly inorganicFraction?: Measurement;
  /** `heterogeneity_index`: observation of H at the last cycle. */
  readonly heterogeneityIndex?: Measurement;
  /** `R_SEI_areal` (Ω cm²): observation of R_SEI at the last cycle. */
  readonly rSei_Ohm_cm2?: Measurement;
  /** `polarisation_retention` = P_N/P₀: fixes n_P = −N / ln(retention) (input, not fitted). */
  readonly polarisationRetention?: Measurement;
  /**
   * P₀ = Pr/Pr_ref capped at 1 (`Pr` of the pristine P–E loop, else the manifest's `pr_uC_cm2`; Pr_ref =
   * REFERENCE_PR_UC_CM2 unless given); assumed 1 only for a poled layer with neither. Absent for controls.
   */
  readonly initialPolarisation?: Measurement & {
    /** Which Pr the value comes from (reported as the P₀ row's provenance). */
    readonly source?: string;
    /** 'measured': from a P–E loop; 'manifest': pr_uC_cm2; 'assumed': poled without any Pr (prior-fixed). */
    readonly kind?: 'measured' | 'manifest' | 'assumed';
  };
  /**
   * `dead_li_titration` (mAh cm⁻²): inactive Li⁰ at the end of the test by titration (TGC). With it the
   * dead-Li / SEI-Li split of 1 − CE is identified (the SEI-repair fraction s₀ is fitted).
   */
  readonly deadLiTitration_mAh_cm2?: Measurement;
  /** `CPE_SEI_alpha`: carried into the report; not used by the model (no validated α → H map). */
  readonly cpeAlpha?: Measurement;
}

/** What one cell gives the fit: its protocol and per-cycle observations. NaN = missing. */
export interface CellObservations {
  readonly cellId: string;
  readonly group: string;
  readonly cellType: CellKind;
  readonly protocol: Protocol;
  readonly ce: Float64Array;
  /** Per-cycle strip capacity; used for full / anode-free cells (for Li||Cu it repeats CE). */
  readonly capacity_mAh_cm2?: Float64Array;
  readonly overpotential_V?: Float64Array;
  readonly measured: MeasuredInputs;
}

export interface FreeParameter {
  readonly name: ParameterName;
  readonly lower: number;
  readonly upper: number;
  /** Start value; default: the base value clamped into the bounds. */
  readonly start?: number;
}

export type IntervalMethod = 'profile' | 'covariance' | 'none';

export interface CellFitOptions {
  readonly variant: ModelVariant;
  readonly passivation: PassivationId;
  /** Values of everything not fitted (a parameter set, possibly with campaign-stage values). */
  readonly base: ReplayParameterValues;
  /** Free parameters; which ones actually enter depends on the data (see `freeParametersFor`). */
  readonly free: readonly FreeParameter[];
  /** @default 'profile' */
  readonly intervals: IntervalMethod;
  /** Max LM iterations. @default 60 */
  readonly maxIterations: number;
  /** Profile: Δχ² threshold of the 95 % interval. @default 3.84 */
  readonly profileThreshold: number;
  /** Which stage of the campaign fit (FD cells take f₀ and γ_H from the controls). @default 'fd' for an M2 fit of a cell with P₀ > 0, else 'control' */
  readonly stage?: 'control' | 'fd';
  /** Where `base` comes from, for the provenance of held values (e.g. `parameter set Gunnarsdottir2020_carbonate`). */
  readonly priorSource?: string;
  /** Held values of `base` that come from elsewhere than `priorSource` (e.g. a stage-2 control median), with their provenance. */
  readonly heldFrom?: Readonly<Partial<Record<ParameterName, string>>>;
}

export type Identifiability = 'identifiable' | 'one-sided' | 'non-identifiable' | 'fixed';

export interface FittedValue {
  readonly name: ParameterName;
  /** Fitted value, or the value the replay used (prior / input / LM value) when not `fitted`. */
  readonly value: number;
  /** Only for status `fitted`; null otherwise. */
  readonly stderr: number | null;
  readonly ci95: readonly [number, number] | null;
  readonly identifiability: Identifiability;
  /** What the report says about the value (src/report/types.ts ParameterStatus). */
  readonly status: ParameterStatus;
  /** Where a held value comes from, or why the data cannot determine it. */
  readonly provenance?: string;
  readonly note?: string;
}

export interface CellFitResult {
  readonly cellId: string;
  readonly group: string;
  readonly model: string;
  readonly variant: ModelVariant;
  readonly values: readonly FittedValue[];
  /** Full parameter values at the optimum (fixed ones included). */
  readonly parameters: ReplayParameterValues;
  readonly chi2: number;
  /** Number of weighted residuals (data points + measured observations). */
  readonly n: number;
  /** Free parameters that were fitted (identifiable ones after the profile pass). */
  readonly k: number;
  readonly aic: number;
  readonly bic: number;
  readonly r2: { readonly ce: number | null; readonly overpotential: number | null };
  readonly rmse: { readonly ce: number | null; readonly overpotential_V: number | null };
  readonly residuals: { readonly ce: Float64Array; readonly overpotential_V: Float64Array };
  readonly iterations: number;
  readonly converged: boolean;
  readonly stopReason: string;
  /** Fitted φ_dead of cycle 1: the share of the plated Li left dead (compare with NMR dead-Li fractions, DOMAIN.md §9.3). */
  readonly deadLiFraction: number;
  /** Mean fitted φ_dead over the first ten cycles. */
  readonly deadLiFractionMean10: number;
  /**
   * Whether these data separate dead Li from SEI Li: `fitted` only when s₀ (SEI repair) was free and its
   * profile identified it (rest-loss protocol or titration input); otherwise φ_dead rests on the prior s₀.
   */
  readonly deadLiStatus: ParameterStatus;
  readonly deadLiProvenance: string;
}
