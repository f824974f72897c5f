/**
 * Result and option types of the hypothesis engine. Results are plain JSON (no Infinity: open CI
 * bounds are null) and assignable to HypothesisReport (src/report/types.ts).
 */

import { DECISION_DEFAULTS } from '../stats/decision-defaults.js';

export type Verdict = 'supported' | 'refuted' | 'inconclusive' | 'not testable' | 'not available';

export interface ArmSummary {
  readonly name: string;
  readonly n: number;
  readonly cells: readonly string[];
}

export interface EffectEstimate {
  /** e.g. "Hedges' g (composite)", 'ΔLCE (FD − control)', 'slope dH/dt_rest [1/h]', 'HR per SD of H'. */
  readonly name: string;
  readonly value: number;
  readonly ci95: readonly [number, number] | null;
}

/** One sub-analysis (an endpoint test, a model fit, a descriptive curve) reported with the verdict. */
export interface EndpointResult {
  readonly name: string;
  readonly method: string;
  readonly n: Readonly<Record<string, number>>;
  readonly effect: EffectEstimate | null;
  readonly p: number | null;
  readonly details?: Readonly<Record<string, unknown>>;
}

export interface PowerInfo {
  /** Minimum detectable effect at 80 % power and the decision α, on `scale`. */
  readonly mde: number | null;
  readonly scale: string;
  readonly note: string;
}

export type HypothesisResult = {
  readonly id: string;
  readonly claim: string;
  readonly quantity: string;
  /** The test actually run (or planned, when not testable). */
  readonly test: string;
  readonly verdict: Verdict;
  readonly reason: string;
  /** The rule that decided the verdict, in words. */
  readonly rule: string;
  readonly design: {
    readonly kind: 'groups' | 'ordered groups' | 'regression' | 'survival regression' | 'model comparison' | 'interaction' | 'none';
    readonly groups: readonly ArmSummary[];
    readonly x: string | null;
    readonly y: string | null;
  };
  readonly n: Readonly<Record<string, number>>;
  readonly effect: EffectEstimate | null;
  /** Decision p-value (two-sided unless stated in `test`), before multiplicity correction. */
  readonly p: number | null;
  readonly pHolm: number | null;
  readonly pBH: number | null;
  /** Which p decided: raw, Holm or BH (options.decideWith). */
  readonly pUsed: 'raw' | 'holm' | 'bh';
  readonly power: PowerInfo | null;
  readonly equivalence: { readonly margin: readonly [number, number]; readonly scale: string; readonly p: number; readonly equivalent: boolean } | null;
  readonly endpoints: readonly EndpointResult[];
  /** What the experiment must add to make a 'not testable' hypothesis testable. */
  readonly toAdd: readonly string[];
};

export interface EvaluateOptions {
  /** Two-sided significance level of every decision. @default 0.05 */
  readonly alpha?: number;
  /** p-value that decides 'supported': raw, Holm- or BH-adjusted across the report. @default 'bh' */
  readonly decideWith?: 'raw' | 'holm' | 'bh';
  /** Fewest cells per arm for a test to run. @default 3 */
  readonly minPerArm?: number;
  /** Seed of every permutation / bootstrap. @default 1 */
  readonly seed?: number;
  /** Monte-Carlo permutations when exact enumeration is too large. @default 4999 */
  readonly nPerm?: number;
  /** Bootstrap resamples (mediation). @default 1999 */
  readonly bootstrapB?: number;
  /** TOST margin on the LCE scale (±), ≈ 0.5 % CE at CE ≈ 98 %. @default 0.1 */
  readonly lceMargin?: number;
  /** TOST margin on standardised scales (Hedges' g of composites, standardised slopes). @default 0.5 */
  readonly smdMargin?: number;
  /** Artefact margin of the XPS inorganic fraction (H6). @default 0.05 */
  readonly inorganicMargin?: number;
  /** ΔAIC threshold of the catalogue's model-comparison rules (H2, H10). @default 4 */
  readonly deltaAic?: number;
  /** Result of the replay-model coupling comparison for H5 (ΔAIC = AIC(γ_H = 0) − AIC(γ_H free)). @default null */
  readonly replay?: { readonly deltaAicCoupling: number } | null;
  /** Compute Tukey simultaneous CIs (slower: one studentized-range quantile). @default true */
  readonly tukeyCi?: boolean;
  /** Fewest residual degrees of freedom a whole-campaign model needs to test anything. @default 3 */
  readonly minDfResid?: number;
  /** Per-cycle CE and P–E loop series placed in each cell's history (H10's per-cycle test). @default null */
  readonly perCycle?: import('./per-cycle.js').PerCycleInput | null;
  /** What the store knows about each cell beyond the manifest (the cycler that ran it). @default {} */
  readonly cellInfo?: Readonly<Record<string, { readonly cycler?: string }>>;
}

export const DEFAULT_EVALUATE_OPTIONS: Required<Omit<EvaluateOptions, 'replay' | 'perCycle'>> & {
  readonly replay: EvaluateOptions['replay'];
  readonly perCycle: EvaluateOptions['perCycle'];
} = {
  ...DECISION_DEFAULTS,
  replay: null,
  perCycle: null,
  cellInfo: {},
};

export type ResolvedEvaluateOptions = typeof DEFAULT_EVALUATE_OPTIONS;

export function resolveEvaluateOptions(opts: EvaluateOptions = {}): ResolvedEvaluateOptions {
  const r = { ...DEFAULT_EVALUATE_OPTIONS, ...Object.fromEntries(Object.entries(opts).filter(([, v]) => v !== undefined)) } as ResolvedEvaluateOptions;
  if (!(r.alpha > 0 && r.alpha < 0.5)) throw new RangeError(`alpha must be in (0, 0.5); got ${r.alpha}`);
  if (!['raw', 'holm', 'bh'].includes(r.decideWith)) throw new RangeError(`decideWith must be 'raw', 'holm' or 'bh'; got '${String(r.decideWith)}'`);
  if (!(Number.isInteger(r.minPerArm) && r.minPerArm >= 2)) throw new RangeError(`minPerArm must be an integer ≥ 2; got ${r.minPerArm}`);
  return r;
}
