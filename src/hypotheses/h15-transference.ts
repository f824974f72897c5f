/**
 * H15: the layer raises the Li⁺ transference number over the bare control (DOMAIN §6 claims that the
 * dipoles enrich anions in the Li⁺ sheath; a higher Bruce–Vincent t₊ is the transport consequence).
 * Quantity: `transference_number` per cell, the campaign-stage Bruce–Vincent t₊ (F₊, method BV;
 * MECHANISMS.md §4) from a Li‖Li polarisation with impedance before and after.
 *
 * Like H6/H14 this is an effect OF THE LAYER: the decision contrast is poled layer − control in the
 * whole-campaign model (arm + rest dose per arm + blocks). Beside it, as an endpoint only, the poled −
 * non-polar layer contrast (unpoled / depoled / paraelectric, same model, as H8 takes its reference) is
 * reported, so that the verdict never implies a ferroelectric claim: a plain dielectric filler changes
 * t₊ too (MECHANISMS.md §4.4–4.5: fillers change R₀/R_ss as much as the bulk; report a filler-free
 * control with every t₊). Whether polarisation is needed is H8's question.
 */
import type { CellSpec } from '../campaign/manifest.js';
import { sd } from '../stats/descriptive.js';
import { contrastTest } from '../stats/contrast.js';
import { armContrast, fitCampaignModel } from './campaign-model.js';
import type { HypothesisSpec } from './catalog.js';
import { NON_POLAR_LAYERS, valuesOf, type ArmName } from './data.js';
import {
  ARM_HINT,
  ci2,
  contrastDraft,
  fmt,
  fmtP,
  modelArms,
  notTestable,
  restToAdd,
  welchEndpoint,
  type Ctx,
  type Draft,
  asLayerEffect,
  LAYER_NOTE,
} from './draft.js';
import type { EndpointResult } from './types.js';

const Q = 'transference_number' as const;

export function h15(ctx: Ctx, spec: HypothesisSpec): Draft {
  const { data, o } = ctx;
  const has = (c: CellSpec): boolean => data.value(c.id, Q) !== null;
  const what = 'Bruce–Vincent t₊ (Li‖Li chronoamperometry at ΔV ≤ 10 mV with impedance before and after, MECHANISMS.md §4)';
  const need = (a: ArmName): string => `${what} on ≥ ${o.minPerArm} ${ARM_HINT[a]}`;
  if (!data.has(Q)) return notTestable(spec, 'no cell has a Bruce–Vincent t₊', [need('FD'), need('control')]);
  const short = (['FD', 'control'] as const).filter((a) => data.arm(a).filter(has).length < 2);
  if (short.length) {
    const counts = short.map((a) => `${a} ${data.arm(a).filter(has).length}`).join(', ');
    return notTestable(
      spec,
      `too few cells with t₊ in the arms of the contrast (${counts}; cells with t₊: ${data.cells
        .filter(has)
        .map((c) => c.id)
        .join(', ')})`,
      short.map(need),
    );
  }
  const r = fitCampaignModel(data, { yName: Q, y: (c) => data.value(c.id, Q), rest: 'per-arm' }, o.minDfResid);
  if (!r.ok) return notTestable(spec, r.reason, [`${what} on more cells (every arm with ≥ 2 cells)`]);
  const m = r.model;
  const k = armContrast(m, data, ['FD'], ['control']);
  if ('error' in k)
    return notTestable(
      spec,
      k.error,
      restToAdd(data, ['FD', 'control']).length ? restToAdd(data, ['FD', 'control']) : [`poled-layer and control cells with t₊ at a common rest time`],
    );
  // The poled − non-polar layer endpoint (reported, never decided on).
  const endpoints: EndpointResult[] = [];
  const refs = NON_POLAR_LAYERS.filter((a) => m.arms.includes(a) && data.arm(a).filter(has).length >= 2);
  let fe = `no layer without net polarisation has t₊ on ≥ 2 cells, so the poled − non-polar layer contrast is not reported (add ${need('unpoled')})`;
  if (refs.length) {
    const k2 = armContrast(m, data, ['FD'], refs);
    if ('error' in k2) fe = `poled − ${refs.join('/')} layer contrast not estimable: ${k2.error}`;
    else {
      const c2 = contrastTest(m.fit, k2.weights);
      endpoints.push({
        name: `t₊ poled − ${refs.join('/')} layer (reported only: ${LAYER_NOTE})`,
        method: c2.method,
        n: { cells: m.fit.n },
        effect: { name: `Δt₊ (poled − ${refs.join('/')})`, value: c2.estimate, ci95: ci2(c2.ci) },
        p: c2.p,
      });
      fe = `poled − ${refs.join('/')} layer Δt₊ = ${fmt(c2.estimate)} (95 % CI ${fmt(c2.ci[0])} to ${fmt(c2.ci[1])}, p = ${fmtP(c2.p)}), reported so that no ferroelectric claim is implied`;
    }
  }
  const w = welchEndpoint('t₊ poled layer vs control (cell values)', valuesOf(data, data.arm('FD'), Q), valuesOf(data, data.arm('control'), Q), [
    'poled',
    'control',
  ]);
  if (w) endpoints.push(w);
  const arms = modelArms(m, data);
  const margin = o.smdMargin * sd(m.y);
  const draft = contrastDraft(ctx, spec, {
    model: m,
    weights: k.weights,
    test: `t-test of the poled-layer − control contrast of the Bruce–Vincent t₊ in the whole-campaign model${k.note ? `; ${k.note}` : ''}; endpoint: ${fe}`,
    effectName: 'Δt₊ (poled layer − control)',
    direction: 1,
    what: 'Δt₊',
    margin: Number.isFinite(margin) && margin > 0 ? margin : null,
    marginLabel: `±${o.smdMargin} SD of t₊ across cells`,
    design: { kind: 'groups', groups: arms.groups, x: 'arm', y: Q },
    n: arms.n,
    endpoints,
  });
  return asLayerEffect(draft, fe);
}
