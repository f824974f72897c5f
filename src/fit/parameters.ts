/**
 * Names of the parameters that cross from fitters into the model and hypothesis engine. A fitter may
 * emit more; these are the ones other stages read, so their spelling and units are fixed here.
 */
export const PARAMETERS = {
  // cycler (src/fit/cycles)
  ceMean: { name: 'ce_mean', unit: '1', doc: 'mean Coulombic efficiency over cycles 2..n (fraction, not %)' },
  lceMean: { name: 'lce_mean', unit: '1', doc: 'LCE = −log10(1 − CE) of ce_mean (Kim et al. 2023)' },
  ceReservoir: { name: 'ce_avg_reservoir', unit: '1', doc: 'average CE by the Adams 2018 reservoir method' },
  cycleLife80: { name: 'cycle_life_80', unit: 'cycles', doc: 'cycles to 80 % of max(cycles 1–5) discharge capacity; censored if not reached' },
  restLossFraction: { name: 'rest_loss_fraction', unit: '1', doc: 'capacity lost during an OCV rest / capacity plated before it' },
  overpotentialMean: { name: 'overpotential_mean', unit: 'V', doc: 'Li||Li plating/stripping plateau magnitude, mean over cycles' },
  dischargeCapacityFirst: { name: 'discharge_capacity_first', unit: 'Ah', doc: 'discharge capacity of cycle 1' },
  shortCircuit: { name: 'short_circuit_cycle', unit: 'cycles', doc: 'first cycle with a short-circuit signature (CE>1.02 or voltage collapse)' },
  // impedance (src/fit/eis)
  rBulk: { name: 'R_bulk', unit: 'ohm', doc: 'high-frequency intercept (electrolyte + contacts)' },
  rSei: { name: 'R_SEI', unit: 'ohm', doc: 'SEI resistance (first, high-frequency arc)' },
  rSeiAreal: { name: 'R_SEI_areal', unit: 'ohm*cm2', doc: 'R_SEI × electrode area' },
  cpeSeiQ: { name: 'CPE_SEI_Q', unit: 'F*s^(a-1)', doc: 'CPE magnitude of the SEI arc' },
  cpeSeiAlpha: { name: 'CPE_SEI_alpha', unit: '1', doc: 'CPE exponent of the SEI arc (1 = ideal capacitor; falls with heterogeneity)' },
  rCt: { name: 'R_ct', unit: 'ohm', doc: 'charge-transfer resistance' },
  kkResidualMax: { name: 'kk_residual_max', unit: '1', doc: 'max |relative residual| of the lin-KK test' },
  // XPS (src/fit/xps)
  inorganicFraction: { name: 'sei_inorganic_fraction', unit: '1', doc: 'depth-averaged inorganic share of SEI species (atomic basis)' },
  seiThicknessXps: { name: 'sei_thickness_sputter', unit: 's', doc: 'sputter time where Li metal reaches 50 % of Li 1s' },
  lifToOrganic: { name: 'lif_to_organic_c', unit: '1', doc: 'LiF / organic-C atomic ratio, depth-averaged' },
  inorganicFractionSurface: { name: 'sei_inorganic_fraction_surface', unit: '1', doc: 'inorganic fraction at the first etch level' },
  inorganicFractionDepthSd: { name: 'sei_inorganic_fraction_depth_sd', unit: '1', doc: 'spread of the inorganic fraction across depth (depth heterogeneity)' },
  anionF: { name: 'anion_f_atomic_percent', unit: '%', doc: 'F from anion decomposition (PF6-/FSI-/TFSI-), depth-averaged' },
  anionN: { name: 'anion_n_atomic_percent', unit: '%', doc: 'N from NO3- decomposition (Li3N, LiNxOy), depth-averaged' },
  chargeShift: { name: 'charge_shift', unit: 'eV', doc: 'binding-energy correction applied per etch level' },
  // ToF-SIMS (src/fit/sims)
  heterogeneity: { name: 'heterogeneity_index', unit: '1', doc: 'CV_true of the inorganic/organic ratio map, Poisson noise removed' },
  moransI: { name: 'morans_i', unit: '1', doc: "Moran's I of the ratio map (rook adjacency)" },
  hotspotFraction: { name: 'hotspot_fraction', unit: '1', doc: 'share of pixels above mean + 2σ' },
  seiDepthSims: { name: 'sei_depth_sims', unit: 's', doc: 'sputter time at 50 % drop of the SEI marker' },
  moransIP: { name: 'morans_i_p', unit: '1', doc: "permutation p-value of Moran's I" },
  // P–E loops (src/fit/ferro)
  pr: { name: 'Pr', unit: 'uC/cm2', doc: 'remanent polarisation, mean of |Pr+| and |Pr−|' },
  ec: { name: 'Ec', unit: 'kV/cm', doc: 'coercive field, mean of |Ec+| and |Ec−|' },
  pmax: { name: 'Pmax', unit: 'uC/cm2', doc: 'maximum polarisation' },
  retention: { name: 'polarisation_retention', unit: '1', doc: 'Pr(after)/Pr(pristine) for the same layer' },
  imprint: { name: 'imprint', unit: 'kV/cm', doc: '(Ec+ + Ec−)/2' },
  loopArea: { name: 'loop_area', unit: 'uJ/cm2', doc: 'P–E loop area (switching loss)' },
} as const;
