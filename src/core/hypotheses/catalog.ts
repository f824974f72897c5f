/**
 * H1–H14 as declared objects (ids fixed across every output). Claims, quantities, tests and
 * refutation rules are from shared/domain/DOMAIN.md §8; `needs` says what data a campaign must
 * have for the hypothesis to be testable at all.
 */
export interface HypothesisSpec {
  readonly id: `H${number}`;
  readonly claim: string;
  readonly quantity: string;
  readonly test: string;
  readonly refutedIf: string;
  /** Parameters (src/fit/parameters.ts names) and design features the test needs. */
  readonly needs: readonly string[];
}

export const HYPOTHESES: readonly HypothesisSpec[] = [
  { id: 'H1', claim: 'Rest corrosion causes irreversible capacity loss', quantity: 'ΔQ_rest (rest − no-rest) in Li||Cu; cumulative lost capacity at cycle 50', test: 'Welch t on immediate ΔCE_avg; TOST on cumulative loss at n = 50', refutedIf: 'immediate drop n.s., or cumulative loss equivalent to no-rest (Bassett outcome)', needs: ['rest_hours varied (0 and > 0)', 'ce_mean or ce_avg_reservoir'] },
  { id: 'H2', claim: 'Corrosion is passivating (self-limiting)', quantity: 'Q_corr vs t_rest (≥ 4 durations)', test: 'linear vs √t vs log fits compared by AIC/BIC', refutedIf: 'linear preferred by ΔAIC > 4', needs: ['≥ 4 distinct rest_hours', 'rest_loss_fraction'] },
  { id: 'H3', claim: 'Corrosion makes the SEI laterally heterogeneous', quantity: 'ToF-SIMS H (CV_true), Moran’s I; CPE α', test: 'regression of H on Q_corr or t_rest; Spearman α vs H', refutedIf: 'slope CI includes 0 or is negative', needs: ['heterogeneity_index', 'rest_hours varied'] },
  { id: 'H4', claim: 'Heterogeneity drives failure (tip effect)', quantity: 'early-life H or α vs cycle life', test: 'Cox PH (HR per unit H); KM by H tertiles, log-rank', refutedIf: 'HR CI includes 1', needs: ['heterogeneity_index or CPE_SEI_alpha', 'cycle_life_80'] },
  { id: 'H5', claim: 'Causal chain rest → H → failure', quantity: 'full replay-model fit', test: 'ΔAIC γ_H > 0 vs γ_H = 0; bootstrap mediation', refutedIf: 'ΔAIC < 2 for coupling, or indirect-effect CI includes 0', needs: ['replay model', 'rest_hours varied', 'heterogeneity_index', 'cycle_life_80'] },
  { id: 'H6', claim: 'FD raises the SEI inorganic fraction', quantity: 'depth-averaged f̄ at matched sputter dose', test: 'Welch t FD vs control', refutedIf: 'Δf ≤ 0 or < 0.05 (artefact margin)', needs: ['sei_inorganic_fraction', 'FD and control groups'] },
  { id: 'H7', claim: 'FD homogenises the SEI', quantity: 'H, Moran’s I, α', test: 'Welch t FD vs control', refutedIf: 'H_FD ≥ H_ctrl', needs: ['heterogeneity_index', 'FD and control groups'] },
  { id: 'H8', claim: 'The effect is ferroelectric (needs remanent P)', quantity: 'LCE, cycle life, f, H across poled / unpoled / paraelectric', test: 'Jonckheere–Terpstra trend or planned contrast; TOST unpoled ≈ paraelectric', refutedIf: 'poled ≈ unpoled/paraelectric (equivalence shown)', needs: ['poled and unpoled or paraelectric groups', 'lce_mean'] },
  { id: 'H9', claim: 'Dose–response in polarisation', quantity: 'ΔLCE or Δlog(life) vs Pr_eff', test: 'linear/log regression, slope > 0', refutedIf: 'slope ≤ 0 or CI includes 0', needs: ['Pr (measured or manifest pr_uC_cm2) varying', 'lce_mean'] },
  { id: 'H10', claim: 'The FD benefit decays with polarisation retention', quantity: 'ΔCE_n (FD − ctrl) over cycles; P_n', test: 'ΔCE ∝ P_n vs constant offset (AIC)', refutedIf: 'benefit persists at P ≈ 0, or constant wins by ΔAIC > 4', needs: ['polarisation_retention', 'per-cycle CE', 'FD and control groups'] },
  { id: 'H11', claim: 'FD suppresses corrosion during rest', quantity: 'ΔQ_rest FD vs control', test: 'two-way ANOVA / regression with FD × rest interaction', refutedIf: 'interaction n.s.', needs: ['rest_hours varied in FD and control', 'rest_loss_fraction or ce_mean'] },
  { id: 'H12', claim: 'Pre-adsorbed-anion FDs template the SEI beyond FD or anion alone', quantity: 'N 1s Li3N/LiNxOy or LiF share; SIMS LiN⁻, CN⁻; CE', test: 'one-way ANOVA + Tukey over FD, FD+anion, anion-in-electrolyte, control', refutedIf: 'FD+anion ≤ anion-in-electrolyte (TOST)', needs: ['preadsorbed_anion group', 'anion-in-electrolyte control'] },
  { id: 'H13', claim: 'Inorganic-rich SEI ⇒ higher CE', quantity: 'LCE vs f̄ across cells', test: 'regression slope > 0', refutedIf: 'slope ≤ 0', needs: ['sei_inorganic_fraction', 'lce_mean'] },
  { id: 'H14', claim: 'A ferroelectric interlayer improves CE and cycle life over the control', quantity: 'LCE per cell; censored cycle life', test: 'Welch t on LCE; Kaplan–Meier + log-rank', refutedIf: 'no LCE improvement and no survival separation', needs: ['FD and control groups', 'lce_mean', 'cycle_life_80'] },
];
