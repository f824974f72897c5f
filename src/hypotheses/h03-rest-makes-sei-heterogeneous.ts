/**
 * H3: Corrosion makes the SEI laterally heterogeneous.
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
import { ci2, contrastDraft, modelArms, notTestable, restToAdd, type Ctx, type Draft } from './draft.js';
import { fitCampaignModel, restCol, REST_DOSE } from './campaign-model.js';
import { spearman } from '../stats/spearman.js';

export function h3(ctx: Ctx, spec: HypothesisSpec): Draft {
  const { data, o } = ctx;
  if (!data.has('heterogeneity_index'))
    return notTestable(spec, 'no ToF-SIMS heterogeneity_index', ['ToF-SIMS ion images (inorganic/organic ratio maps) of cells after different rest times']);
  const withH = data.arm('control').filter((c) => data.value(c.id, 'heterogeneity_index') !== null);
  if (data.restLevels(withH).length < 2)
    return notTestable(spec, 'rest time is not varied among the control cells with a heterogeneity index', [
      ...restToAdd(data, ['control']),
      'ToF-SIMS images of control cells at ≥ 2 rest times',
    ]);
  const r = fitCampaignModel(data, { yName: 'heterogeneity_index', y: (c) => data.value(c.id, 'heterogeneity_index'), rest: 'per-arm' }, o.minDfResid);
  if (!r.ok) return notTestable(spec, r.reason, ['ToF-SIMS images of more cells']);
  const m = r.model;
  if (!m.has(restCol('control')))
    return notTestable(spec, `the control cells' rest slope of H is not estimable (${m.confounded.join('; ') || 'rest levels'})`, restToAdd(data, ['control']));
  const extra: EndpointResult[] = [];
  for (const alpha of ['CPE_SEI_alpha_after_rest', 'CPE_SEI_alpha'] as const) {
    const both = data.cells.filter((c) => data.value(c.id, alpha) !== null && data.value(c.id, 'heterogeneity_index') !== null);
    if (both.length < 4) continue;
    const s = spearman(
      both.map((c) => data.value(c.id, alpha)!),
      both.map((c) => data.value(c.id, 'heterogeneity_index')!),
    );
    extra.push({
      name: `Spearman ${alpha} vs H (expected negative)`,
      method: s.method,
      n: { cells: s.n },
      effect: { name: 'Spearman ρ', value: s.rho, ci95: ci2(s.ci) },
      p: s.p,
    });
    break;
  }
  const arms = modelArms(m, data);
  return contrastDraft(ctx, spec, {
    model: m,
    weights: { [restCol('control')]: 1 },
    test: `t-test of the control cells' rest slope of the ToF-SIMS heterogeneity index in the whole-campaign model (rest before or between cycles)`,
    effectName: `slope of H per ${REST_DOSE.label}, control cells`,
    direction: 1,
    what: 'the control rest slope of H',
    margin: 'partial-sd',
    marginLabel: '',
    design: { kind: 'regression', groups: arms.groups, x: `rest_hours (${REST_DOSE.label}) within arm`, y: 'heterogeneity_index' },
    n: arms.n,
    endpoints: extra,
  });
}
