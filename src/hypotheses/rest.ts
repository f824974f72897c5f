/**
 * Hypotheses about open-circuit exposure (rest before the first cycle, or between cycles): H1 rest
 * corrosion costs inventory, H2 the corrosion is passivating, H3 it makes the SEI heterogeneous, H11
 * the poled layer suppresses it. H1, H3 and H11 are contrasts of one whole-campaign model over every
 * cell with the response (campaign-model.ts): arm + a √(rest h) slope per arm + cycler/batch blocks.
 */
import { mean } from '../stats/descriptive.js';
import { compareModels, gaussianLogLik } from '../stats/modelSelection.js';
import { spearman } from '../stats/spearman.js';
import { contrastTest } from '../stats/contrast.js';
import { tostFromEstimate } from '../stats/tost.js';
import type { HypothesisSpec } from './catalog.js';
import { fitCampaignModel, restCol, REST_DOSE } from './campaign-model.js';
import { valuesOf } from './data.js';
import { base, ci2, contrastDraft, fmt, fmtP, modelArms, notTestable, restToAdd, welchEndpoint, type Ctx, type Draft } from './draft.js';
import type { EndpointResult } from './types.js';

/** LCE of the Adams/Boyle reservoir CE (the immediate loss) when the control cells have it at ≥ 2 rest levels, else LCE of ce_mean. */
function restResponse(ctx: Ctx): 'LCE_reservoir' | 'LCE' {
  const { data } = ctx;
  const ctrl = data.arm('control').filter((c) => data.value(c.id, 'LCE_reservoir') !== null);
  return data.restLevels(ctrl).length >= 2 && ctrl.length >= 3 ? 'LCE_reservoir' : 'LCE';
}

export function h1(ctx: Ctx, spec: HypothesisSpec): Draft {
  const { data, o } = ctx;
  if (data.restLevels(data.arm('control')).length < 2) return notTestable(spec, 'rest time is not varied among the control cells (manifest rest_hours, or an initial OCV step in the logs)', restToAdd(data, ['control']));
  const q = restResponse(ctx);
  const r = fitCampaignModel(data, { yName: q, y: (c) => data.value(c.id, q), rest: 'per-arm' }, o.minDfResid);
  if (!r.ok) return notTestable(spec, r.reason, ['more cells with cycling data (each cell adds one residual degree of freedom)']);
  const m = r.model;
  if (!m.has(restCol('control'))) return notTestable(spec, `the control cells' rest slope is not estimable (${m.confounded.join('; ') || `control rest levels ${(m.restLevels.get('control') ?? []).join('/')} h`})`, restToAdd(data, ['control']));
  const maxH = Math.max(...(m.restLevels.get('control') ?? [0]));
  const margin = o.lceMargin / Math.max(REST_DOSE.of(maxH), 1);
  const endpoints: EndpointResult[] = [];
  const atMax = contrastTest(m.fit, { [restCol('control')]: REST_DOSE.of(maxH) });
  endpoints.push({ name: `Δ${q} of control cells at ${maxH} h rest vs none`, method: atMax.method, n: { cells: m.fit.n }, effect: { name: `Δ${q} at ${maxH} h`, value: atMax.estimate, ci95: ci2(atMax.ci) }, p: atMax.p });
  // The Bassett check: the long-run LCE (cycles 2..n) may recover what the immediate CE lost.
  let bassett: { equivalent: boolean; p: number } | null = null;
  if (q === 'LCE_reservoir') {
    const lr = fitCampaignModel(data, { yName: 'LCE', y: (c) => data.lce(c.id), rest: 'per-arm' }, o.minDfResid);
    if (lr.ok && lr.model.has(restCol('control'))) {
      const c = contrastTest(lr.model.fit, { [restCol('control')]: 1 });
      const eq = tostFromEstimate(c.estimate, c.se, c.df, -margin, margin, o.alpha);
      const pT = eq.p;
      bassett = { equivalent: eq.equivalent, p: pT };
      endpoints.push({ name: 'long-run LCE (cycles 2..n): control rest slope (the Bassett check)', method: c.method, n: { cells: lr.model.fit.n }, effect: { name: `slope per ${REST_DOSE.label}`, value: c.estimate, ci95: ci2(c.ci) }, p: c.p, details: { tostP: pT, equivalentWithin: margin } });
    }
  }
  const arms = modelArms(m, data);
  return contrastDraft(ctx, spec, {
    model: m, weights: { [restCol('control')]: 1 },
    test: `t-test of the control cells' rest slope of ${q === 'LCE' ? 'LCE (of ce_mean)' : 'LCE of the Adams/Boyle reservoir CE (immediate loss)'} in the whole-campaign model; every cell's rest (before or between cycles) counts as corrosion exposure`,
    effectName: `slope of ${q} per ${REST_DOSE.label}, control cells (− = rest costs inventory)`, direction: -1, what: `the control rest slope of ${q}`,
    margin, marginLabel: `±${fmt(margin)} per ${REST_DOSE.label} (±${o.lceMargin} LCE at ${maxH} h)`,
    design: { kind: 'regression', groups: arms.groups, x: `rest_hours (${REST_DOSE.label}) within arm`, y: q }, n: arms.n, endpoints,
    decide: bassett?.equivalent
      ? () => ({ verdict: 'refuted', reason: `long-run LCE with rest is equivalent to no rest within ±${o.lceMargin} LCE at ${maxH} h (TOST p = ${fmtP(bassett!.p)}): the Bassett outcome — the immediate loss is recovered`, rule: 'refuted if the long-run (cumulative) loss is equivalent to no rest (TOST)' })
      : undefined,
  });
}

export function h2(ctx: Ctx, spec: HypothesisSpec): Draft {
  const { data, o } = ctx;
  let cells = data.arm('control').filter((c) => data.rest(c) !== null && data.value(c.id, 'rest_loss_fraction') !== null);
  if (data.restLevels(cells).length < 4) cells = data.cells.filter((c) => data.rest(c) !== null && data.value(c.id, 'rest_loss_fraction') !== null && c.poling === 'none');
  const levels = data.restLevels(cells).filter((l) => l > 0);
  if (!data.has('rest_loss_fraction')) return notTestable(spec, 'no rest_loss_fraction parameter (capacity lost during OCV rest)', ['Li||Cu rest tests (plate, rest at OCV, strip) so the cycler fitter reports rest_loss_fraction', '≥ 4 distinct rest durations, e.g. 6/24/72/168 h']);
  if (levels.length < 4 || cells.length < 6) return notTestable(spec, `only ${levels.length} distinct rest duration(s) with rest_loss_fraction (needs ≥ 4 and ≥ 6 cells)`, ['control cells at ≥ 4 rest durations (e.g. 6, 24, 72, 168 h), ≥ 2 cells each']);
  const pos = cells.filter((c) => data.rest(c)!.hours > 0 && data.value(c.id, 'rest_loss_fraction')! > 0);
  const t = pos.map((c) => data.rest(c)!.hours);
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



export function h3(ctx: Ctx, spec: HypothesisSpec): Draft {
  const { data, o } = ctx;
  if (!data.has('heterogeneity_index')) return notTestable(spec, 'no ToF-SIMS heterogeneity_index', ['ToF-SIMS ion images (inorganic/organic ratio maps) of cells after different rest times']);
  const withH = data.arm('control').filter((c) => data.value(c.id, 'heterogeneity_index') !== null);
  if (data.restLevels(withH).length < 2) return notTestable(spec, 'rest time is not varied among the control cells with a heterogeneity index', [...restToAdd(data, ['control']), 'ToF-SIMS images of control cells at ≥ 2 rest times']);
  const r = fitCampaignModel(data, { yName: 'heterogeneity_index', y: (c) => data.value(c.id, 'heterogeneity_index'), rest: 'per-arm' }, o.minDfResid);
  if (!r.ok) return notTestable(spec, r.reason, ['ToF-SIMS images of more cells']);
  const m = r.model;
  if (!m.has(restCol('control'))) return notTestable(spec, `the control cells' rest slope of H is not estimable (${m.confounded.join('; ') || 'rest levels'})`, restToAdd(data, ['control']));
  const extra: EndpointResult[] = [];
  for (const alpha of ['CPE_SEI_alpha_after_rest', 'CPE_SEI_alpha'] as const) {
    const both = data.cells.filter((c) => data.value(c.id, alpha) !== null && data.value(c.id, 'heterogeneity_index') !== null);
    if (both.length < 4) continue;
    const s = spearman(both.map((c) => data.value(c.id, alpha)!), both.map((c) => data.value(c.id, 'heterogeneity_index')!));
    extra.push({ name: `Spearman ${alpha} vs H (expected negative)`, method: s.method, n: { cells: s.n }, effect: { name: 'Spearman ρ', value: s.rho, ci95: ci2(s.ci) }, p: s.p });
    break;
  }
  const arms = modelArms(m, data);
  return contrastDraft(ctx, spec, {
    model: m, weights: { [restCol('control')]: 1 },
    test: `t-test of the control cells' rest slope of the ToF-SIMS heterogeneity index in the whole-campaign model (rest before or between cycles)`,
    effectName: `slope of H per ${REST_DOSE.label}, control cells`, direction: 1, what: 'the control rest slope of H',
    margin: 'partial-sd', marginLabel: '',
    design: { kind: 'regression', groups: arms.groups, x: `rest_hours (${REST_DOSE.label}) within arm`, y: 'heterogeneity_index' }, n: arms.n, endpoints: extra,
  });
}

export function h11(ctx: Ctx, spec: HypothesisSpec): Draft {
  const { data, o } = ctx;
  const miss = restToAdd(data, ['FD', 'control']);
  if (miss.length) return notTestable(spec, 'the rest slope must be estimable in both the poled-layer and the control arm', miss);
  const r = fitCampaignModel(data, { yName: 'LCE', y: (c) => data.lce(c.id), rest: 'per-arm' }, o.minDfResid);
  if (!r.ok) return notTestable(spec, r.reason, ['more cells with cycling data']);
  const m = r.model;
  if (!m.has(restCol('FD')) || !m.has(restCol('control'))) return notTestable(spec, `a rest slope is not estimable (${m.confounded.join('; ') || 'rest levels'})`, restToAdd(data, ['FD', 'control']));
  const endpoints: EndpointResult[] = [];
  const restCells = (a: 'FD' | 'control') => data.arm(a).filter((c) => (data.rest(c)?.hours ?? 0) > 0);
  const wr = welchEndpoint('rest_loss_fraction, poled layer vs control (rested cells)', valuesOf(data, restCells('FD'), 'rest_loss_fraction'), valuesOf(data, restCells('control'), 'rest_loss_fraction'), ['FD', 'control']);
  if (wr) endpoints.push(wr);
  const maxH = Math.max(...data.restLevels(data.arm('control')));
  const margin = o.lceMargin / Math.max(REST_DOSE.of(maxH), 1);
  const arms = modelArms(m, data);
  return contrastDraft(ctx, spec, {
    model: m, weights: { [restCol('FD')]: 1, [restCol('control')]: -1 },
    test: 'layer × rest interaction: t-test of (rest slope of LCE in the poled-layer arm − rest slope in the control arm) in the whole-campaign model',
    effectName: `rest slope of LCE per ${REST_DOSE.label}, poled layer − control (+ = the layer suppresses the rest loss)`, direction: 1, what: 'the layer × rest interaction',
    margin, marginLabel: `±${fmt(margin)} per ${REST_DOSE.label} (±${o.lceMargin} LCE at ${maxH} h)`,
    design: { kind: 'interaction', groups: arms.groups, x: `arm × rest (${REST_DOSE.label})`, y: 'LCE' }, n: arms.n, endpoints,
  });
}
