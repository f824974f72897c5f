/**
 * What the layer does, whatever its mechanism: H6 (inorganic-rich SEI), H7 (homogeneous SEI), H12
 * (pre-adsorbed anion templating), H13 (inorganic SEI ⇒ CE, within arms) and H14 (CE and life).
 * "The layer" is the poled layer (FD arm); these verdicts say nothing about polarisation — that is
 * H8's job (ferroelectric.ts). Each is a contrast of one whole-campaign model (campaign-model.ts).
 */
import type { CellSpec } from '../campaign/manifest.js';
import { coxPH } from '../stats/cox.js';
import { sd } from '../stats/descriptive.js';
import { contrastTest } from '../stats/contrast.js';
import { REST_DOSE, armContrast, fitCampaignModel, type Factor } from './campaign-model.js';
import type { HypothesisSpec } from './catalog.js';
import { compositeScores, type EndpointSpec } from './composite.js';
import { valuesOf, type ArmName, type Quantity } from './data.js';
import { ARM_HINT, ci2, contrastDraft, fmt, fmtP, modelArms, notTestable, survivalEndpoints, welchEndpoint, type Ctx, type Decision, type Draft } from './draft.js';
import type { EndpointResult } from './types.js';

/** XPS depth profiles compared at matched sputter dose: the protocol is a factor of the model. */
export function sputterFactor(ctx: Ctx): Factor {
  const { data } = ctx;
  return {
    name: 'sputter protocol',
    level: (c) => {
      const t = data.value(c.id, 'xps_profile_sputter_s');
      const n = data.value(c.id, 'xps_profile_levels');
      return t === null ? null : `${Number(t.toPrecision(3))} s/${n ?? '?'} levels`;
    },
  };
}

const needArms = (ctx: Ctx, arms: readonly ArmName[], what: (c: CellSpec) => boolean): string[] =>
  arms.filter((a) => ctx.data.arm(a).filter(what).length < 2).map((a) => `≥ 2 ${ARM_HINT[a]}${ctx.data.arm(a).length ? ' with this measurement' : ''}`);

export function h6(ctx: Ctx, spec: HypothesisSpec): Draft {
  const { data, o } = ctx;
  const has = (c: CellSpec) => data.value(c.id, 'sei_inorganic_fraction') !== null;
  if (!data.has('sei_inorganic_fraction')) return notTestable(spec, 'no XPS sei_inorganic_fraction', ['XPS depth profiles (matched sputter dose) of layer and control anodes after cycling']);
  const miss = needArms(ctx, ['FD', 'control'], has);
  if (miss.length) return notTestable(spec, 'too few poled-layer or control cells with an XPS inorganic fraction', miss);
  const r = fitCampaignModel(data, { yName: 'sei_inorganic_fraction', y: (c) => data.value(c.id, 'sei_inorganic_fraction'), rest: 'per-arm', factors: [sputterFactor(ctx)] }, o.minDfResid);
  if (!r.ok) return notTestable(spec, r.reason, ['XPS on more cells']);
  const m = r.model;
  const k = armContrast(m, data, ['FD'], ['control']);
  if ('error' in k) return notTestable(spec, k.error, restToAddPair(ctx));
  const M = o.inorganicMargin;
  const arms = modelArms(m, data);
  const noTimes = m.cells.every((c) => data.value(c.id, 'xps_profile_sputter_s') === null) ? '; the XPS files state no sputter times: a matched sputter dose could not be checked' : '';
  return contrastDraft(ctx, spec, {
    model: m, weights: k.weights,
    test: `t-test of the poled-layer − control contrast of the depth-averaged sei_inorganic_fraction in the whole-campaign model (sputter protocol as a factor); artefact margin ${M}${k.note ? `; ${k.note}` : ''}${noTimes}`,
    effectName: 'Δf (poled layer − control)', direction: 1, what: 'Δf', margin: null, marginLabel: '',
    design: { kind: 'groups', groups: arms.groups, x: 'arm', y: 'sei_inorganic_fraction' }, n: arms.n,
    decide: (pd, c) => {
      const adj = o.decideWith === 'raw' ? 'p' : `${o.decideWith === 'holm' ? 'Holm' : 'BH'}-adjusted p`;
      const rule = `supported if ${adj} < ${o.alpha} with Δf ≥ ${M} (artefact margin); refuted if the upper 95 % bound of Δf is below ${M} or Δf is significantly negative; otherwise inconclusive`;
      if (pd !== null && pd < o.alpha && c.estimate >= M) return { verdict: 'supported', reason: `Δf = ${fmt(c.estimate)} ≥ ${M}, ${adj} = ${fmtP(pd)} (an effect of the layer; whether it needs polarisation is H8's question)`, rule };
      if (pd !== null && pd < o.alpha && c.estimate < 0) return { verdict: 'refuted', reason: `Δf = ${fmt(c.estimate)} is significantly negative (${adj} = ${fmtP(pd)})`, rule };
      if (c.ci[1] < M) return { verdict: 'refuted', reason: `Δf = ${fmt(c.estimate)}, upper 95 % bound ${fmt(c.ci[1])} < artefact margin ${M}`, rule };
      return { verdict: 'inconclusive', reason: `Δf = ${fmt(c.estimate)} (95 % CI ${fmt(c.ci[0])} to ${fmt(c.ci[1])}), ${adj} = ${fmtP(pd)}: not shown above ${M} and not excluded`, rule };
    },
  });
}

function restToAddPair(ctx: Ctx): string[] {
  const lv = (a: ArmName) => ctx.data.restLevels(ctx.data.arm(a));
  return [`poled-layer and control cells at a common rest time (FD at ${lv('FD').join('/') || '—'} h, control at ${lv('control').join('/') || '—'} h), or both arms at ≥ 2 rest times`];
}

/** A composite (O'Brien rank-sum) over every cell, modelled, and the poled layer compared with `ref`. */
function compositeContrast(ctx: Ctx, spec: HypothesisSpec, eps: readonly EndpointSpec[], a: readonly ArmName[], b: readonly ArmName[], label: string, extra: EndpointResult[], testLead: string): Draft | { error: string } {
  const { data, o } = ctx;
  const comp = compositeScores(data, data.cells, eps, 4);
  if (!comp.used.length) return { error: `no endpoint (${eps.map((e) => e.label).join(', ')}) is measured on ≥ 4 cells` };
  const single = comp.used.length === 1 && comp.used[0]!.param !== 'cycle_life_80';
  // One continuous endpoint is modelled on its own scale (ranks would only cost power).
  const y = (c: CellSpec): number | null => (single ? data.value(c.id, comp.used[0]!.param) : comp.scores.get(c.id) ?? null);
  const yName = single ? comp.used[0]!.label : `composite(${comp.used.map((e) => `${e.sign < 0 ? '−' : ''}${e.label}`).join(', ')})`;
  const r = fitCampaignModel(data, { yName, y, rest: 'per-arm' }, o.minDfResid);
  if (!r.ok) return { error: r.reason };
  const m = r.model;
  const k = armContrast(m, data, a, b);
  if ('error' in k) return k;
  const counts = [...a, ...b].map((x) => m.cells.filter((c) => data.armOf(c) === x).length);
  if (counts.some((n) => n < 2)) return { error: `fewer than 2 cells with ${yName} in ${[...a, ...b].filter((_, i) => counts[i]! < 2).join(', ')}` };
  const sdY = sd(m.y);
  const arms = modelArms(m, data);
  const margin = o.smdMargin * (single ? sdY : 1);
  return contrastDraft(ctx, spec, {
    model: m, weights: k.weights,
    test: `${testLead}: t-test of the ${label} contrast of ${single ? comp.used[0]!.label : `the O'Brien rank-sum composite of ${comp.used.map((e) => `${e.label}${e.sign < 0 ? ' (lower = better)' : ''}`).join(' + ')} (scores from all cells, labels unused)`} in the whole-campaign model${k.note ? `; ${k.note}` : ''}`,
    effectName: `${label} contrast of ${yName} (+ = claimed benefit)`, direction: single && comp.used[0]!.sign < 0 ? -1 : 1, what: `the ${label} contrast`,
    margin, marginLabel: `±${fmt(margin)} (${o.smdMargin} SD of the ${single ? 'endpoint' : 'composite'})`,
    design: { kind: 'groups', groups: arms.groups, x: 'arm', y: yName }, n: arms.n, endpoints: extra,
  });
}

export function h7(ctx: Ctx, spec: HypothesisSpec): Draft {
  const { data, o } = ctx;
  if (!data.has('heterogeneity_index') && !data.has('CPE_SEI_alpha')) return notTestable(spec, 'no ToF-SIMS heterogeneity_index and no CPE α', ['ToF-SIMS ion images of layer and control anodes (heterogeneity_index, morans_i)']);
  const miss = needArms(ctx, ['FD', 'control'], () => true);
  if (miss.length) return notTestable(spec, 'too few poled-layer or control cells', miss.map((m) => m.replace('≥ 2', `≥ ${o.minPerArm}`)));
  const alpha = data.has('CPE_SEI_alpha_after_cycling') ? 'CPE_SEI_alpha_after_cycling' : 'CPE_SEI_alpha';
  const d = compositeContrast(ctx, spec, [
    { param: 'heterogeneity_index', sign: -1, label: 'H' },
    { param: 'morans_i', sign: -1, label: "Moran's I" },
    { param: alpha, sign: 1, label: alpha === 'CPE_SEI_alpha' ? 'CPE α' : 'CPE α after cycling' },
  ], ['FD'], ['control'], 'poled layer − control', [], 'the layer homogenises the SEI');
  return 'error' in d ? notTestable(spec, d.error, [`ToF-SIMS heterogeneity on ≥ ${o.minPerArm} poled-layer and ≥ ${o.minPerArm} control cells`, ...restToAddPair(ctx)]) : d;
}

export function h14(ctx: Ctx, spec: HypothesisSpec): Draft {
  const { data, o } = ctx;
  const miss = needArms(ctx, ['FD', 'control'], (c) => data.lce(c.id) !== null);
  if (miss.length) return notTestable(spec, 'too few poled-layer or control cells with CE', miss);
  const pool = [...data.arm('FD'), ...data.arm('control')];
  const lives = data.cells.filter((c) => data.life(c.id));
  const failures = lives.filter((c) => data.life(c.id)!.event === 1).length;
  const extra: EndpointResult[] = survivalEndpoints(ctx, data.arm('FD'), data.arm('control'), ['FD', 'control']);
  const cox = adjustedCox(ctx, pool);
  if (cox) extra.push(cox);
  const d = compositeContrast(ctx, spec, [
    { param: 'LCE', sign: 1, label: 'LCE' },
    { param: 'cycle_life_80', sign: 1, label: 'cycle life (log-rank scores, censored)' },
  ], ['FD'], ['control'], 'poled layer − control', extra, 'the layer improves CE and cycle life');
  if ('error' in d) return notTestable(spec, d.error, [`CE on ≥ ${o.minPerArm} cells per arm`, ...restToAddPair(ctx)]);
  if (failures > 0) return d;
  const only = `only LCE was tested: ${lives.length ? `none of the ${lives.length} cells with a cycle-life record reached end of life (all censored)` : 'no cycle-life records'}, so the survival part could not be`;
  return { ...d, test: `${d.test}; ${only}`, decide: (pd) => { const x = d.decide(pd); return { ...x, reason: `${x.reason} — ${only}` }; } };
}

/** Cox PH of life on the poled-layer indicator and the rest dose (censoring respected), reported. */
function adjustedCox(ctx: Ctx, cells: readonly CellSpec[]): EndpointResult | null {
  const { data } = ctx;
  const rows = cells.filter((c) => data.life(c.id));
  if (rows.length < 6 || rows.every((c) => data.life(c.id)!.event === 0)) return null;
  const cov: Record<string, number[]> = { 'poled layer': rows.map((c) => (data.armOf(c) === 'FD' ? 1 : 0)) };
  const doses = rows.map((c) => REST_DOSE.of(data.rest(c)?.hours ?? 0));
  if (new Set(doses).size > 1) cov[REST_DOSE.label] = doses;
  try {
    const cx = coxPH(rows.map((c) => data.life(c.id)!.time), rows.map((c) => data.life(c.id)!.event), cov);
    const c = cx.coefficients[0]!;
    if (!cx.converged || !Number.isFinite(c.se)) return null;
    return { name: `cycle life: Cox PH, poled layer vs control${cov[REST_DOSE.label] ? `, adjusted for ${REST_DOSE.label}` : ''}`, method: cx.method, n: { cells: rows.length, events: cx.events }, effect: { name: 'hazard ratio poled layer vs control', value: c.hr, ci95: ci2(c.hrCi) }, p: c.p };
  } catch {
    return null;
  }
}

export function h13(ctx: Ctx, spec: HypothesisSpec): Draft {
  const { data, o } = ctx;
  if (!data.has('sei_inorganic_fraction')) return notTestable(spec, 'no XPS sei_inorganic_fraction', ['XPS depth profiles on cycled cells that also have CE data']);
  const f = { name: 'sei_inorganic_fraction', value: (c: CellSpec) => data.value(c.id, 'sei_inorganic_fraction') };
  const r = fitCampaignModel(data, { yName: 'LCE', y: (c) => data.lce(c.id), rest: 'per-arm', covariates: [f], factors: [sputterFactor(ctx)] }, o.minDfResid);
  if (!r.ok) return notTestable(spec, r.reason, [`XPS + CE on more cells (every arm with ≥ 2 cells having both)`]);
  const m = r.model;
  if (!m.has(f.name)) return notTestable(spec, `f̄ does not vary within arms (${m.dropped.join(', ')})`, ['XPS on ≥ 2 cells of the same arm']);
  const arms = modelArms(m, data);
  return contrastDraft(ctx, spec, {
    model: m, weights: { [f.name]: 1 },
    test: 'within-arm slope of LCE on the XPS inorganic fraction: t-test of its coefficient in the whole-campaign model with arm, rest and sputter protocol as covariates (a layer that raises both f and CE does not make an f → CE law)',
    effectName: 'dLCE/df̄ within arms', direction: 1, what: 'the within-arm slope', margin: 'partial-sd', marginLabel: '',
    design: { kind: 'regression', groups: arms.groups, x: 'sei_inorganic_fraction (within arm)', y: 'LCE' }, n: { cells: m.fit.n },
  });
}

/** The anion's own decomposition products: N species for NO3⁻, S species for FSI⁻/TFSI⁻. */
function anionProduct(stem: string): { param: Quantity; label: string } | null {
  if (/no3|nitrate/.test(stem)) return { param: 'anion_n_atomic_percent', label: 'N 1s (Li3N + LiNxOy) at.%' };
  if (/fsi|tfsi|so4|sulf/.test(stem)) return { param: 'anion_s_atomic_percent', label: 'S 2p (Li2S + SOx) at.%' };
  if (/pf6|bf4|f$/.test(stem)) return { param: 'anion_f_atomic_percent', label: 'anion F at.%' };
  return null;
}

export function h12(ctx: Ctx, spec: HypothesisSpec): Draft {
  const { data, o } = ctx;
  const fdA = data.arm('FD+anion');
  if (fdA.length < 2) return notTestable(spec, `the poled layer with a pre-adsorbed anion has ${fdA.length} cell(s)`, [`≥ ${o.minPerArm} ${ARM_HINT['FD+anion']}`, `≥ ${o.minPerArm} ${ARM_HINT.FD}`, `≥ ${o.minPerArm} ${ARM_HINT['anion-in-electrolyte']}`]);
  const refs = (['FD', 'anion-in-electrolyte'] as const).filter((a) => data.arm(a).length >= 2);
  const missing = (['FD', 'anion-in-electrolyte'] as const).filter((a) => !refs.includes(a));
  if (!refs.length) return notTestable(spec, 'neither the layer alone nor the anion alone is in the campaign', missing.map((a) => `≥ ${o.minPerArm} ${ARM_HINT[a]}`));
  const product = anionProduct(data.anionStems[0] ?? '');
  const eps: EndpointSpec[] = [...(product && data.has(product.param) ? [{ param: product.param, sign: 1 as const, label: product.label }] : []), { param: 'LCE', sign: 1, label: 'LCE' }];
  const comp = compositeScores(data, data.cells, eps, 2 * o.minPerArm);
  if (!comp.used.length) return notTestable(spec, 'no anion-product XPS and no CE on enough cells', ['XPS N 1s / S 2p and CE on the FD+anion, FD and anion-in-electrolyte cells']);
  const yName = comp.used.length === 1 ? comp.used[0]!.label : `composite(${comp.used.map((e) => e.label).join(', ')})`;
  const y = (c: CellSpec): number | null => (comp.used.length === 1 ? data.value(c.id, comp.used[0]!.param) : comp.scores.get(c.id) ?? null);
  const r = fitCampaignModel(data, { yName, y, rest: 'per-arm' }, o.minDfResid);
  if (!r.ok) return notTestable(spec, r.reason, ['more cells in the anion arms']);
  const m = r.model;
  const parts = refs.map((ref) => ({ ref, k: armContrast(m, data, ['FD+anion'], [ref]) }));
  const bad = parts.find((p) => 'error' in p.k);
  if (bad) return notTestable(spec, (bad.k as { error: string }).error, [`FD+anion and ${bad.ref} cells at a common rest time`]);
  // Decide on the weakest part (intersection–union): the largest p of the contrasts the design has.
  const first = parts[0]!;
  const tests = parts.map((p) => ({ ref: p.ref, c: contrastTest(m.fit, (p.k as { weights: Record<string, number> }).weights) }));
  const partial = missing.length ? `tested in part: FD+anion vs ${refs.join(' and ')}; "beyond ${missing.includes('anion-in-electrolyte') ? 'the anion alone' : 'the layer alone'}" needs the missing arm (add ≥ ${o.minPerArm} ${ARM_HINT[missing[0]!]})` : '';
  const arms = modelArms(m, data);
  const extra: EndpointResult[] = tests.map((t) => ({ name: `FD+anion − ${t.ref} (${yName})`, method: t.c.method, n: { cells: m.fit.n }, effect: { name: `Δ ${yName}`, value: t.c.estimate, ci95: ci2(t.c.ci) }, p: t.c.p }));
  if (product) for (const ref of refs) {
    const w = welchEndpoint(`${product.label}: FD+anion vs ${ref}`, valuesOf(data, fdA, product.param), valuesOf(data, data.arm(ref), product.param), ['FD+anion', ref]);
    if (w) extra.push(w);
  }
  const draft = contrastDraft(ctx, spec, {
    model: m, weights: (first.k as { weights: Record<string, number> }).weights,
    test: `pre-adsorbed anion templating: t-test of FD+anion − ${refs.join(' and FD+anion − ')} on ${yName} in the whole-campaign model; decision p = the largest of these (intersection–union)${partial ? `; ${partial}` : ''}`,
    effectName: `${yName}: FD+anion − ${first.ref}`, direction: 1, what: `FD+anion − ${refs.join(' and − ')}`,
    margin: o.smdMargin * (comp.used.length === 1 ? sd(m.y) : 1), marginLabel: `±${o.smdMargin} SD`,
    design: { kind: 'groups', groups: arms.groups, x: 'arm', y: yName }, n: arms.n, endpoints: extra,
  });
  const pAll = Math.max(...tests.map((t) => t.c.p));
  const allPositive = tests.every((t) => t.c.estimate > 0);
  return {
    ...draft, p: pAll,
    decide: (pd): Decision => {
      const x = draft.decide(pd);
      const v = x.verdict === 'supported' && !allPositive ? { ...x, verdict: 'inconclusive' as const, reason: `${x.reason}, but not every contrast is positive` } : x;
      return partial ? { ...v, reason: `${v.reason} — ${partial}` } : v;
    },
  };
}
