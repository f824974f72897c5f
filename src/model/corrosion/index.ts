export type { PassivationLaw } from './types.js';
import { parabolic } from './parabolic.js';
import { linear } from './linear.js';
import { logarithmic } from './logarithmic.js';
export { parabolic, linear, logarithmic };

export const PASSIVATION_LAWS = [parabolic, linear, logarithmic] as const;
export type PassivationId = (typeof PASSIVATION_LAWS)[number]['id'];
