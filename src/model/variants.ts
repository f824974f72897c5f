/**
 * The nested model variants as closed option sets (PyBaMM's possible_options, STYLE.md §1.7):
 * - M0: corrosion costs Li, no corrosion → heterogeneity coupling, no FD term;
 * - M1: M0 + corrosion → heterogeneity (γ_H), so rests raise later losses through the tip effect;
 * - M2: M1 + FD terms (f raised, H smoothed, corrosion slowed in proportion to the remaining P).
 * Each submodel is a sibling file; the passivation law is chosen independently.
 */
import { PASSIVATION_LAWS, type PassivationId, type PassivationLaw } from './corrosion/index.js';
import { corrosionHeterogeneity, noCoupling, type CorrosionCoupling } from './coupling/index.js';
import { ferroelectric, noFd, type FdEffect } from './fd/index.js';

export const MODEL_VARIANTS = ['M0', 'M1', 'M2'] as const;
export type ModelVariant = (typeof MODEL_VARIANTS)[number];

export interface ReplayModel {
  /** e.g. `M2/parabolic`. */
  readonly id: string;
  readonly variant: ModelVariant;
  readonly passivation: PassivationLaw;
  readonly coupling: CorrosionCoupling;
  readonly fd: FdEffect;
}

export interface ModelOptions {
  /** @default 'M2' */
  readonly variant?: ModelVariant;
  /** @default 'parabolic' */
  readonly passivation?: PassivationId;
}

export const DEFAULT_MODEL_OPTIONS: Required<ModelOptions> = { variant: 'M2', passivation: 'parabolic' };

export class ModelOptionError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ModelOptionError';
  }
}

export function buildModel(options: ModelOptions = {}): ReplayModel {
  const o = { ...DEFAULT_MODEL_OPTIONS, ...options };
  if (!MODEL_VARIANTS.includes(o.variant))
    throw new ModelOptionError(`model variant must be one of ${MODEL_VARIANTS.join(', ')}, found '${String(o.variant)}'`);
  const law = PASSIVATION_LAWS.find((l) => l.id === o.passivation);
  if (!law) throw new ModelOptionError(`passivation law must be one of ${PASSIVATION_LAWS.map((l) => l.id).join(', ')}, found '${String(o.passivation)}'`);
  return {
    id: `${o.variant}/${law.id}`,
    variant: o.variant,
    passivation: law,
    coupling: o.variant === 'M0' ? noCoupling : corrosionHeterogeneity,
    fd: o.variant === 'M2' ? ferroelectric : noFd,
  };
}
