/**
 * The hypothesis engine: H1–H14 (ids and claims from catalog.ts) evaluated on a campaign's cells and
 * fitted per-cell parameters. Each hypothesis has one pre-specified decision test giving a two-sided
 * p-value; p-values are Holm- and BH-adjusted across the report and the adjusted value chosen by
 * `decideWith` (default BH) decides 'supported'. "No effect" outcomes are only declared from TOST
 * equivalence (or a significant effect in the opposite direction), never from non-significance.
 * Rules, margins and the arm mapping are documented in docs/hypotheses.md.
 */
import type { CellSpec } from '../../campaign/manifest.js';
import type { CellParameter } from '../../report/types.js';
import { jonckheereTerpstra } from '../stats/jonckheere.js';
import { tukeyHsd, oneWayAnova } from '../stats/anova.js';
import { coxPH } from '../stats/cox.js';
import { mean, sd } from '../stats/descriptive.js';
import { normalQuantile, tCdf } from '../stats/distributions.js';
import { hedgesG } from '../stats/effectSize.js';
import { kaplanMeier } from '../stats/kaplanMeier.js';
import { logRank } from '../stats/logRank.js';
import { mediation } from '../stats/mediation.js';
import { compareModels, gaussianLogLik } from '../stats/modelSelection.js';
import { benjaminiHochberg, holm } from '../stats/multiplicity.js';
import { linearRegression, ols } from '../stats/ols.js';
import { permutationTest } from '../stats/permutation.js';
import { mdeTwoSampleT } from '../stats/power.js';
import { spearman } from '../stats/spearman.js';
import { theilSen } from '../stats/theilSen.js';
import { tostFromEstimate, tostWelch } from '../stats/tost.js';
import { welchT } from '../stats/welch.js';
import { HYPOTHESES, type HypothesisSpec } from './catalog.js';
import { compositeScores, type EndpointSpec } from './composite.js';
import { CampaignData, valuesOf, type ArmName } from './data.js';
import { resolveEvaluateOptions, type ArmSummary, type EffectEstimate, type EndpointResult, type EvaluateOptions, type HypothesisResult, type PowerInfo, type ResolvedEvaluateOptions, type Verdict } from './types.js';

export * from './types.js';

interface Decision {
  readonly verdict: Verdict;
  readonly reason: string;
  readonly rule: string;
}

type Draft = Omit<HypothesisResult, 'verdict' | 'reason' | 'rule' | 'pHolm' | 'pBH' | 'pUsed'> & {
  /** Called with the p-value chosen by decideWith (null when the hypothesis has no p). */
  readonly decide: (pDecision: number | null) => Decision;
};

interface Ctx {
  readonly data: CampaignData;
  readonly o: ResolvedEvaluateOptions;
}

const fmt = (v: number | null | undefined, d = 3): string => (v === null || v === undefined || !Number.isFinite(v) ? 'n/a' : Math.abs(v) >= 1e4 || (Math.abs(v) < 1e-3 && v !== 0) ? v.toExponential(2) : v.toFixed(d));
const fmtP = (p: number | null): string => (p === null ? 'n/a' : p < 1e-4 ? p.toExponential(1) : p.toFixed(4));
const ci2 = (c: readonly [number, number] | null | undefined): readonly [number, number] | null => (c && Number.isFinite(c[0]) && Number.isFinite(c[1]) ? [c[0], c[1]] : null);

function base(spec: HypothesisSpec, test: string): Omit<Draft, 'decide'> {
  return {
    id: spec.id, claim: spec.claim, quantity: spec.quantity, test, design: { kind: 'none', groups: [], x: null, y: null }, n: {}, effect: null, p: null, power: null,
    equivalence: null, endpoints: [], toAdd: [],
  };
}

function notTestable(spec: HypothesisSpec, reason: string, toAdd: readonly string[], extra: Partial<Draft> = {}): Draft {
  return {
    ...base(spec, spec.test), ...extra, toAdd,
    decide: () => ({ verdict: 'not testable', reason: `${reason}; add to the experiment: ${toAdd.join('; ')}`, rule: `not testable: the campaign lacks the data the test needs (${spec.needs.join(', ')})` }),
  };
}

function armSummary(name: string, cells: readonly string[]): ArmSummary {
  return { name, n: cells.length, cells: [...cells] };
}

function powerTwo(n1: number, n2: number, alpha: number, note = 'two-sample t approximation'): PowerInfo {
  return { mde: n1 >= 2 && n2 >= 2 ? mdeTwoSampleT(n1, n2, 0.8, { alpha }) : null, scale: "Cohen's d", note: `smallest standardised difference detected with 80 % power at two-sided α = ${alpha} (${note}, ${n1} vs ${n2} cells)` };
}
function powerR(n: number, alpha: number): PowerInfo {
  const z = normalQuantile(1 - alpha / 2) + normalQuantile(0.8);
  return { mde: n > 3 ? Math.tanh(z / Math.sqrt(n - 3)) : null, scale: 'correlation r', note: `smallest |r| detected with 80 % power at two-sided α = ${alpha} (Fisher z, n = ${n})` };
}
function powerCox(events: number, alpha: number, perSd: boolean, pShare = 0.5): PowerInfo {
  const z = normalQuantile(1 - alpha / 2) + normalQuantile(0.8);
  const lhr = events > 0 ? z / Math.sqrt(events * (perSd ? 1 : pShare * (1 - pShare))) : null;
  return { mde: lhr === null ? null : Math.exp(lhr), scale: perSd ? 'hazard ratio per SD' : 'hazard ratio', note: `smallest HR detected with 80 % power at two-sided α = ${alpha} (Schoenfeld, ${events} events)` };
}

/** Directional decision shared by most hypotheses. `direction` is the sign of the claimed effect. */
function directional(o: ResolvedEvaluateOptions, p: number | null, est: number, direction: 1 | -1, what: string, equiv: { p: number; equivalent: boolean; margin: string } | null, extraSupport: { ok: boolean; why: string } = { ok: true, why: '' }): Decision {
  const a = o.alpha;
  const adj = o.decideWith === 'raw' ? 'p' : `${o.decideWith === 'holm' ? 'Holm' : 'BH'}-adjusted p`;
  const rule = `supported if ${adj} < ${a} with ${what} in the claimed direction${extraSupport.why ? ` and ${extraSupport.why}` : ''}; refuted if ${adj} < ${a} in the opposite direction or TOST shows equivalence${equiv ? ` within ${equiv.margin}` : ''}; otherwise inconclusive`;
  if (p === null) return { verdict: 'inconclusive', reason: 'no p-value could be computed', rule };
  const dirOk = Math.sign(est) === direction;
  if (p < a && dirOk && extraSupport.ok) return { verdict: 'supported', reason: `${what} = ${fmt(est)} in the claimed direction, ${adj} = ${fmtP(p)} < ${a}`, rule };
  if (p < a && !dirOk) return { verdict: 'refuted', reason: `${what} = ${fmt(est)} is significantly opposite to the claim (${adj} = ${fmtP(p)})`, rule };
  if (equiv?.equivalent) return { verdict: 'refuted', reason: `equivalence shown: ${what} = ${fmt(est)} lies within ${equiv.margin} (TOST p = ${fmtP(equiv.p)})`, rule };
  if (p < a && dirOk && !extraSupport.ok) return { verdict: 'inconclusive', reason: `${what} = ${fmt(est)} is significant (${adj} = ${fmtP(p)}) but not ${extraSupport.why}`, rule };
  return { verdict: 'inconclusive', reason: `${what} = ${fmt(est)}, ${adj} = ${fmtP(p)} ≥ ${a} and equivalence not shown${equiv ? ` (TOST p = ${fmtP(equiv.p)})` : ''}: more cells needed`, rule };
}

/**
 * Cells of two arms compared at a matched rest time: the lowest rest level both arms have with
 * ≥ minPerArm cells, used when rest time varies (so rest does not confound the arm contrast).
 */
function restMatched(ctx: Ctx, a: readonly CellSpec[], b: readonly CellSpec[]): { a: CellSpec[]; b: CellSpec[]; note: string } {
  const la = ctx.data.restLevels(a);
  const lb = ctx.data.restLevels(b);
  const varied = new Set([...la, ...lb]).size > 1 || a.concat(b).some((c) => c.restHours === undefined) && (la.length + lb.length) > 0;
  if (!varied) return { a: [...a], b: [...b], note: '' };
  for (const lvl of la.filter((l) => lb.includes(l))) {
    const aa = a.filter((c) => c.restHours === lvl);
    const bb = b.filter((c) => c.restHours === lvl);
    if (aa.length >= ctx.o.minPerArm && bb.length >= ctx.o.minPerArm) return { a: aa, b: bb, note: `compared at matched rest time ${lvl} h` };
  }
  return { a: [...a], b: [...b], note: 'rest time varies and no matched level has enough cells: all rest levels pooled' };
}

function welchEndpoint(label: string, x: { cells: string[]; values: number[] }, y: { cells: string[]; values: number[] }, names: [string, string]): EndpointResult | null {
  if (x.values.length < 2 || y.values.length < 2) return null;
  const w = welchT(x.values, y.values);
  return {
    name: label, method: w.method, n: { [names[0]]: x.values.length, [names[1]]: y.values.length },
    effect: { name: `${label}: mean(${names[0]}) − mean(${names[1]})`, value: w.estimate, ci95: ci2(w.ci) }, p: w.p,
    details: { hedgesG: w.effectSize?.value ?? null, hedgesGCi: ci2(w.effectSize?.ci) },
  };
}

function survivalEndpoints(ctx: Ctx, a: readonly CellSpec[], b: readonly CellSpec[], names: [string, string]): EndpointResult[] {
  const rows: { t: number; e: 0 | 1; g: string }[] = [];
  for (const [cells, g] of [[a, names[0]], [b, names[1]]] as const) for (const c of cells) {
    const l = ctx.data.life(c.id);
    if (l) rows.push({ t: l.time, e: l.event, g });
  }
  const na = rows.filter((r) => r.g === names[0]).length;
  const nb = rows.length - na;
  if (na < 2 || nb < 2 || rows.every((r) => r.e === 0)) return [];
  const out: EndpointResult[] = [];
  const kmA = kaplanMeier(rows.filter((r) => r.g === names[0]).map((r) => r.t), rows.filter((r) => r.g === names[0]).map((r) => r.e));
  const kmB = kaplanMeier(rows.filter((r) => r.g === names[1]).map((r) => r.t), rows.filter((r) => r.g === names[1]).map((r) => r.e));
  const lr = logRank(rows.map((r) => r.t), rows.map((r) => r.e), rows.map((r) => r.g));
  const ia = lr.groups.indexOf(names[0]);
  out.push({
    name: 'cycle life (censored): Kaplan–Meier + log-rank', method: `${lr.method}; ${kmA.method}`, n: { [names[0]]: na, [names[1]]: nb },
    effect: { name: `observed/expected failures in ${names[0]}`, value: lr.observed[ia]! / lr.expected[ia]!, ci95: null }, p: lr.p,
    details: { medianCycles: { [names[0]]: kmA.median, [names[1]]: kmB.median }, events: { [names[0]]: kmA.events, [names[1]]: kmB.events }, chiSquare: lr.chiSquare },
  });
  try {
    const cx = coxPH(rows.map((r) => r.t), rows.map((r) => r.e), { arm: rows.map((r) => (r.g === names[0] ? 1 : 0)) });
    const c = cx.coefficients[0]!;
    if (cx.converged && Number.isFinite(c.se)) out.push({ name: 'cycle life: Cox PH', method: cx.method, n: { [names[0]]: na, [names[1]]: nb }, effect: { name: `hazard ratio ${names[0]} vs ${names[1]}`, value: c.hr, ci95: ci2(c.hrCi) }, p: c.p });
  } catch {
    /* singular information (e.g. no events in one arm): the log-rank result stands alone */
  }
  return out;
}

/** Two-arm comparison on an O'Brien composite (one or more endpoints), benefit arm first. */
function compositeTwoArm(ctx: Ctx, spec: HypothesisSpec, arms: [string, readonly CellSpec[]], ctrl: [string, readonly CellSpec[]], endpoints: readonly EndpointSpec[], note: string): Draft | null {
  const { data, o } = ctx;
  const pool = [...arms[1], ...ctrl[1]];
  const comp = compositeScores(data, pool, endpoints, 2 * o.minPerArm);
  const xa = arms[1].filter((c) => comp.scores.has(c.id));
  const xb = ctrl[1].filter((c) => comp.scores.has(c.id));
  if (xa.length < o.minPerArm || xb.length < o.minPerArm || comp.used.length === 0) return null;
  const va = xa.map((c) => comp.scores.get(c.id)!);
  const vb = xb.map((c) => comp.scores.get(c.id)!);
  const perm = permutationTest(va, vb, { nPerm: o.nPerm, seed: o.seed });
  const g = hedgesG(va, vb);
  const sdPooled = Math.sqrt(((va.length - 1) * sd(va) ** 2 + (vb.length - 1) * sd(vb) ** 2) / (va.length + vb.length - 2));
  const tost = tostWelch(va, vb, -o.smdMargin * sdPooled, o.smdMargin * sdPooled, o.alpha);
  const endpointsOut: EndpointResult[] = [];
  for (const ep of comp.used) {
    if (ep.param === 'cycle_life_80') endpointsOut.push(...survivalEndpoints(ctx, xa, xb, [arms[0], ctrl[0]]));
    else {
      const r = welchEndpoint(ep.label, valuesOf(data, xa, ep.param), valuesOf(data, xb, ep.param), [arms[0], ctrl[0]]);
      if (r) endpointsOut.push(r);
    }
  }
  const single = comp.used.length === 1;
  const test = `${single ? 'rank' : "O'Brien rank-sum composite of " + comp.used.map((e) => `${e.label}${e.sign < 0 ? ' (lower = better)' : ''}`).join(' + ')} ${single ? 'of ' + comp.used[0]!.label : ''}, ${arms[0]} vs ${ctrl[0]}: ${perm.method}; per-endpoint Welch t / KM + log-rank / Cox reported${note ? `; ${note}` : ''}`;
  return {
    ...base(spec, test),
    design: { kind: 'groups', groups: [armSummary(arms[0], xa.map((c) => c.id)), armSummary(ctrl[0], xb.map((c) => c.id))], x: null, y: comp.used.map((e) => e.param).join(' + ') },
    n: { [arms[0]]: xa.length, [ctrl[0]]: xb.length },
    effect: { name: `Hedges' g of the composite (${arms[0]} − ${ctrl[0]}; + = claimed benefit)`, value: g.value, ci95: ci2(g.ci) },
    p: perm.p,
    power: powerTwo(xa.length, xb.length, o.alpha, 'two-sample t approximation to the permutation test on the composite'),
    equivalence: { margin: [-o.smdMargin, o.smdMargin], scale: 'SD of the composite', p: tost.p, equivalent: tost.equivalent },
    endpoints: endpointsOut,
    decide: (pd) => directional(o, pd, g.value, 1, `the composite difference (Hedges' g)`, { p: tost.p, equivalent: tost.equivalent, margin: `±${o.smdMargin} SD` }),
  };
}

function regressionDraft(ctx: Ctx, spec: HypothesisSpec, x: number[], y: number[], xName: string, yName: string, cells: string[], direction: 1 | -1, note: string, extraEndpoints: EndpointResult[] = []): Draft {
  const { o } = ctx;
  const r = linearRegression(x, y);
  const ts = theilSen(x, y);
  const margin = (o.smdMargin * sd(y)) / sd(x);
  const tost = tostFromEstimate(r.slope.estimate, r.slope.se, r.dfResid, -margin, margin, o.alpha);
  return {
    ...base(spec, `OLS slope of ${yName} on ${xName} (t-test), Theil–Sen slope as robustness check${note ? `; ${note}` : ''}`),
    design: { kind: 'regression', groups: [], x: xName, y: yName },
    n: { cells: x.length },
    effect: { name: `OLS slope d(${yName})/d(${xName})`, value: r.slope.estimate, ci95: ci2(r.slope.ci) },
    p: r.slope.p,
    power: powerR(x.length, o.alpha),
    equivalence: { margin: [-margin, margin], scale: `slope (±${o.smdMargin} SD(${yName}) per SD(${xName}))`, p: tost.p, equivalent: tost.equivalent },
    endpoints: [
      { name: 'Theil–Sen slope', method: ts.method, n: { cells: x.length }, effect: { name: 'Theil–Sen slope', value: ts.slope, ci95: ci2(ts.ci) }, p: null },
      { name: 'cells', method: 'cells in the regression', n: { cells: cells.length }, effect: null, p: null, details: { cells } },
      ...extraEndpoints,
    ],
    decide: (pd) => directional(o, pd, r.slope.estimate, direction, 'the slope', { p: tost.p, equivalent: tost.equivalent, margin: `±${fmt(margin)} (±${o.smdMargin} SD per SD)` }),
  };
}

// ---------------------------------------------------------------- H1–H14

function h1(ctx: Ctx, spec: HypothesisSpec): Draft {
  const { data, o } = ctx;
  let pool = data.arm('control').filter((c) => c.restHours !== undefined);
  let which = 'control cells';
  const enough = (cs: CellSpec[]) => cs.filter((c) => c.restHours === 0).length >= o.minPerArm && cs.filter((c) => c.restHours! > 0).length >= o.minPerArm;
  if (!enough(pool)) {
    pool = data.cells.filter((c) => c.restHours !== undefined && data.armOf(c) === 'control');
  }
  if (!enough(pool)) return notTestable(spec, 'rest time is not varied in the control arm (needs rest 0 and rest > 0)', [`≥ ${o.minPerArm} control Li||Cu cells with rest_hours: 0 and ≥ ${o.minPerArm} with rest_hours > 0 (e.g. 24), same protocol`]);
  const noRest = pool.filter((c) => c.restHours === 0);
  const rest = pool.filter((c) => c.restHours! > 0);
  const useRes = valuesOf(data, noRest, 'LCE_reservoir').values.length >= o.minPerArm && valuesOf(data, rest, 'LCE_reservoir').values.length >= o.minPerArm;
  const q = useRes ? 'LCE_reservoir' : 'LCE';
  const a = valuesOf(data, rest, q);
  const b = valuesOf(data, noRest, q);
  if (a.values.length < o.minPerArm || b.values.length < o.minPerArm) return notTestable(spec, 'no CE parameter (ce_mean / lce_mean / ce_avg_reservoir) for enough rest and no-rest cells', [`cycling data giving ce_mean or ce_avg_reservoir for ≥ ${o.minPerArm} cells per rest level`]);
  const w = welchT(a.values, b.values);
  const longQ = useRes && valuesOf(data, rest, 'LCE').values.length >= o.minPerArm && valuesOf(data, noRest, 'LCE').values.length >= o.minPerArm ? 'LCE' : q;
  const la = valuesOf(data, rest, longQ).values;
  const lb = valuesOf(data, noRest, longQ).values;
  const tost = tostWelch(la, lb, -o.lceMargin, o.lceMargin, o.alpha);
  const bassett = longQ !== q;
  return {
    ...base(spec, `Welch t on ${q === 'LCE' ? 'LCE of ce_mean' : 'LCE of the Adams/Boyle reservoir CE'} (rest − no-rest); TOST ±${o.lceMargin} LCE on ${bassett ? 'the long-run LCE (cycles 2..n, the Bassett check)' : 'the same quantity'}`),
    design: { kind: 'groups', groups: [armSummary('rest > 0 h', a.cells), armSummary('rest 0 h', b.cells)], x: 'rest_hours', y: q },
    n: { 'rest > 0 h': a.values.length, 'rest 0 h': b.values.length },
    effect: { name: `Δ${q} (rest − no-rest)`, value: w.estimate, ci95: ci2(w.ci) },
    p: w.p,
    power: powerTwo(a.values.length, b.values.length, o.alpha),
    equivalence: { margin: [-o.lceMargin, o.lceMargin], scale: `${longQ} (rest − no-rest)`, p: tost.p, equivalent: tost.equivalent },
    endpoints: [{ name: `${q} rest vs no-rest`, method: w.method, n: { rest: a.values.length, noRest: b.values.length }, effect: { name: "Hedges' g", value: w.effectSize!.value, ci95: ci2(w.effectSize!.ci) }, p: w.p }],
    decide: (pd) => {
      if (bassett && tost.equivalent) return { verdict: 'refuted', reason: `long-run ${longQ} with rest is equivalent to no-rest within ±${o.lceMargin} (TOST p = ${fmtP(tost.p)}): the Bassett outcome — the loss is recovered`, rule: 'refuted if the cumulative (long-run) loss is equivalent to no-rest (TOST)' };
      return directional(o, pd, w.estimate, -1, `Δ${q} (rest − no-rest)`, { p: tost.p, equivalent: tost.equivalent, margin: `±${o.lceMargin} LCE` });
    },
  };
}

function h2(ctx: Ctx, spec: HypothesisSpec): Draft {
  const { data, o } = ctx;
  let cells = data.arm('control').filter((c) => c.restHours !== undefined && data.value(c.id, 'rest_loss_fraction') !== null);
  if (data.restLevels(cells).length < 4) cells = data.cells.filter((c) => c.restHours !== undefined && data.value(c.id, 'rest_loss_fraction') !== null && c.poling === 'none');
  const levels = data.restLevels(cells).filter((l) => l > 0);
  if (!data.has('rest_loss_fraction')) return notTestable(spec, 'no rest_loss_fraction parameter (capacity lost during OCV rest)', ['Li||Cu rest tests (plate, rest at OCV, strip) so the cycler fitter reports rest_loss_fraction', '≥ 4 distinct rest durations, e.g. 6/24/72/168 h']);
  if (levels.length < 4 || cells.length < 6) return notTestable(spec, `only ${levels.length} distinct rest duration(s) with rest_loss_fraction (needs ≥ 4 and ≥ 6 cells)`, ['control cells at ≥ 4 rest durations (e.g. 6, 24, 72, 168 h), ≥ 2 cells each']);
  const pos = cells.filter((c) => c.restHours! > 0 && data.value(c.id, 'rest_loss_fraction')! > 0);
  const t = pos.map((c) => c.restHours!);
  const ly = pos.map((c) => Math.log(data.value(c.id, 'rest_loss_fraction')!));
  // Each rate law Q = b·g(t) through the origin, fitted on the log scale (multiplicative error):
  // ln Q = ln b + ln g(t), one free parameter; RSS on the log scale → Gaussian log-likelihood.
  const laws = [
    { name: 'linear (Q ∝ t)', g: (h: number) => h },
    { name: 'parabolic (Q ∝ √t)', g: (h: number) => Math.sqrt(h) },
    { name: 'logarithmic (Q ∝ ln(1 + t))', g: (h: number) => Math.log1p(h) },
  ].map((law) => {
    const r = ly.map((v, i) => v - Math.log(law.g(t[i]!)));
    const m = mean(r);
    const rss = r.reduce((s2, v) => s2 + (v - m) ** 2, 0);
    return { name: law.name, lnB: m, rss };
  });
  const y = ly;
  const cmp = compareModels(laws.map((f) => ({ name: f.name, logLik: gaussianLogLik(Math.max(f.rss, 1e-300), y.length), k: 2, n: y.length })));
  const fits = laws;
  const aicOf = (nm: string) => cmp.find((c) => c.name === nm)!.aic;
  const lin = aicOf(fits[0]!.name);
  const passiv = Math.min(aicOf(fits[1]!.name), aicOf(fits[2]!.name));
  const dAic = lin - passiv; // > 0: a passivating law fits better
  const thr = o.deltaAic;
  return {
    ...base(spec, `rest_loss_fraction vs rest time: Q ∝ t vs Q ∝ √t vs Q ∝ ln(1+t), each through the origin and fitted on the log scale (multiplicative error; k = 2: scale + σ), compared by AIC (BIC reported)`),
    design: { kind: 'model comparison', groups: [], x: 'rest_hours', y: 'rest_loss_fraction' },
    n: { cells: y.length, restLevels: levels.length },
    effect: { name: 'ΔAIC = AIC(linear) − min AIC(√t, log) (+ = passivating law preferred)', value: dAic, ci95: null },
    p: null,
    power: null,
    endpoints: cmp.map((c) => ({ name: c.name, method: 'OLS, Gaussian log-likelihood', n: { cells: c.n }, effect: { name: 'AIC', value: c.aic, ci95: null }, p: null, details: { bic: c.bic, deltaAic: c.deltaAic, akaikeWeight: c.akaikeWeight } })),
    decide: () => {
      const rule = `supported if a passivating law (√t or log) beats linear by ΔAIC > ${thr}; refuted if linear is preferred by ΔAIC > ${thr}; otherwise inconclusive (no p-value; not in the multiplicity correction)`;
      if (dAic > thr) return { verdict: 'supported', reason: `passivating law preferred: ΔAIC = ${fmt(dAic, 2)} > ${thr}`, rule };
      if (dAic < -thr) return { verdict: 'refuted', reason: `linear (non-passivating) growth preferred by ΔAIC = ${fmt(-dAic, 2)} > ${thr}`, rule };
      return { verdict: 'inconclusive', reason: `|ΔAIC| = ${fmt(Math.abs(dAic), 2)} ≤ ${thr}: the rate laws are not distinguished`, rule };
    },
  };
}

function h3(ctx: Ctx, spec: HypothesisSpec): Draft {
  const { data, o } = ctx;
  if (!data.has('heterogeneity_index')) return notTestable(spec, 'no ToF-SIMS heterogeneity_index', ['ToF-SIMS ion images (inorganic/organic ratio maps) of cells after different rest times']);
  let cells = data.arm('control').filter((c) => c.restHours !== undefined && data.value(c.id, 'heterogeneity_index') !== null);
  if (data.restLevels(cells).length < 2 || cells.length < 2 * o.minPerArm) cells = data.cells.filter((c) => c.restHours !== undefined && data.value(c.id, 'heterogeneity_index') !== null && c.poling === 'none');
  if (data.restLevels(cells).length < 2 || cells.length < 2 * o.minPerArm) return notTestable(spec, 'rest time is not varied among cells with a heterogeneity index', [`ToF-SIMS heterogeneity on ≥ ${2 * o.minPerArm} control cells spanning ≥ 2 rest durations`]);
  const x = cells.map((c) => c.restHours!);
  const y = cells.map((c) => data.value(c.id, 'heterogeneity_index')!);
  const extra: EndpointResult[] = [];
  const both = data.cells.filter((c) => data.value(c.id, 'CPE_SEI_alpha') !== null && data.value(c.id, 'heterogeneity_index') !== null);
  if (both.length >= 4) {
    const s = spearman(both.map((c) => data.value(c.id, 'CPE_SEI_alpha')!), both.map((c) => data.value(c.id, 'heterogeneity_index')!));
    extra.push({ name: 'Spearman CPE α vs H (expected negative)', method: s.method, n: { cells: s.n }, effect: { name: 'Spearman ρ', value: s.rho, ci95: ci2(s.ci) }, p: s.p });
  }
  return regressionDraft(ctx, spec, x, y, 'rest_hours', 'heterogeneity_index', cells.map((c) => c.id), 1, 'control cells', extra);
}

function h4(ctx: Ctx, spec: HypothesisSpec): Draft {
  const { data, o } = ctx;
  const useH = data.has('heterogeneity_index');
  const param = useH ? 'heterogeneity_index' : 'CPE_SEI_alpha';
  if (!data.has('cycle_life_80')) return notTestable(spec, 'no cycle_life_80', ['long-term cycling to 80 % capacity (or censoring) for every cell with an SEI measurement']);
  if (!useH && !data.has('CPE_SEI_alpha')) return notTestable(spec, 'no heterogeneity_index or CPE_SEI_alpha', ['early-life (cycle ≤ 5) ToF-SIMS heterogeneity or EIS with a CPE SEI arc on cells that are then cycled to failure']);
  const cells = data.cells.filter((c) => data.life(c.id) && data.value(c.id, param) !== null);
  const ev = cells.filter((c) => data.life(c.id)!.event === 1).length;
  if (cells.length < 2 * o.minPerArm || ev < o.minPerArm) return notTestable(spec, `only ${cells.length} cells with both ${param} and cycle life (${ev} failures)`, [`≥ ${2 * o.minPerArm} cells with both ${param} and cycle life, ≥ ${o.minPerArm} of them cycled to failure`]);
  const raw = cells.map((c) => data.value(c.id, param)!);
  const s = sd(raw);
  const m = mean(raw);
  const z = raw.map((v) => (s > 0 ? (v - m) / s : 0));
  const t = cells.map((c) => data.life(c.id)!.time);
  const e = cells.map((c) => data.life(c.id)!.event);
  const cx = coxPH(t, e, { [param]: z });
  const c = cx.coefficients[0]!;
  const direction: 1 | -1 = useH ? 1 : -1; // more heterogeneity (higher H, lower α) → higher hazard
  const lm = Math.log(1.25);
  const tost = tostFromEstimate(c.coef, c.se, Infinity, -lm, lm, o.alpha);
  const endpoints: EndpointResult[] = [];
  if (cells.length >= 9) {
    const sorted = [...z].sort((a, b) => a - b);
    const t1 = sorted[Math.floor(sorted.length / 3)]!;
    const t2 = sorted[Math.floor((2 * sorted.length) / 3)]!;
    const g = z.map((v) => (v < t1 ? 'low' : v < t2 ? 'mid' : 'high'));
    if (new Set(g).size > 1) {
      const lr = logRank(t, e, g);
      const med = Object.fromEntries(lr.groups.map((gr) => [gr, kaplanMeier(t.filter((_, i) => g[i] === gr), e.filter((_, i) => g[i] === gr)).median]));
      endpoints.push({ name: `KM by ${param} tertiles + log-rank`, method: lr.method, n: Object.fromEntries(lr.groups.map((gr, i) => [gr, lr.n[i]!])), effect: null, p: lr.p, details: { medianCycles: med, chiSquare: lr.chiSquare, df: lr.df } });
    }
  }
  return {
    ...base(spec, `Cox PH of cycle_life_80 (censored) on ${param} per SD (${cx.method})${useH ? '' : '; heterogeneity_index absent, CPE α used (lower α = more heterogeneous)'}; not adjusted for electrolyte / current density`),
    design: { kind: 'survival regression', groups: [], x: `${param} (per SD)`, y: 'cycle_life_80' },
    n: { cells: cells.length, events: cx.events },
    effect: { name: `hazard ratio per SD of ${param}`, value: c.hr, ci95: ci2(c.hrCi) },
    p: c.p,
    power: powerCox(cx.events, o.alpha, true),
    equivalence: { margin: [1 / 1.25, 1.25], scale: 'hazard ratio per SD', p: tost.p, equivalent: tost.equivalent },
    endpoints,
    decide: (pd) => directional(o, pd, c.coef, direction, `log HR per SD of ${param}`, { p: tost.p, equivalent: tost.equivalent, margin: 'HR 0.8–1.25 per SD' }),
  };
}

function h5(ctx: Ctx, spec: HypothesisSpec): Draft {
  const { data, o } = ctx;
  const cells = data.cells.filter((c) => c.restHours !== undefined && data.value(c.id, 'heterogeneity_index') !== null && data.life(c.id));
  const endpoints: EndpointResult[] = [];
  let med: ReturnType<typeof mediation> | null = null;
  if (cells.length >= 8 && data.restLevels(cells).length >= 2) {
    med = mediation(cells.map((c) => c.restHours!), cells.map((c) => data.value(c.id, 'heterogeneity_index')!), cells.map((c) => Math.log(data.life(c.id)!.time)), { B: o.bootstrapB, seed: o.seed });
    const cens = cells.filter((c) => data.life(c.id)!.event === 0).length;
    endpoints.push({ name: 'bootstrap mediation rest → H → log(cycle life)', method: med.method, n: { cells: med.n }, effect: { name: 'indirect effect a·b', value: med.indirect, ci95: ci2(med.indirectCi) }, p: med.sobelP, details: { a: med.a, b: med.b, direct: med.direct, total: med.total, censoredTreatedAsObserved: cens } });
  }
  if (!o.replay) return notTestable(spec, 'needs the replay model fit (ΔAIC of the γ_H coupling); no replay-model result was supplied', ['a replay-model fit of the campaign with and without the heterogeneity coupling γ_H (pass its ΔAIC as options.replay)', ...(med ? [] : ['cells with rest time varied, heterogeneity_index and cycle life for the mediation analysis'])], { endpoints, test: 'ΔAIC (γ_H free vs γ_H = 0) from the replay model; bootstrap mediation rest → H → life' });
  if (!med) return notTestable(spec, 'the mediation analysis needs ≥ 8 cells with rest time (≥ 2 levels), heterogeneity_index and cycle life', ['cells with rest time varied, heterogeneity_index and cycle life']);
  // Lives that all (or nearly all) ended by the test stopping say nothing about what shortens life.
  const failures = cells.filter((c) => data.life(c.id)!.event === 1).length;
  if (failures < 3) return notTestable(spec, `only ${failures} of ${cells.length} cells reached end of life (needs ≥ 3 observed failures; censored lives cannot carry a mediation effect)`, ['cycle the cells to failure (80 % capacity or the overpotential limit), ≥ 3 of them'], { endpoints });
  const d = o.replay.deltaAicCoupling;
  const m = med;
  return {
    ...base(spec, 'ΔAIC of the replay-model coupling γ_H; bootstrap (BCa) mediation rest → H → log(cycle life), censored lives treated as observed'),
    design: { kind: 'model comparison', groups: [], x: 'rest_hours → heterogeneity_index', y: 'log cycle_life_80' },
    n: { cells: m.n },
    effect: { name: 'indirect effect a·b (rest → H → log life)', value: m.indirect, ci95: ci2(m.indirectCi) },
    endpoints,
    decide: () => {
      const rule = 'supported if ΔAIC ≥ 2 for the coupling and the bootstrap CI of the indirect effect excludes 0 (negative: rest shortens life through H); refuted if ΔAIC < 2 or the CI includes 0 (catalogue rule); decided by CI, not in the multiplicity correction';
      if (d < 2) return { verdict: 'refuted', reason: `coupling ΔAIC = ${fmt(d, 2)} < 2`, rule };
      if (m.indirectCi[1] < 0) return { verdict: 'supported', reason: `ΔAIC = ${fmt(d, 2)} ≥ 2 and indirect effect ${fmt(m.indirect)} (95 % CI ${fmt(m.indirectCi[0])} to ${fmt(m.indirectCi[1])}) < 0`, rule };
      return { verdict: 'refuted', reason: `indirect-effect CI (${fmt(m.indirectCi[0])}, ${fmt(m.indirectCi[1])}) includes 0 or has the wrong sign`, rule };
    },
  };
}

/**
 * XPS-derived quantities are compared only between profiles measured with the same sputter protocol
 * (DOMAIN §3.2: sputtering itself makes LiF): total sputter time and number of etch levels. When the
 * cells' profiles differ, the protocol with the most cells (at least `minArm` in every group) is used
 * and the others are left out, by name; with no such protocol all are pooled and the mismatch said.
 */
function sputterMatched(ctx: Ctx, groups: readonly (readonly CellSpec[])[], minArm: number): { groups: CellSpec[][]; note: string } {
  const { data } = ctx;
  const keyOf = (c: CellSpec): string | null => {
    const t = data.value(c.id, 'xps_profile_sputter_s');
    const n = data.value(c.id, 'xps_profile_levels');
    return t === null ? null : `${Number(t.toPrecision(3))} s / ${n ?? '?'} levels`;
  };
  const withXps = groups.map((g) => g.filter((c) => data.value(c.id, 'sei_inorganic_fraction') !== null));
  const all = withXps.flat();
  const keys = [...new Set(all.map(keyOf))];
  if (keys.length <= 1) {
    const note = keys[0] === null && all.length ? 'the XPS files state no sputter times: a matched sputter dose could not be checked' : '';
    return { groups: groups.map((g) => [...g]), note };
  }
  const stated = keys.filter((k): k is string => k !== null);
  const score = (k: string) => Math.min(...withXps.map((g) => g.filter((c) => keyOf(c) === k).length));
  const best = [...stated].sort((a, b) => score(b) - score(a) || all.filter((c) => keyOf(c) === b).length - all.filter((c) => keyOf(c) === a).length)[0];
  const summary = keys.map((k) => `${k ?? 'not stated'}: ${all.filter((c) => keyOf(c) === k).map((c) => c.id).join(', ')}`).join('; ');
  if (best === undefined || score(best) < minArm) {
    return { groups: groups.map((g) => [...g]), note: `XPS sputter protocols differ (${summary}) and none has enough cells: all pooled — LiF made by sputtering may bias the comparison` };
  }
  const left = all.filter((c) => keyOf(c) !== best).map((c) => c.id);
  return {
    groups: groups.map((g) => g.filter((c) => data.value(c.id, 'sei_inorganic_fraction') === null || keyOf(c) === best)),
    note: `compared at matched XPS sputter protocol ${best}; left out (other protocol): ${left.join(', ')}`,
  };
}

function fdVsControl(ctx: Ctx): { fd: CellSpec[]; ctrl: CellSpec[]; note: string } {
  const m = restMatched(ctx, ctx.data.arm('FD'), ctx.data.arm('control'));
  return { fd: m.a, ctrl: m.b, note: m.note };
}
const missingArms = (ctx: Ctx, arms: readonly [ArmName, number][]): string[] => arms.filter(([, n]) => n < ctx.o.minPerArm).map(([a, n]) => `${a} arm has ${n} cell(s) (needs ≥ ${ctx.o.minPerArm})`);
const ARM_HINT: Record<ArmName, string> = {
  FD: "poled ferroelectric cells (poling: poled)",
  control: 'bare control cells (poling: none)',
  unpoled: 'unpoled (or depoled above T_C) cells of the same ferroelectric (poling: unpoled)',
  paraelectric: 'paraelectric high-k layer cells, e.g. cubic BTO or SrTiO3 (poling: paraelectric)',
  'FD+anion': 'poled cells with the anion pre-adsorbed (poling: poled, preadsorbed_anion: NO3-)',
  'anion-in-electrolyte': 'control cells with the same anion dosed in the electrolyte (poling: none, electrolyte containing e.g. LiNO3)',
};

function h6(ctx: Ctx, spec: HypothesisSpec): Draft {
  const { data, o } = ctx;
  const arms = fdVsControl(ctx);
  const dose = sputterMatched(ctx, [arms.fd, arms.ctrl], o.minPerArm);
  const [fd, ctrl] = dose.groups as [CellSpec[], CellSpec[]];
  const note = [arms.note, dose.note].filter(Boolean).join('; ');
  const miss = missingArms(ctx, [['FD', fd.length], ['control', ctrl.length]]);
  if (miss.length) return notTestable(spec, miss.join('; '), miss.map((_, i) => ARM_HINT[(['FD', 'control'] as const)[i]!]).map((h) => `≥ ${o.minPerArm} ${h}`));
  if (!data.has('sei_inorganic_fraction')) return notTestable(spec, 'no XPS sei_inorganic_fraction', ['XPS depth profiles (matched sputter dose) of FD and control anodes after cycling']);
  const a = valuesOf(data, fd, 'sei_inorganic_fraction');
  const b = valuesOf(data, ctrl, 'sei_inorganic_fraction');
  if (a.values.length < o.minPerArm || b.values.length < o.minPerArm) return notTestable(spec, `XPS inorganic fraction on ${a.values.length} FD and ${b.values.length} control cells`, [`XPS on ≥ ${o.minPerArm} cells per arm`]);
  const w = welchT(a.values, b.values);
  const M = o.inorganicMargin;
  const upper = w.ci![1];
  return {
    ...base(spec, `Welch t on depth-averaged sei_inorganic_fraction, FD vs control; artefact margin ${M}${note ? `; ${note}` : ''}`),
    design: { kind: 'groups', groups: [armSummary('FD', a.cells), armSummary('control', b.cells)], x: null, y: 'sei_inorganic_fraction' },
    n: { FD: a.values.length, control: b.values.length },
    effect: { name: 'Δf (FD − control)', value: w.estimate, ci95: ci2(w.ci) },
    p: w.p,
    power: powerTwo(a.values.length, b.values.length, o.alpha),
    equivalence: { margin: [0, M], scale: 'Δf vs the artefact margin: refuted when the upper 95 % bound of Δf is < margin (one-sided p for Δf ≥ margin)', p: tCdf((w.estimate - M) / w.se, w.df!), equivalent: upper < M },
    endpoints: [{ name: 'sei_inorganic_fraction', method: w.method, n: { FD: a.values.length, control: b.values.length }, effect: { name: "Hedges' g", value: w.effectSize!.value, ci95: ci2(w.effectSize!.ci) }, p: w.p }],
    decide: (pd) => {
      const adj = o.decideWith === 'raw' ? 'p' : `${o.decideWith === 'holm' ? 'Holm' : 'BH'}-adjusted p`;
      const rule = `supported if ${adj} < ${o.alpha} with Δf > 0 and Δf ≥ ${M} (artefact margin); refuted if the upper 95 % CI bound of Δf is below ${M} (Δf excluded from exceeding the margin) or Δf is significantly negative; otherwise inconclusive`;
      if (pd !== null && pd < o.alpha && w.estimate >= M) return { verdict: 'supported', reason: `Δf = ${fmt(w.estimate)} ≥ ${M}, ${adj} = ${fmtP(pd)}`, rule };
      if (upper < M) return { verdict: 'refuted', reason: `Δf = ${fmt(w.estimate)}, upper 95 % bound ${fmt(upper)} < artefact margin ${M}`, rule };
      return { verdict: 'inconclusive', reason: `Δf = ${fmt(w.estimate)} (95 % CI ${fmt(w.ci![0])} to ${fmt(upper)}), ${adj} = ${fmtP(pd)}: not shown above ${M} and not excluded`, rule };
    },
  };
}

function h7(ctx: Ctx, spec: HypothesisSpec): Draft {
  const { data, o } = ctx;
  const { fd, ctrl, note } = fdVsControl(ctx);
  const miss = missingArms(ctx, [['FD', fd.length], ['control', ctrl.length]]);
  if (miss.length) return notTestable(spec, miss.join('; '), [`≥ ${o.minPerArm} ${ARM_HINT.FD} and ≥ ${o.minPerArm} ${ARM_HINT.control}`]);
  if (!data.has('heterogeneity_index')) return notTestable(spec, 'no ToF-SIMS heterogeneity_index', ['ToF-SIMS ion images of FD and control anodes (heterogeneity_index, morans_i)']);
  const d = compositeTwoArm(ctx, spec, ['FD', fd], ['control', ctrl], [
    { param: 'heterogeneity_index', sign: -1, label: 'H' },
    { param: 'morans_i', sign: -1, label: "Moran's I" },
    { param: 'CPE_SEI_alpha', sign: 1, label: 'CPE α' },
  ], note);
  return d ?? notTestable(spec, 'fewer than the minimum cells per arm with heterogeneity data', [`heterogeneity data on ≥ ${o.minPerArm} cells per arm`]);
}

function h8(ctx: Ctx, spec: HypothesisSpec): Draft {
  const { data, o } = ctx;
  const order: ArmName[] = ['paraelectric', 'unpoled', 'FD'];
  const fdAll = data.arm('FD');
  const fd = fdAll.filter((c) => (c.restHours ?? 0) === Math.min(...fdAll.map((x) => x.restHours ?? 0)));
  const present = order.map((a) => [a, a === 'FD' ? fd : data.arm(a)] as const).filter(([, cs]) => cs.length >= o.minPerArm);
  if (!present.some(([a]) => a === 'FD') || present.length < 2) {
    return notTestable(spec, 'needs poled cells and an unpoled or paraelectric arm', [`≥ ${o.minPerArm} ${ARM_HINT.FD}`, `≥ ${o.minPerArm} ${ARM_HINT.unpoled}`, `≥ ${o.minPerArm} ${ARM_HINT.paraelectric}`].filter((_, i) => !present.some(([a]) => a === (['FD', 'unpoled', 'paraelectric'] as const)[i])));
  }
  const pool = present.flatMap(([, cs]) => cs);
  const eps: EndpointSpec[] = [
    { param: 'LCE', sign: 1, label: 'LCE' },
    { param: 'cycle_life_80', sign: 1, label: 'cycle life' },
    { param: 'sei_inorganic_fraction', sign: 1, label: 'f' },
    { param: 'heterogeneity_index', sign: -1, label: 'H' },
  ];
  const comp = compositeScores(data, pool, eps, present.length * o.minPerArm);
  const groups = present.map(([a, cs]) => [a, cs.filter((c) => comp.scores.has(c.id))] as const);
  if (comp.used.length === 0 || groups.some(([, cs]) => cs.length < o.minPerArm)) return notTestable(spec, 'too few cells with LCE, cycle life, f or H in the poled / unpoled / paraelectric arms', [`LCE (cycling) on ≥ ${o.minPerArm} cells per arm`]);
  const vals = groups.map(([, cs]) => cs.map((c) => comp.scores.get(c.id)!));
  const jt = jonckheereTerpstra(vals, { alternative: 'two-sided' });
  const poled = vals[vals.length - 1]!;
  const others = vals.slice(0, -1).flat();
  const sdP = Math.sqrt(((poled.length - 1) * sd(poled) ** 2 + (others.length - 1) * sd(others) ** 2) / (poled.length + others.length - 2));
  const tost = tostWelch(poled, others, -o.smdMargin * sdP, o.smdMargin * sdP, o.alpha);
  const g = hedgesG(poled, others);
  const endpoints: EndpointResult[] = [];
  const lceP = valuesOf(data, groups[groups.length - 1]![1], 'LCE');
  const lceO = valuesOf(data, groups.slice(0, -1).flatMap(([, cs]) => cs), 'LCE');
  const wl = welchEndpoint('LCE poled vs unpoled/paraelectric', lceP, lceO, ['poled', 'unpoled+paraelectric']);
  if (wl) endpoints.push(wl);
  endpoints.push({ name: 'planted contrast poled − mean(unpoled, paraelectric) on the composite', method: 'Hedges g, TOST (Welch)', n: { poled: poled.length, others: others.length }, effect: { name: "Hedges' g", value: g.value, ci95: ci2(g.ci) }, p: tost.p, details: { tostEquivalent: tost.equivalent } });
  const un = groups.find(([a]) => a === 'unpoled');
  const pe = groups.find(([a]) => a === 'paraelectric');
  if (un && pe) {
    const a = un[1].map((c) => comp.scores.get(c.id)!);
    const b = pe[1].map((c) => comp.scores.get(c.id)!);
    const s2 = Math.sqrt(((a.length - 1) * sd(a) ** 2 + (b.length - 1) * sd(b) ** 2) / (a.length + b.length - 2));
    const t2 = tostWelch(a, b, -o.smdMargin * s2, o.smdMargin * s2, o.alpha);
    endpoints.push({ name: 'TOST unpoled ≈ paraelectric (composite)', method: t2.method, n: { unpoled: a.length, paraelectric: b.length }, effect: { name: 'difference of composite means', value: t2.estimate, ci95: ci2(t2.ci90) }, p: t2.p, details: { equivalent: t2.equivalent, ci: '90 %' } });
  }
  return {
    ...base(spec, `Jonckheere–Terpstra trend (${jt.method}) over ${groups.map(([a]) => a).join(' < ')} on the O'Brien composite of ${comp.used.map((e) => e.label).join(' + ')}; TOST poled ≈ unpoled/paraelectric`),
    design: { kind: 'ordered groups', groups: groups.map(([a, cs]) => armSummary(a === 'FD' ? 'poled' : a, cs.map((c) => c.id))), x: 'poling order', y: comp.used.map((e) => e.param).join(' + ') },
    n: Object.fromEntries(groups.map(([a, cs]) => [a === 'FD' ? 'poled' : a, cs.length])),
    effect: { name: "Hedges' g of the composite, poled − unpoled/paraelectric", value: g.value, ci95: ci2(g.ci) },
    p: jt.p,
    power: powerTwo(poled.length, others.length, o.alpha, 'two-sample t approximation for the poled vs rest contrast'),
    equivalence: { margin: [-o.smdMargin, o.smdMargin], scale: 'SD of the composite (poled − others)', p: tost.p, equivalent: tost.equivalent },
    endpoints,
    decide: (pd) => directional(o, pd, jt.z, 1, 'the JT trend z (poled highest)', { p: tost.p, equivalent: tost.equivalent, margin: `±${o.smdMargin} SD (poled vs unpoled/paraelectric)` }),
  };
}

function h9(ctx: Ctx, spec: HypothesisSpec): Draft {
  const { data, o } = ctx;
  const cells = data.cells.filter((c) => c.poling !== 'none' && !c.preadsorbedAnion && data.pr(c.id) !== null && data.lce(c.id) !== null);
  const distinct = new Set(cells.map((c) => data.pr(c.id))).size;
  if (cells.length < 2 * o.minPerArm || distinct < 3) return notTestable(spec, `${cells.length} layer cells with Pr and LCE, ${distinct} distinct Pr value(s) (needs ≥ ${2 * o.minPerArm} cells and ≥ 3 distinct Pr)`, ['P–E loops (Pr) or manifest pr_uC_cm2 for every layer cell', 'layers with different remanent polarisation (poled / partially poled / unpoled / paraelectric)']);
  return regressionDraft(ctx, spec, cells.map((c) => data.pr(c.id)!), cells.map((c) => data.lce(c.id)!), 'Pr_eff [uC/cm2]', 'LCE', cells.map((c) => c.id), 1, 'layer cells (poled, unpoled, paraelectric); Pr from P–E fits, else manifest pr_uC_cm2, paraelectric = 0');
}

function h10(ctx: Ctx, spec: HypothesisSpec): Draft {
  const { data, o } = ctx;
  const { fd, ctrl, note } = fdVsControl(ctx);
  if (!data.has('polarisation_retention')) return notTestable(spec, 'no polarisation_retention (P–E loops after cycling); the per-cycle ΔCE_n ∝ P_n comparison also needs the replay model / per-cycle CE', ['P–E loops (or PFM/pyroelectric checks) of FD layers before and after cycling → polarisation_retention', 'per-cycle CE series for the replay model']);
  const f = fd.filter((c) => data.value(c.id, 'polarisation_retention') !== null && data.lce(c.id) !== null);
  const cl = valuesOf(data, ctrl, 'LCE');
  if (f.length < o.minPerArm || cl.values.length < o.minPerArm) return notTestable(spec, `${f.length} FD cells with retention and LCE, ${cl.values.length} controls with LCE`, [`≥ ${o.minPerArm} FD cells with polarisation_retention and ≥ ${o.minPerArm} controls`]);
  const P = f.map((c) => data.value(c.id, 'polarisation_retention')!);
  if (new Set(P).size < 2) return notTestable(spec, 'polarisation retention does not vary among FD cells', ['FD cells with different retention (e.g. cycled for different times or fatigued)']);
  const base0 = mean(cl.values);
  const dl = f.map((c) => data.lce(c.id)! - base0);
  const n = dl.length;
  const rssConst = dl.reduce((s, v) => s + (v - mean(dl)) ** 2, 0);
  const b = dl.reduce((s, v, i) => s + v * P[i]!, 0) / P.reduce((s, v) => s + v * v, 0);
  const rssProp = dl.reduce((s, v, i) => s + (v - b * P[i]!) ** 2, 0);
  const cmp = compareModels([{ name: 'constant offset ΔLCE = c', logLik: gaussianLogLik(rssConst, n), k: 1, n }, { name: 'proportional ΔLCE = b·P', logLik: gaussianLogLik(rssProp, n), k: 1, n }]);
  const aC = cmp.find((c) => c.name.startsWith('constant'))!.aic;
  const aP = cmp.find((c) => c.name.startsWith('proportional'))!.aic;
  const dAic = aC - aP; // > 0: proportional preferred
  const reg = linearRegression(P, dl);
  const thr = o.deltaAic;
  return {
    ...base(spec, `per-cell version: ΔLCE_i = LCE_i − mean LCE(control) of FD cells vs polarisation_retention; constant vs proportional model by AIC, slope t-test${note ? `; ${note}` : ''}. The per-cycle ΔCE_n ∝ P_n test needs the replay model`),
    design: { kind: 'model comparison', groups: [armSummary('FD', f.map((c) => c.id)), armSummary('control', cl.cells)], x: 'polarisation_retention', y: 'ΔLCE vs control mean' },
    n: { FD: n, control: cl.values.length },
    effect: { name: 'slope dΔLCE/dP_retention', value: reg.slope.estimate, ci95: ci2(reg.slope.ci) },
    p: reg.slope.p,
    power: powerR(n, o.alpha),
    endpoints: cmp.map((c) => ({ name: c.name, method: 'least squares, Gaussian log-likelihood', n: { FD: n }, effect: { name: 'AIC', value: c.aic, ci95: null }, p: null, details: { deltaAic: c.deltaAic } })),
    decide: (pd) => {
      const adj = o.decideWith === 'raw' ? 'p' : `${o.decideWith === 'holm' ? 'Holm' : 'BH'}-adjusted p`;
      const rule = `supported if the proportional model beats the constant offset by ΔAIC > ${thr} and the slope on retention is > 0 with ${adj} < ${o.alpha}; refuted if the constant model wins by ΔAIC > ${thr}; otherwise inconclusive`;
      if (dAic > thr && pd !== null && pd < o.alpha && reg.slope.estimate > 0) return { verdict: 'supported', reason: `ΔAIC = ${fmt(dAic, 2)} for ΔLCE ∝ P, slope ${fmt(reg.slope.estimate)} (${adj} = ${fmtP(pd)})`, rule };
      if (dAic < -thr) return { verdict: 'refuted', reason: `constant benefit preferred by ΔAIC = ${fmt(-dAic, 2)}: the benefit does not track retention`, rule };
      return { verdict: 'inconclusive', reason: `ΔAIC = ${fmt(dAic, 2)}, slope ${fmt(reg.slope.estimate)} (${adj} = ${fmtP(pd)})`, rule };
    },
  };
}

function h11(ctx: Ctx, spec: HypothesisSpec): Draft {
  const { data, o } = ctx;
  const fd = data.arm('FD').filter((c) => c.restHours !== undefined);
  const ct = data.arm('control').filter((c) => c.restHours !== undefined);
  const res = 'LCE';
  const cell = (cs: CellSpec[], rest: boolean) => cs.filter((c) => (rest ? c.restHours! > 0 : c.restHours === 0) && data.value(c.id, res) !== null);
  const quads = [cell(fd, false), cell(fd, true), cell(ct, false), cell(ct, true)];
  if (quads.some((q) => q.length < o.minPerArm)) return notTestable(spec, `FD × rest design incomplete (cells with LCE: FD no-rest ${quads[0]!.length}, FD rest ${quads[1]!.length}, control no-rest ${quads[2]!.length}, control rest ${quads[3]!.length})`, [`≥ ${o.minPerArm} cells in each of FD × {rest 0, rest > 0} and control × {rest 0, rest > 0}`]);
  const all = quads.flat();
  const y = all.map((c) => data.value(c.id, res)!);
  const F = all.map((c) => (c.poling === 'poled' ? 1 : 0));
  const Rr = all.map((c) => (c.restHours! > 0 ? 1 : 0));
  const fit = ols(y, { FD: F, rest: Rr, 'FD×rest': F.map((v, i) => v * Rr[i]!) });
  const it = fit.coefficients[3]!;
  const tost = tostFromEstimate(it.estimate, it.se, fit.dfResid, -o.lceMargin, o.lceMargin, o.alpha);
  const endpoints: EndpointResult[] = fit.coefficients.map((c) => ({ name: `coefficient ${c.name}`, method: 'OLS (two-way with interaction)', n: { cells: fit.n }, effect: { name: c.name, value: c.estimate, ci95: ci2(c.ci) }, p: c.p }));
  const rl = valuesOf(data, quads[1]!, 'rest_loss_fraction');
  const rc = valuesOf(data, quads[3]!, 'rest_loss_fraction');
  const wr = welchEndpoint('rest_loss_fraction FD vs control (rest cells)', rl, rc, ['FD', 'control']);
  if (wr) endpoints.push(wr);
  return {
    ...base(spec, `two-way regression LCE ~ FD + rest + FD×rest (rest = rest_hours > 0); t-test on the interaction`),
    design: { kind: 'interaction', groups: [armSummary('FD no-rest', quads[0]!.map((c) => c.id)), armSummary('FD rest', quads[1]!.map((c) => c.id)), armSummary('control no-rest', quads[2]!.map((c) => c.id)), armSummary('control rest', quads[3]!.map((c) => c.id))], x: 'FD × rest', y: res },
    n: { 'FD no-rest': quads[0]!.length, 'FD rest': quads[1]!.length, 'control no-rest': quads[2]!.length, 'control rest': quads[3]!.length },
    effect: { name: 'FD×rest interaction on LCE (+ = FD reduces the rest loss)', value: it.estimate, ci95: ci2(it.ci) },
    p: it.p,
    power: { mde: (normalQuantile(1 - o.alpha / 2) + normalQuantile(0.8)) * Math.sqrt(quads.reduce((s, q) => s + 1 / q.length, 0)), scale: 'interaction in residual-SD units', note: 'normal approximation: (z_{1−α/2} + z_0.8)·√Σ1/n_cell' },
    equivalence: { margin: [-o.lceMargin, o.lceMargin], scale: 'LCE interaction', p: tost.p, equivalent: tost.equivalent },
    endpoints,
    decide: (pd) => directional(o, pd, it.estimate, 1, 'the FD×rest interaction', { p: tost.p, equivalent: tost.equivalent, margin: `±${o.lceMargin} LCE` }),
  };
}

function h12(ctx: Ctx, spec: HypothesisSpec): Draft {
  const { data, o } = ctx;
  const fdA = data.arm('FD+anion');
  const an = data.arm('anion-in-electrolyte');
  const { fd, ctrl } = fdVsControl(ctx);
  const need: [ArmName, number][] = [['FD+anion', fdA.length], ['anion-in-electrolyte', an.length], ['FD', fd.length]];
  const miss = need.filter(([, n]) => n < o.minPerArm);
  if (miss.length) return notTestable(spec, miss.map(([a, n]) => `${a} arm has ${n} cell(s)`).join('; '), miss.map(([a]) => `≥ ${o.minPerArm} ${ARM_HINT[a]}`));
  const useF = [fdA, an, fd].every((cs) => valuesOf(data, cs, 'sei_inorganic_fraction').values.length >= o.minPerArm);
  const param = useF ? 'sei_inorganic_fraction' : 'LCE';
  const arms: [string, CellSpec[]][] = [['FD+anion', fdA], ['anion-in-electrolyte', an], ['FD', fd], ...(ctrl.length >= o.minPerArm ? [['control', ctrl] as [string, CellSpec[]]] : [])];
  const vals = arms.map(([nm, cs]) => [nm, valuesOf(data, cs, param)] as const);
  if (vals.slice(0, 3).some(([, v]) => v.values.length < o.minPerArm)) return notTestable(spec, `too few cells with ${param} in the FD+anion / anion-in-electrolyte / FD arms`, ['XPS (N 1s / F 1s → sei_inorganic_fraction) or CE on ≥ 3 cells per arm']);
  const use = vals.filter(([, v]) => v.values.length >= 2);
  const groups = use.map(([, v]) => v.values);
  const aov = oneWayAnova(groups);
  const tk = tukeyHsd(groups, use.map(([n]) => n), { ci: o.tukeyCi, pairs: [[0, 1], [0, 2]] });
  const pa = tk.pairs.find((p) => p.a === 'FD+anion' && p.b === 'anion-in-electrolyte')!;
  const pf = tk.pairs.find((p) => p.a === 'FD+anion' && p.b === 'FD')!;
  const sdP = Math.sqrt(aov.mse);
  const tost = tostWelch(use[0]![1].values, use[1]![1].values, -o.smdMargin * sdP, o.smdMargin * sdP, o.alpha);
  const pIU = Math.max(pa.p, pf.p);
  return {
    ...base(spec, `one-way ANOVA + Tukey HSD on ${param} over ${use.map(([n]) => n).join(', ')}; decision p = max of the Tukey p for FD+anion > anion-in-electrolyte and FD+anion > FD (intersection–union); TOST FD+anion ≈ anion-in-electrolyte`),
    design: { kind: 'groups', groups: use.map(([n, v]) => armSummary(n, v.cells)), x: null, y: param },
    n: Object.fromEntries(use.map(([n, v]) => [n, v.values.length])),
    effect: { name: `Δ${param} FD+anion − anion-in-electrolyte (Tukey simultaneous CI)`, value: pa.diff, ci95: ci2(pa.ci) },
    p: pIU,
    power: powerTwo(use[0]![1].values.length, use[1]![1].values.length, o.alpha, 'per contrast, unadjusted for the Tukey family'),
    equivalence: { margin: [-o.smdMargin * sdP, o.smdMargin * sdP], scale: `${param} (±${o.smdMargin}·√MSE)`, p: tost.p, equivalent: tost.equivalent },
    endpoints: [
      { name: 'one-way ANOVA', method: aov.method, n: Object.fromEntries(use.map(([n, v]) => [n, v.values.length])), effect: { name: 'η²', value: aov.etaSquared, ci95: null }, p: aov.p, details: { F: aov.F, df1: aov.df1, df2: aov.df2 } },
      ...[pa, pf].map((p) => ({ name: `Tukey ${p.a} − ${p.b}`, method: tk.method, n: {}, effect: { name: `Δ${param}`, value: p.diff, ci95: ci2(p.ci) }, p: p.p })),
    ],
    decide: (pd) => {
      const sameDir = pa.diff > 0 && pf.diff > 0;
      if (pa.diff < 0 && pa.p < o.alpha) return { verdict: 'refuted', reason: `FD+anion is significantly below anion-in-electrolyte (Δ = ${fmt(pa.diff)}, Tukey p = ${fmtP(pa.p)})`, rule: 'refuted if FD+anion ≤ anion-in-electrolyte (TOST equivalence or significantly lower)' };
      return directional(o, pd, sameDir ? 1 : -1, 1, 'both contrasts FD+anion − anion-in-electrolyte and FD+anion − FD', { p: tost.p, equivalent: tost.equivalent, margin: `±${o.smdMargin}·√MSE` });
    },
  };
}

function h13(ctx: Ctx, spec: HypothesisSpec): Draft {
  const { data, o } = ctx;
  if (!data.has('sei_inorganic_fraction')) return notTestable(spec, 'no XPS sei_inorganic_fraction', ['XPS depth profiles on cycled cells that also have CE data']);
  const dose = sputterMatched(ctx, [data.cells.filter((c) => data.lce(c.id) !== null)], 2 * o.minPerArm);
  const cells = dose.groups[0]!.filter((c) => data.value(c.id, 'sei_inorganic_fraction') !== null && data.lce(c.id) !== null);
  if (cells.length < 2 * o.minPerArm) return notTestable(spec, `only ${cells.length} cells have both f̄ and LCE${dose.note ? ` (${dose.note})` : ''}`, [`XPS + CE on ≥ ${2 * o.minPerArm} cells`]);
  return regressionDraft(ctx, spec, cells.map((c) => data.value(c.id, 'sei_inorganic_fraction')!), cells.map((c) => data.lce(c.id)!), 'sei_inorganic_fraction', 'LCE', cells.map((c) => c.id), 1, ['all cells', dose.note, 'the Kim F/O descriptor comparison is not implemented'].filter(Boolean).join('; '));
}

function h14(ctx: Ctx, spec: HypothesisSpec): Draft {
  const { o } = ctx;
  const { fd, ctrl, note } = fdVsControl(ctx);
  const miss = missingArms(ctx, [['FD', fd.length], ['control', ctrl.length]]);
  if (miss.length) return notTestable(spec, miss.join('; '), [`≥ ${o.minPerArm} ${ARM_HINT.FD} and ≥ ${o.minPerArm} ${ARM_HINT.control}`]);
  const d = compositeTwoArm(ctx, spec, ['FD', fd], ['control', ctrl], [
    { param: 'LCE', sign: 1, label: 'LCE' },
    { param: 'cycle_life_80', sign: 1, label: 'cycle life (log-rank scores, censored)' },
  ], note);
  return d ?? notTestable(spec, 'too few FD / control cells with LCE or cycle life', [`CE and cycle life on ≥ ${o.minPerArm} cells per arm`]);
}

const EVALUATORS: Record<string, (ctx: Ctx, spec: HypothesisSpec) => Draft> = { H1: h1, H2: h2, H3: h3, H4: h4, H5: h5, H6: h6, H7: h7, H8: h8, H9: h9, H10: h10, H11: h11, H12: h12, H13: h13, H14: h14 };

/** Replace ±Infinity / NaN by null so results survive JSON.stringify unchanged. */
function jsonSafe<T>(v: T): T {
  return JSON.parse(JSON.stringify(v, (_k, x) => (typeof x === 'number' && !Number.isFinite(x) ? null : x))) as T;
}

/**
 * Evaluate H1–H14 for a campaign. One result per catalogue entry, in catalogue order. A failure
 * inside one hypothesis gives that hypothesis 'not available' with the error, never a thrown report.
 */
export function evaluateHypotheses(cells: readonly CellSpec[], params: readonly CellParameter[], opts: EvaluateOptions = {}): HypothesisResult[] {
  const o = resolveEvaluateOptions(opts);
  const data = new CampaignData(cells, params);
  const ctx: Ctx = { data, o };
  const drafts: Draft[] = HYPOTHESES.map((spec) => {
    const ev = EVALUATORS[spec.id];
    if (!ev) return { ...base(spec, spec.test), decide: () => ({ verdict: 'not available', reason: `no evaluator for ${spec.id}`, rule: 'engine' }) };
    try {
      return ev(ctx, spec);
    } catch (err) {
      const msg = err instanceof Error ? err.message : String(err);
      return { ...base(spec, spec.test), decide: () => ({ verdict: 'not available', reason: `the engine could not evaluate ${spec.id}: ${msg}`, rule: 'engine error' }) };
    }
  });
  const ps = drafts.map((d) => (d.p !== null && Number.isFinite(d.p) ? d.p : null));
  const pH = holm(ps);
  const pB = benjaminiHochberg(ps);
  return drafts.map((d, i) => {
    const pd = o.decideWith === 'raw' ? ps[i]! : o.decideWith === 'holm' ? pH[i]! : pB[i]!;
    const dec = d.decide(pd ?? null);
    const { decide: _d, ...rest } = d;
    void _d;
    return jsonSafe({ ...rest, verdict: dec.verdict, reason: dec.reason, rule: dec.rule, pHolm: pH[i] ?? null, pBH: pB[i] ?? null, pUsed: o.decideWith });
  });
}
