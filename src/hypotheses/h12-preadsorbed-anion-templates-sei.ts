/**
 * H12: Pre-adsorbed-anion FDs template the SEI beyond FD or anion alone.
 * Claim, quantity, test and refutation rule: catalog.ts and docs/hypotheses.md.
 *
 * The family (layer):
 * What the layer does, whatever its mechanism: H6 (inorganic-rich SEI), H7 (homogeneous SEI), H12
 * (pre-adsorbed anion templating), H13 (inorganic SEI ⇒ CE, within arms) and H14 (CE and life).
 * "The layer" is the poled layer (FD arm); these verdicts say nothing about polarisation — that is
 * H8's job (h08-effect-is-ferroelectric.ts). Each is a contrast of one whole-campaign model (campaign-model.ts).
 */
import type { CellSpec } from '../campaign/manifest.js';
import type { EndpointResult } from './types.js';
import type { HypothesisSpec } from './catalog.js';
import { ARM_HINT, ci2, contrastDraft, modelArms, notTestable, welchEndpoint, type Ctx, type Decision, type Draft } from './draft.js';
import { armContrast, fitCampaignModel } from './campaign-model.js';
import { compositeScores, type EndpointSpec } from './composite.js';
import { contrastTest } from '../stats/contrast.js';
import { sd } from '../stats/descriptive.js';
import { valuesOf, type Quantity } from './data.js';

/** The anion's own decomposition products: N species for NO3⁻, S species for FSI⁻/TFSI⁻. */
function anionProduct(stem: string): { param: Quantity; label: string } | null {
  if (/no3|nitrate/.test(stem)) return { param: 'anion_n_atomic_percent', label: 'N 1s (Li3N + LiNxOy) at.%' };
  if (/fsi|tfsi|so4|sulf/.test(stem)) return { param: 'anion_s_atomic_percent', label: 'S 2p (Li2S + SOx) at.%' };
  if (/pf6|bf4|f$/.test(stem)) return { param: 'anion_f_atomic_percent', label: 'anion F at.%' };
  return null;
}

export function h12(ctx: Ctx, spec: HypothesisSpec): Draft {
  const { data, o } = ctx;
  const fdA = data.arm('FD+anion');
  if (fdA.length < 2)
    return notTestable(spec, `the poled layer with a pre-adsorbed anion has ${fdA.length} cell(s)`, [
      `≥ ${o.minPerArm} ${ARM_HINT['FD+anion']}`,
      `≥ ${o.minPerArm} ${ARM_HINT.FD}`,
      `≥ ${o.minPerArm} ${ARM_HINT['anion-in-electrolyte']}`,
    ]);
  const refs = (['FD', 'anion-in-electrolyte'] as const).filter((a) => data.arm(a).length >= 2);
  const missing = (['FD', 'anion-in-electrolyte'] as const).filter((a) => !refs.includes(a));
  if (!refs.length)
    return notTestable(
      spec,
      'neither the layer alone nor the anion alone is in the campaign',
      missing.map((a) => `≥ ${o.minPerArm} ${ARM_HINT[a]}`),
    );
  const product = anionProduct(data.anionStems[0] ?? '');
  const eps: EndpointSpec[] = [
    ...(product && data.has(product.param) ? [{ param: product.param, sign: 1 as const, label: product.label }] : []),
    { param: 'LCE', sign: 1, label: 'LCE' },
  ];
  const comp = compositeScores(data, data.cells, eps, 2 * o.minPerArm);
  if (!comp.used.length)
    return notTestable(spec, 'no anion-product XPS and no CE on enough cells', ['XPS N 1s / S 2p and CE on the FD+anion, FD and anion-in-electrolyte cells']);
  const yName = comp.used.length === 1 ? comp.used[0]!.label : `composite(${comp.used.map((e) => e.label).join(', ')})`;
  const y = (c: CellSpec): number | null => (comp.used.length === 1 ? data.value(c.id, comp.used[0]!.param) : (comp.scores.get(c.id) ?? null));
  const r = fitCampaignModel(data, { yName, y, rest: 'per-arm' }, o.minDfResid);
  if (!r.ok) return notTestable(spec, r.reason, ['more cells in the anion arms']);
  const m = r.model;
  const parts = refs.map((ref) => ({ ref, k: armContrast(m, data, ['FD+anion'], [ref]) }));
  const bad = parts.find((p) => 'error' in p.k);
  if (bad) return notTestable(spec, (bad.k as { error: string }).error, [`FD+anion and ${bad.ref} cells at a common rest time`]);
  // Decide on the weakest part (intersection–union): the largest p of the contrasts the design has.
  const first = parts[0]!;
  const tests = parts.map((p) => ({ ref: p.ref, c: contrastTest(m.fit, (p.k as { weights: Record<string, number> }).weights) }));
  const partial = missing.length
    ? `tested in part: FD+anion vs ${refs.join(' and ')}; "beyond ${missing.includes('anion-in-electrolyte') ? 'the anion alone' : 'the layer alone'}" needs the missing arm (add ≥ ${o.minPerArm} ${ARM_HINT[missing[0]!]})`
    : '';
  const arms = modelArms(m, data);
  const extra: EndpointResult[] = tests.map((t) => ({
    name: `FD+anion − ${t.ref} (${yName})`,
    method: t.c.method,
    n: { cells: m.fit.n },
    effect: { name: `Δ ${yName}`, value: t.c.estimate, ci95: ci2(t.c.ci) },
    p: t.c.p,
  }));
  if (product)
    for (const ref of refs) {
      const w = welchEndpoint(`${product.label}: FD+anion vs ${ref}`, valuesOf(data, fdA, product.param), valuesOf(data, data.arm(ref), product.param), [
        'FD+anion',
        ref,
      ]);
      if (w) extra.push(w);
    }
  const draft = contrastDraft(ctx, spec, {
    model: m,
    weights: (first.k as { weights: Record<string, number> }).weights,
    test: `pre-adsorbed anion templating: t-test of FD+anion − ${refs.join(' and FD+anion − ')} on ${yName} in the whole-campaign model; decision p = the largest of these (intersection–union)${partial ? `; ${partial}` : ''}`,
    effectName: `${yName}: FD+anion − ${first.ref}`,
    direction: 1,
    what: `FD+anion − ${refs.join(' and − ')}`,
    margin: o.smdMargin * (comp.used.length === 1 ? sd(m.y) : 1),
    marginLabel: `±${o.smdMargin} SD`,
    design: { kind: 'groups', groups: arms.groups, x: 'arm', y: yName },
    n: arms.n,
    endpoints: extra,
  });
  const pAll = Math.max(...tests.map((t) => t.c.p));
  const allPositive = tests.every((t) => t.c.estimate > 0);
  return {
    ...draft,
    p: pAll,
    decide: (pd): Decision => {
      const x = draft.decide(pd);
      const v =
        x.verdict === 'supported' && !allPositive ? { ...x, verdict: 'inconclusive' as const, reason: `${x.reason}, but not every contrast is positive` } : x;
      return partial ? { ...v, reason: `${v.reason} — ${partial}` } : v;
    },
  };
}
