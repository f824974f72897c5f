/**
 * Replay-model parameter values: a flat record whose keys carry their units (PyBaMM style,
 * STYLE.md §1.3). Symbols in the comments are those of shared/domain/DOMAIN.md §7.
 * A parameter set (one file per source, AuthorYear) returns a complete `ReplayParameterValues`.
 */
export interface ReplayParameterValues {
  // # cell build / initial state (§7.1)
  /** Q_Li at cycle 0: Li counter electrode (Li||Cu, Li||Li), cathode Li (anode-free), cathode + excess (full). */
  readonly 'Initial Li inventory [mAh.cm-2]': number;
  /** L at cycle 0 (5–30 nm). */
  readonly 'Initial SEI thickness [nm]': number;
  /** f_base: SEI inorganic fraction without FD (XPS, §3.3). */
  readonly 'Initial inorganic fraction [1]': number;
  /** H at cycle 0 (ToF-SIMS CV_true, §4.2). */
  readonly 'Initial heterogeneity [1]': number;
  /** A_r at cycle 0 (1 = foil). */
  readonly 'Initial roughness [1]': number;
  /** P₀ = Pr_eff/Pr_ref, capped at 1; 0 for controls. */
  readonly 'Initial polarisation retention [1]': number;

  // # corrosion at rest (§7.2)
  /** k_p0 of the parabolic law L'² = L² + 2 k_p t. */
  readonly 'Parabolic corrosion constant [nm2.h-1]': number;
  /** k_l of the linear law L' = L + k_l t. */
  readonly 'Linear corrosion rate [nm.h-1]': number;
  /** k of the logarithmic law L' = L + λ ln(1 + k t/λ). */
  readonly 'Logarithmic corrosion rate [nm.h-1]': number;
  /** λ of the logarithmic law (1–3 nm). */
  readonly 'Tunnelling length [nm]': number;
  /** β_f in k = k0 exp(−β_f f)(1 − ε_c P). */
  readonly 'Passivation composition factor [1]': number;
  /** ε_c: fraction of corrosion suppressed at full polarisation. */
  readonly 'FD corrosion suppression [1]': number;
  /** c_SEI: Li locked per nm of SEI per cm² true area (§1.2: 0.15–0.36 µAh cm⁻² nm⁻¹). */
  readonly 'SEI Li content [mAh.cm-2.nm-1]': number;
  /** χ_r: Li stranded (reconnectable dead Li) per unit Li corroded during a rest (Bassett 2023). */
  readonly 'Rest stranding fraction [1]': number;
  /** ρ_rec: share of rest-stranded Li reconnected per cycle. */
  readonly 'Dead Li reconnection fraction [cycle-1]': number;
  /** γ_H: H ← H + γ_H Q_corr/Q_ref (corrosion → heterogeneity, perspective claim 2). */
  readonly 'Corrosion heterogeneity gain [1]': number;
  /** Q_ref = 0.01 mAh cm⁻². */
  readonly 'Heterogeneity reference charge [mAh.cm-2]': number;
  /** ρ_org, ρ_inorg of ρ_SEI(f) = ρ_org^(1−f) ρ_inorg^f, R_SEI = ρ_SEI L / A_r. */
  readonly 'Organic SEI resistivity [Ohm.cm2.nm-1]': number;
  readonly 'Inorganic SEI resistivity [Ohm.cm2.nm-1]': number;

  // # plating / stripping (§7.3)
  /** z_q of the tip amplification M = exp(z σ − σ²/2) (2.33 = 99th percentile). */
  readonly 'Tip quantile z-score [1]': number;
  /** φ₀ of φ_dead = φ₀ M^κ (j/j_ref)^ν (1 − f)^μ. */
  readonly 'Dead Li base fraction [1]': number;
  readonly 'Dead Li amplification exponent [1]': number;
  readonly 'Dead Li current exponent [1]': number;
  readonly 'Reference current density [mA.cm-2]': number;
  readonly 'Dead Li composition exponent [1]': number;
  /** s₀ of φ_SEI = s₀ A_r (1 − f)^μ_s. */
  readonly 'SEI repair base fraction [1]': number;
  readonly 'SEI repair composition exponent [1]': number;
  /** η_H, ζ_H, ε_H of H ← H + η_H (M − 1) Q_c/Q_ref − ζ_H H − ε_H P H. */
  readonly 'Heterogeneity self-amplification [1]': number;
  readonly 'Heterogeneity healing [cycle-1]': number;
  readonly 'FD heterogeneity smoothing [cycle-1]': number;
  /** α_A of A_r ← A_r + α_A φ_dead Q_c. */
  readonly 'Roughness growth [cm2.mAh-1]': number;

  // # ferroelectric dipoles (§7.3.7–8)
  /** Δf_FD: inorganic-fraction gain at full polarisation. */
  readonly 'FD inorganic fraction gain [1]': number;
  /** f_sat: FD-independent inorganic accumulation target. */
  readonly 'Saturated inorganic fraction [1]': number;
  /** n_f: cycles of the inorganic accumulation. */
  readonly 'Inorganic accumulation cycles [cycle]': number;
  /** n_P: P_n = P₀ exp(−n/n_P). */
  readonly 'Polarisation decay cycles [cycle]': number;

  // # overpotential (§7.3.9)
  readonly 'Bulk resistance [Ohm.cm2]': number;
  /** R_ct(f) = R_ct,org^(1−f) R_ct,inorg^f. */
  readonly 'Organic charge-transfer resistance [Ohm.cm2]': number;
  readonly 'Inorganic charge-transfer resistance [Ohm.cm2]': number;
  /** ω of η = j (R_b + R_SEI + R_ct) M^ω. */
  readonly 'Overpotential amplification exponent [1]': number;

  // # failure (§7.4)
  readonly 'Capacity retention limit [1]': number;
  /** Short circuit when M exceeds this (j_crit / j). */
  readonly 'Critical tip amplification [1]': number;
  readonly 'Overpotential limit [V]': number;
}

export type ParameterName = keyof ReplayParameterValues;

export interface Citation {
  /** AuthorYear key. */
  readonly key: string;
  readonly reference: string;
  /** DOI or URL. */
  readonly doi: string;
}

export interface ParameterSet {
  /** AuthorYear id, e.g. `Gunnarsdottir2020_carbonate_FEC`. */
  readonly id: string;
  readonly title: string;
  /** What the set represents and which numbers are anchored where. */
  readonly description: string;
  readonly values: ReplayParameterValues;
  readonly citations: readonly Citation[];
}
