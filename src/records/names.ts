/**
 * Canonical column names and their fixed units, per record kind.
 * Cycler names follow the Battery Data Format (BDF) preferred labels (`Quantity / unit`).
 * A parser MUST convert to these units (mA→A, mAh→Ah, kΩ→Ω, min→s, ...).
 */
export const CYCLER = {
  testTime: { name: 'Test Time', unit: 's' },
  unixTime: { name: 'Unix Time', unit: 's' },
  stepTime: { name: 'Step Time', unit: 's' },
  voltage: { name: 'Voltage', unit: 'V' },
  /** Positive current = charge (for a Li||Cu half cell: Li stripping from Cu counts as "charge" of the working electrode; see README). */
  current: { name: 'Current', unit: 'A' },
  cycle: { name: 'Cycle Count', unit: '1' },
  step: { name: 'Step Count', unit: '1' },
  stepIndex: { name: 'Step Index', unit: '1' },
  stepType: { name: 'Step Type', unit: '' },
  recordIndex: { name: 'Record Index', unit: '1' },
  chargeCapacity: { name: 'Charging Capacity', unit: 'Ah' },
  dischargeCapacity: { name: 'Discharging Capacity', unit: 'Ah' },
  stepCapacity: { name: 'Step Capacity', unit: 'Ah' },
  stepEnergy: { name: 'Step Energy', unit: 'Wh' },
  netCapacity: { name: 'Net Capacity', unit: 'Ah' },
  chargeEnergy: { name: 'Charging Energy', unit: 'Wh' },
  dischargeEnergy: { name: 'Discharging Energy', unit: 'Wh' },
  power: { name: 'Power', unit: 'W' },
  internalResistance: { name: 'Internal Resistance', unit: 'ohm' },
  temperature: { name: 'Ambient Temperature', unit: 'degC' },
} as const;

/**
 * `cycle-summary` records: a cycler's per-cycle table as a cycle- or step-layer export writes it (one row
 * per cycle, no raw rows). Capacities and energies are magnitudes per direction (charge = I > 0, as in
 * CYCLER); the stated CE is the file's own (discharge / charge, converted from % to a fraction).
 */
export const CYCLE_SUMMARY = {
  cycle: CYCLER.cycle,
  startTime: { name: 'Start Time', unit: 's' },
  endTime: { name: 'End Time', unit: 's' },
  chargeCapacity: CYCLER.chargeCapacity,
  dischargeCapacity: CYCLER.dischargeCapacity,
  chargeEnergy: CYCLER.chargeEnergy,
  dischargeEnergy: CYCLER.dischargeEnergy,
  statedCe: { name: 'Stated Coulombic Efficiency', unit: '1' },
  meanChargeVoltage: { name: 'Mean Charge Voltage', unit: 'V' },
  meanDischargeVoltage: { name: 'Mean Discharge Voltage', unit: 'V' },
  internalResistance: CYCLER.internalResistance,
} as const;

/**
 * Impedance: Z = Z' + j·Z''. `Imaginary Impedance` is the true imaginary part, so a capacitive
 * arc has NEGATIVE values (the parser flips instruments that export −Im(Z)).
 */
export const EIS = {
  frequency: { name: 'Frequency', unit: 'Hz' },
  zReal: { name: 'Real Impedance', unit: 'ohm' },
  zImag: { name: 'Imaginary Impedance', unit: 'ohm' },
  time: { name: 'Test Time', unit: 's' },
  voltage: { name: 'Voltage', unit: 'V' },
  current: { name: 'Current', unit: 'A' },
} as const;

export const XPS = {
  /** Categorical: index into `levels` (region / core-level names as the file gives them). */
  region: { name: 'Region', unit: '' },
  etchLevel: { name: 'Etch Level', unit: '1' },
  sputterTime: { name: 'Sputter Time', unit: 's' },
  /** Only when the file states a sputter rate: depth is never invented. */
  depth: { name: 'Depth', unit: 'nm' },
  bindingEnergy: { name: 'Binding Energy', unit: 'eV' },
  /** counts, or counts/s when the file gives rates (unit says which). */
  intensity: { name: 'Intensity', unit: 'counts' },
  /** Quantification tables (`xps-quantification`): categorical peak name as the vendor wrote it. */
  peak: { name: 'Peak', unit: '' },
  peakBindingEnergy: { name: 'Peak Binding Energy', unit: 'eV' },
  /** Peak area as the vendor integrated it (Avantage `Area (P) CPS.eV`). */
  peakArea: { name: 'Peak Area', unit: 'counts/s*eV' },
  /** The vendor's atomic % (NaN where the table has none). */
  atomicPercent: { name: 'Atomic Percent', unit: '%' },
  /** Atomic % from peak heights (Avantage `PP At. %`): the last resort of the quant-table fitter. */
  peakHeightAtomicPercent: { name: 'Peak-Height Atomic Percent', unit: '%' },
} as const;

/** A core level at the start of a peak or region name, as written: `C 1s`, `F1s`, `Ba 3d5/2` (group 1). */
export const CORE_LEVEL_PREFIX = /^\s*([A-Z][a-z]?\s?\d[spdf]\d?(?:\/\d)?)/;

/** The core level a name starts with (`C 1s (C-O)` → `C 1s`), or ''. */
export function coreLevelPrefix(name: string): string {
  return CORE_LEVEL_PREFIX.exec(name)?.[1] ?? '';
}

export const SIMS = {
  sputterTime: { name: 'Sputter Time', unit: 's' },
  sputterDose: { name: 'Sputter Dose', unit: 'ions/cm2' },
  mass: { name: 'Mass', unit: 'u' },
  intensity: { name: 'Intensity', unit: 'counts' },
  /** Image records: x, y, z (slice) pixel indices and one counts column per ion. */
  x: { name: 'X', unit: 'px' },
  y: { name: 'Y', unit: 'px' },
  z: { name: 'Slice', unit: '1' },
} as const;

export const PE = {
  time: { name: 'Time', unit: 's' },
  voltage: { name: 'Voltage', unit: 'V' },
  field: { name: 'Electric Field', unit: 'kV/cm' },
  polarization: { name: 'Polarization', unit: 'uC/cm2' },
  current: { name: 'Current', unit: 'A' },
} as const;

/**
 * Chronoamperometry (potentiostatic step, e.g. the Bruce–Vincent polarisation of a Li‖Li cell):
 * time from the start of the record, the cell voltage and the current. Sign as the instrument writes it
 * (only |I| enters t₊).
 */
export const CA = {
  time: { name: 'Test Time', unit: 's' },
  voltage: { name: 'Voltage', unit: 'V' },
  current: { name: 'Current', unit: 'A' },
} as const;
