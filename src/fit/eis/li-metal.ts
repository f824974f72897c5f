/**
 * The default Li-metal circuit (DOMAIN.md §5.1): R_bulk + (R_SEI ‖ CPE_SEI) + (R_ct ‖ CPE_dl).
 * The first, high-frequency arc is the SEI, the second, lower-frequency arc charge transfer /
 * double layer (τ_SEI ≈ 1e-5…1e-3 s, τ_ct ≈ 1e-3…1e-1 s, DOMAIN.md §5.3). `canonicalOrder` keeps the
 * faster arc in the first block, so the mapping below is stable.
 */
import { PARAMETERS } from '../../records/parameters.js';

export const LI_METAL_CIRCUIT = 'R0-p(R1,CPE1)-p(R2,CPE2)';

/** Circuit parameter → emitted parameter name and unit. */
export const LI_METAL_MAPPING: Readonly<Record<string, { readonly name: string; readonly unit: string }>> = {
  R0: PARAMETERS.rBulk,
  R1: PARAMETERS.rSei,
  CPE1_Q: PARAMETERS.cpeSeiQ,
  CPE1_alpha: PARAMETERS.cpeSeiAlpha,
  R2: PARAMETERS.rCt,
  CPE2_Q: { name: 'CPE_dl_Q', unit: 'F*s^(a-1)' },
  CPE2_alpha: { name: 'CPE_dl_alpha', unit: '1' },
};
