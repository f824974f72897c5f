/**
 * Complex non-linear least squares (CNLS) fit of an equivalent circuit to one spectrum.
 * Residuals: real and imaginary parts stacked, r = [(Z'_model − Z'_data)/σ_re ; (Z''_model − Z''_data)/σ_im]
 * with σ from the weighting (spectrum.ts). Bounded Levenberg–Marquardt (src/stats/least-squares.ts:
 * bounds by reparameterisation, Nielsen's damping) with the analytic Jacobian (evaluate.ts). Starts are
 * automatic (guess.ts): candidates are ranked by their initial χ², LM runs from the best `starts` of them,
 * and the lowest χ² wins.
 */
import { type Circuit, parseCircuit } from './circuit.js';
import { tQuantile975 } from '../../stats/distributions.js';
import { canonicalOrder } from './canonical.js';
import { covarianceFromJacobian } from './covariance.js';
import { EisOptionsError } from './errors.js';
import { simulate, simulateWithJacobian } from './evaluate.js';
import { spectrumFeatures } from './features.js';
import { type ArcGuess, initialGuesses } from './guess.js';
import { type LeastSquaresOptions, type LeastSquaresResult, type StopReason, leastSquares } from '../../stats/least-squares.js';
import { type EisSpectrum, type Weighting, sigmas } from './spectrum.js';

export interface FitCircuitOptions {
  /** @default 'modulus' */
  readonly weighting?: Weighting;
  /** @default 'analytic' */
  readonly jacobian?: 'analytic' | 'forward';
  /** Arc-assignment groups raced with a short LM (best start of each); the two best then run to convergence. @default 6 */
  readonly starts?: number;
  /** @default 200 */
  readonly maxIterations?: number;
  /** Optional hand-given start (full or partial; missing names come from the automatic guess). */
  readonly initialGuess?: Readonly<Record<string, number>>;
  /** Per-parameter bounds overriding the element table's, by parameter name. */
  readonly bounds?: Readonly<Record<string, readonly [number, number]>>;
  /** Parameters held fixed, by name. */
  readonly constants?: Readonly<Record<string, number>>;
  /** Extra arcs proposed as starts (e.g. DRT peaks). */
  readonly extraArcs?: readonly ArcGuess[];
}

/** LM iterations per start in the first (racing) stage, and how many starts then run to convergence. */
const RACE_ITERATIONS = 12;
const FINALISTS = 2;

export const DEFAULT_FIT_CIRCUIT_OPTIONS = {
  weighting: 'modulus',
  jacobian: 'analytic',
  starts: 6,
  maxIterations: 200,
} as const satisfies FitCircuitOptions;

export interface CircuitFitResult {
  readonly circuit: string;
  readonly names: readonly string[];
  readonly units: readonly string[];
  readonly values: readonly number[];
  /** 1σ; Infinity when not identifiable; 0 for constants. */
  readonly stderr: readonly number[];
  readonly ci95: readonly (readonly [number, number])[];
  readonly correlation: readonly (readonly number[])[];
  readonly fixed: readonly boolean[];
  /** Weighted χ² = Σ r². */
  readonly chi2: number;
  /** χ²/(2N − m_free). */
  readonly reducedChi2: number;
  readonly dof: number;
  /** Model − data (unweighted), ascending frequency order like the spectrum. */
  readonly residuals: { readonly re: Float64Array; readonly im: Float64Array };
  readonly model: { readonly re: Float64Array; readonly im: Float64Array };
  readonly converged: boolean;
  readonly stopReason: StopReason;
  readonly iterations: number;
  readonly startsTried: number;
  readonly identifiable: boolean;
  readonly conditionNumber: number;
  readonly weighting: Weighting;
}

export function fitCircuit(circuitOrSource: Circuit | string, spectrum: EisSpectrum, options: FitCircuitOptions = {}): CircuitFitResult {
  const circuit = typeof circuitOrSource === 'string' ? parseCircuit(circuitOrSource) : circuitOrSource;
  const o = { ...DEFAULT_FIT_CIRCUIT_OPTIONS, ...options };
  const names = circuit.parameters.map((p) => p.name);
  const check = (rec: Readonly<Record<string, unknown>> | undefined, what: string): void => {
    for (const k of Object.keys(rec ?? {})) {
      if (!names.includes(k)) throw new EisOptionsError(`${what} names '${k}', which is not a parameter of '${circuit.source}' (has: ${names.join(', ')})`);
    }
  };
  check(o.initialGuess, 'initialGuess');
  check(o.bounds, 'bounds');
  check(o.constants, 'constants');
  const lower = circuit.parameters.map((p) => o.bounds?.[p.name]?.[0] ?? p.lower);
  const upper = circuit.parameters.map((p) => o.bounds?.[p.name]?.[1] ?? p.upper);
  lower.forEach((lo, i) => {
    if (!(lo < upper[i]!)) throw new EisOptionsError(`bounds of ${names[i]} are empty: [${lo}, ${upper[i]}]`);
  });
  const fixed = names.map((nm) => o.constants?.[nm] !== undefined);
  const free = names.map((_, i) => i).filter((i) => !fixed[i]);
  const m = free.length;

  const f = spectrum.frequency;
  const n = f.length;
  const { sRe, sIm } = sigmas(spectrum, o.weighting);
  const full = (xf: ArrayLike<number>): number[] => {
    const x = names.map((nm) => o.constants?.[nm] ?? NaN);
    free.forEach((i, k) => (x[i] = xf[k]!));
    return x;
  };
  const residuals = (xf: ArrayLike<number>): Float64Array => {
    const z = simulate(circuit, full(xf), f);
    const r = new Float64Array(2 * n);
    for (let i = 0; i < n; i++) {
      r[i] = (z.re[i]! - spectrum.re[i]!) / sRe[i]!;
      r[n + i] = (z.im[i]! - spectrum.im[i]!) / sIm[i]!;
    }
    return r;
  };
  const jacobian = (xf: ArrayLike<number>): Float64Array => {
    const mAll = names.length;
    const z = simulateWithJacobian(circuit, full(xf), f);
    const j = new Float64Array(2 * n * m);
    for (let i = 0; i < n; i++) {
      for (let k = 0; k < m; k++) {
        j[i * m + k] = z.dRe[i * mAll + free[k]!]! / sRe[i]!;
        j[(n + i) * m + k] = z.dIm[i * mAll + free[k]!]! / sIm[i]!;
      }
    }
    return j;
  };
  const problem = { lower: free.map((i) => lower[i]!), upper: free.map((i) => upper[i]!), residuals, jacobian };

  // candidate starts
  const features = spectrumFeatures(spectrum);
  const candidates = initialGuesses({ circuit, features, ...(o.extraArcs ? { extraArcs: o.extraArcs } : {}) }).map((cand) => ({
    group: cand.group,
    x: cand.x.map((v, i) => o.initialGuess?.[names[i]!] ?? v),
  }));
  if (o.initialGuess && names.every((nm) => o.initialGuess![nm] !== undefined)) {
    candidates.unshift({ group: 'given', x: names.map((nm) => o.initialGuess![nm]!) });
  }
  const inside = (v: number, i: number): number => {
    const lo = lower[i]!;
    const hi = upper[i]!;
    if (v > lo && v < hi) return v;
    const w = Number.isFinite(hi - lo) ? hi - lo : Math.max(Math.abs(lo), 1);
    return v <= lo ? lo + 1e-6 * w : hi - 1e-6 * w;
  };
  const costOf = (r: Float64Array): number => {
    let c = 0;
    for (let i = 0; i < r.length; i++) c += r[i]! * r[i]!;
    return Number.isFinite(c) ? c : Infinity;
  };
  // best start of each arc-assignment group, groups ranked by that start's χ²
  const bestOfGroup = new Map<string, { xf: number[]; cost: number }>();
  // A complete hand-given start overwrites every automatic one: identical starts are evaluated (and raced) once.
  const seen = new Set<string>();
  for (const cand of candidates) {
    const xf = free.map((i) => inside(cand.x[i]!, i));
    const key = xf.join(',');
    if (seen.has(key)) continue;
    seen.add(key);
    const cost = costOf(residuals(xf));
    const prev = bestOfGroup.get(cand.group);
    if (!prev || cost < prev.cost) bestOfGroup.set(cand.group, { xf, cost });
  }
  const ranked = [...bestOfGroup.values()].sort((a, b) => a.cost - b.cost);

  // race: a short LM from each group's start, then the two best run to convergence
  const lmOpts: Partial<LeastSquaresOptions> = {
    bounds: 'transform',
    damping: 'nielsen',
    maxIterations: o.maxIterations,
    ftol: 1e-12,
    xtol: 1e-10,
    steptol: 0,
    gtol: 1e-12,
    jacobian: o.jacobian,
    fdStep: 1e-7,
    covariance: 'none',
  };
  const nStarts = Math.max(1, Math.min(o.starts, ranked.length));
  let totalIterations = 0;
  const heats = ranked.slice(0, nStarts).map((st) => {
    const res = leastSquares(problem, st.xf, { ...lmOpts, maxIterations: Math.min(RACE_ITERATIONS, o.maxIterations) });
    totalIterations += res.iterations;
    return res;
  });
  heats.sort((a, b) => a.cost - b.cost);
  let best: LeastSquaresResult | null = null;
  for (const h of heats.slice(0, FINALISTS)) {
    // A converged leader already 5× below this heat's cost: the heat cannot catch up in practice
    // (its LM only goes downhill from a point this far above), so it is not run to convergence.
    if (best && best.converged && best.cost < 0.2 * h.cost) break;
    const res = h.converged ? h : leastSquares(problem, h.x, lmOpts);
    if (res !== h) totalIterations += res.iterations;
    if (!best || (res.cost < best.cost && Number.isFinite(res.cost)) || (!best.converged && res.converged && res.cost <= best.cost * (1 + 1e-9))) best = res;
  }
  const lm0 = best!;
  // fix the order of interchangeable blocks (fastest first) before the covariance is computed
  const xc = canonicalOrder(circuit, full(lm0.x), f[0]!, f[n - 1]!);
  const lm = { ...lm0, x: free.map((i) => xc[i]!) };
  const x = full(lm.x);
  const model = simulate(circuit, x, f);
  const resid = {
    re: Float64Array.from(model.re, (v, i) => v - spectrum.re[i]!),
    im: Float64Array.from(model.im, (v, i) => v - spectrum.im[i]!),
  };
  const dof = 2 * n - m;
  const chi2 = lm.cost;
  const reducedChi2 = dof > 0 ? chi2 / dof : NaN;
  const cov = m > 0 ? covarianceFromJacobian(jacobian(lm.x), 2 * n, m, reducedChi2) : null;
  const stderr = names.map(() => 0);
  const correlation: number[][] = names.map((_, p) => names.map((_, q) => (p === q ? 1 : 0)));
  free.forEach((i, k) => {
    stderr[i] = cov ? cov.stderr[k]! : NaN;
    free.forEach((j, l) => (correlation[i]![j] = cov ? cov.correlation[k]![l]! : NaN));
  });
  const t = tQuantile975(dof);
  return {
    circuit: circuit.source,
    names,
    units: circuit.parameters.map((p) => p.unit),
    values: x,
    stderr,
    ci95: x.map((v, i) => [v - t * stderr[i]!, v + t * stderr[i]!] as const),
    correlation,
    fixed,
    chi2,
    reducedChi2,
    dof,
    residuals: resid,
    model,
    converged: lm.converged,
    stopReason: lm.stopReason,
    iterations: totalIterations,
    startsTried: nStarts,
    identifiable: cov ? cov.identifiable : true,
    conditionNumber: cov ? cov.conditionNumber : 1,
    weighting: o.weighting,
  };
}
