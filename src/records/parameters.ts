/**
 * Names and units of the parameters fitters emit and other stages read. Every parameter a fitter in
 * src/fit/ emits is registered here with the unit it is emitted in (tests/fit/parameters.test.ts runs
 * each fitter and checks both); `{k}` in a name stands for 1, 2, … (see `parameterSpec`).
 */
export const PARAMETERS = {
  // cycler (src/fit/cycles)
  ceMean: { name: 'ce_mean', unit: '1', doc: 'mean Coulombic efficiency over cycles 2..n (fraction, not %)' },
  lceMean: { name: 'lce_mean', unit: '1', doc: 'LCE = −log10(1 − CE) of ce_mean (Kim et al. 2023)' },
  ceReservoir: { name: 'ce_avg_reservoir', unit: '1', doc: 'average CE by the Adams 2018 reservoir method' },
  cycleLife80: { name: 'cycle_life_80', unit: 'cycles', doc: 'cycles to 80 % of max(cycles 1–5) discharge capacity; censored if not reached' },
  restLossFraction: { name: 'rest_loss_fraction', unit: '1', doc: 'capacity lost during an OCV rest / capacity plated before it' },
  initialRestH: {
    name: 'initial_rest_h',
    unit: 'h',
    doc: 'open-circuit rest before the first current step of the log (rest before cycling: corrosion exposure when the manifest gives no rest_hours)',
  },
  cyclesCompleted: { name: 'cycles_completed', unit: 'cycles', doc: 'complete cycles in the log (how long the cell ran; fatigue and CE drift grow with it)' },
  overpotentialMean: { name: 'overpotential_mean', unit: 'V', doc: 'Li||Li plating/stripping plateau magnitude, mean over cycles' },
  dischargeCapacityFirst: { name: 'discharge_capacity_first', unit: 'Ah', doc: 'discharge capacity of cycle 1' },
  shortCircuit: { name: 'short_circuit_cycle', unit: 'cycles', doc: 'first cycle with a short-circuit signature (CE>1.02 or voltage collapse)' },
  deadLiTitration: {
    name: 'dead_li_titration',
    unit: 'mAh/cm2',
    doc: 'inactive Li⁰ at the end of the test by titration (TGC), per cm²: lets the replay fit split dead Li from SEI Li',
  },
  // voltage-profile features (src/fit/cycles/profile.ts; MECHANISMS.md §1–3, issue #20 §1)
  nucleationOverpotentialFirst: {
    name: 'nucleation_overpotential_first',
    unit: 'V',
    doc: 'η_nuc = |V_min − V_plateau| of the first plating on Cu (Pei 2017; MECHANISMS §1.1); NaN and flagged when the logging interval cannot resolve the dip (§1.3)',
  },
  plateauOverpotentialFirst: {
    name: 'plateau_overpotential_first',
    unit: 'V',
    doc: 'η_pl = |V_plateau| of the first plating (median V for Q 0.1–0.3 mAh/cm², MECHANISMS §1.1)',
  },
  nucleationOverpotentialMean: {
    name: 'nucleation_overpotential_mean',
    unit: 'V',
    doc: 'mean η_nuc of platings 2..n (on residual Li; never averaged with the first, MECHANISMS §1.4)',
  },
  voltageHysteresisFirst: {
    name: 'voltage_hysteresis_first',
    unit: 'V',
    doc: 'Li||Li ΔV_pp = V_strip − V_plate of the first complete cycle (MECHANISMS §2.1)',
  },
  voltageHysteresisGrowth: { name: 'voltage_hysteresis_growth', unit: 'V/cycle', doc: 'Li||Li OLS slope of ΔV_pp vs cycle before any short-circuit signature' },
  lliApparentDvdq: {
    name: 'lli_apparent_dvdq',
    unit: 'Ah',
    doc: 'apparent Li-inventory loss: shift of tracked dV/dQ features on the charge curve since the reference cycle (MECHANISMS §3.4)',
  },
  lliApparentDvdqFraction: { name: 'lli_apparent_dvdq_fraction', unit: '1', doc: 'lli_apparent_dvdq / the reference charge capacity' },
  // impedance (src/fit/eis)
  rBulk: { name: 'R_bulk', unit: 'ohm', doc: 'high-frequency intercept (electrolyte + contacts)' },
  rSei: { name: 'R_SEI', unit: 'ohm', doc: 'SEI resistance (first, high-frequency arc)' },
  rSeiAreal: { name: 'R_SEI_areal', unit: 'ohm*cm2', doc: 'R_SEI × electrode area' },
  cpeSeiQ: { name: 'CPE_SEI_Q', unit: 'F*s^(a-1)', doc: 'CPE magnitude of the SEI arc' },
  cpeSeiAlpha: { name: 'CPE_SEI_alpha', unit: '1', doc: 'CPE exponent of the SEI arc (1 = ideal capacitor; falls with heterogeneity)' },
  rCt: { name: 'R_ct', unit: 'ohm', doc: 'charge-transfer resistance' },
  kkResidualMax: { name: 'kk_residual_max', unit: '1', doc: 'max |relative residual| of the lin-KK test' },
  cpeDlQ: { name: 'CPE_dl_Q', unit: 'F*s^(a-1)', doc: 'CPE magnitude of the charge-transfer / double-layer arc' },
  cpeDlAlpha: { name: 'CPE_dl_alpha', unit: '1', doc: 'CPE exponent of the charge-transfer / double-layer arc' },
  drtPeakTau: {
    name: 'drt_peak{k}_tau',
    unit: 's',
    doc: 'time constant of the k-th DRT peak (ascending τ) that passes the resolvability/significance rule (src/fit/drt/peaks.ts)',
  },
  drtPeakR: {
    name: 'drt_peak{k}_R',
    unit: 'ohm',
    doc: 'polarisation resistance of the k-th DRT peak: ∫γ d ln τ over the peak, stderr from the coefficient covariance',
  },
  // impedance series per cell (src/derived/eis-history.ts: each spectrum placed in the cell's history)
  rSeiAfterRest: {
    name: 'R_SEI_after_rest',
    unit: 'ohm',
    doc: 'R_SEI of the last spectrum before the first cycle (0 cycles completed: after the initial rest)',
  },
  cpeSeiAlphaAfterRest: { name: 'CPE_SEI_alpha_after_rest', unit: '1', doc: 'CPE_SEI_alpha of that same spectrum' },
  rSeiAfterCycling: { name: 'R_SEI_after_cycling', unit: 'ohm', doc: "R_SEI of the cell's last spectrum, taken after ≥ 1 completed cycle" },
  cpeSeiAlphaAfterCycling: { name: 'CPE_SEI_alpha_after_cycling', unit: '1', doc: 'CPE_SEI_alpha of that same spectrum' },
  rSeiTrendPerCycle: {
    name: 'R_SEI_trend_per_cycle',
    unit: 'ohm/cycle',
    doc: "OLS slope of R_SEI vs cycles completed over the cell's placed spectra (≥ 3, ≥ 2 distinct cycle counts)",
  },
  rSeiTrendPerSqrtH: {
    name: 'R_SEI_trend_per_sqrt_h',
    unit: 'ohm/h^0.5',
    doc: 'OLS slope of R_SEI vs √(hours at rest) over ≥ 3 spectra of one rest (same cycles completed)',
  },
  // Li‖Li potentiostatic polarisation (src/fit/transference; t₊ in src/derived/transference.ts). MECHANISMS.md §4
  caInitialCurrent: {
    name: 'ca_initial_current',
    unit: 'A',
    doc: 'I₀ of a chronoamperometry step: |I| at the first logged point after the step start (double-layer spike over), ±half the change over the next sample',
  },
  caSteadyStateCurrent: {
    name: 'ca_steady_state_current',
    unit: 'A',
    doc: 'I_ss: mean |I| over the last 10 % of the step, SD/√n; flagged not-steady when its linear trend changes it by ≥ 1 % over that window',
  },
  caDeltaV: {
    name: 'ca_delta_v',
    unit: 'V',
    doc: 'ΔV of the step: from the settings (vs. open circuit), else from the data; flagged above 10 mV (small-signal limit)',
  },
  caCurrentRatio: { name: 'ca_current_ratio', unit: '1', doc: 'I_ss/I₀ without the interfacial-resistance correction' },
  transferenceNumber: {
    name: 'transference_number',
    unit: '1',
    doc: 'Bruce–Vincent t₊ = I_ss(ΔV − I₀R₀)/(I₀(ΔV − I_ss R_ss)) (a limiting current fraction F₊, method BV; not an NMR/Hittorf value), R from the spectra before/after the step; propagated 1σ',
  },
  rInterfaceBeforeCa: { name: 'R_interface_before_ca', unit: 'ohm', doc: "R₀: R_SEI + R_ct of the cell's last spectrum before the polarisation step" },
  rInterfaceAfterCa: { name: 'R_interface_after_ca', unit: 'ohm', doc: "R_ss: R_SEI + R_ct of the cell's first spectrum after the polarisation step" },
  // XPS (src/fit/xps)
  inorganicFraction: { name: 'sei_inorganic_fraction', unit: '1', doc: 'depth-averaged inorganic share of SEI species (atomic basis)' },
  seiThicknessXps: { name: 'sei_thickness_sputter', unit: 's', doc: 'sputter time where Li metal reaches 50 % of Li 1s' },
  lifToOrganic: { name: 'lif_to_organic_c', unit: '1', doc: 'LiF / organic-C atomic ratio, depth-averaged' },
  inorganicFractionSurface: { name: 'sei_inorganic_fraction_surface', unit: '1', doc: 'inorganic fraction at the first etch level' },
  inorganicFractionDepthSd: { name: 'sei_inorganic_fraction_depth_sd', unit: '1', doc: 'spread of the inorganic fraction across depth (depth heterogeneity)' },
  anionF: { name: 'anion_f_atomic_percent', unit: '%', doc: 'F from anion decomposition (PF6-/FSI-/TFSI-), depth-averaged' },
  anionN: { name: 'anion_n_atomic_percent', unit: '%', doc: 'N from NO3- decomposition (Li3N, LiNxOy), depth-averaged' },
  chargeShift: { name: 'charge_shift', unit: 'eV', doc: 'binding-energy correction applied per etch level' },
  xpsProfileSputter: { name: 'xps_profile_sputter_s', unit: 's', doc: 'total sputter time of the depth profile (dose proxy at the same ion-gun settings)' },
  xpsProfileLevels: { name: 'xps_profile_levels', unit: '1', doc: 'number of etch levels in the depth profile' },
  seiThicknessEtchLevel: {
    name: 'sei_thickness_etch_level',
    unit: '1',
    doc: 'etch level where Li metal reaches 50 % of Li 1s (profiles without sputter times)',
  },
  anionFUndecomposed: {
    name: 'anion_f_undecomposed_fraction',
    unit: '1',
    doc: 'LixPOyFz/(LixPOyFz + LiF) in F 1s: share of F still in the anion/salt residue',
  },
  anionS: { name: 'anion_s_atomic_percent', unit: '%', doc: 'S from FSI-/TFSI- decomposition (Li2S, SOx), depth-averaged' },
  ti3Fraction: {
    name: 'ti3_fraction',
    unit: '1',
    doc: 'Ti³⁺/(Ti³⁺ + Ti⁴⁺) from Ti 2p3/2 areas (BaTiO3 reduced by Li, MECHANISMS §7.3): per etch level (scope) and depth-averaged',
  },
  // ToF-SIMS (src/fit/sims)
  heterogeneity: { name: 'heterogeneity_index', unit: '1', doc: 'CV_true of the inorganic/organic ratio map, Poisson noise removed' },
  moransI: { name: 'morans_i', unit: '1', doc: "Moran's I of the ratio map (rook adjacency)" },
  hotspotFraction: { name: 'hotspot_fraction', unit: '1', doc: 'share of pixels above mean + 2σ' },
  seiDepthSims: { name: 'sei_depth_sims', unit: 's', doc: 'sputter time at 50 % drop of the SEI marker' },
  moransIP: { name: 'morans_i_p', unit: '1', doc: "permutation p-value of Moran's I" },
  simsBinUm: { name: 'sims_bin_um', unit: 'um', doc: 'physical bin size (µm) at which the heterogeneity index of paired ion images was computed' },
  simsInorganicOrganicRatio: { name: 'sims_inorganic_organic_ratio', unit: '1', doc: 'depth-integrated Σ inorganic / Σ organic TIC-normalised marker signal' },
  seiDepthSimsDose: { name: 'sei_depth_sims_dose', unit: 'ions/cm2', doc: 'sputter dose at 50 % drop of the SEI marker (profiles with a dose axis)' },
  feLayerDetected: { name: 'fe_layer_detected', unit: '1', doc: '1 when the Ti/Ba tracers of a ferroelectric layer are found in the depth profile' },
  feLayerOnset: { name: 'fe_layer_onset', unit: 's', doc: 'first sputter time at ≥ 50 % of the Ti/Ba tracer maximum' },
  feLayerPeakDepth: { name: 'fe_layer_peak_depth', unit: 's', doc: 'sputter time of the Ti/Ba tracer maximum' },
  feLayerEnd: { name: 'fe_layer_end', unit: 's', doc: 'last sputter time at ≥ 50 % of the Ti/Ba tracer maximum' },
  heterogeneitySliceMean: { name: 'heterogeneity_index_slice_mean', unit: '1', doc: 'mean over the slices of the per-slice heterogeneity index' },
  // P–E loops (src/fit/ferro)
  pr: { name: 'Pr', unit: 'uC/cm2', doc: 'remanent polarisation, mean of |Pr+| and |Pr−|' },
  ec: { name: 'Ec', unit: 'kV/cm', doc: 'coercive field, mean of |Ec+| and |Ec−|' },
  pmax: { name: 'Pmax', unit: 'uC/cm2', doc: 'maximum polarisation' },
  retention: { name: 'polarisation_retention', unit: '1', doc: 'Pr(after)/Pr(pristine) for the same layer' },
  imprint: { name: 'imprint', unit: 'kV/cm', doc: '(Ec+ + Ec−)/2' },
  loopArea: {
    name: 'loop_area',
    unit: 'mJ/cm3',
    doc: 'P–E loop area ∮P dE, dissipated energy density per cycle: µC/cm² × kV/cm = 1e-6 C/cm² × 1e3 V/cm = 1e-3 J/cm³ = mJ/cm³',
  },
  prPlus: { name: 'Pr_plus', unit: 'uC/cm2', doc: 'P at x = 0 on the descending branch' },
  prMinus: { name: 'Pr_minus', unit: 'uC/cm2', doc: 'P at x = 0 on the ascending branch' },
  ecPlus: { name: 'Ec_plus', unit: 'kV/cm', doc: 'field at P = 0 on the ascending branch' },
  ecMinus: { name: 'Ec_minus', unit: 'kV/cm', doc: 'field at P = 0 on the descending branch' },
  vc: { name: 'Vc', unit: 'V', doc: 'coercive voltage, (Vc+ − Vc−)/2, when no film thickness gives a field' },
  vcPlus: { name: 'Vc_plus', unit: 'V', doc: 'voltage at P = 0 on the ascending branch' },
  vcMinus: { name: 'Vc_minus', unit: 'V', doc: 'voltage at P = 0 on the descending branch' },
  imprintVoltage: { name: 'imprint_voltage', unit: 'V', doc: '(Vc+ + Vc−)/2' },
  loopAreaVoltage: { name: 'loop_area_voltage', unit: 'uJ/cm2', doc: '∮P dV: µC/cm² × V = µJ/cm² (aixACCT Wloss)' },
  loopClosureDrift: { name: 'loop_closure_drift', unit: 'uC/cm2', doc: 'P(end) − P(start) over one period' },
  leakageCurrentAtVmax: { name: 'leakage_current_at_vmax', unit: 'A', doc: 'current at the positive drive turning point' },
  leakageCurrentAtVmin: { name: 'leakage_current_at_vmin', unit: 'A', doc: 'current at the negative drive turning point' },
  leakageResistance: { name: 'leakage_resistance', unit: 'ohm', doc: 'ΔV/ΔI between the two turning points' },
  leakageDensityAtVmax: { name: 'leakage_current_density_at_vmax', unit: 'uA/cm2', doc: 'leakage current density at the positive voltage extreme' },
  leakageDensityAtVmin: { name: 'leakage_current_density_at_vmin', unit: 'uA/cm2', doc: 'leakage current density at the negative voltage extreme' },
  leakageDensityDrift: { name: 'leakage_current_density_drift', unit: 'uA/cm2', doc: 'net DC leakage from the closure drift over one period' },
  fatiguePrLossPerDecade: { name: 'fatigue_pr_loss_per_decade', unit: 'uC/cm2', doc: 'Pr lost per decade of switching cycles (log fit of the fatigue table)' },
  // PFM phase images (src/fit/pfm; MECHANISMS §6.1)
  pfmUpFraction: { name: 'pfm_up_fraction', unit: '1', doc: 'N_up/N_valid of a PFM phase image (two phase modes ~180° apart, pixels to the nearer mode)' },
  pfmNet: { name: 'pfm_net_polarisation', unit: '1', doc: '(up − down)/(up + down) by pixel count; a magnitude when the phase orientation is uncalibrated' },
  pfmNetWeighted: { name: 'pfm_net_polarisation_weighted', unit: '1', doc: 'ΣX/Σ|X|, X = A cos(φ − φ_up), amplitude-weighted net polarisation proxy' },
  pfmValidFraction: { name: 'pfm_valid_fraction', unit: '1', doc: 'N_valid/N: finite phase and amplitude ≥ 3σ_noise' },
  pfmModeSeparation: { name: 'pfm_mode_separation', unit: 'deg', doc: 'circular distance between the two phase modes (≈ 180 for 180° domains)' },
  pfmIntermediateFraction: { name: 'pfm_intermediate_fraction', unit: '1', doc: 'valid pixels more than 45° from their phase mode (background / artefact)' },
  // Raman/FTIR solvation bands (src/fit/vibrational; MECHANISMS §5): fractions of ANION, 1σ from the fit covariance
  anionFreeFraction: {
    name: 'anion_free_fraction',
    unit: '1',
    doc: 'free (incl. solvent-separated) anion share of the anion band area (equal cross-sections unless given)',
  },
  anionCipFraction: { name: 'anion_cip_fraction', unit: '1', doc: 'contact-ion-pair share of the anion band area' },
  anionAggFraction: { name: 'anion_agg_fraction', unit: '1', doc: 'aggregate share of the anion band area' },
  anionSheathFraction: { name: 'anion_sheath_fraction', unit: '1', doc: 'CIP + AGG share of the anion band: anions inside a Li⁺ sheath (H16)' },
  solventCoordinatedFraction: {
    name: 'solvent_coordinated_fraction',
    unit: '1',
    doc: 'Li⁺-bound share of a solvent band (EC ~900 cm⁻¹ split; equal cross-sections, which Allen et al. 2014 question)',
  },
} as const;

/** Every registered parameter name, as a type: code that reads a parameter by name cannot misspell it. */
export type ParameterName = (typeof PARAMETERS)[keyof typeof PARAMETERS]['name'];

/** A registered parameter: its (possibly templated, `{k}` = 1, 2, …) name, unit and meaning. */
export interface ParameterSpec {
  readonly name: string;
  readonly unit: string;
  readonly doc: string;
}

/** The registry entry for an emitted name: exact match first, then the `{k}` templates. */
export function parameterSpec(name: string): ParameterSpec | undefined {
  const all: readonly ParameterSpec[] = Object.values(PARAMETERS);
  return all.find((p) => p.name === name) ?? all.find((p) => p.name.includes('{k}') && new RegExp(`^${p.name.replace('{k}', '[1-9][0-9]*')}$`).test(name));
}
