/**
 * Defaults of every statistical decision setting (significance level, multiplicity correction,
 * permutation and bootstrap budgets, equivalence margins). The hypothesis engine's options extend
 * these; the manifest's `analysis: statistics` keys document them (src/campaign/analysis-options.ts).
 */
export const DECISION_DEFAULTS = {
  /** Two-sided significance level of every decision. */
  alpha: 0.05,
  /** p-value that decides 'supported': raw, Holm- or BH-adjusted across the report. */
  decideWith: 'bh' as 'raw' | 'holm' | 'bh',
  /** Fewest cells per arm for a test to run. */
  minPerArm: 3,
  /** Seed of every permutation / bootstrap. */
  seed: 1,
  /** Monte-Carlo permutations when exact enumeration is too large. */
  nPerm: 4999,
  /** Bootstrap resamples (mediation). */
  bootstrapB: 1999,
  /** TOST margin on the LCE scale (±). */
  lceMargin: 0.1,
  /** TOST margin on standardised scales. */
  smdMargin: 0.5,
  /** Artefact margin of the XPS inorganic fraction (H6). */
  inorganicMargin: 0.05,
  /** ΔAIC threshold of model-comparison rules. */
  deltaAic: 4,
  /** Tukey simultaneous CIs. */
  tukeyCi: true,
  /** Fewest residual degrees of freedom a whole-campaign model needs. */
  minDfResid: 3,
};
