/**
 * Units met in P–E loop exports, as data. The shared `parsers/text/units.ts` covers V, A, s and C/cm2;
 * ferroelectric testers also write fields in MV/cm, kV/mm or V/µm, polarisation in C/m² or the
 * aixACCT-TSV spelling `uC_per_cm2`, and charge in C. Each entry: factor to the canonical unit.
 */
import { tryUnitFactor, normaliseUnit } from '../text/units.js';

type Dim = 'field' | 'polarization' | 'charge' | 'voltage' | 'current' | 'time' | 'area' | 'length' | 'frequency';

/** Canonical units: kV/cm, uC/cm2, C, V, A, s, cm2, nm, Hz. */
const TABLE: Readonly<Record<Dim, Readonly<Record<string, number>>>> = {
  field: { 'kV/cm': 1, 'V/cm': 1e-3, 'MV/cm': 1e3, 'MV/m': 10, 'kV/mm': 10, 'V/um': 10, 'V/m': 1e-5, 'kV/m': 1e-2 },
  polarization: { 'uC/cm2': 1, uC_per_cm2: 1, 'C/m2': 100, 'mC/m2': 0.1, 'uC/m2': 1e-4, 'C/cm2': 1e6, 'mC/cm2': 1e3, 'nC/cm2': 1e-3 },
  charge: { C: 1, mC: 1e-3, uC: 1e-6, nC: 1e-9, pC: 1e-12, fC: 1e-15 },
  voltage: { V: 1, mV: 1e-3, kV: 1e3 },
  current: { A: 1, mA: 1e-3, uA: 1e-6, nA: 1e-9, pA: 1e-12 },
  time: { s: 1, ms: 1e-3, us: 1e-6, ns: 1e-9, min: 60 },
  area: { cm2: 1, mm2: 1e-2, um2: 1e-8, m2: 1e4 },
  length: { nm: 1, um: 1e3, mm: 1e6, cm: 1e7, m: 1e9, A: 0.1 },
  frequency: { Hz: 1, kHz: 1e3, MHz: 1e6 },
};

function clean(u: string): string {
  return u
    .trim()
    .replace(/^\[|\]$/g, '')
    .replace(/^\(|\)$/g, '')
    .replace(/[µμ]/g, 'u')
    .replace(/\^2|²/g, '2')
    .replace(/\s+/g, '');
}

/** Factor from `unit` to the canonical unit of `dim`, or null if unknown. */
export function peFactor(dim: Dim, unit: string): number | null {
  const u = clean(unit);
  const t = TABLE[dim];
  if (u in t) return t[u]!;
  const canon = Object.keys(t).find((k) => t[k] === 1)!;
  return tryUnitFactor(normaliseUnit(u), canon);
}

/** E [kV/cm] = V / d: 1 V over 1 nm = 1e7 V/cm = 1e4 kV/cm. */
export function fieldFromVoltage(v: number, thicknessNm: number): number {
  return (v * 1e4) / thicknessNm;
}
