/**
 * Structural constants shared by every set: numbers that come from arithmetic or convention rather
 * than from one electrolyte (DOMAIN.md §1.2 conversions, §7.3 quantile, §7.4 failure criteria, §7.5
 * prior mid-points). A set spreads these and overrides what its source anchors.
 */
import type { ReplayParameterValues } from './types.js';

export const BASE_VALUES: ReplayParameterValues = {
  // # cell
  'Initial Li inventory [mAh.cm-2]': 50, // 250 µm Li counter electrode ≈ 51 mAh cm⁻² (4.86 µm per mAh cm⁻², §1.2)
  'Initial SEI thickness [nm]': 15, // cryo-EM 10–30 nm (§1.3)
  'Initial inorganic fraction [1]': 0.5,
  'Initial heterogeneity [1]': 0.2,
  'Initial roughness [1]': 3,
  'Initial polarisation retention [1]': 0,
  // # corrosion
  'Parabolic corrosion constant [nm2.h-1]': 20, // prior 1–50 (§7.5)
  'Linear corrosion rate [nm.h-1]': 0.5,
  'Logarithmic corrosion rate [nm.h-1]': 5,
  'Tunnelling length [nm]': 2, // 1–3 nm (§1.3)
  'Passivation composition factor [1]': 1,
  'FD corrosion suppression [1]': 0.3,
  'SEI Li content [mAh.cm-2.nm-1]': 0.273e-3, // LiF: 0.273 µAh cm⁻² nm⁻¹ (§1.2)
  'Rest stranding fraction [1]': 0.5,
  'Dead Li reconnection fraction [cycle-1]': 0.2,
  'Corrosion heterogeneity gain [1]': 0.04,
  'Heterogeneity reference charge [mAh.cm-2]': 0.01, // Q_ref (§7.2.3)
  'Organic SEI resistivity [Ohm.cm2.nm-1]': 8,
  'Inorganic SEI resistivity [Ohm.cm2.nm-1]': 3,
  // # plating / stripping
  'Tip quantile z-score [1]': 2.33, // 99th percentile (§7.3.1)
  'Dead Li base fraction [1]': 0.03,
  'Dead Li amplification exponent [1]': 1,
  'Dead Li current exponent [1]': 0.5,
  'Reference current density [mA.cm-2]': 0.5,
  'Dead Li composition exponent [1]': 1,
  'SEI repair base fraction [1]': 0.005,
  'SEI repair composition exponent [1]': 1,
  'Heterogeneity self-amplification [1]': 3e-5,
  'Heterogeneity healing [cycle-1]': 0.01,
  'FD heterogeneity smoothing [cycle-1]': 0.01,
  'Roughness growth [cm2.mAh-1]': 1,
  // # ferroelectric dipoles
  'FD inorganic fraction gain [1]': 0.1, // claimed 0.05–0.2 (§7.5)
  'Saturated inorganic fraction [1]': 0.6,
  'Inorganic accumulation cycles [cycle]': 200,
  'Polarisation decay cycles [cycle]': 300, // prior 20–5000 (§7.5)
  // # overpotential
  'Bulk resistance [Ohm.cm2]': 10,
  'Organic charge-transfer resistance [Ohm.cm2]': 40,
  'Inorganic charge-transfer resistance [Ohm.cm2]': 15,
  'Overpotential amplification exponent [1]': 0.5,
  // # failure
  'Capacity retention limit [1]': 0.8, // §7.4
  'Critical tip amplification [1]': 6, // j_crit 5–10 × j (§7.4)
  'Overpotential limit [V]': 0.5, // Li||Li 0.5 V (§2.5)
};
