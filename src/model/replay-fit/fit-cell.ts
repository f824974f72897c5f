/**
 * Fit the replay model to one cell: LM in ln-space, then (by default) a profile likelihood per free
 * parameter. Parameters whose profile is flat on both sides are reported as non-identifiable, fixed at
 * their base (prior) value and the fit is repeated without them — they are not fitted to noise.
 *
 * Every value is labelled (FittedValue.status): `fitted` (free, profile crosses the threshold), `not
 * identifiable` (flat profile; or φ₀ when s₀ was not identified: CE alone fixes only φ_dead + φ_SEI),
 * `prior-fixed` / `input` (held at a stated value: heldParametersFor). Only `fitted` values carry a
 * stderr or CI.
 */
import type { ParameterName, ReplayParameterValues } from '../params/types.js';
import { buildModel } from '../variants.js';
import { buildObjective, cellBase, fitObjective, type Objective, type ObjectiveFit } from './objective.js';
import { profileParameter } from './profile.js';
import { heldParametersFor, isFdCell } from './free-parameters.js';
import type { CellFitOptions, CellFitResult, CellObservations, FittedValue, FreeParameter } from './types.js';

export const DEFAULT_CELL_FIT_OPTIONS: Omit<CellFitOptions, 'base' | 'free'> = {
  variant: 'M2',
  passivation: 'parabolic',
  intervals: 'profile',
  maxIterations: 60,
  profileThreshold: 3.84,
};

function startVector(free: readonly FreeParameter[], base: ReplayParameterValues): Float64Array {
  return Float64Array.from(free, (f) => Math.log(Math.min(f.upper, Math.max(f.lower, f.start ?? base[f.name] ?? (f.lower + f.upper) / 2))));
}

function r2(model: ArrayLike<number>, obs: ArrayLike<number> | undefined, n: number): { r2: number | null; rmse: number | null; res: Float64Array } {
  const res = new Float64Array(n).fill(NaN);
  if (!obs) return { r2: null, rmse: null, res };
  let mean = 0;
  let c = 0;
  for (let i = 0; i < n; i++)
    if (Number.isFinite(obs[i]!)) {
      mean += obs[i]!;
      c++;
    }
  if (c === 0) return { r2: null, rmse: null, res };
  mean /= c;
  let ssr = 0;
  let sst = 0;
  for (let i = 0; i < n; i++) {
    if (!Number.isFinite(obs[i]!)) continue;
    res[i] = obs[i]! - model[i]!;
    ssr += res[i]! ** 2;
    sst += (obs[i]! - mean) ** 2;
  }
  return { r2: sst > 0 ? 1 - ssr / sst : null, rmse: Math.sqrt(ssr / c), res };
}

export function fitCell(obs: CellObservations, options: Partial<CellFitOptions> & Pick<CellFitOptions, 'base' | 'free'>): CellFitResult {
  const o: CellFitOptions = { ...DEFAULT_CELL_FIT_OPTIONS, ...options };
  const model = buildModel({ variant: o.variant, passivation: o.passivation });
  const base = cellBase(o.base, obs);
  let free = [...o.free];
  const fixedNotes = new Map<ParameterName, string>();
  let obj: Objective = buildObjective(obs, model, base, free);
  let lm: ObjectiveFit = fitObjective(obj, startVector(free, base), o.maxIterations);
  let profiles: (ReturnType<typeof profileParameter> | null)[] = free.map(() => null);
  if (o.intervals === 'profile' && free.length > 0) {
    const scale = Math.max(1, lm.chi2 / Math.max(1, obj.n - free.length));
    profiles = free.map((_, i) => profileParameter(obj, lm.u, lm.chi2, i, o.profileThreshold, scale));
    const flat = free.filter((_, i) => profiles[i]!.lower === null && profiles[i]!.upper === null);
    if (flat.length > 0) {
      for (const f of flat)
        fixedNotes.set(
          f.name,
          `flat profile between ${profiles[free.indexOf(f)]!.lowerReached.toPrecision(3)} and ${profiles[free.indexOf(f)]!.upperReached.toPrecision(3)}: fixed at the prior ${base[f.name]}`,
        );
      const keep = free.filter((f) => !flat.includes(f));
      free = keep;
      obj = buildObjective(obs, model, base, free);
      const start = Float64Array.from(keep, (f) => lm.u[o.free.indexOf(f)]!);
      lm = fitObjective(obj, start, o.maxIterations);
      const scale2 = Math.max(1, lm.chi2 / Math.max(1, obj.n - free.length));
      profiles = free.map((_, i) => profileParameter(obj, lm.u, lm.chi2, i, o.profileThreshold, scale2));
    }
  }
  const k = free.length;
  const redChi2 = Math.max(1, lm.chi2 / Math.max(1, obj.n - k));
  const cov = lm.variance;
  const fitted = obj.values(lm.u);
  const values: FittedValue[] = [];
  free.forEach((f, i) => {
    const theta = Math.exp(lm.u[i]!);
    const varU = cov[i];
    const stderr = varU === null || varU === undefined ? null : theta * Math.sqrt(varU * redChi2);
    const pr = profiles[i];
    let ci: [number, number] | null = null;
    let ident: FittedValue['identifiability'] = 'identifiable';
    if (o.intervals === 'profile' && pr) {
      ident = pr.lower !== null && pr.upper !== null ? 'identifiable' : 'one-sided';
      ci = [pr.lower ?? pr.lowerReached, pr.upper ?? pr.upperReached];
    } else if (stderr !== null) ci = [theta * Math.exp(-1.96 * Math.sqrt(varU! * redChi2)), theta * Math.exp(1.96 * Math.sqrt(varU! * redChi2))];
    values.push({
      name: f.name,
      value: theta,
      stderr,
      ci95: ci,
      identifiability: ident,
      status: 'fitted',
      note: ident === 'one-sided' ? 'profile crosses the 95 % threshold on one side only: the other end of the CI is the bound reached' : undefined,
    });
  });
  const prior = o.priorSource ?? 'the base parameter values';
  const fmt = (x: number): string => (Number.isFinite(x) ? Number(x.toPrecision(4)).toString() : String(x));
  for (const [name, note] of fixedNotes) {
    values.push({
      name,
      value: base[name],
      stderr: null,
      ci95: null,
      identifiability: 'non-identifiable',
      status: 'not identifiable',
      provenance: `flat profile likelihood: held at the prior ${fmt(base[name])} (${o.heldFrom?.[name] ?? prior})`,
      note,
    });
  }
  // Dead Li vs SEI Li: CE sees φ_dead + φ_SEI; φ₀ is a fit only when s₀ was free and identified.
  const S0 = 'SEI repair base fraction [1]' as const;
  const s0 = values.find((v) => v.name === S0);
  const split = s0 !== undefined && s0.identifiability === 'identifiable';
  const deadLiProvenance = split
    ? 'dead-Li / SEI-Li split identified: SEI-repair fraction s₀ fitted together with φ₀'
    : s0
      ? `CE fixes only φ_dead + φ_SEI and the SEI-repair fraction s₀ was not identified by these data (${s0.identifiability}); φ₀ rests on s₀ = ${fmt(fitted[S0])}`
      : `CE alone fixes only φ_dead + φ_SEI; the split rests on the SEI-repair fraction s₀ held at its prior ${fmt(fitted[S0])} (${o.heldFrom?.[S0] ?? prior})`;
  const iPhi = values.findIndex((v) => v.name === 'Dead Li base fraction [1]');
  if (iPhi >= 0 && values[iPhi]!.status === 'fitted' && !split) {
    values[iPhi] = {
      ...values[iPhi]!,
      stderr: null,
      ci95: null,
      identifiability: 'non-identifiable',
      status: 'not identifiable',
      provenance: deadLiProvenance,
      note: undefined,
    };
  }
  const stage = o.stage ?? (o.variant === 'M2' && isFdCell(obs) ? 'fd' : 'control');
  for (const h of heldParametersFor(obs, { variant: o.variant, passivation: o.passivation, stage }, o.free)) {
    if (values.some((v) => v.name === h.name)) continue;
    const v = fitted[h.name];
    const from = o.heldFrom?.[h.name] ?? prior;
    const provenance = h.status === 'input' ? h.why : h.status === 'prior-fixed' ? `${from}: ${h.why}` : `${h.why}; held at the prior ${fmt(v)} (${from})`;
    values.push({
      name: h.name,
      value: v,
      stderr: null,
      ci95: null,
      identifiability: h.status === 'not identifiable' ? 'non-identifiable' : 'fixed',
      status: h.status,
      provenance,
    });
  }
  const rep = obj.replay(fitted);
  const N = rep.cycles;
  const ceFit = r2(rep.ce, obs.ce, N);
  const etaFit = r2(rep.overpotential_V, obs.overpotential_V, N);
  const logL = -0.5 * lm.chi2 - obj.logSigmaSum - 0.5 * obj.n * Math.log(2 * Math.PI);
  let dead = 0;
  const nd = Math.min(10, N);
  for (let i = 0; i < nd; i++) dead += rep.phiDead[i]!;
  return {
    cellId: obs.cellId,
    group: obs.group,
    model: model.id,
    variant: o.variant,
    values,
    parameters: fitted,
    chi2: lm.chi2,
    n: obj.n,
    k,
    aic: 2 * k - 2 * logL,
    bic: k * Math.log(Math.max(1, obj.n)) - 2 * logL,
    r2: { ce: ceFit.r2, overpotential: etaFit.r2 },
    rmse: { ce: ceFit.rmse, overpotential_V: etaFit.rmse },
    residuals: { ce: ceFit.res, overpotential_V: etaFit.res },
    iterations: lm.iterations,
    converged: lm.converged,
    stopReason: lm.stopReason,
    deadLiFraction: N > 0 ? rep.phiDead[0]! : NaN,
    deadLiFractionMean10: nd > 0 ? dead / nd : NaN,
    deadLiStatus: split ? 'fitted' : 'not identifiable',
    deadLiProvenance,
  };
}
