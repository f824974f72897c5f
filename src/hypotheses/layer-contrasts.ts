/**
 * Helpers the layer-vs-control hypotheses share (H6, H7, H13, H14): the sputter-protocol factor,
 * the cells to add when an arm is missing, and the composite contrast of a layer arm against the control.
 */
import type { CellSpec } from '../campaign/manifest.js';
import type { EndpointResult } from './types.js';
import type { HypothesisSpec } from './catalog.js';
import { ARM_HINT, contrastDraft, fmt, modelArms, type Ctx, type Draft } from './draft.js';
import { armContrast, fitCampaignModel, type Factor } from './campaign-model.js';
import { compositeScores, type EndpointSpec } from './composite.js';
import { sd } from '../stats/descriptive.js';
import type { ArmName } from './data.js';

/** XPS depth profiles compared at matched sputter dose: the protocol is a factor of the model. */
export function sputterFactor(ctx: Ctx): Factor {
  const { data } = ctx;
  return {
    name: 'sputter protocol',
    level: (c) => {
      const t = data.value(c.id, 'xps_profile_sputter_s');
      const n = data.value(c.id, 'xps_profile_levels');
      return t === null ? null : `${Number(t.toPrecision(3))} s/${n ?? '?'} levels`;
    },
  };
}

export const needArms = (ctx: Ctx, arms: readonly ArmName[], what: (c: CellSpec) => boolean): string[] =>
  arms.filter((a) => ctx.data.arm(a).filter(what).length < 2).map((a) => `≥ 2 ${ARM_HINT[a]}${ctx.data.arm(a).length ? ' with this measurement' : ''}`);

export function restToAddPair(ctx: Ctx): string[] {
  const lv = (a: ArmName) => ctx.data.restLevels(ctx.data.arm(a));
  return [
    `poled-layer and control cells at a common rest time (FD at ${lv('FD').join('/') || '—'} h, control at ${lv('control').join('/') || '—'} h), or both arms at ≥ 2 rest times`,
  ];
}

/** A composite (O'Brien rank-sum) over every cell, modelled, and the poled layer compared with `ref`. */
export function compositeContrast(
  ctx: Ctx,
  spec: HypothesisSpec,
  eps: readonly EndpointSpec[],
  a: readonly ArmName[],
  b: readonly ArmName[],
  label: string,
  extra: EndpointResult[],
  testLead: string,
): Draft | { error: string } {
  const { data, o } = ctx;
  const comp = compositeScores(data, data.cells, eps, 4);
  if (!comp.used.length) return { error: `no endpoint (${eps.map((e) => e.label).join(', ')}) is measured on ≥ 4 cells` };
  const single = comp.used.length === 1 && comp.used[0]!.param !== 'cycle_life_80';
  // One continuous endpoint is modelled on its own scale (ranks would only cost power).
  const y = (c: CellSpec): number | null => (single ? data.value(c.id, comp.used[0]!.param) : (comp.scores.get(c.id) ?? null));
  const yName = single ? comp.used[0]!.label : `composite(${comp.used.map((e) => `${e.sign < 0 ? '−' : ''}${e.label}`).join(', ')})`;
  const r = fitCampaignModel(data, { yName, y, rest: 'per-arm' }, o.minDfResid);
  if (!r.ok) return { error: r.reason };
  const m = r.model;
  const k = armContrast(m, data, a, b);
  if ('error' in k) return k;
  const counts = [...a, ...b].map((x) => m.cells.filter((c) => data.armOf(c) === x).length);
  if (counts.some((n) => n < 2)) return { error: `fewer than 2 cells with ${yName} in ${[...a, ...b].filter((_, i) => counts[i]! < 2).join(', ')}` };
  const sdY = sd(m.y);
  const arms = modelArms(m, data);
  const margin = o.smdMargin * (single ? sdY : 1);
  return contrastDraft(ctx, spec, {
    model: m,
    weights: k.weights,
    test: `${testLead}: t-test of the ${label} contrast of ${single ? comp.used[0]!.label : `the O'Brien rank-sum composite of ${comp.used.map((e) => `${e.label}${e.sign < 0 ? ' (lower = better)' : ''}`).join(' + ')} (scores from all cells, labels unused)`} in the whole-campaign model${k.note ? `; ${k.note}` : ''}`,
    effectName: `${label} contrast of ${yName} (+ = claimed benefit)`,
    direction: single && comp.used[0]!.sign < 0 ? -1 : 1,
    what: `the ${label} contrast`,
    margin,
    marginLabel: `±${fmt(margin)} (${o.smdMargin} SD of the ${single ? 'endpoint' : 'composite'})`,
    design: { kind: 'groups', groups: arms.groups, x: 'arm', y: yName },
    n: arms.n,
    endpoints: extra,
  });
}
