import type { ResolvedParameters } from '../params/resolve.js';

/** A passivation law: new SEI thickness after `hours` at open circuit with rate multiplier `factor`. */
export interface PassivationLaw {
  readonly id: 'parabolic' | 'linear' | 'logarithmic';
  /** DOMAIN.md equation, for docs and reports. */
  readonly equation: string;
  grow(L_nm: number, hours: number, factor: number, p: ResolvedParameters): number;
  /** The parameter whose value sets the rate (the one fits free). */
  readonly rateParameter: 'Parabolic corrosion constant [nm2.h-1]' | 'Linear corrosion rate [nm.h-1]' | 'Logarithmic corrosion rate [nm.h-1]';
}
