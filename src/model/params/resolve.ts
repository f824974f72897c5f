/**
 * From unit-bearing names to the solver's compact struct, once per replay. Wrong names fail with the
 * closest valid name (PyBaMM's FuzzyDict); out-of-range values fail naming the allowed range.
 */
import { BASE_VALUES } from './base.js';
import { carbonateFec_Gunnarsdottir2020, carbonate_Gunnarsdottir2020 } from './Gunnarsdottir2020.js';
import { ether_Boyle2021 } from './Boyle2021.js';
import { dense_Lu2022, porous_Lu2022 } from './Lu2022.js';
import { hce_Adams2018 } from './Adams2018.js';
import type { ParameterName, ParameterSet, ReplayParameterValues } from './types.js';
import { closest } from '../../records/suggest.js';

export const PARAMETER_SETS: readonly ParameterSet[] = [
  carbonateFec_Gunnarsdottir2020,
  carbonate_Gunnarsdottir2020,
  ether_Boyle2021,
  dense_Lu2022,
  porous_Lu2022,
  hce_Adams2018,
];

export const PARAMETER_NAMES = Object.keys(BASE_VALUES) as ParameterName[];

export class ParameterError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ParameterError';
  }
}

export function closestParameterName(name: string): ParameterName {
  return closest(name, PARAMETER_NAMES).best ?? PARAMETER_NAMES[0]!;
}

export function isParameterName(name: string): name is ParameterName {
  return Object.hasOwn(BASE_VALUES, name);
}

/** A copy of `base` with `overrides` applied; unknown names throw with the closest valid name. */
export function withValues(base: ReplayParameterValues, overrides: Readonly<Record<string, number>>): ReplayParameterValues {
  for (const k of Object.keys(overrides)) {
    if (!isParameterName(k))
      throw new ParameterError(`unknown parameter '${k}'; did you mean '${closestParameterName(k)}'? (names carry their unit in brackets)`);
  }
  return { ...base, ...overrides } as ReplayParameterValues;
}

export function parameterSetById(id: string): ParameterSet {
  const hit = PARAMETER_SETS.find((s) => s.id.toLowerCase() === id.toLowerCase());
  if (!hit) throw new ParameterError(`unknown parameter set '${id}'; available: ${PARAMETER_SETS.map((s) => s.id).join(', ')}`);
  return hit;
}

/** Compact solver view (symbols of DOMAIN.md §7). */
export interface ResolvedParameters {
  readonly Q0: number;
  readonly L0: number;
  readonly f0: number;
  readonly H0: number;
  readonly A0: number;
  readonly P0: number;
  readonly kp0: number;
  readonly kl: number;
  readonly kLog: number;
  readonly lambda: number;
  readonly betaF: number;
  readonly epsC: number;
  readonly cSei: number;
  readonly chiR: number;
  readonly rhoRec: number;
  readonly gammaH: number;
  readonly qRef: number;
  readonly rhoOrg: number;
  readonly rhoInorg: number;
  readonly zq: number;
  readonly phi0: number;
  readonly kappa: number;
  readonly nu: number;
  readonly jRef: number;
  readonly mu: number;
  readonly s0: number;
  readonly muS: number;
  readonly etaH: number;
  readonly zetaH: number;
  readonly epsH: number;
  readonly alphaA: number;
  readonly dfFd: number;
  readonly fSat: number;
  readonly nF: number;
  readonly nP: number;
  readonly Rb: number;
  readonly rctOrg: number;
  readonly rctInorg: number;
  readonly omega: number;
  readonly retentionLimit: number;
  readonly mCrit: number;
  readonly etaLimit: number;
}

const FRACTIONS: readonly ParameterName[] = [
  'Initial inorganic fraction [1]',
  'Initial polarisation retention [1]',
  'FD corrosion suppression [1]',
  'Dead Li reconnection fraction [cycle-1]',
  'Saturated inorganic fraction [1]',
  'Capacity retention limit [1]',
  'Heterogeneity healing [cycle-1]',
];

export function resolveParameters(v: ReplayParameterValues): ResolvedParameters {
  const problems: string[] = [];
  for (const k of PARAMETER_NAMES) {
    const x = v[k];
    if (typeof x !== 'number' || !Number.isFinite(x)) problems.push(`'${k}' must be a finite number, found ${String(x)}`);
    else if (x < 0 && k !== 'FD inorganic fraction gain [1]') problems.push(`'${k}' must not be negative, found ${x}`);
  }
  for (const k of FRACTIONS) if (v[k] > 1) problems.push(`'${k}' is a fraction in [0, 1], found ${v[k]}`);
  for (const k of [
    'Reference current density [mA.cm-2]',
    'Heterogeneity reference charge [mAh.cm-2]',
    'Inorganic accumulation cycles [cycle]',
    'Polarisation decay cycles [cycle]',
    'Tunnelling length [nm]',
  ] as const) {
    if (!(v[k] > 0)) problems.push(`'${k}' must be > 0, found ${v[k]}`);
  }
  if (problems.length) throw new ParameterError(`invalid parameter values:\n- ${problems.join('\n- ')}`);
  return {
    Q0: v['Initial Li inventory [mAh.cm-2]'],
    L0: v['Initial SEI thickness [nm]'],
    f0: v['Initial inorganic fraction [1]'],
    H0: v['Initial heterogeneity [1]'],
    A0: v['Initial roughness [1]'],
    P0: v['Initial polarisation retention [1]'],
    kp0: v['Parabolic corrosion constant [nm2.h-1]'],
    kl: v['Linear corrosion rate [nm.h-1]'],
    kLog: v['Logarithmic corrosion rate [nm.h-1]'],
    lambda: v['Tunnelling length [nm]'],
    betaF: v['Passivation composition factor [1]'],
    epsC: v['FD corrosion suppression [1]'],
    cSei: v['SEI Li content [mAh.cm-2.nm-1]'],
    chiR: v['Rest stranding fraction [1]'],
    rhoRec: v['Dead Li reconnection fraction [cycle-1]'],
    gammaH: v['Corrosion heterogeneity gain [1]'],
    qRef: v['Heterogeneity reference charge [mAh.cm-2]'],
    rhoOrg: v['Organic SEI resistivity [Ohm.cm2.nm-1]'],
    rhoInorg: v['Inorganic SEI resistivity [Ohm.cm2.nm-1]'],
    zq: v['Tip quantile z-score [1]'],
    phi0: v['Dead Li base fraction [1]'],
    kappa: v['Dead Li amplification exponent [1]'],
    nu: v['Dead Li current exponent [1]'],
    jRef: v['Reference current density [mA.cm-2]'],
    mu: v['Dead Li composition exponent [1]'],
    s0: v['SEI repair base fraction [1]'],
    muS: v['SEI repair composition exponent [1]'],
    etaH: v['Heterogeneity self-amplification [1]'],
    zetaH: v['Heterogeneity healing [cycle-1]'],
    epsH: v['FD heterogeneity smoothing [cycle-1]'],
    alphaA: v['Roughness growth [cm2.mAh-1]'],
    dfFd: v['FD inorganic fraction gain [1]'],
    fSat: v['Saturated inorganic fraction [1]'],
    nF: v['Inorganic accumulation cycles [cycle]'],
    nP: v['Polarisation decay cycles [cycle]'],
    Rb: v['Bulk resistance [Ohm.cm2]'],
    rctOrg: v['Organic charge-transfer resistance [Ohm.cm2]'],
    rctInorg: v['Inorganic charge-transfer resistance [Ohm.cm2]'],
    omega: v['Overpotential amplification exponent [1]'],
    retentionLimit: v['Capacity retention limit [1]'],
    mCrit: v['Critical tip amplification [1]'],
    etaLimit: v['Overpotential limit [V]'],
  };
}
