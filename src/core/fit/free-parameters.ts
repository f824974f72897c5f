/**
 * Which parameters a cell's data can speak to (DOMAIN.md §7.6): a corrosion rate only with a rest of
 * ≥ 1 h, R_b only with overpotentials, f₀ / Δf_FD only with a measured f, H₀ / ε_H only with a
 * measured H, γ_H only in M1/M2 and with a rest, FD terms only in M2 and for cells with P₀ > 0.
 * Bounds are the prior ranges of §7.5, widened where the prior is a guess.
 */
import type { ParameterName } from '../params/types.js';
import { PASSIVATION_LAWS, type PassivationId } from '../model/corrosion/index.js';
import type { ModelVariant } from '../model/variants.js';
import type { CellObservations, FreeParameter } from './types.js';

const RATE_BOUNDS: Record<PassivationId, [number, number]> = { parabolic: [0.05, 500], linear: [1e-3, 20], logarithmic: [0.01, 500] };

export function hasRest(obs: CellObservations, minHours = 1): boolean {
  return obs.protocol.cycles.some((c) => c.restAfterPlate_h + c.restBefore_h >= minHours);
}

export function isFdCell(obs: CellObservations): boolean {
  return (obs.measured.initialPolarisation?.value ?? 0) > 0;
}

export interface FreeParameterContext {
  readonly variant: ModelVariant;
  readonly passivation: PassivationId;
  /** FD cells in M2 take f₀ and γ_H from the control stage instead of fitting them. */
  readonly stage: 'control' | 'fd';
}

export function freeParametersFor(obs: CellObservations, ctx: FreeParameterContext): FreeParameter[] {
  const out: FreeParameter[] = [{ name: 'Dead Li base fraction [1]', lower: 1e-4, upper: 0.5 }];
  const rest = hasRest(obs);
  const fd = ctx.variant === 'M2' && ctx.stage === 'fd';
  if (rest) {
    const law = PASSIVATION_LAWS.find((l) => l.id === ctx.passivation)!;
    const [lo, hi] = RATE_BOUNDS[ctx.passivation];
    out.push({ name: law.rateParameter as ParameterName, lower: lo, upper: hi });
  }
  if (obs.overpotential_V && Array.from(obs.overpotential_V).some(Number.isFinite)) out.push({ name: 'Bulk resistance [Ohm.cm2]', lower: 0.01, upper: 2000 });
  if (obs.measured.inorganicFraction) {
    out.push(fd ? { name: 'FD inorganic fraction gain [1]', lower: 1e-3, upper: 0.6 } : { name: 'Initial inorganic fraction [1]', lower: 0.01, upper: 0.99 });
  }
  if (obs.measured.heterogeneityIndex) out.push({ name: 'Initial heterogeneity [1]', lower: 0.005, upper: 3 });
  if (ctx.variant !== 'M0' && rest && !fd) out.push({ name: 'Corrosion heterogeneity gain [1]', lower: 1e-4, upper: 2 });
  if (fd && obs.measured.heterogeneityIndex) out.push({ name: 'FD heterogeneity smoothing [cycle-1]', lower: 1e-4, upper: 1 });
  return out;
}
