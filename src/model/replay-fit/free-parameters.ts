/**
 * Which parameters a cell's data can speak to (DOMAIN.md §7.6): a corrosion rate only with a rest of
 * ≥ 1 h, R_b only with overpotentials, f₀ / Δf_FD only with a measured f, H₀ / ε_H only with a
 * measured H, γ_H only in M1/M2 and with a rest, FD terms only in M2 and for cells with P₀ > 0.
 * The SEI-repair fraction s₀ is free only where something besides CE speaks to the dead-Li / SEI-Li split
 * (a rest-loss protocol: the rest losses scale with the roughness that dead Li builds; or a dead-Li
 * titration); with CE alone it stays at its prior and the fitted φ₀ is reported as not identifiable.
 * Bounds are the prior ranges of §7.5, widened where the prior is a guess.
 */
import type { ParameterName } from '../params/types.js';
import { PASSIVATION_LAWS, type PassivationId } from '../corrosion/index.js';
import type { ModelVariant } from '../variants.js';
import type { ParameterStatus } from '../../records/results.js';
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
  if (separatesDeadLi(obs)) out.push({ name: 'SEI repair base fraction [1]', lower: 1e-4, upper: 0.1 });
  return out;
}

/** Data besides CE that separate dead Li from SEI Li: a rest-loss protocol or a dead-Li titration. */
export function separatesDeadLi(obs: CellObservations): boolean {
  return hasRest(obs) || obs.measured.deadLiTitration_mAh_cm2 !== undefined;
}

/** A parameter the replay holds for this cell instead of fitting it, and why. */
export interface HeldParameter {
  readonly name: ParameterName;
  readonly status: Exclude<ParameterStatus, 'fitted'>;
  /** Why it is held; the caller adds where the value comes from. */
  readonly why: string;
}

/**
 * The parameters of the audit list (every one `freeParametersFor` can free, plus s₀, P₀ and n_P) that
 * are not free for this cell, labelled: `not identifiable` where these data cannot speak to it,
 * `prior-fixed` where it is held at a stated value by design, `input` where a measurement sets it.
 */
export function heldParametersFor(obs: CellObservations, ctx: FreeParameterContext, free: readonly FreeParameter[]): HeldParameter[] {
  const isFree = (n: ParameterName): boolean => free.some((f) => f.name === n);
  const out: HeldParameter[] = [];
  const add = (name: ParameterName, status: HeldParameter['status'], why: string): void => {
    if (!isFree(name)) out.push({ name, status, why });
  };
  const m = obs.measured;
  const fd = ctx.variant === 'M2' && ctx.stage === 'fd';
  const law = PASSIVATION_LAWS.find((l) => l.id === ctx.passivation)!;
  add('Dead Li base fraction [1]', 'not identifiable', 'CE alone cannot separate dead Li from SEI Li');
  add(law.rateParameter as ParameterName, 'not identifiable', 'no rest ≥ 1 h in the protocol: corrosion does not enter these data');
  add('Bulk resistance [Ohm.cm2]', 'not identifiable', 'no overpotential series');
  if (fd) add('Initial inorganic fraction [1]', 'prior-fixed', "FD cell: f₀ (the electrolyte's) is taken from the control stage");
  else add('Initial inorganic fraction [1]', 'prior-fixed', 'no XPS inorganic fraction measured for this cell');
  add('Initial heterogeneity [1]', 'prior-fixed', 'no ToF-SIMS heterogeneity index measured for this cell');
  if (ctx.variant !== 'M0') {
    if (fd) add('Corrosion heterogeneity gain [1]', 'prior-fixed', "FD cell: γ_H (the electrolyte's) is taken from the control stage");
    else add('Corrosion heterogeneity gain [1]', 'not identifiable', 'no rest ≥ 1 h in the protocol');
  }
  add('SEI repair base fraction [1]', 'prior-fixed', 'no rest-loss protocol or dead-Li titration: CE alone fixes only φ_dead + φ_SEI');
  if (ctx.variant === 'M2' && isFdCell(obs)) {
    if (fd) {
      add('FD inorganic fraction gain [1]', 'not identifiable', 'no XPS inorganic fraction measured for this cell');
      add('FD heterogeneity smoothing [cycle-1]', 'not identifiable', 'no ToF-SIMS heterogeneity index measured for this cell');
    }
    const p0 = m.initialPolarisation!;
    add('Initial polarisation retention [1]', p0.kind === 'assumed' ? 'prior-fixed' : 'input', p0.source ?? 'P₀ given with the observations');
    const ret = m.polarisationRetention;
    if (ret && ret.value > 0 && ret.value < 1)
      add('Polarisation decay cycles [cycle]', 'input', `n_P = −N / ln(retention), measured polarisation_retention ${ret.value.toPrecision(3)}`);
    else add('Polarisation decay cycles [cycle]', 'prior-fixed', 'no measured polarisation retention');
  }
  return out;
}
