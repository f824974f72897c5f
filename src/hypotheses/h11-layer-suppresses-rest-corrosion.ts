/**
 * H11: The poled layer suppresses corrosion during rest.
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
import { contrastDraft, fmt, modelArms, notTestable, restToAdd, welchEndpoint, type Ctx, type Draft } from './draft.js';
import { fitCampaignModel, restCol, REST_DOSE } from './campaign-model.js';
import { valuesOf } from './data.js';

export function h11(ctx: Ctx, spec: HypothesisSpec): Draft {
  const { data, o } = ctx;
  const miss = restToAdd(data, ['FD', 'control']);
  if (miss.length) return notTestable(spec, 'the rest slope must be estimable in both the poled-layer and the control arm', miss);
  const r = fitCampaignModel(data, { yName: 'LCE', y: (c) => data.lce(c.id), rest: 'per-arm' }, o.minDfResid);
  if (!r.ok) return notTestable(spec, r.reason, ['more cells with cycling data']);
  const m = r.model;
  if (!m.has(restCol('FD')) || !m.has(restCol('control')))
    return notTestable(spec, `a rest slope is not estimable (${m.confounded.join('; ') || 'rest levels'})`, restToAdd(data, ['FD', 'control']));
  const endpoints: EndpointResult[] = [];
  const restCells = (a: 'FD' | 'control') => data.arm(a).filter((c) => (data.rest(c)?.hours ?? 0) > 0);
  const wr = welchEndpoint(
    'rest_loss_fraction, poled layer vs control (rested cells)',
    valuesOf(data, restCells('FD'), 'rest_loss_fraction'),
    valuesOf(data, restCells('control'), 'rest_loss_fraction'),
    ['FD', 'control'],
  );
  if (wr) endpoints.push(wr);
  const maxH = Math.max(...data.restLevels(data.arm('control')));
  const margin = o.lceMargin / Math.max(REST_DOSE.of(maxH), 1);
  const arms = modelArms(m, data);
  return contrastDraft(ctx, spec, {
    model: m,
    weights: { [restCol('FD')]: 1, [restCol('control')]: -1 },
    test: 'layer × rest interaction: t-test of (rest slope of LCE in the poled-layer arm − rest slope in the control arm) in the whole-campaign model',
    effectName: `rest slope of LCE per ${REST_DOSE.label}, poled layer − control (+ = the layer suppresses the rest loss)`,
    direction: 1,
    what: 'the layer × rest interaction',
    margin,
    marginLabel: `±${fmt(margin)} per ${REST_DOSE.label} (±${o.lceMargin} LCE at ${maxH} h)`,
    design: { kind: 'interaction', groups: arms.groups, x: `arm × rest (${REST_DOSE.label})`, y: 'LCE' },
    n: arms.n,
    endpoints,
  });
}
