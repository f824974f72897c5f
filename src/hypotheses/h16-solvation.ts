/**
 * H16: the layer (or a pre-adsorbed anion) raises the anion share of the Li⁺ solvation sheath — the
 * CIP + AGG fraction of the anion band (`anion_sheath_fraction`, src/fit/vibrational; MECHANISMS §5).
 * Samples are electrolyte in contact with the layer powder vs bare electrolyte, as the manifest states
 * by each cell's arm (poling / preadsorbed_anion; data.ts). The closest measured support is a solid
 * composite (Guo 2024, 10.1039/d4ee00798k: BaTiO3−x raised free Li⁺ in LiFSI/PVDF); for a LIQUID
 * electrolyte in contact with BTO MECHANISMS §5.4 finds no source — this hypothesis is the test.
 *
 * Like H6/H14/H15 it is an effect OF THE LAYER: the decision contrast is layer − control in the
 * whole-campaign model (arm + rest dose per arm + blocks), "layer" being every layer arm with ≥ 2
 * measured cells (the mean of their arm effects); each layer arm − control and the poled − non-polar
 * layer contrast are reported as endpoints only, so the verdict never implies a ferroelectric claim.
 */
import type { CellSpec } from '../campaign/manifest.js';
import { sd } from '../stats/descriptive.js';
import { contrastTest } from '../stats/contrast.js';
import { armContrast, fitCampaignModel } from './campaign-model.js';
import type { HypothesisSpec } from './catalog.js';
import { NON_POLAR_LAYERS, type ArmName } from './data.js';
import { ARM_HINT, ci2, contrastDraft, fmt, fmtP, modelArms, notTestable, restToAdd, type Ctx, type Draft, asLayerEffect, LAYER_NOTE } from './draft.js';
import type { EndpointResult } from './types.js';

const Q = 'anion_sheath_fraction' as const;
/** Arms whose samples hold the layer powder (or the pre-adsorbed anion on it). */
export const LAYER_ARMS: readonly ArmName[] = ['FD', 'FD+anion', 'unpoled', 'depoled', 'paraelectric', 'inert'];

export function h16(ctx: Ctx, spec: HypothesisSpec): Draft {
  const { data, o } = ctx;
  const has = (c: CellSpec): boolean => data.value(c.id, Q) !== null;
  const what =
    'Raman/FTIR spectra of the electrolyte in contact with the layer powder (title or file name naming the salt, e.g. LiFSI) giving anion_sheath_fraction';
  const need = (a: ArmName): string => `${what} on ≥ ${o.minPerArm} ${ARM_HINT[a]}`;
  if (!data.has(Q)) return notTestable(spec, 'no cell has an anion_sheath_fraction from a vibrational spectrum', [need('FD'), need('control')]);
  const layers = LAYER_ARMS.filter((a) => data.arm(a).filter(has).length >= 2);
  const ctl = data.arm('control').filter(has).length;
  if (!layers.length || ctl < 2) {
    const counts = [...LAYER_ARMS, 'control' as const].map((a) => `${a} ${data.arm(a).filter(has).length}`).join(', ');
    return notTestable(spec, `too few measured samples in the arms of the contrast (${counts})`, [
      ...(layers.length ? [] : [need('FD')]),
      ...(ctl < 2 ? [need('control')] : []),
    ]);
  }
  const r = fitCampaignModel(data, { yName: Q, y: (c) => data.value(c.id, Q), rest: 'per-arm' }, o.minDfResid);
  if (!r.ok) return notTestable(spec, r.reason, [`${what} on more samples (every arm with ≥ 2)`]);
  const m = r.model;
  const inModel = layers.filter((a) => m.arms.includes(a));
  const k = armContrast(m, data, inModel, ['control']);
  if ('error' in k)
    return notTestable(
      spec,
      k.error,
      restToAdd(data, [...inModel, 'control']).length ? restToAdd(data, [...inModel, 'control']) : ['layer and control samples at a common rest time'],
    );
  const endpoints: EndpointResult[] = [];
  if (inModel.length > 1) {
    for (const a of inModel) {
      const ka = armContrast(m, data, [a], ['control']);
      if ('error' in ka) continue;
      const c = contrastTest(m.fit, ka.weights);
      endpoints.push({
        name: `anion sheath fraction ${a} − control (reported only)`,
        method: c.method,
        n: { cells: m.fit.n },
        effect: { name: `Δ(CIP + AGG) ${a} − control`, value: c.estimate, ci95: ci2(c.ci) },
        p: c.p,
      });
    }
  }
  const refs = NON_POLAR_LAYERS.filter((a) => m.arms.includes(a) && data.arm(a).filter(has).length >= 2);
  let fe = `no layer without net polarisation has ≥ 2 measured samples, so the poled − non-polar layer contrast is not reported (add ${need('unpoled')})`;
  if (refs.length && m.arms.includes('FD')) {
    const k2 = armContrast(m, data, ['FD'], refs);
    if ('error' in k2) fe = `poled − ${refs.join('/')} layer contrast not estimable: ${k2.error}`;
    else {
      const c2 = contrastTest(m.fit, k2.weights);
      endpoints.unshift({
        name: `anion sheath fraction poled − ${refs.join('/')} layer (reported only: ${LAYER_NOTE})`,
        method: c2.method,
        n: { cells: m.fit.n },
        effect: { name: `Δ(CIP + AGG) poled − ${refs.join('/')}`, value: c2.estimate, ci95: ci2(c2.ci) },
        p: c2.p,
      });
      fe = `poled − ${refs.join('/')} layer Δ = ${fmt(c2.estimate)} (95 % CI ${fmt(c2.ci[0])} to ${fmt(c2.ci[1])}, p = ${fmtP(c2.p)}), reported so that no ferroelectric claim is implied`;
    }
  }
  const arms = modelArms(m, data);
  const margin = o.smdMargin * sd(m.y);
  const label = inModel.length === 1 ? inModel[0]! : `mean of ${inModel.join(', ')}`;
  const draft = contrastDraft(ctx, spec, {
    model: m,
    weights: k.weights,
    test: `t-test of the layer (${label}) − control contrast of the CIP + AGG anion fraction in the whole-campaign model${k.note ? `; ${k.note}` : ''}; endpoint: ${fe}`,
    effectName: `Δ anion sheath fraction (layer − control)`,
    direction: 1,
    what: 'Δ(CIP + AGG)',
    margin: Number.isFinite(margin) && margin > 0 ? margin : null,
    marginLabel: `±${o.smdMargin} SD of the anion sheath fraction across samples`,
    design: { kind: 'groups', groups: arms.groups, x: 'arm', y: Q },
    n: arms.n,
    endpoints,
  });
  return asLayerEffect(draft, fe);
}
