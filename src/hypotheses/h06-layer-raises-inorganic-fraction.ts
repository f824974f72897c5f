/**
 * H6: The poled layer raises the SEI inorganic fraction (an effect of the layer; polarisation is H8).
 * Claim, quantity, test and refutation rule: catalog.ts and docs/hypotheses.md.
 *
 * The family (layer):
 * What the layer does, whatever its mechanism: H6 (inorganic-rich SEI), H7 (homogeneous SEI), H12
 * (pre-adsorbed anion templating), H13 (inorganic SEI ⇒ CE, within arms) and H14 (CE and life).
 * "The layer" is the poled layer (FD arm); these verdicts say nothing about polarisation — that is
 * H8's job (h08-effect-is-ferroelectric.ts). Each is a contrast of one whole-campaign model (campaign-model.ts).
 */
import type { CellSpec } from '../campaign/manifest.js';
import type { HypothesisSpec } from './catalog.js';
import { contrastDraft, fmt, fmtP, modelArms, notTestable, type Ctx, type Draft } from './draft.js';
import { armContrast, fitCampaignModel } from './campaign-model.js';
import { sputterFactor, needArms, restToAddPair } from './layer-contrasts.js';

export function h6(ctx: Ctx, spec: HypothesisSpec): Draft {
  const { data, o } = ctx;
  const has = (c: CellSpec) => data.value(c.id, 'sei_inorganic_fraction') !== null;
  if (!data.has('sei_inorganic_fraction'))
    return notTestable(spec, 'no XPS sei_inorganic_fraction', ['XPS depth profiles (matched sputter dose) of layer and control anodes after cycling']);
  const miss = needArms(ctx, ['FD', 'control'], has);
  if (miss.length) return notTestable(spec, 'too few poled-layer or control cells with an XPS inorganic fraction', miss);
  const r = fitCampaignModel(
    data,
    { yName: 'sei_inorganic_fraction', y: (c) => data.value(c.id, 'sei_inorganic_fraction'), rest: 'per-arm', factors: [sputterFactor(ctx)] },
    o.minDfResid,
  );
  if (!r.ok) return notTestable(spec, r.reason, ['XPS on more cells']);
  const m = r.model;
  const k = armContrast(m, data, ['FD'], ['control']);
  if ('error' in k) return notTestable(spec, k.error, restToAddPair(ctx));
  const M = o.inorganicMargin;
  const arms = modelArms(m, data);
  const noTimes = m.cells.every((c) => data.value(c.id, 'xps_profile_sputter_s') === null)
    ? '; the XPS files state no sputter times: a matched sputter dose could not be checked'
    : '';
  return contrastDraft(ctx, spec, {
    model: m,
    weights: k.weights,
    test: `t-test of the poled-layer − control contrast of the depth-averaged sei_inorganic_fraction in the whole-campaign model (sputter protocol as a factor); artefact margin ${M}${k.note ? `; ${k.note}` : ''}${noTimes}`,
    effectName: 'Δf (poled layer − control)',
    direction: 1,
    what: 'Δf',
    margin: null,
    marginLabel: '',
    design: { kind: 'groups', groups: arms.groups, x: 'arm', y: 'sei_inorganic_fraction' },
    n: arms.n,
    decide: (pd, c) => {
      const adj = o.decideWith === 'raw' ? 'p' : `${o.decideWith === 'holm' ? 'Holm' : 'BH'}-adjusted p`;
      const rule = `supported if ${adj} < ${o.alpha} with Δf ≥ ${M} (artefact margin); refuted if the upper 95 % bound of Δf is below ${M} or Δf is significantly negative; otherwise inconclusive`;
      if (pd !== null && pd < o.alpha && c.estimate >= M)
        return {
          verdict: 'supported',
          reason: `Δf = ${fmt(c.estimate)} ≥ ${M}, ${adj} = ${fmtP(pd)} (an effect of the layer; whether it needs polarisation is H8's question)`,
          rule,
        };
      if (pd !== null && pd < o.alpha && c.estimate < 0)
        return { verdict: 'refuted', reason: `Δf = ${fmt(c.estimate)} is significantly negative (${adj} = ${fmtP(pd)})`, rule };
      if (c.ci[1] < M) return { verdict: 'refuted', reason: `Δf = ${fmt(c.estimate)}, upper 95 % bound ${fmt(c.ci[1])} < artefact margin ${M}`, rule };
      return {
        verdict: 'inconclusive',
        reason: `Δf = ${fmt(c.estimate)} (95 % CI ${fmt(c.ci[0])} to ${fmt(c.ci[1])}), ${adj} = ${fmtP(pd)}: not shown above ${M} and not excluded`,
        rule,
      };
    },
  });
}
