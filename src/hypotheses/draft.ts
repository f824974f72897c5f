/**
 * The pieces every hypothesis evaluator shares: the draft a hypothesis returns before multiplicity
 * correction, the directional decision rule, power summaries, endpoint helpers, and the one helper
 * that turns a whole-campaign model contrast into a draft (`contrastDraft`).
 */
import type { CellSpec } from '../campaign/manifest.js';
import { coxPH } from '../stats/cox.js';
import { sd } from '../stats/descriptive.js';
import { normalQuantile } from '../stats/distributions.js';
import { kaplanMeier } from '../stats/kaplanMeier.js';
import { logRank } from '../stats/logRank.js';
import { linearRegression } from '../stats/ols.js';
import { mdeTwoSampleT } from '../stats/power.js';
import { theilSen } from '../stats/theilSen.js';
import { tostFromEstimate } from '../stats/tost.js';
import { welchT } from '../stats/welch.js';
import { contrastTest, type ContrastResult } from '../stats/contrast.js';
import type { HypothesisSpec } from './catalog.js';
import type { CampaignModel } from './campaign-model.js';
import type { ArmName, CampaignData } from './data.js';
import type { ArmSummary, EndpointResult, HypothesisResult, PowerInfo, ResolvedEvaluateOptions, Verdict } from './types.js';

export interface Decision {
  readonly verdict: Verdict;
  readonly reason: string;
  readonly rule: string;
}

export type Draft = Omit<HypothesisResult, 'verdict' | 'reason' | 'rule' | 'pHolm' | 'pBH' | 'pUsed'> & {
  /** Called with the p-value chosen by decideWith (null when the hypothesis has no p). */
  readonly decide: (pDecision: number | null) => Decision;
};

export interface Ctx {
  readonly data: CampaignData;
  readonly o: ResolvedEvaluateOptions;
}

export const fmt = (v: number | null | undefined, d = 3): string =>
  v === null || v === undefined || !Number.isFinite(v) ? 'n/a' : Math.abs(v) >= 1e4 || (Math.abs(v) < 1e-3 && v !== 0) ? v.toExponential(2) : v.toFixed(d);
export const fmtP = (p: number | null): string => (p === null ? 'n/a' : p < 1e-4 ? p.toExponential(1) : p.toFixed(4));
export const ci2 = (c: readonly [number, number] | null | undefined): readonly [number, number] | null =>
  c && Number.isFinite(c[0]) && Number.isFinite(c[1]) ? [c[0], c[1]] : null;

export function base(spec: HypothesisSpec, test: string): Omit<Draft, 'decide'> {
  return {
    id: spec.id,
    claim: spec.claim,
    quantity: spec.quantity,
    test,
    design: { kind: 'none', groups: [], x: null, y: null },
    n: {},
    effect: null,
    p: null,
    power: null,
    equivalence: null,
    endpoints: [],
    toAdd: [],
  };
}

export function notTestable(spec: HypothesisSpec, reason: string, toAdd: readonly string[], extra: Partial<Draft> = {}): Draft {
  return {
    ...base(spec, spec.test),
    ...extra,
    toAdd,
    decide: () => ({
      verdict: 'not testable',
      reason: `${reason}; add to the experiment: ${toAdd.join('; ')}`,
      rule: `not testable: the campaign lacks the data the test needs (${spec.needs.join(', ')})`,
    }),
  };
}

export function armSummary(name: string, cells: readonly string[]): ArmSummary {
  return { name, n: cells.length, cells: [...cells] };
}

export function powerTwo(n1: number, n2: number, alpha: number, note = 'two-sample t approximation'): PowerInfo {
  return {
    mde: n1 >= 2 && n2 >= 2 ? mdeTwoSampleT(n1, n2, 0.8, { alpha }) : null,
    scale: "Cohen's d",
    note: `smallest standardised difference detected with 80 % power at two-sided α = ${alpha} (${note}, ${n1} vs ${n2} cells)`,
  };
}
export function powerR(n: number, alpha: number): PowerInfo {
  const z = normalQuantile(1 - alpha / 2) + normalQuantile(0.8);
  return {
    mde: n > 3 ? Math.tanh(z / Math.sqrt(n - 3)) : null,
    scale: 'correlation r',
    note: `smallest |r| detected with 80 % power at two-sided α = ${alpha} (Fisher z, n = ${n})`,
  };
}
export function powerCox(events: number, alpha: number, perSd: boolean, pShare = 0.5): PowerInfo {
  const z = normalQuantile(1 - alpha / 2) + normalQuantile(0.8);
  const lhr = events > 0 ? z / Math.sqrt(events * (perSd ? 1 : pShare * (1 - pShare))) : null;
  return {
    mde: lhr === null ? null : Math.exp(lhr),
    scale: perSd ? 'hazard ratio per SD' : 'hazard ratio',
    note: `smallest HR detected with 80 % power at two-sided α = ${alpha} (Schoenfeld, ${events} events)`,
  };
}

/** Directional decision shared by most hypotheses. `direction` is the sign of the claimed effect. */
export function directional(
  o: ResolvedEvaluateOptions,
  p: number | null,
  est: number,
  direction: 1 | -1,
  what: string,
  equiv: { p: number; equivalent: boolean; margin: string } | null,
  extraSupport: { ok: boolean; why: string } = { ok: true, why: '' },
): Decision {
  const a = o.alpha;
  const adj = o.decideWith === 'raw' ? 'p' : `${o.decideWith === 'holm' ? 'Holm' : 'BH'}-adjusted p`;
  const rule = `supported if ${adj} < ${a} with ${what} in the claimed direction${extraSupport.why ? ` and ${extraSupport.why}` : ''}; refuted if ${adj} < ${a} in the opposite direction or TOST shows equivalence${equiv ? ` within ${equiv.margin}` : ''}; otherwise inconclusive`;
  if (p === null) return { verdict: 'inconclusive', reason: 'no p-value could be computed', rule };
  const dirOk = Math.sign(est) === direction;
  if (p < a && dirOk && extraSupport.ok)
    return { verdict: 'supported', reason: `${what} = ${fmt(est)} in the claimed direction, ${adj} = ${fmtP(p)} < ${a}`, rule };
  if (p < a && !dirOk) return { verdict: 'refuted', reason: `${what} = ${fmt(est)} is significantly opposite to the claim (${adj} = ${fmtP(p)})`, rule };
  if (equiv?.equivalent)
    return { verdict: 'refuted', reason: `equivalence shown: ${what} = ${fmt(est)} lies within ${equiv.margin} (TOST p = ${fmtP(equiv.p)})`, rule };
  if (p < a && dirOk && !extraSupport.ok)
    return { verdict: 'inconclusive', reason: `${what} = ${fmt(est)} is significant (${adj} = ${fmtP(p)}) but not ${extraSupport.why}`, rule };
  return {
    verdict: 'inconclusive',
    reason: `${what} = ${fmt(est)}, ${adj} = ${fmtP(p)} ≥ ${a} and equivalence not shown${equiv ? ` (TOST p = ${fmtP(equiv.p)})` : ''}: more cells needed`,
    rule,
  };
}

export function welchEndpoint(
  label: string,
  x: { cells: string[]; values: number[] },
  y: { cells: string[]; values: number[] },
  names: [string, string],
): EndpointResult | null {
  if (x.values.length < 2 || y.values.length < 2) return null;
  const w = welchT(x.values, y.values);
  return {
    name: label,
    method: w.method,
    n: { [names[0]]: x.values.length, [names[1]]: y.values.length },
    effect: { name: `${label}: mean(${names[0]}) − mean(${names[1]})`, value: w.estimate, ci95: ci2(w.ci) },
    p: w.p,
    details: { hedgesG: w.effectSize?.value ?? null, hedgesGCi: ci2(w.effectSize?.ci) },
  };
}

export function survivalEndpoints(ctx: Ctx, a: readonly CellSpec[], b: readonly CellSpec[], names: [string, string]): EndpointResult[] {
  const rows: { t: number; e: 0 | 1; g: string }[] = [];
  for (const [cells, g] of [
    [a, names[0]],
    [b, names[1]],
  ] as const)
    for (const c of cells) {
      const l = ctx.data.life(c.id);
      if (l) rows.push({ t: l.time, e: l.event, g });
    }
  const na = rows.filter((r) => r.g === names[0]).length;
  const nb = rows.length - na;
  if (na < 2 || nb < 2 || rows.every((r) => r.e === 0)) return [];
  const out: EndpointResult[] = [];
  const kmA = kaplanMeier(
    rows.filter((r) => r.g === names[0]).map((r) => r.t),
    rows.filter((r) => r.g === names[0]).map((r) => r.e),
  );
  const kmB = kaplanMeier(
    rows.filter((r) => r.g === names[1]).map((r) => r.t),
    rows.filter((r) => r.g === names[1]).map((r) => r.e),
  );
  const lr = logRank(
    rows.map((r) => r.t),
    rows.map((r) => r.e),
    rows.map((r) => r.g),
  );
  const ia = lr.groups.indexOf(names[0]);
  out.push({
    name: 'cycle life (censored): Kaplan–Meier + log-rank',
    method: `${lr.method}; ${kmA.method}`,
    n: { [names[0]]: na, [names[1]]: nb },
    effect: { name: `observed/expected failures in ${names[0]}`, value: lr.observed[ia]! / lr.expected[ia]!, ci95: null },
    p: lr.p,
    details: {
      medianCycles: { [names[0]]: kmA.median, [names[1]]: kmB.median },
      events: { [names[0]]: kmA.events, [names[1]]: kmB.events },
      chiSquare: lr.chiSquare,
    },
  });
  try {
    const cx = coxPH(
      rows.map((r) => r.t),
      rows.map((r) => r.e),
      { arm: rows.map((r) => (r.g === names[0] ? 1 : 0)) },
    );
    const c = cx.coefficients[0]!;
    if (cx.converged && Number.isFinite(c.se))
      out.push({
        name: 'cycle life: Cox PH',
        method: cx.method,
        n: { [names[0]]: na, [names[1]]: nb },
        effect: { name: `hazard ratio ${names[0]} vs ${names[1]}`, value: c.hr, ci95: ci2(c.hrCi) },
        p: c.p,
      });
  } catch {
    /* singular information (e.g. no events in one arm): the log-rank result stands alone */
  }
  return out;
}

export function regressionDraft(
  ctx: Ctx,
  spec: HypothesisSpec,
  x: number[],
  y: number[],
  xName: string,
  yName: string,
  cells: string[],
  direction: 1 | -1,
  note: string,
  extraEndpoints: EndpointResult[] = [],
): Draft {
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
    decide: (pd) =>
      directional(o, pd, r.slope.estimate, direction, 'the slope', {
        p: tost.p,
        equivalent: tost.equivalent,
        margin: `±${fmt(margin)} (±${o.smdMargin} SD per SD)`,
      }),
  };
}

/**
 * XPS-derived quantities are compared only between profiles measured with the same sputter protocol
 * (DOMAIN §3.2: sputtering itself makes LiF): total sputter time and number of etch levels. When the
 * cells' profiles differ, the protocol with the most cells (at least `minArm` in every group) is used
 * and the others are left out, by name; with no such protocol all are pooled and the mismatch said.
 */
export function sputterMatched(ctx: Ctx, groups: readonly (readonly CellSpec[])[], minArm: number): { groups: CellSpec[][]; note: string } {
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
  const summary = keys
    .map(
      (k) =>
        `${k ?? 'not stated'}: ${all
          .filter((c) => keyOf(c) === k)
          .map((c) => c.id)
          .join(', ')}`,
    )
    .join('; ');
  if (best === undefined || score(best) < minArm) {
    return {
      groups: groups.map((g) => [...g]),
      note: `XPS sputter protocols differ (${summary}) and none has enough cells: all pooled — LiF made by sputtering may bias the comparison`,
    };
  }
  const left = all.filter((c) => keyOf(c) !== best).map((c) => c.id);
  return {
    groups: groups.map((g) => g.filter((c) => data.value(c.id, 'sei_inorganic_fraction') === null || keyOf(c) === best)),
    note: `compared at matched XPS sputter protocol ${best}; left out (other protocol): ${left.join(', ')}`,
  };
}

export const ARM_HINT: Record<ArmName, string> = {
  FD: 'poled ferroelectric layer cells (poling: poled)',
  control: 'bare control cells (poling: none)',
  unpoled: 'unpoled cells of the same ferroelectric layer (poling: unpoled)',
  depoled: 'cells of the same layer poled, then annealed above T_C (poling: depoled)',
  paraelectric: 'paraelectric high-k layer cells, e.g. cubic BTO or SrTiO3 (poling: paraelectric)',
  inert: 'low-k layer cells of similar thickness, e.g. Al2O3 or SiO2 (poling: inert)',
  'FD+anion': 'poled layer cells with the anion pre-adsorbed (poling: poled, preadsorbed_anion: NO3-)',
  'anion-in-electrolyte': 'control cells with the same anion dosed in the electrolyte (poling: none, electrolyte containing e.g. LiNO3)',
};

/** Coefficients of a whole-campaign model as endpoints, plus what the design dropped or left out. */
export function modelEndpoints(m: CampaignModel): EndpointResult[] {
  const out: EndpointResult[] = m.fit.coefficients.map((c) => ({
    name: `coefficient ${c.name}`,
    method: `OLS: ${m.formula}`,
    n: { cells: m.fit.n },
    effect: { name: c.name, value: c.estimate, ci95: ci2(c.ci) },
    p: c.p,
  }));
  out.push({
    name: 'whole-campaign model',
    method: 'OLS',
    n: { cells: m.fit.n, residualDf: m.fit.dfResid },
    effect: { name: 'R²', value: m.fit.r2, ci95: null },
    p: null,
    details: {
      formula: m.formula,
      cells: m.cells.map((c) => c.id),
      residualSd: m.fit.sigma,
      notEstimable: m.dropped,
      confounded: m.confounded,
      leftOut: m.leftOut,
    },
  });
  return out;
}

export interface ContrastArgs {
  readonly model: CampaignModel;
  readonly weights: Readonly<Record<string, number>>;
  readonly test: string;
  /** Effect label, e.g. 'ΔLCE (FD − control)'. */
  readonly effectName: string;
  readonly direction: 1 | -1;
  /** What the decision sentence calls the estimate. */
  readonly what: string;
  /**
   * TOST margin on the contrast's scale (±margin); null: no equivalence test; 'partial-sd': a slope
   * of ±smdMargin residual SD of y per residual SD of x (x adjusted for the other terms), which is
   * smdMargin · se · √(n − 1) for an OLS coefficient.
   */
  readonly margin: number | null | 'partial-sd';
  readonly marginLabel: string;
  readonly design: HypothesisResult['design'];
  readonly n: Readonly<Record<string, number>>;
  readonly endpoints?: readonly EndpointResult[];
  /** Replaces the standard directional rule (H6's artefact margin, H12's partial test). */
  readonly decide?: (pd: number | null, c: ContrastResult, tost: { p: number; equivalent: boolean } | null) => Decision;
}

/** A hypothesis decided by one contrast of a whole-campaign model. */
export function contrastDraft(ctx: Ctx, spec: HypothesisSpec, a: ContrastArgs): Draft {
  const { o } = ctx;
  const c = contrastTest(a.model.fit, a.weights);
  const margin = a.margin === 'partial-sd' ? o.smdMargin * c.se * Math.sqrt(a.model.fit.n - 1) : a.margin;
  const marginLabel =
    a.margin === 'partial-sd' ? `±${fmt(margin)} (±${o.smdMargin} residual SD of ${a.model.yName} per residual SD of the covariate)` : a.marginLabel;
  const tost = margin === null ? null : tostFromEstimate(c.estimate, c.se, c.df, -margin, margin, o.alpha);
  const z = normalQuantile(1 - o.alpha / 2) + normalQuantile(0.8);
  const notes = [
    a.model.leftOut.length ? `left out: ${a.model.leftOut.join(', ')}` : '',
    a.model.confounded.length ? `confounded (the contrast includes their effect): ${a.model.confounded.join('; ')}` : '',
  ].filter(Boolean);
  return {
    ...base(spec, [a.test, `model ${a.model.formula}`, a.model.restSource, ...notes].join('; ')),
    design: a.design,
    n: a.n,
    effect: { name: a.effectName, value: c.estimate, ci95: ci2(c.ci) },
    p: c.p,
    power: {
      mde: z * c.se,
      scale: `${a.model.yName} contrast`,
      note: `smallest contrast detected with 80 % power at two-sided α = ${o.alpha} in this design (normal approximation, se ${fmt(c.se)} from ${c.df} residual df)`,
    },
    equivalence: tost ? { margin: [-margin!, margin!], scale: marginLabel, p: tost.p, equivalent: tost.equivalent } : null,
    endpoints: [...(a.endpoints ?? []), ...modelEndpoints(a.model)],
    decide: (pd) => (a.decide ? a.decide(pd, c, tost) : directional(o, pd, c.estimate, a.direction, a.what, tost ? { ...tost, margin: marginLabel } : null)),
  };
}

/** Arm summaries of the cells a model used. */
export function modelArms(m: CampaignModel, data: CampaignData, only?: readonly ArmName[]): { groups: ArmSummary[]; n: Record<string, number> } {
  const groups = m.arms
    .filter((a) => !only || only.includes(a))
    .map((a) =>
      armSummary(
        a,
        m.cells.filter((c) => data.armOf(c) === a).map((c) => c.id),
      ),
    );
  return { groups, n: Object.fromEntries(groups.map((g) => [g.name, g.n])) };
}

/** "add ≥ 2 FD cells at rest_hours 24 h"-style requests for arms whose rest is not varied. */
export function restToAdd(data: CampaignData, arms: readonly ArmName[]): string[] {
  const out: string[] = [];
  for (const a of arms) {
    const lv = data.restLevels(data.arm(a));
    if (lv.length >= 2) continue;
    const other = lv[0] === undefined ? '0 h and 24 h' : lv[0] === 0 ? '24 h (or any rest > 0)' : '0 h';
    out.push(`≥ 2 ${ARM_HINT[a]} at rest_hours ${other}${lv.length ? ` (all present ${a} cells rest ${lv[0]} h)` : ''}`);
  }
  return out;
}

/** What a supported layer hypothesis (H6, H7, H14–H16) says about mechanism: nothing, unless H8 does. */
export const LAYER_NOTE = "an effect of the layer; polarisation is H8's question";

/** A layer draft whose reason says it is an effect of the layer (when supported) and names its endpoint note. */
export function asLayerEffect(draft: Draft, endpointNote: string): Draft {
  return {
    ...draft,
    decide: (pd) => {
      const x = draft.decide(pd);
      return { ...x, reason: x.verdict === 'supported' ? `${x.reason} (${LAYER_NOTE}; ${endpointNote})` : `${x.reason} (${endpointNote})` };
    },
  };
}
