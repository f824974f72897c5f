/**
 * H13: Inorganic-rich SEI ⇒ higher CE.
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
import { contrastDraft, modelArms, notTestable, type Ctx, type Draft } from './draft.js';
import { fitCampaignModel } from './campaign-model.js';
import { sputterFactor } from './layer-contrasts.js';

export function h13(ctx: Ctx, spec: HypothesisSpec): Draft {
  const { data, o } = ctx;
  if (!data.has('sei_inorganic_fraction'))
    return notTestable(spec, 'no XPS sei_inorganic_fraction', ['XPS depth profiles on cycled cells that also have CE data']);
  const f = { name: 'sei_inorganic_fraction', value: (c: CellSpec) => data.value(c.id, 'sei_inorganic_fraction') };
  const r = fitCampaignModel(data, { yName: 'LCE', y: (c) => data.lce(c.id), rest: 'per-arm', covariates: [f], factors: [sputterFactor(ctx)] }, o.minDfResid);
  if (!r.ok) return notTestable(spec, r.reason, [`XPS + CE on more cells (every arm with ≥ 2 cells having both)`]);
  const m = r.model;
  if (!m.has(f.name)) return notTestable(spec, `f̄ does not vary within arms (${m.dropped.join(', ')})`, ['XPS on ≥ 2 cells of the same arm']);
  const arms = modelArms(m, data);
  return contrastDraft(ctx, spec, {
    model: m,
    weights: { [f.name]: 1 },
    test: 'within-arm slope of LCE on the XPS inorganic fraction: t-test of its coefficient in the whole-campaign model with arm, rest and sputter protocol as covariates (a layer that raises both f and CE does not make an f → CE law)',
    effectName: 'dLCE/df̄ within arms',
    direction: 1,
    what: 'the within-arm slope',
    margin: 'partial-sd',
    marginLabel: '',
    design: { kind: 'regression', groups: arms.groups, x: 'sei_inorganic_fraction (within arm)', y: 'LCE' },
    n: { cells: m.fit.n },
  });
}
