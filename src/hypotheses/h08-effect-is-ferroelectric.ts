/**
 * H8: The effect is ferroelectric (needs remanent P).
 * Claim, quantity, test and refutation rule: catalog.ts and docs/hypotheses.md.
 *
 * The family (ferroelectric):
 * Ferroelectric claims (H8, H9, H10): each is made only on evidence that depends on net polarisation
 * beyond what an equal layer without it gives. The reference is the unpoled, depoled or paraelectric
 * layer — never the bare control, which a plain dielectric or chemical effect of the layer beats too.
 * - H8: poled − mean(non-polar layers) on the O'Brien composite of LCE, life, f, H, in the
 *   whole-campaign model (rest and blocks adjusted).
 * - H9: LCE on Pr within a layer material (material as a factor), so materials that differ in Pr
 *   and in everything else do not make a dose–response.
 * - H10: LCE on polarisation retention within poled cells, adjusted for the cycles each cell ran
 *   (fatigue grows with cycling, and so do CE changes) and for rest and blocks.
 */
import type { CellSpec } from '../campaign/manifest.js';
import type { EndpointResult } from './types.js';
import type { HypothesisSpec } from './catalog.js';
import { ARM_HINT, contrastDraft, modelArms, notTestable, welchEndpoint, type Ctx, type Draft } from './draft.js';
import { NON_POLAR_LAYERS, valuesOf } from './data.js';
import { armContrast, fitCampaignModel } from './campaign-model.js';
import { compositeScores } from './composite.js';

const nonPolarAdd = (o: { minPerArm: number }): string[] => [
  `≥ ${o.minPerArm} ${ARM_HINT.unpoled}`,
  `or ≥ ${o.minPerArm} ${ARM_HINT.depoled}`,
  `or ≥ ${o.minPerArm} ${ARM_HINT.paraelectric}`,
];

export function h8(ctx: Ctx, spec: HypothesisSpec): Draft {
  const { data, o } = ctx;
  const refs = NON_POLAR_LAYERS.filter((a) => data.arm(a).length >= 2);
  if (data.arm('FD').length < 2 || !refs.length)
    return notTestable(
      spec,
      `a ferroelectric effect needs poled cells and an equal layer without net polarisation (poled ${data.arm('FD').length}, unpoled ${data.arm('unpoled').length}, depoled ${data.arm('depoled').length}, paraelectric ${data.arm('paraelectric').length}); the bare control is not a reference for it`,
      [...(data.arm('FD').length < 2 ? [`≥ ${o.minPerArm} ${ARM_HINT.FD}`] : []), ...nonPolarAdd(o)],
    );
  const comp = compositeScores(
    data,
    data.cells,
    [
      { param: 'LCE', sign: 1, label: 'LCE' },
      { param: 'cycle_life_80', sign: 1, label: 'cycle life' },
      { param: 'sei_inorganic_fraction', sign: 1, label: 'f' },
      { param: 'heterogeneity_index', sign: -1, label: 'H' },
    ],
    2 * o.minPerArm,
  );
  if (!comp.used.length) return notTestable(spec, 'no LCE, cycle life, f or H on enough cells', [`CE on ≥ ${o.minPerArm} cells per arm`]);
  const yName = `composite(${comp.used.map((e) => `${e.sign < 0 ? '−' : ''}${e.label}`).join(', ')})`;
  // The reference is the same material without net polarisation when the campaign has it; the layer
  // material is a factor of the model, so materials that differ in everything but poling do not
  // make a poling effect (a paraelectric of another material is used only when nothing else is there).
  const matOf = (c: CellSpec): string => (c.ferroelectric ?? 'none').toLowerCase();
  const poledMats = new Set(data.arm('FD').map(matOf));
  const sameMat = refs.filter((a) => data.arm(a).some((c) => poledMats.has(matOf(c))));
  const r = fitCampaignModel(
    data,
    { yName, y: (c) => comp.scores.get(c.id) ?? null, rest: 'per-arm', factors: [{ name: 'material', level: matOf }] },
    o.minDfResid,
  );
  if (!r.ok) return notTestable(spec, r.reason, ['more layer cells']);
  const m = r.model;
  const present = (sameMat.length ? sameMat : refs).filter((a) => m.arms.includes(a));
  if (!present.length) return notTestable(spec, 'no layer without net polarisation among the cells with the composite', nonPolarAdd(o));
  const k = armContrast(m, data, ['FD'], present);
  if ('error' in k) return notTestable(spec, k.error, [`poled and ${present.join('/')} cells at a common rest time, or both at ≥ 2 rest times`]);
  const extra: EndpointResult[] = [];
  const ref = present.flatMap((a) => data.arm(a));
  const wl = welchEndpoint(`LCE poled vs ${present.join('+')}`, valuesOf(data, data.arm('FD'), 'LCE'), valuesOf(data, ref, 'LCE'), [
    'poled',
    present.join('+'),
  ]);
  if (wl) extra.push(wl);
  const up = data.arm('FD').filter((c) => c.polingDirection === 'up');
  const down = data.arm('FD').filter((c) => c.polingDirection === 'down');
  if (up.length >= 2 && down.length >= 2) {
    const w = welchEndpoint(
      'LCE poled up vs poled down (a sign-dependent effect is polarisation, not chemistry)',
      valuesOf(data, up, 'LCE'),
      valuesOf(data, down, 'LCE'),
      ['up', 'down'],
    );
    if (w) extra.push(w);
  }
  const arms = modelArms(m, data);
  return contrastDraft(ctx, spec, {
    model: m,
    weights: k.weights,
    test: `poled layer − ${present.join('/')} layer (${sameMat.length ? 'the same layer material' : 'a different material: the contrast includes any difference between the materials'} without net polarisation; layer material a factor) on the O'Brien rank-sum composite of ${comp.used.map((e) => e.label).join(' + ')} (scores from all cells): t-test of the contrast in the whole-campaign model${k.note ? `; ${k.note}` : ''}`,
    effectName: `poled − ${present.join('/')} contrast of the composite (+ = polarisation helps)`,
    direction: 1,
    what: `the poled − ${present.join('/')} contrast`,
    margin: o.smdMargin,
    marginLabel: `±${o.smdMargin} SD of the composite`,
    design: { kind: 'ordered groups', groups: arms.groups, x: `poled vs ${present.join('/')}`, y: yName },
    n: arms.n,
    endpoints: extra,
  });
}
