/**
 * H4: Heterogeneity drives failure (tip effect).
 * Claim, quantity, test and refutation rule: catalog.ts and docs/hypotheses.md.
 *
 * The family (failure):
 * Failure: H4 (heterogeneity drives failure, Cox PH with censoring) and H5 (the causal chain
 * rest → H → failure, from the replay model's coupling ΔAIC and a bootstrap mediation).
 */
import type { EndpointResult } from './types.js';
import type { HypothesisSpec } from './catalog.js';
import { base, ci2, directional, notTestable, powerCox, type Ctx, type Draft } from './draft.js';
import { coxPH } from '../stats/cox.js';
import { kaplanMeier } from '../stats/kaplanMeier.js';
import { logRank } from '../stats/logRank.js';
import { mean, sd } from '../stats/descriptive.js';
import { tostFromEstimate } from '../stats/tost.js';

export function h4(ctx: Ctx, spec: HypothesisSpec): Draft {
  const { data, o } = ctx;
  const useH = data.has('heterogeneity_index');
  const param = useH ? 'heterogeneity_index' : 'CPE_SEI_alpha';
  if (!data.has('cycle_life_80'))
    return notTestable(spec, 'no cycle_life_80', ['long-term cycling to 80 % capacity (or censoring) for every cell with an SEI measurement']);
  if (!useH && !data.has('CPE_SEI_alpha'))
    return notTestable(spec, 'no heterogeneity_index or CPE_SEI_alpha', [
      'early-life (cycle ≤ 5) ToF-SIMS heterogeneity or EIS with a CPE SEI arc on cells that are then cycled to failure',
    ]);
  const cells = data.cells.filter((c) => data.life(c.id) && data.value(c.id, param) !== null);
  const ev = cells.filter((c) => data.life(c.id)!.event === 1).length;
  if (cells.length < 2 * o.minPerArm)
    return notTestable(spec, `only ${cells.length} cells have both ${param} and cycle life (needs ≥ ${2 * o.minPerArm})`, [
      `≥ ${2 * o.minPerArm} cells with both ${param} and cycle life, ≥ ${o.minPerArm} of them cycled to failure`,
    ]);
  if (ev < o.minPerArm)
    return notTestable(
      spec,
      `${cells.length} cells have both ${param} and cycle life, but only ${ev} reached end of life (needs ≥ ${o.minPerArm} observed failures; censored lives alone cannot show what shortens life)`,
      [`cycle ≥ ${o.minPerArm} of these cells to failure (80 % capacity or the overpotential limit)`],
    );
  const raw = cells.map((c) => data.value(c.id, param)!);
  const s = sd(raw);
  const m = mean(raw);
  const z = raw.map((v) => (s > 0 ? (v - m) / s : 0));
  const t = cells.map((c) => data.life(c.id)!.time);
  const e = cells.map((c) => data.life(c.id)!.event);
  // Adjusted for arm when the events allow (≥ 5 per coefficient): a layer that lengthens life and
  // lowers H must not make an H → failure law on its own.
  const armsHere = [...new Set(cells.map((c) => data.armOf(c)))];
  const armCov: Record<string, number[]> = {};
  if (armsHere.length > 1 && ev >= 5 * armsHere.length) for (const a of armsHere.slice(1)) armCov[`arm:${a}`] = cells.map((c) => (data.armOf(c) === a ? 1 : 0));
  let cx = coxPH(t, e, { [param]: z, ...armCov });
  if (Object.keys(armCov).length && (!cx.converged || !Number.isFinite(cx.coefficients[0]!.se))) cx = coxPH(t, e, { [param]: z });
  const adjusted = cx.coefficients.length > 1;
  const c = cx.coefficients[0]!;
  const direction: 1 | -1 = useH ? 1 : -1; // more heterogeneity (higher H, lower α) → higher hazard
  const lm = Math.log(1.25);
  const tost = tostFromEstimate(c.coef, c.se, Infinity, -lm, lm, o.alpha);
  const endpoints: EndpointResult[] = [];
  if (cells.length >= 9) {
    const sorted = [...z].sort((a, b) => a - b);
    const t1 = sorted[Math.floor(sorted.length / 3)]!;
    const t2 = sorted[Math.floor((2 * sorted.length) / 3)]!;
    const g = z.map((v) => (v < t1 ? 'low' : v < t2 ? 'mid' : 'high'));
    if (new Set(g).size > 1) {
      const lr = logRank(t, e, g);
      const med = Object.fromEntries(
        lr.groups.map((gr) => [
          gr,
          kaplanMeier(
            t.filter((_, i) => g[i] === gr),
            e.filter((_, i) => g[i] === gr),
          ).median,
        ]),
      );
      endpoints.push({
        name: `KM by ${param} tertiles + log-rank`,
        method: lr.method,
        n: Object.fromEntries(lr.groups.map((gr, i) => [gr, lr.n[i]!])),
        effect: null,
        p: lr.p,
        details: { medianCycles: med, chiSquare: lr.chiSquare, df: lr.df },
      });
    }
  }
  return {
    ...base(
      spec,
      `Cox PH of cycle_life_80 (censored) on ${param} per SD (${cx.method})${useH ? '' : '; heterogeneity_index absent, CPE α used (lower α = more heterogeneous)'}; ${adjusted ? `adjusted for arm (${armsHere.join(', ')})` : `not adjusted for arm (${ev} events for ${armsHere.length} arms)`}; not adjusted for electrolyte / current density`,
    ),
    design: { kind: 'survival regression', groups: [], x: `${param} (per SD)`, y: 'cycle_life_80' },
    n: { cells: cells.length, events: cx.events },
    effect: { name: `hazard ratio per SD of ${param}`, value: c.hr, ci95: ci2(c.hrCi) },
    p: c.p,
    power: powerCox(cx.events, o.alpha, true),
    equivalence: { margin: [1 / 1.25, 1.25], scale: 'hazard ratio per SD', p: tost.p, equivalent: tost.equivalent },
    endpoints,
    decide: (pd) =>
      directional(o, pd, c.coef, direction, `log HR per SD of ${param}`, { p: tost.p, equivalent: tost.equivalent, margin: 'HR 0.8–1.25 per SD' }),
  };
}
