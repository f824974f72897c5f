/**
 * H1: Rest corrosion causes irreversible capacity loss.
 * Claim, quantity, test and refutation rule: catalog.ts and docs/hypotheses.md.
 *
 * The family (rest):
 * Hypotheses about open-circuit exposure (rest before the first cycle, or between cycles): H1 rest
 * corrosion costs inventory, H2 the corrosion is passivating, H3 it makes the SEI heterogeneous, H11
 * the poled layer suppresses it. H1, H3 and H11 are contrasts of one whole-campaign model over every
 * cell with the response (campaign-model.ts): arm + a √(rest h) slope per arm + cycler/batch blocks.
 */
import type { EndpointResult } from './types.js';
import type { HypothesisSpec } from './catalog.js';
import { ci2, contrastDraft, fmt, fmtP, modelArms, notTestable, restToAdd, type Ctx, type Draft } from './draft.js';
import { contrastTest } from '../stats/contrast.js';
import { fitCampaignModel, restCol, REST_DOSE } from './campaign-model.js';
import { tostFromEstimate } from '../stats/tost.js';

/** LCE of the Adams/Boyle reservoir CE (the immediate loss) when the control cells have it at ≥ 2 rest levels, else LCE of ce_mean. */
function restResponse(ctx: Ctx): 'LCE_reservoir' | 'LCE' {
  const { data } = ctx;
  const ctrl = data.arm('control').filter((c) => data.value(c.id, 'LCE_reservoir') !== null);
  return data.restLevels(ctrl).length >= 2 && ctrl.length >= 3 ? 'LCE_reservoir' : 'LCE';
}

export function h1(ctx: Ctx, spec: HypothesisSpec): Draft {
  const { data, o } = ctx;
  if (data.restLevels(data.arm('control')).length < 2)
    return notTestable(
      spec,
      'rest time is not varied among the control cells (manifest rest_hours, or an initial OCV step in the logs)',
      restToAdd(data, ['control']),
    );
  const q = restResponse(ctx);
  const r = fitCampaignModel(data, { yName: q, y: (c) => data.value(c.id, q), rest: 'per-arm' }, o.minDfResid);
  if (!r.ok) return notTestable(spec, r.reason, ['more cells with cycling data (each cell adds one residual degree of freedom)']);
  const m = r.model;
  if (!m.has(restCol('control')))
    return notTestable(
      spec,
      `the control cells' rest slope is not estimable (${m.confounded.join('; ') || `control rest levels ${(m.restLevels.get('control') ?? []).join('/')} h`})`,
      restToAdd(data, ['control']),
    );
  const maxH = Math.max(...(m.restLevels.get('control') ?? [0]));
  const margin = o.lceMargin / Math.max(REST_DOSE.of(maxH), 1);
  const endpoints: EndpointResult[] = [];
  const atMax = contrastTest(m.fit, { [restCol('control')]: REST_DOSE.of(maxH) });
  endpoints.push({
    name: `Δ${q} of control cells at ${maxH} h rest vs none`,
    method: atMax.method,
    n: { cells: m.fit.n },
    effect: { name: `Δ${q} at ${maxH} h`, value: atMax.estimate, ci95: ci2(atMax.ci) },
    p: atMax.p,
  });
  // The Bassett check: the long-run LCE (cycles 2..n) may recover what the immediate CE lost.
  let bassett: { equivalent: boolean; p: number } | null = null;
  if (q === 'LCE_reservoir') {
    const lr = fitCampaignModel(data, { yName: 'LCE', y: (c) => data.lce(c.id), rest: 'per-arm' }, o.minDfResid);
    if (lr.ok && lr.model.has(restCol('control'))) {
      const c = contrastTest(lr.model.fit, { [restCol('control')]: 1 });
      const eq = tostFromEstimate(c.estimate, c.se, c.df, -margin, margin, o.alpha);
      const pT = eq.p;
      bassett = { equivalent: eq.equivalent, p: pT };
      endpoints.push({
        name: 'long-run LCE (cycles 2..n): control rest slope (the Bassett check)',
        method: c.method,
        n: { cells: lr.model.fit.n },
        effect: { name: `slope per ${REST_DOSE.label}`, value: c.estimate, ci95: ci2(c.ci) },
        p: c.p,
        details: { tostP: pT, equivalentWithin: margin },
      });
    }
  }
  const arms = modelArms(m, data);
  return contrastDraft(ctx, spec, {
    model: m,
    weights: { [restCol('control')]: 1 },
    test: `t-test of the control cells' rest slope of ${q === 'LCE' ? 'LCE (of ce_mean)' : 'LCE of the Adams/Boyle reservoir CE (immediate loss)'} in the whole-campaign model; every cell's rest (before or between cycles) counts as corrosion exposure`,
    effectName: `slope of ${q} per ${REST_DOSE.label}, control cells (− = rest costs inventory)`,
    direction: -1,
    what: `the control rest slope of ${q}`,
    margin,
    marginLabel: `±${fmt(margin)} per ${REST_DOSE.label} (±${o.lceMargin} LCE at ${maxH} h)`,
    design: { kind: 'regression', groups: arms.groups, x: `rest_hours (${REST_DOSE.label}) within arm`, y: q },
    n: arms.n,
    endpoints,
    decide: bassett?.equivalent
      ? () => ({
          verdict: 'refuted',
          reason: `long-run LCE with rest is equivalent to no rest within ±${o.lceMargin} LCE at ${maxH} h (TOST p = ${fmtP(bassett!.p)}): the Bassett outcome — the immediate loss is recovered`,
          rule: 'refuted if the long-run (cumulative) loss is equivalent to no rest (TOST)',
        })
      : undefined,
  });
}
