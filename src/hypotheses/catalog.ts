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
  /** Parameters (src/records/parameters.ts names) and design features the test needs. */
  readonly needs: readonly string[];
}

export const HYPOTHESES: readonly HypothesisSpec[] = [
  {
    id: 'H1',
    claim: 'Rest corrosion causes irreversible capacity loss',
    quantity: 'LCE (immediate reservoir CE, else ce_mean) vs rest before or between cycles, control cells',
    test: 'whole-campaign model (arm + √t rest slope per arm + blocks): control rest slope < 0; TOST on the long-run loss',
    refutedIf: 'immediate drop n.s., or cumulative loss equivalent to no-rest (Bassett outcome)',
    needs: [
      'rest before or between cycles at ≥ 2 levels in the control arm (manifest rest_hours or the log’s initial OCV step)',
      'ce_mean or ce_avg_reservoir',
    ],
  },
  {
    id: 'H2',
    claim: 'Corrosion is passivating (self-limiting)',
    quantity: 'Q_corr vs t_rest (≥ 4 durations)',
    test: 'linear vs √t vs log fits compared by AIC/BIC',
    refutedIf: 'linear preferred by ΔAIC > 4',
    needs: ['≥ 4 distinct rest_hours', 'rest_loss_fraction'],
  },
  {
    id: 'H3',
    claim: 'Corrosion makes the SEI laterally heterogeneous',
    quantity: 'ToF-SIMS H (CV_true), Moran’s I; CPE α',
    test: 'whole-campaign model of H: control rest slope (√t) > 0; Spearman α vs H',
    refutedIf: 'slope CI includes 0 or is negative',
    needs: ['heterogeneity_index', 'rest_hours varied'],
  },
  {
    id: 'H4',
    claim: 'Heterogeneity drives failure (tip effect)',
    quantity: 'early-life H or α vs cycle life',
    test: 'Cox PH (HR per unit H); KM by H tertiles, log-rank',
    refutedIf: 'HR CI includes 1',
    needs: ['heterogeneity_index or CPE_SEI_alpha', 'cycle_life_80'],
  },
  {
    id: 'H5',
    claim: 'Causal chain rest → H → failure',
    quantity: 'full replay-model fit',
    test: 'ΔAIC γ_H > 0 vs γ_H = 0; bootstrap mediation',
    refutedIf: 'ΔAIC < 2 for coupling, or indirect-effect CI includes 0',
    needs: ['replay model', 'rest_hours varied', 'heterogeneity_index', 'cycle_life_80'],
  },
  {
    id: 'H6',
    claim: 'The poled layer raises the SEI inorganic fraction (an effect of the layer; polarisation is H8)',
    quantity: 'depth-averaged f̄ at matched sputter dose',
    test: 'whole-campaign model of f (sputter protocol a factor): poled layer − control contrast',
    refutedIf: 'Δf ≤ 0 or < 0.05 (artefact margin)',
    needs: ['sei_inorganic_fraction', 'FD and control groups'],
  },
  {
    id: 'H7',
    claim: 'The poled layer homogenises the SEI (an effect of the layer; polarisation is H8)',
    quantity: 'H, Moran’s I, α',
    test: 'whole-campaign model of the rank composite: poled layer − control contrast',
    refutedIf: 'H_FD ≥ H_ctrl',
    needs: ['heterogeneity_index', 'FD and control groups'],
  },
  {
    id: 'H8',
    claim: 'The effect is ferroelectric (needs remanent P)',
    quantity: 'LCE, cycle life, f, H: poled vs unpoled / depoled / paraelectric layer',
    test: 'whole-campaign model of the rank composite: poled − non-polar layer contrast (never vs the bare control)',
    refutedIf: 'poled ≈ unpoled/paraelectric (equivalence shown)',
    needs: ['poled cells and an unpoled, depoled or paraelectric layer (not the bare control)', 'lce_mean'],
  },
  {
    id: 'H9',
    claim: 'Dose–response in polarisation',
    quantity: 'ΔLCE or Δlog(life) vs Pr_eff',
    test: 'LCE slope on Pr within a layer material (material a factor), > 0',
    refutedIf: 'slope ≤ 0 or CI includes 0',
    needs: ['Pr (measured or manifest pr_uC_cm2) varying within a layer material', 'lce_mean'],
  },
  {
    id: 'H10',
    claim: 'The FD benefit decays with polarisation retention',
    quantity: 'ΔCE_n (FD − ctrl) over cycles; P_n',
    test: 'LCE slope on retention among poled cells, adjusted for cycles run, rest and blocks',
    refutedIf: 'benefit persists at P ≈ 0, or constant wins by ΔAIC > 4',
    needs: ['polarisation_retention of ≥ 6 poled cells (or a polarisation series per cell with per-cycle CE and a non-polar reference layer)', 'cycles run'],
  },
  {
    id: 'H11',
    claim: 'The poled layer suppresses corrosion during rest',
    quantity: 'ΔQ_rest FD vs control',
    test: 'whole-campaign model: rest slope (√t) of the poled layer − rest slope of the control',
    refutedIf: 'interaction n.s.',
    needs: ['rest (before or between cycles) at ≥ 2 levels in the poled-layer and the control arm', 'ce_mean'],
  },
  {
    id: 'H12',
    claim: 'Pre-adsorbed-anion FDs template the SEI beyond FD or anion alone',
    quantity: 'N 1s Li3N/LiNxOy or LiF share; SIMS LiN⁻, CN⁻; CE',
    test: 'whole-campaign model of the anion-product/LCE composite: FD+anion − FD and FD+anion − anion-in-electrolyte (intersection–union); tested in part when an arm is missing',
    refutedIf: 'FD+anion ≤ anion-in-electrolyte (TOST)',
    needs: ['preadsorbed_anion group', 'anion-in-electrolyte control'],
  },
  {
    id: 'H13',
    claim: 'Inorganic-rich SEI ⇒ higher CE',
    quantity: 'LCE vs f̄ across cells',
    test: 'within-arm slope of LCE on f (arm, rest, sputter protocol covariates) > 0',
    refutedIf: 'slope ≤ 0',
    needs: ['sei_inorganic_fraction', 'lce_mean'],
  },
  {
    id: 'H14',
    claim: 'The poled layer improves CE and cycle life over the bare control (an effect of the layer; polarisation is H8)',
    quantity: 'LCE per cell; censored cycle life',
    test: 'whole-campaign model of the LCE + censored-life (log-rank score) composite: poled layer − control; KM, log-rank, Cox reported',
    refutedIf: 'no LCE improvement and no survival separation',
    needs: ['FD and control groups', 'lce_mean', 'cycle_life_80'],
  },
  {
    id: 'H15',
    claim: 'The poled layer raises the Li⁺ transference number over the bare control (an effect of the layer; polarisation is H8)',
    quantity: 'Bruce–Vincent t₊ (F₊, method BV) per cell from a Li‖Li polarisation with impedance before and after (MECHANISMS.md §4)',
    test: 'whole-campaign model of t₊: poled layer − control contrast; poled − non-polar layer reported as an endpoint',
    refutedIf: 'Δt₊ significantly ≤ 0, or equivalent to 0 (TOST ±0.5 SD)',
    needs: ['transference_number (chronoamperometry + impedance before/after) on poled-layer and control cells', 'FD and control groups'],
  },
  {
    id: 'H16',
    claim: 'The layer (or a pre-adsorbed anion) raises the anion share of the Li⁺ solvation sheath (an effect of the layer; polarisation is H8)',
    quantity:
      'CIP + AGG fraction of the anion band (anion_sheath_fraction, Raman/FTIR band fit, MECHANISMS.md §5) of electrolyte in contact with the layer powder vs bare',
    test: 'whole-campaign model of the anion sheath fraction: layer − control contrast; each layer arm − control and poled − non-polar layer reported as endpoints',
    refutedIf: 'Δ(CIP + AGG) significantly ≤ 0, or equivalent to 0 (TOST ±0.5 SD)',
    needs: [
      'anion_sheath_fraction (vibrational spectra of electrolyte with layer powder and bare) on ≥ 2 layer and ≥ 2 control samples',
      'layer and control groups',
    ],
  },
  {
    id: 'H17',
    claim: 'The layer’s benefit fades as the layer is reduced by Li (Ti⁴⁺ → Ti³⁺)',
    quantity: 'LCE (layer − control benefit at a common rest and block) vs the XPS Ti³⁺ fraction Ti³⁺/(Ti³⁺ + Ti⁴⁺) (MECHANISMS.md §7)',
    test: 'whole-campaign model: within-arm slope of LCE on ti3_fraction among layer cells, adjusted for cycles run (n, ln n), rest and blocks; < 0',
    refutedIf: 'slope ≥ 0 or equivalent to 0 (TOST ±0.5 residual SD)',
    needs: ['ti3_fraction (Ti 2p XPS) of ≥ 6 layer cells, varying', 'lce_mean', 'cycles run'],
  },
];
