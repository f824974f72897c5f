/**
 * H14: The poled layer improves CE and cycle life over the bare control (an effect of the layer; polarisation is H8).
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
import { ci2, notTestable, survivalEndpoints, type Ctx, type Draft } from './draft.js';
import { REST_DOSE } from './campaign-model.js';
import { coxPH } from '../stats/cox.js';
import { needArms, restToAddPair, compositeContrast } from './layer-contrasts.js';

/** Cox PH of life on the poled-layer indicator and the rest dose (censoring respected), reported. */
function adjustedCox(ctx: Ctx, cells: readonly CellSpec[]): EndpointResult | null {
  const { data } = ctx;
  const rows = cells.filter((c) => data.life(c.id));
  if (rows.length < 6 || rows.every((c) => data.life(c.id)!.event === 0)) return null;
  const cov: Record<string, number[]> = { 'poled layer': rows.map((c) => (data.armOf(c) === 'FD' ? 1 : 0)) };
  const doses = rows.map((c) => REST_DOSE.of(data.rest(c)?.hours ?? 0));
  if (new Set(doses).size > 1) cov[REST_DOSE.label] = doses;
  try {
    const cx = coxPH(
      rows.map((c) => data.life(c.id)!.time),
      rows.map((c) => data.life(c.id)!.event),
      cov,
    );
    const c = cx.coefficients[0]!;
    if (!cx.converged || !Number.isFinite(c.se)) return null;
    return {
      name: `cycle life: Cox PH, poled layer vs control${cov[REST_DOSE.label] ? `, adjusted for ${REST_DOSE.label}` : ''}`,
      method: cx.method,
      n: { cells: rows.length, events: cx.events },
      effect: { name: 'hazard ratio poled layer vs control', value: c.hr, ci95: ci2(c.hrCi) },
      p: c.p,
    };
  } catch {
    return null;
  }
}

export function h14(ctx: Ctx, spec: HypothesisSpec): Draft {
  const { data, o } = ctx;
  const miss = needArms(ctx, ['FD', 'control'], (c) => data.lce(c.id) !== null);
  if (miss.length) return notTestable(spec, 'too few poled-layer or control cells with CE', miss);
  const pool = [...data.arm('FD'), ...data.arm('control')];
  const lives = data.cells.filter((c) => data.life(c.id));
  const failures = lives.filter((c) => data.life(c.id)!.event === 1).length;
  const extra: EndpointResult[] = survivalEndpoints(ctx, data.arm('FD'), data.arm('control'), ['FD', 'control']);
  const cox = adjustedCox(ctx, pool);
  if (cox) extra.push(cox);
  const d = compositeContrast(
    ctx,
    spec,
    [
      { param: 'LCE', sign: 1, label: 'LCE' },
      { param: 'cycle_life_80', sign: 1, label: 'cycle life (log-rank scores, censored)' },
    ],
    ['FD'],
    ['control'],
    'poled layer − control',
    extra,
    'the layer improves CE and cycle life',
  );
  if ('error' in d) return notTestable(spec, d.error, [`CE on ≥ ${o.minPerArm} cells per arm`, ...restToAddPair(ctx)]);
  if (failures > 0) return d;
  const only = `only LCE was tested: ${lives.length ? `none of the ${lives.length} cells with a cycle-life record reached end of life (all censored)` : 'no cycle-life records'}, so the survival part could not be`;
  return {
    ...d,
    test: `${d.test}; ${only}`,
    decide: (pd) => {
      const x = d.decide(pd);
      return { ...x, reason: `${x.reason} — ${only}` };
    },
  };
}
