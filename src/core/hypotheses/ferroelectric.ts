/**
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
import type { CellSpec } from '../../campaign/manifest.js';
import { compareModels } from '../stats/modelSelection.js';
import { armContrast, fitCampaignModel } from './campaign-model.js';
import type { HypothesisSpec } from './catalog.js';
import { compositeScores } from './composite.js';
import { NON_POLAR_LAYERS, valuesOf, type ArmName } from './data.js';
import { ARM_HINT, armSummary, base, ci2, contrastDraft, directional, modelArms, notTestable, welchEndpoint, type Ctx, type Draft } from './draft.js';
import { perCycleRetentionTest } from './per-cycle.js';
import { chooseNetMeasure } from './net-polarisation.js';
import { normalQuantile } from '../stats/distributions.js';
import type { EndpointResult } from './types.js';

const nonPolarAdd = (o: { minPerArm: number }): string[] => [`≥ ${o.minPerArm} ${ARM_HINT.unpoled}`, `or ≥ ${o.minPerArm} ${ARM_HINT.depoled}`, `or ≥ ${o.minPerArm} ${ARM_HINT.paraelectric}`];

export function h8(ctx: Ctx, spec: HypothesisSpec): Draft {
  const { data, o } = ctx;
  const refs = NON_POLAR_LAYERS.filter((a) => data.arm(a).length >= 2);
  if (data.arm('FD').length < 2 || !refs.length) return notTestable(spec, `a ferroelectric effect needs poled cells and an equal layer without net polarisation (poled ${data.arm('FD').length}, unpoled ${data.arm('unpoled').length}, depoled ${data.arm('depoled').length}, paraelectric ${data.arm('paraelectric').length}); the bare control is not a reference for it`, [...(data.arm('FD').length < 2 ? [`≥ ${o.minPerArm} ${ARM_HINT.FD}`] : []), ...nonPolarAdd(o)]);
  const comp = compositeScores(data, data.cells, [
    { param: 'LCE', sign: 1, label: 'LCE' },
    { param: 'cycle_life_80', sign: 1, label: 'cycle life' },
    { param: 'sei_inorganic_fraction', sign: 1, label: 'f' },
    { param: 'heterogeneity_index', sign: -1, label: 'H' },
  ], 2 * o.minPerArm);
  if (!comp.used.length) return notTestable(spec, 'no LCE, cycle life, f or H on enough cells', [`CE on ≥ ${o.minPerArm} cells per arm`]);
  const yName = `composite(${comp.used.map((e) => `${e.sign < 0 ? '−' : ''}${e.label}`).join(', ')})`;
  // The reference is the same material without net polarisation when the campaign has it; the layer
  // material is a factor of the model, so materials that differ in everything but poling do not
  // make a poling effect (a paraelectric of another material is used only when nothing else is there).
  const matOf = (c: CellSpec): string => (c.ferroelectric ?? 'none').toLowerCase();
  const poledMats = new Set(data.arm('FD').map(matOf));
  const sameMat = refs.filter((a) => data.arm(a).some((c) => poledMats.has(matOf(c))));
  const r = fitCampaignModel(data, { yName, y: (c) => comp.scores.get(c.id) ?? null, rest: 'per-arm', factors: [{ name: 'material', level: matOf }] }, o.minDfResid);
  if (!r.ok) return notTestable(spec, r.reason, ['more layer cells']);
  const m = r.model;
  const present = (sameMat.length ? sameMat : refs).filter((a) => m.arms.includes(a));
  if (!present.length) return notTestable(spec, 'no layer without net polarisation among the cells with the composite', nonPolarAdd(o));
  const k = armContrast(m, data, ['FD'], present);
  if ('error' in k) return notTestable(spec, k.error, [`poled and ${present.join('/')} cells at a common rest time, or both at ≥ 2 rest times`]);
  const extra: EndpointResult[] = [];
  const ref = present.flatMap((a) => data.arm(a));
  const wl = welchEndpoint(`LCE poled vs ${present.join('+')}`, valuesOf(data, data.arm('FD'), 'LCE'), valuesOf(data, ref, 'LCE'), ['poled', present.join('+')]);
  if (wl) extra.push(wl);
  const up = data.arm('FD').filter((c) => c.polingDirection === 'up');
  const down = data.arm('FD').filter((c) => c.polingDirection === 'down');
  if (up.length >= 2 && down.length >= 2) {
    const w = welchEndpoint('LCE poled up vs poled down (a sign-dependent effect is polarisation, not chemistry)', valuesOf(data, up, 'LCE'), valuesOf(data, down, 'LCE'), ['up', 'down']);
    if (w) extra.push(w);
  }
  const arms = modelArms(m, data);
  return contrastDraft(ctx, spec, {
    model: m, weights: k.weights,
    test: `poled layer − ${present.join('/')} layer (${sameMat.length ? 'the same layer material' : 'a different material: the contrast includes any difference between the materials'} without net polarisation; layer material a factor) on the O'Brien rank-sum composite of ${comp.used.map((e) => e.label).join(' + ')} (scores from all cells): t-test of the contrast in the whole-campaign model${k.note ? `; ${k.note}` : ''}`,
    effectName: `poled − ${present.join('/')} contrast of the composite (+ = polarisation helps)`, direction: 1, what: `the poled − ${present.join('/')} contrast`,
    margin: o.smdMargin, marginLabel: `±${o.smdMargin} SD of the composite`,
    design: { kind: 'ordered groups', groups: arms.groups, x: `poled vs ${present.join('/')}`, y: yName }, n: arms.n, endpoints: extra,
  });
}

const LAYERS: readonly ArmName[] = ['FD', 'unpoled', 'depoled', 'paraelectric', 'inert'];

export function h9(ctx: Ctx, spec: HypothesisSpec): Draft {
  const { data, o } = ctx;
  // Net polarisation (PFM, d33, pyro: non-switching probes) when enough layer cells have it; else Pr,
  // which a P–E loop gives the same for poled and unpoled films (MECHANISMS §6.4; net-polarisation.ts).
  const net = chooseNetMeasure(data, data.cells.filter((c) => LAYERS.includes(data.armOf(c)) && !c.preadsorbedAnion && data.lce(c.id) !== null), 2 * o.minPerArm, 'as-built');
  const dose = net ? net.value : (c: CellSpec) => data.pr(c.id);
  const X = net ? `net polarisation (${net.measure})` : 'Pr';
  const cells = data.cells.filter((c) => LAYERS.includes(data.armOf(c)) && !c.preadsorbedAnion && dose(c) !== null && data.lce(c.id) !== null);
  const material = (c: CellSpec): string => (c.ferroelectric ?? 'unnamed layer').toLowerCase();
  const within = [...new Set(cells.map(material))].filter((mat) => new Set(cells.filter((c) => material(c) === mat).map((c) => dose(c))).size >= 2);
  const distinct = new Set(cells.map((c) => dose(c))).size;
  if (cells.length < 2 * o.minPerArm || distinct < 3 || !within.length) return notTestable(spec, `${cells.length} layer cells with ${X} and LCE, ${distinct} distinct ${X} value(s), ${within.length} material(s) in which ${X} varies (needs ≥ ${2 * o.minPerArm} cells, ≥ 3 distinct values, and varied within a material — across materials it comes with every other difference between them)`, ['PFM phase images, manifest d33_pm_V / pyro_current_nA, or P–E loops (Pr) / manifest pr_uC_cm2 for every layer cell', 'one layer material at different polarisation: poled / partially poled / unpoled or depoled']);
  const pr = { name: 'Pr_eff', value: dose };
  const r = fitCampaignModel(data, { yName: 'LCE', y: (c) => data.lce(c.id), cells, arms: false, rest: 'common', covariates: [pr], factors: [{ name: 'material', level: material }] }, o.minDfResid);
  if (!r.ok) return notTestable(spec, r.reason, ['more layer cells with Pr']);
  const m = r.model;
  if (!m.has('Pr_eff')) return notTestable(spec, 'Pr is not separable from material and rest in this design', ['one layer material at different polarisation']);
  return contrastDraft(ctx, spec, {
    model: m, weights: { Pr_eff: 1 },
    test: net
      ? `dose–response within a layer material: t-test of the LCE slope on the net polarisation measured by ${net.measure} (|as-built value| [${net.unit}], ${net.measured} cells measured; paraelectric, inert and depoled layers 0 when not measured) with material as a factor, over layer cells without a pre-adsorbed anion; net polarisation used, not the P–E Pr (a loop's Pr is the same for poled and unpoled films, MECHANISMS §6.4)`
      : 'dose–response within a layer material: t-test of the LCE slope on Pr (measured P–E Pr, else manifest pr_uC_cm2; paraelectric, inert and depoled layers 0) with material as a factor, over layer cells without a pre-adsorbed anion; no net-polarisation measure (PFM, d33, pyro) on enough cells, so switchable Pr is used (it does not tell poled from unpoled, MECHANISMS §6.4)',
    effectName: net ? `dLCE/d|${net.measure}| within material [per ${net.unit}]` : 'dLCE/dPr within material [per µC/cm²]', direction: 1, what: `the within-material slope on ${X}`,
    margin: 'partial-sd', marginLabel: '',
    design: { kind: 'regression', groups: [], x: net ? `|${net.measure}| [${net.unit}] (within material)` : 'Pr_eff [uC/cm2] (within material)', y: 'LCE' }, n: { cells: m.fit.n, materials: new Set(m.cells.map(material)).size },
  });
}

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
    ...base(spec, `per-cycle test: for each poled cell with a polarisation series (≥ 3 P–E loops placed in its cycling history), the OLS slope of ΔLCE_n = LCE_n − mean LCE_n of the ${same.length >= 2 ? 'same layer without net polarisation' : 'non-polar layers'} (${r.reference.join(', ')}) on P_n (interpolated in ln(1 + n) between loops); slopes tested > 0 across cells (one-sample t, the cell is the unit)`),
    design: { kind: 'regression', groups: [armSummary('poled (with a series)', r.slopes.map((s) => s.cell)), armSummary('reference', r.reference)], x: 'P_n [uC/cm2]', y: 'ΔLCE_n vs the non-polar layer' },
    n: { cells: r.slopes.length, reference: r.reference.length },
    effect: { name: 'mean per-cell slope dΔLCE_n/dP_n [per µC/cm²]', value: r.estimate, ci95: ci2(r.ci) },
    p: r.p,
    power: { mde: (normalQuantile(1 - o.alpha / 2) + normalQuantile(0.8)) * r.se, scale: 'slope per µC/cm²', note: `normal approximation from the spread of ${r.slopes.length} per-cell slopes` },
    endpoints: r.slopes.map((s) => ({ name: `slope ${s.cell}`, method: 'OLS of ΔLCE_n on P_n', n: { cycles: s.cycles, loops: s.loops }, effect: { name: 'dΔLCE/dP', value: s.slope, ci95: null }, p: null })),
    decide: (pd) => directional(o, pd, r.estimate, 1, 'the mean per-cycle slope on P_n', null),
  };
}

export function h10(ctx: Ctx, spec: HypothesisSpec): Draft {
  const { data, o } = ctx;
  // Retention of NET polarisation (PFM / d33 / pyro checkpoints: net-polarisation.ts) when enough poled
  // cells have it; else the per-cycle P–E series, else the P–E retention (switchable Pr, MECHANISMS §6.4).
  const netRet = chooseNetMeasure(data, [...data.arm('FD'), ...data.arm('FD+anion')].filter((c) => data.lce(c.id) !== null), 2 * o.minPerArm, 'retention');
  const perCycle = netRet ? null : h10PerCycle(ctx, spec);
  if (perCycle) return perCycle;
  const retOf = netRet ? netRet.value : (c: CellSpec) => data.value(c.id, 'polarisation_retention');
  if (!netRet && !data.has('polarisation_retention')) return notTestable(spec, 'no polarisation_retention (P–E loops of the layer before and after cycling)', ['P–E loops (or PFM/pyroelectric checks) of poled layers before and after cycling → polarisation_retention']);
  const poled = [...data.arm('FD'), ...data.arm('FD+anion')].filter((c) => retOf(c) !== null && data.lce(c.id) !== null);
  if (poled.length < 2 * o.minPerArm) return notTestable(spec, `${poled.length} poled cells with retention and LCE (needs ≥ ${2 * o.minPerArm})`, [`P–E before/after cycling on ≥ ${2 * o.minPerArm} poled cells`]);
  if (new Set(poled.map((c) => retOf(c))).size < 3) return notTestable(spec, 'polarisation retention does not vary among the poled cells', ['poled cells with different retention (fatigued, or cycled for different times)']);
  // Cycles run: the cycles fitter's count, else the cycle-life observation (event or censoring).
  const ran = (c: CellSpec): number | null => data.value(c.id, 'cycles_completed') ?? data.life(c.id)?.time ?? null;
  const haveRan = poled.filter((c) => (ran(c) ?? 0) > 0).length >= poled.length - 1;
  // cycles run enters as n and ln n (fatigue is roughly logarithmic in cycles, CE drifts roughly
  // linearly): whichever shape links them, a run-length effect is not read as a polarisation effect
  const covs = [
    { name: 'polarisation_retention', value: retOf },
    ...(haveRan ? [{ name: 'cycles run', value: (c: CellSpec) => ran(c) }, { name: 'log cycles run', value: (c: CellSpec) => { const n = ran(c); return n && n > 0 ? Math.log(n) : null; } }] : []),
  ];
  const r = fitCampaignModel(data, { yName: 'LCE', y: (c) => data.lce(c.id), cells: poled, rest: 'common', covariates: covs }, o.minDfResid);
  if (!r.ok) return notTestable(spec, r.reason, ['more poled cells with retention']);
  const m = r.model;
  if (!m.has('polarisation_retention')) return notTestable(spec, `retention is not separable from the cycles run and rest in this design (${m.dropped.join(', ')})`, ['poled cells cycled for the same number of cycles but fatigued differently, or cycled for different times with retention measured at each']);
  const without = fitCampaignModel(data, { yName: 'LCE', y: (c) => data.lce(c.id), cells: m.cells, rest: 'common', covariates: covs.slice(1) }, 1);
  const endpoints: EndpointResult[] = [];
  if (without.ok) {
    const cmp = compareModels([{ name: 'without retention', logLik: without.model.fit.logLik, k: without.model.fit.k, n: m.fit.n }, { name: 'with retention', logLik: m.fit.logLik, k: m.fit.k, n: m.fit.n }]);
    endpoints.push({ name: 'AIC: LCE with vs without retention (same covariates)', method: 'Gaussian log-likelihood', n: { cells: m.fit.n }, effect: { name: 'ΔAIC (+ = retention explains LCE)', value: cmp.find((c) => c.name === 'without retention')!.aic - cmp.find((c) => c.name === 'with retention')!.aic, ci95: null }, p: null });
  }
  const arms = modelArms(m, data);
  return contrastDraft(ctx, spec, {
    model: m, weights: { polarisation_retention: 1 },
    test: `${netRet ? `retention of net polarisation measured by ${netRet.measure} (|last checkpoint| / |as built|, ${netRet.measured} poled cells)` : 'retention of switchable P–E Pr (no net-polarisation checkpoints: PFM, d33 or pyro; a loop does not tell poled from unpoled, MECHANISMS §6.4)'}; the benefit tracks the polarisation left: t-test of the LCE slope on polarisation_retention among poled cells, ${haveRan ? 'adjusted for the cycles run (n and ln n)' : 'NOT adjusted for cycles run (no cycle counts)'}, rest and blocks (the slope needs no reference arm; the per-cycle ΔCE_n vs P_n test needs a polarisation series per cell)`,
    effectName: 'dLCE/d(retention) among poled cells', direction: 1, what: 'the slope on retention',
    margin: 'partial-sd', marginLabel: '',
    design: { kind: 'regression', groups: arms.groups, x: 'polarisation_retention', y: 'LCE' }, n: { cells: m.fit.n }, endpoints,
  });
}
