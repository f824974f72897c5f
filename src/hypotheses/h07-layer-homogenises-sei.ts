/**
 * H7: The poled layer homogenises the SEI (an effect of the layer; polarisation is H8).
 * Claim, quantity, test and refutation rule: catalog.ts and docs/hypotheses.md.
 *
 * The family (layer):
 * What the layer does, whatever its mechanism: H6 (inorganic-rich SEI), H7 (homogeneous SEI), H12
 * (pre-adsorbed anion templating), H13 (inorganic SEI ⇒ CE, within arms) and H14 (CE and life).
 * "The layer" is the poled layer (FD arm); these verdicts say nothing about polarisation — that is
 * H8's job (h08-effect-is-ferroelectric.ts). Each is a contrast of one whole-campaign model (campaign-model.ts).
 */
import type { HypothesisSpec } from './catalog.js';
import { notTestable, type Ctx, type Draft } from './draft.js';
import { needArms, restToAddPair, compositeContrast } from './layer-contrasts.js';

export function h7(ctx: Ctx, spec: HypothesisSpec): Draft {
  const { data, o } = ctx;
  if (!data.has('heterogeneity_index') && !data.has('CPE_SEI_alpha'))
    return notTestable(spec, 'no ToF-SIMS heterogeneity_index and no CPE α', [
      'ToF-SIMS ion images of layer and control anodes (heterogeneity_index, morans_i)',
    ]);
  const miss = needArms(ctx, ['FD', 'control'], () => true);
  if (miss.length)
    return notTestable(
      spec,
      'too few poled-layer or control cells',
      miss.map((m) => m.replace('≥ 2', `≥ ${o.minPerArm}`)),
    );
  const alpha = data.has('CPE_SEI_alpha_after_cycling') ? 'CPE_SEI_alpha_after_cycling' : 'CPE_SEI_alpha';
  const d = compositeContrast(
    ctx,
    spec,
    [
      { param: 'heterogeneity_index', sign: -1, label: 'H' },
      { param: 'morans_i', sign: -1, label: "Moran's I" },
      { param: alpha, sign: 1, label: alpha === 'CPE_SEI_alpha' ? 'CPE α' : 'CPE α after cycling' },
    ],
    ['FD'],
    ['control'],
    'poled layer − control',
    [],
    'the layer homogenises the SEI',
  );
  return 'error' in d
    ? notTestable(spec, d.error, [`ToF-SIMS heterogeneity on ≥ ${o.minPerArm} poled-layer and ≥ ${o.minPerArm} control cells`, ...restToAddPair(ctx)])
    : d;
}
