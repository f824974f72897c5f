/** Log-mixing of organic and inorganic properties: x(f) = x_org^(1−f) · x_inorg^f (DOMAIN.md §7.2.4). */
export function logMix(organic: number, inorganic: number, f: number): number {
  // exp of the mixed logs: one exp instead of two non-integer powers
  return Math.exp((1 - f) * Math.log(organic) + f * Math.log(inorganic));
}

/** R_SEI = ρ_SEI(f) · L / A_r (Ω cm²). */
export function seiResistance(rhoOrg: number, rhoInorg: number, f: number, L_nm: number, roughness: number): number {
  return (logMix(rhoOrg, rhoInorg, f) * L_nm) / roughness;
}
