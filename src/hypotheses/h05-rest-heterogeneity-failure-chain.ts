/**
 * H5: Causal chain rest → H → failure.
 * Claim, quantity, test and refutation rule: catalog.ts and docs/hypotheses.md.
 *
 * The family (failure):
 * Failure: H4 (heterogeneity drives failure, Cox PH with censoring) and H5 (the causal chain
 * rest → H → failure, from the replay model's coupling ΔAIC and a bootstrap mediation).
 */
import type { EndpointResult } from './types.js';
import type { HypothesisSpec } from './catalog.js';
import { base, ci2, fmt, notTestable, type Ctx, type Draft } from './draft.js';
import { mediation } from '../stats/mediation.js';

export function h5(ctx: Ctx, spec: HypothesisSpec): Draft {
  const { data, o } = ctx;
  const cells = data.cells.filter((c) => data.rest(c) !== null && data.value(c.id, 'heterogeneity_index') !== null && data.life(c.id));
  const endpoints: EndpointResult[] = [];
  let med: ReturnType<typeof mediation> | null = null;
  if (cells.length >= 8 && data.restLevels(cells).length >= 2) {
    med = mediation(
      cells.map((c) => data.rest(c)!.hours),
      cells.map((c) => data.value(c.id, 'heterogeneity_index')!),
      cells.map((c) => Math.log(data.life(c.id)!.time)),
      { B: o.bootstrapB, seed: o.seed },
    );
    const cens = cells.filter((c) => data.life(c.id)!.event === 0).length;
    endpoints.push({
      name: 'bootstrap mediation rest → H → log(cycle life)',
      method: med.method,
      n: { cells: med.n },
      effect: { name: 'indirect effect a·b', value: med.indirect, ci95: ci2(med.indirectCi) },
      p: med.sobelP,
      details: { a: med.a, b: med.b, direct: med.direct, total: med.total, censoredTreatedAsObserved: cens },
    });
  }
  if (!o.replay)
    return notTestable(
      spec,
      'needs the replay model fit (ΔAIC of the γ_H coupling); no replay-model result was supplied',
      [
        'a replay-model fit of the campaign with and without the heterogeneity coupling γ_H (pass its ΔAIC as options.replay)',
        ...(med ? [] : ['cells with rest time varied, heterogeneity_index and cycle life for the mediation analysis']),
      ],
      { endpoints, test: 'ΔAIC (γ_H free vs γ_H = 0) from the replay model; bootstrap mediation rest → H → life' },
    );
  if (!med)
    return notTestable(spec, 'the mediation analysis needs ≥ 8 cells with rest time (≥ 2 levels), heterogeneity_index and cycle life', [
      'cells with rest time varied, heterogeneity_index and cycle life',
    ]);
  // Lives that all (or nearly all) ended by the test stopping say nothing about what shortens life.
  const failures = cells.filter((c) => data.life(c.id)!.event === 1).length;
  if (failures < 3)
    return notTestable(
      spec,
      `only ${failures} of ${cells.length} cells reached end of life (needs ≥ 3 observed failures; censored lives cannot carry a mediation effect)`,
      ['cycle the cells to failure (80 % capacity or the overpotential limit), ≥ 3 of them'],
      { endpoints },
    );
  const d = o.replay.deltaAicCoupling;
  const m = med;
  return {
    ...base(spec, 'ΔAIC of the replay-model coupling γ_H; bootstrap (BCa) mediation rest → H → log(cycle life), censored lives treated as observed'),
    design: { kind: 'model comparison', groups: [], x: 'rest_hours → heterogeneity_index', y: 'log cycle_life_80' },
    n: { cells: m.n },
    effect: { name: 'indirect effect a·b (rest → H → log life)', value: m.indirect, ci95: ci2(m.indirectCi) },
    endpoints,
    decide: () => {
      const rule =
        'supported if ΔAIC ≥ 2 for the coupling and the bootstrap CI of the indirect effect excludes 0 (negative: rest shortens life through H); refuted if ΔAIC < 2 or the CI includes 0 (catalogue rule); decided by CI, not in the multiplicity correction';
      if (d < 2) return { verdict: 'refuted', reason: `coupling ΔAIC = ${fmt(d, 2)} < 2`, rule };
      if (m.indirectCi[1] < 0)
        return {
          verdict: 'supported',
          reason: `ΔAIC = ${fmt(d, 2)} ≥ 2 and indirect effect ${fmt(m.indirect)} (95 % CI ${fmt(m.indirectCi[0])} to ${fmt(m.indirectCi[1])}) < 0`,
          rule,
        };
      return { verdict: 'refuted', reason: `indirect-effect CI (${fmt(m.indirectCi[0])}, ${fmt(m.indirectCi[1])}) includes 0 or has the wrong sign`, rule };
    },
  };
}
