/**
 * H10: The FD benefit decays with polarisation retention.
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
import { armSummary, base, ci2, contrastDraft, directional, modelArms, notTestable, type Ctx, type Draft } from './draft.js';
import { NON_POLAR_LAYERS } from './data.js';
import { fitCampaignModel, runLengthCovariates, termAicEndpoint } from './campaign-model.js';
import { chooseNetMeasure } from './net-polarisation.js';
import { normalQuantile } from '../stats/distributions.js';
import { perCycleRetentionTest } from './per-cycle.js';

/** H10 on per-cycle CE and a polarisation series per cell, against the non-polar layer's per-cycle LCE. */
function h10PerCycle(ctx: Ctx, spec: HypothesisSpec): Draft | null {
  const { data, o } = ctx;
  if (!o.perCycle) return null;
  const poled = [...data.arm('FD'), ...data.arm('FD+anion')].map((c) => c.id);
  const matOf = (c: CellSpec): string => (c.ferroelectric ?? '').toLowerCase();
  const mats = new Set([...data.arm('FD'), ...data.arm('FD+anion')].map(matOf));
  const nonPolar = NON_POLAR_LAYERS.flatMap((a) => data.arm(a));
  const same = nonPolar.filter((c) => mats.has(matOf(c)));
  const ref = (same.length >= 2 ? same : nonPolar).map((c) => c.id);
  const r = perCycleRetentionTest(o.perCycle, poled, ref);
  if (!r) return null;
  return {
    ...base(
      spec,
      `per-cycle test: for each poled cell with a polarisation series (≥ 3 P–E loops placed in its cycling history), the OLS slope of ΔLCE_n = LCE_n − mean LCE_n of the ${same.length >= 2 ? 'same layer without net polarisation' : 'non-polar layers'} (${r.reference.join(', ')}) on P_n (interpolated in ln(1 + n) between loops); slopes tested > 0 across cells (one-sample t, the cell is the unit)`,
    ),
    design: {
      kind: 'regression',
      groups: [
        armSummary(
          'poled (with a series)',
          r.slopes.map((s) => s.cell),
        ),
        armSummary('reference', r.reference),
      ],
      x: 'P_n [uC/cm2]',
      y: 'ΔLCE_n vs the non-polar layer',
    },
    n: { cells: r.slopes.length, reference: r.reference.length },
    effect: { name: 'mean per-cell slope dΔLCE_n/dP_n [per µC/cm²]', value: r.estimate, ci95: ci2(r.ci) },
    p: r.p,
    power: {
      mde: (normalQuantile(1 - o.alpha / 2) + normalQuantile(0.8)) * r.se,
      scale: 'slope per µC/cm²',
      note: `normal approximation from the spread of ${r.slopes.length} per-cell slopes`,
    },
    endpoints: r.slopes.map((s) => ({
      name: `slope ${s.cell}`,
      method: 'OLS of ΔLCE_n on P_n',
      n: { cycles: s.cycles, loops: s.loops },
      effect: { name: 'dΔLCE/dP', value: s.slope, ci95: null },
      p: null,
    })),
    decide: (pd) => directional(o, pd, r.estimate, 1, 'the mean per-cycle slope on P_n', null),
  };
}

export function h10(ctx: Ctx, spec: HypothesisSpec): Draft {
  const { data, o } = ctx;
  // Retention of NET polarisation (PFM / d33 / pyro checkpoints: net-polarisation.ts) when enough poled
  // cells have it; else the per-cycle P–E series, else the P–E retention (switchable Pr, MECHANISMS §6.4).
  const netRet = chooseNetMeasure(
    data,
    [...data.arm('FD'), ...data.arm('FD+anion')].filter((c) => data.lce(c.id) !== null),
    2 * o.minPerArm,
    'retention',
  );
  const perCycle = netRet ? null : h10PerCycle(ctx, spec);
  if (perCycle) return perCycle;
  const retOf = netRet ? netRet.value : (c: CellSpec) => data.value(c.id, 'polarisation_retention');
  if (!netRet && !data.has('polarisation_retention'))
    return notTestable(spec, 'no polarisation_retention (P–E loops of the layer before and after cycling)', [
      'P–E loops (or PFM/pyroelectric checks) of poled layers before and after cycling → polarisation_retention',
    ]);
  const poled = [...data.arm('FD'), ...data.arm('FD+anion')].filter((c) => retOf(c) !== null && data.lce(c.id) !== null);
  if (poled.length < 2 * o.minPerArm)
    return notTestable(spec, `${poled.length} poled cells with retention and LCE (needs ≥ ${2 * o.minPerArm})`, [
      `P–E before/after cycling on ≥ ${2 * o.minPerArm} poled cells`,
    ]);
  if (new Set(poled.map((c) => retOf(c))).size < 3)
    return notTestable(spec, 'polarisation retention does not vary among the poled cells', [
      'poled cells with different retention (fatigued, or cycled for different times)',
    ]);
  const { covariates: runLength } = runLengthCovariates(data, poled);
  const haveRan = runLength.length > 0;
  // cycles run enters as n and ln n (fatigue is roughly logarithmic in cycles, CE drifts roughly
  // linearly): whichever shape links them, a run-length effect is not read as a polarisation effect
  const covs = [{ name: 'polarisation_retention', value: retOf }, ...runLength];
  const r = fitCampaignModel(data, { yName: 'LCE', y: (c) => data.lce(c.id), cells: poled, rest: 'common', covariates: covs }, o.minDfResid);
  if (!r.ok) return notTestable(spec, r.reason, ['more poled cells with retention']);
  const m = r.model;
  if (!m.has('polarisation_retention'))
    return notTestable(spec, `retention is not separable from the cycles run and rest in this design (${m.dropped.join(', ')})`, [
      'poled cells cycled for the same number of cycles but fatigued differently, or cycled for different times with retention measured at each',
    ]);
  const aic = termAicEndpoint(data, m, covs, { endpoint: 'retention', effect: 'ΔAIC (+ = retention explains LCE)' });
  const endpoints: EndpointResult[] = aic ? [aic] : [];
  const arms = modelArms(m, data);
  return contrastDraft(ctx, spec, {
    model: m,
    weights: { polarisation_retention: 1 },
    test: `${netRet ? `retention of net polarisation measured by ${netRet.measure} (|last checkpoint| / |as built|, ${netRet.measured} poled cells)` : 'retention of switchable P–E Pr (no net-polarisation checkpoints: PFM, d33 or pyro; a loop does not tell poled from unpoled, MECHANISMS §6.4)'}; the benefit tracks the polarisation left: t-test of the LCE slope on polarisation_retention among poled cells, ${haveRan ? 'adjusted for the cycles run (n and ln n)' : 'NOT adjusted for cycles run (no cycle counts)'}, rest and blocks (the slope needs no reference arm; the per-cycle ΔCE_n vs P_n test needs a polarisation series per cell)`,
    effectName: 'dLCE/d(retention) among poled cells',
    direction: 1,
    what: 'the slope on retention',
    margin: 'partial-sd',
    marginLabel: '',
    design: { kind: 'regression', groups: arms.groups, x: 'polarisation_retention', y: 'LCE' },
    n: { cells: m.fit.n },
    endpoints,
  });
}
