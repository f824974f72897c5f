/**
 * The weighted residual vector of one cell: per-cycle CE, overpotential (and capacity for cathode
 * cells), plus the end-of-test measurements (f, H, R_SEI, titrated dead Li) each weighed by its own uncertainty.
 * Parameters are fitted as u = ln θ.
 */
import type { ParameterName, ReplayParameterValues } from '../params/types.js';
import { resolveParameters } from '../params/resolve.js';
import type { ReplayModel } from '../variants.js';
import { replayResolved, type ReplayResult } from '../solve/replay.js';
import { resolveSolverOptions } from '../solve/options.js';
import type { CellObservations, FreeParameter } from './types.js';
import { leastSquares, type LeastSquaresOptions, type StopReason } from '../../stats/least-squares.js';

/** Robust noise of a per-cycle series: MAD of successive differences / (0.6745 √2). */
export function robustNoise(x: ArrayLike<number>, floor: number): number {
  const d: number[] = [];
  for (let i = 1; i < x.length; i++) {
    const a = x[i]!;
    const b = x[i - 1]!;
    if (Number.isFinite(a) && Number.isFinite(b)) d.push(Math.abs(a - b));
  }
  if (d.length < 3) return floor;
  d.sort((p, q) => p - q);
  const med = d[Math.floor(d.length / 2)]!;
  return Math.max(floor, med / (0.6745 * Math.SQRT2));
}

/** Base values with the cell's measured inputs applied: P₀ and n_P from the measured retention. */
export function cellBase(base: ReplayParameterValues, obs: CellObservations): ReplayParameterValues {
  const m = obs.measured;
  const out: Record<string, number> = { ...base };
  if (m.initialPolarisation) out['Initial polarisation retention [1]'] = Math.min(1, Math.max(0, m.initialPolarisation.value));
  const N = obs.ce.length;
  if (m.polarisationRetention && m.polarisationRetention.value > 0 && m.polarisationRetention.value < 1 && N > 0) {
    out['Polarisation decay cycles [cycle]'] = -N / Math.log(m.polarisationRetention.value);
  }
  return out as unknown as ReplayParameterValues;
}

export interface Objective {
  readonly names: readonly ParameterName[];
  readonly lower: Float64Array;
  readonly upper: Float64Array;
  readonly sigmaCe: number;
  readonly sigmaEta: number;
  /** Σ ln σ_i over all residuals (for the Gaussian log-likelihood). */
  readonly logSigmaSum: number;
  readonly n: number;
  values(u: Float64Array): ReplayParameterValues;
  replay(values: ReplayParameterValues): ReplayResult;
  residuals(u: Float64Array): Float64Array;
}

export function buildObjective(obs: CellObservations, model: ReplayModel, base: ReplayParameterValues, free: readonly FreeParameter[]): Objective {
  const N = Math.min(obs.ce.length, obs.protocol.cycles.length);
  const protocol = N === obs.protocol.cycles.length ? obs.protocol : { ...obs.protocol, cycles: obs.protocol.cycles.slice(0, N) };
  const opts = resolveSolverOptions({ cellType: obs.cellType, stopAtFailure: false, traces: true });
  const names = free.map((f) => f.name);
  const lower = Float64Array.from(free, (f) => Math.log(f.lower));
  const upper = Float64Array.from(free, (f) => Math.log(f.upper));
  const sigmaCe = robustNoise(obs.ce.subarray(0, N), 1e-5);
  const eta = obs.overpotential_V;
  const sigmaEta = eta ? robustNoise(eta.subarray(0, N), 1e-5) : 1;
  const useCap = obs.capacity_mAh_cm2 && (obs.cellType === 'full' || obs.cellType === 'anode-free');
  const sigmaCap = useCap ? robustNoise(obs.capacity_mAh_cm2!.subarray(0, N), 1e-6) : 1;
  // index lists of finite observations
  const ceIdx: number[] = [];
  const etaIdx: number[] = [];
  const capIdx: number[] = [];
  for (let i = 0; i < N; i++) {
    if (Number.isFinite(obs.ce[i]!)) ceIdx.push(i);
    if (eta && Number.isFinite(eta[i]!)) etaIdx.push(i);
    if (useCap && Number.isFinite(obs.capacity_mAh_cm2![i]!)) capIdx.push(i);
  }
  const m = obs.measured;
  const extra = (m.inorganicFraction ? 1 : 0) + (m.heterogeneityIndex ? 1 : 0) + (m.rSei_Ohm_cm2 ? 1 : 0) + (m.deadLiTitration_mAh_cm2 ? 1 : 0);
  const n = ceIdx.length + etaIdx.length + capIdx.length + extra;
  let logSigmaSum = ceIdx.length * Math.log(sigmaCe) + etaIdx.length * Math.log(sigmaEta) + capIdx.length * Math.log(sigmaCap);
  if (m.inorganicFraction) logSigmaSum += Math.log(m.inorganicFraction.stderr);
  if (m.heterogeneityIndex) logSigmaSum += Math.log(m.heterogeneityIndex.stderr);
  if (m.rSei_Ohm_cm2) logSigmaSum += Math.log(m.rSei_Ohm_cm2.stderr);
  if (m.deadLiTitration_mAh_cm2) logSigmaSum += Math.log(m.deadLiTitration_mAh_cm2.stderr);
  const values = (u: Float64Array): ReplayParameterValues => {
    const v: Record<string, number> = { ...base };
    for (let i = 0; i < names.length; i++) v[names[i]!] = Math.exp(u[i]!);
    return v as unknown as ReplayParameterValues;
  };
  const replay = (v: ReplayParameterValues): ReplayResult => replayResolved(model, resolveParameters(v), protocol, opts);
  const residuals = (u: Float64Array): Float64Array => {
    const out = new Float64Array(n);
    let r: ReplayResult;
    try {
      r = replay(values(u));
    } catch {
      return out.fill(1e6);
    }
    let k = 0;
    for (const i of ceIdx) out[k++] = (r.ce[i]! - obs.ce[i]!) / sigmaCe;
    for (const i of etaIdx) out[k++] = (r.overpotential_V[i]! - eta![i]!) / sigmaEta;
    for (const i of capIdx) out[k++] = (r.capacity_mAh_cm2[i]! - obs.capacity_mAh_cm2![i]!) / sigmaCap;
    const last = N - 1;
    if (m.inorganicFraction) out[k++] = (r.traces.inorganicFraction[last]! - m.inorganicFraction.value) / m.inorganicFraction.stderr;
    if (m.heterogeneityIndex) out[k++] = (r.traces.heterogeneity[last]! - m.heterogeneityIndex.value) / m.heterogeneityIndex.stderr;
    if (m.rSei_Ohm_cm2) out[k++] = (r.traces.rSei_Ohm_cm2[last]! - m.rSei_Ohm_cm2.value) / m.rSei_Ohm_cm2.stderr;
    if (m.deadLiTitration_mAh_cm2) out[k++] = (r.traces.deadLi_mAh_cm2[last]! - m.deadLiTitration_mAh_cm2.value) / m.deadLiTitration_mAh_cm2.stderr;
    for (let i = 0; i < n; i++) if (!Number.isFinite(out[i]!)) out[i] = 1e6;
    return out;
  };
  return { names, lower, upper, sigmaCe, sigmaEta, logSigmaSum, n, values, replay, residuals };
}

/**
 * The replay fits' least squares (src/stats/least-squares.ts): u = ln θ clamped to its bounds
 * (projected LM), Marquardt damping dₖ(1 + λ) + 1e-12 (λ ×8 on a rejected trial, ÷5 on an accepted one),
 * forward differences with a 1e-5 relative step (inwards at an upper bound: each costs one replay), stop
 * when χ² falls by less than 1e-8 relative or the step is below 1e-7 in u; JᵀJ from the last Jacobian
 * formed (no extra replays for the covariance).
 */
export const REPLAY_LEAST_SQUARES: Partial<LeastSquaresOptions> = {
  bounds: 'clamp',
  damping: 'marquardt',
  marquardt: { initial: 1e-3, up: 8, down: 5, floor: 1e-9, singularUp: 10, tries: 12, relativeFloor: 0, absoluteFloor: 1e-12 },
  ftol: 1e-8,
  steptol: 1e-7,
  xtol: 0,
  gtol: 0,
  jacobian: 'forward',
  fdStep: 1e-5,
  solver: 'lu',
  covariance: 'last-jacobian',
};

export interface ObjectiveFit {
  readonly u: Float64Array;
  readonly chi2: number;
  readonly iterations: number;
  readonly converged: boolean;
  readonly stopReason: string;
  /** Var(uₖ) from (JᵀJ)⁻¹ (not yet scaled by the reduced χ²); null where it does not exist. */
  readonly variance: readonly (number | null)[];
}

const STOP_REASON: Readonly<Record<StopReason, string>> = {
  ftol: 'χ² change below 1e-8',
  steptol: 'step below 1e-7',
  'no-decrease': 'no further decrease (local minimum)',
  'max-iterations': 'max iterations',
  'non-finite': 'non-finite residuals at the start',
  'no-parameters': 'no free parameters',
  xtol: 'step below xtol',
  gtol: 'gradient below gtol',
  singular: 'singular',
};

/** Fit an objective (or a sub-problem of it, as the profiles do) from `start` (in u). */
export function fitObjective(obj: Pick<Objective, 'lower' | 'upper' | 'residuals'>, start: Float64Array, maxIterations = 60): ObjectiveFit {
  const r = leastSquares(obj, start, { ...REPLAY_LEAST_SQUARES, maxIterations });
  const k = start.length;
  return {
    u: r.x,
    chi2: r.cost,
    // counted as the replay fits always have: the budget + 1 when it runs out
    iterations: r.stopReason === 'max-iterations' ? r.iterations + 1 : r.iterations,
    converged: r.converged,
    stopReason: STOP_REASON[r.stopReason],
    variance: Array.from({ length: k }, (_, a) => {
      const v = r.covariance[a * k + a]!;
      return Number.isFinite(v) && v > 0 ? v : null;
    }),
  };
}
