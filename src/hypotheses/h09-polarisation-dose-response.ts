/**
 * H9: Dose–response in polarisation.
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
import type { HypothesisSpec } from './catalog.js';
import { contrastDraft, notTestable, type Ctx, type Draft } from './draft.js';
import type { ArmName } from './data.js';
import { fitCampaignModel } from './campaign-model.js';
import { chooseNetMeasure } from './net-polarisation.js';

const LAYERS: readonly ArmName[] = ['FD', 'unpoled', 'depoled', 'paraelectric', 'inert'];

export function h9(ctx: Ctx, spec: HypothesisSpec): Draft {
  const { data, o } = ctx;
  // Net polarisation (PFM, d33, pyro: non-switching probes) when enough layer cells have it; else Pr,
  // which a P–E loop gives the same for poled and unpoled films (MECHANISMS §6.4; net-polarisation.ts).
  const net = chooseNetMeasure(
    data,
    data.cells.filter((c) => LAYERS.includes(data.armOf(c)) && !c.preadsorbedAnion && data.lce(c.id) !== null),
    2 * o.minPerArm,
    'as-built',
  );
  const dose = net ? net.value : (c: CellSpec) => data.pr(c.id);
  const X = net ? `net polarisation (${net.measure})` : 'Pr';
  const cells = data.cells.filter((c) => LAYERS.includes(data.armOf(c)) && !c.preadsorbedAnion && dose(c) !== null && data.lce(c.id) !== null);
  const material = (c: CellSpec): string => (c.ferroelectric ?? 'unnamed layer').toLowerCase();
  const within = [...new Set(cells.map(material))].filter((mat) => new Set(cells.filter((c) => material(c) === mat).map((c) => dose(c))).size >= 2);
  const distinct = new Set(cells.map((c) => dose(c))).size;
  if (cells.length < 2 * o.minPerArm || distinct < 3 || !within.length)
    return notTestable(
      spec,
      `${cells.length} layer cells with ${X} and LCE, ${distinct} distinct ${X} value(s), ${within.length} material(s) in which ${X} varies (needs ≥ ${2 * o.minPerArm} cells, ≥ 3 distinct values, and varied within a material — across materials it comes with every other difference between them)`,
      [
        'PFM phase images, manifest d33_pm_V / pyro_current_nA, or P–E loops (Pr) / manifest pr_uC_cm2 for every layer cell',
        'one layer material at different polarisation: poled / partially poled / unpoled or depoled',
      ],
    );
  const pr = { name: 'Pr_eff', value: dose };
  const r = fitCampaignModel(
    data,
    { yName: 'LCE', y: (c) => data.lce(c.id), cells, arms: false, rest: 'common', covariates: [pr], factors: [{ name: 'material', level: material }] },
    o.minDfResid,
  );
  if (!r.ok) return notTestable(spec, r.reason, ['more layer cells with Pr']);
  const m = r.model;
  if (!m.has('Pr_eff')) return notTestable(spec, 'Pr is not separable from material and rest in this design', ['one layer material at different polarisation']);
  return contrastDraft(ctx, spec, {
    model: m,
    weights: { Pr_eff: 1 },
    test: net
      ? `dose–response within a layer material: t-test of the LCE slope on the net polarisation measured by ${net.measure} (|as-built value| [${net.unit}], ${net.measured} cells measured; paraelectric, inert and depoled layers 0 when not measured) with material as a factor, over layer cells without a pre-adsorbed anion; net polarisation used, not the P–E Pr (a loop's Pr is the same for poled and unpoled films, MECHANISMS §6.4)`
      : 'dose–response within a layer material: t-test of the LCE slope on Pr (measured P–E Pr, else manifest pr_uC_cm2; paraelectric, inert and depoled layers 0) with material as a factor, over layer cells without a pre-adsorbed anion; no net-polarisation measure (PFM, d33, pyro) on enough cells, so switchable Pr is used (it does not tell poled from unpoled, MECHANISMS §6.4)',
    effectName: net ? `dLCE/d|${net.measure}| within material [per ${net.unit}]` : 'dLCE/dPr within material [per µC/cm²]',
    direction: 1,
    what: `the within-material slope on ${X}`,
    margin: 'partial-sd',
    marginLabel: '',
    design: { kind: 'regression', groups: [], x: net ? `|${net.measure}| [${net.unit}] (within material)` : 'Pr_eff [uC/cm2] (within material)', y: 'LCE' },
    n: { cells: m.fit.n, materials: new Set(m.cells.map(material)).size },
  });
}
