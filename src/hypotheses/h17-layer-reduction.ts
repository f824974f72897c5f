/**
 * H17 (issue #20 §4): the layer's benefit fades as the layer is reduced by Li. BaTiO3 in contact with Li
 * (or on Cu at plating potential) is thermodynamically reducible, Ti⁴⁺ → Ti³⁺ (shared/domain/
 * MECHANISMS.md §7.2: TiO2 lithiates at ~1.7 V vs Li/Li⁺, Ventosa et al. 2017; BaTiO3 stores Li at
 * ~0.6 V, Nanomaterials 14, 1723 (2024)); the reduced layer consumes Li and possibly its polarisation.
 *
 * Test: among layer cells (every arm with a layer), the slope of LCE on the XPS Ti³⁺ fraction
 * (`ti3_fraction`, depth-averaged, src/fit/xps/ti3-fraction.ts) in the whole-campaign model — arm as a
 * factor (the slope is within arm, so poled vs unpoled is not read as reduction), rest as levels (each
 * rest duration its own mean — rest on Li reduces the layer and costs LCE, and the calibration lab showed
 * that a √t rest slope leaves a misfit that reads as reduction: raw false-positive rate 11 % of testable
 * corrosion-only campaigns, docs/hypotheses.md), cycler/batch blocks, and the cycles each cell ran (n and
 * ln n: reduction and CE drift both grow with cycling, so a run-length effect is not read as a reduction
 * effect), like H10, with the slope on n free per rest level (a rest between cycles is paid for by the
 * cycles after it, so the LCE–run-length relation differs between rest levels). With the bare
 * control's LCE at the same rest and blocks in the model's reference, the slope on LCE is the slope of
 * the layer − control benefit. Supported: slope < 0 (two-sided t-test, BH across the report). Caveat
 * (MECHANISMS §7.3): Ar⁺ sputtering itself makes Ti³⁺, so cells must share the sputter protocol; the
 * report lists the profile protocol with the XPS parameters.
 */
import type { CellSpec } from '../campaign/manifest.js';
import { fitCampaignModel, runLengthCovariates, termAicEndpoint } from './campaign-model.js';
import type { HypothesisSpec } from './catalog.js';
import type { ArmName } from './data.js';
import { contrastDraft, modelArms, notTestable, type Ctx, type Draft } from './draft.js';
import type { EndpointResult } from './types.js';

const LAYER_ARMS: readonly ArmName[] = ['FD', 'FD+anion', 'unpoled', 'depoled', 'paraelectric', 'inert'];

export function h17(ctx: Ctx, spec: HypothesisSpec): Draft {
  const { data, o } = ctx;
  const ti3 = (c: CellSpec) => data.value(c.id, 'ti3_fraction');
  const cells = data.cells.filter((c) => LAYER_ARMS.includes(data.armOf(c)) && ti3(c) !== null && data.lce(c.id) !== null);
  const need = 2 * o.minPerArm;
  if (cells.length < need)
    return notTestable(spec, `${cells.length} layer cells with a Ti³⁺ fraction and LCE (needs ≥ ${need})`, [
      `Ti 2p XPS (surface or at a common sputter dose) of ≥ ${need} layer cells after cycling`,
      'a Li-free, uncycled BTO control from the same XPS session',
    ]);
  if (new Set(cells.map(ti3)).size < 3)
    return notTestable(spec, 'the Ti³⁺ fraction does not vary among the layer cells', [
      'layer cells cycled for different times or rested on Li for different times (different reduction)',
    ]);
  const { ran, covariates: runLength } = runLengthCovariates(data, cells);
  const haveRan = runLength.length > 0;
  const covs = [{ name: 'ti3_fraction', value: ti3 }, ...runLength];
  // Rest enters as levels (each rest duration and position its own mean), not as the √t dose: rest on Li
  // both reduces the layer (Ti³⁺ grows at open circuit too, MECHANISMS §7.2) and costs LCE (H1), so any
  // misfit of an assumed rest law would be read as "reduction erodes the benefit". With levels, the slope
  // comes only from Ti³⁺ differences among cells that rested alike.
  const restLevel = (c: CellSpec): string | null => {
    const rr = data.rest(c);
    return rr ? `${rr.hours} h${c.restPosition ? ` ${c.restPosition}` : ''}` : null;
  };
  const factors = new Set(cells.map(restLevel)).size > 1 ? [{ name: 'rest', level: restLevel }] : [];
  // A rest between cycles is paid for by the cycles after it, so how LCE falls with the cycles run
  // differs between rest levels, and Ti³⁺ grows with those cycles too: with one common n slope the misfit
  // reads as reduction (the lab: 13 of 40 corrosion-only campaigns with five rests between cycles called
  // "supported" at raw p; 3 of 40 with a slope on n per rest level, docs/hypotheses.md). So n gets a slope
  // per rest level
  // (only at levels where n varies: otherwise the column is the level's mean, which the rest factor holds)
  const restSlopes = (factors.length && haveRan ? [...new Set(cells.map(restLevel))].sort().slice(1) : []).filter(
    (lv) => new Set(cells.filter((c) => restLevel(c) === lv).map(ran)).size > 1,
  );
  for (const lv of restSlopes) covs.push({ name: `cycles run × rest ${lv}`, value: (c: CellSpec) => (restLevel(c) === lv ? ran(c) : 0) });
  const r = fitCampaignModel(data, { yName: 'LCE', y: (c) => data.lce(c.id), cells, rest: 'none', covariates: covs, factors }, o.minDfResid);
  if (!r.ok) return notTestable(spec, r.reason, ['more layer cells with a Ti³⁺ fraction']);
  const m = r.model;
  if (!m.has('ti3_fraction'))
    return notTestable(spec, `the Ti³⁺ fraction is not separable from arm, cycles run and rest in this design (${m.dropped.join(', ')})`, [
      'layer cells of one arm with different reduction at the same number of cycles',
    ]);
  const aic = termAicEndpoint(
    data,
    m,
    covs,
    { endpoint: 'the Ti³⁺ fraction', effect: 'ΔAIC (+ = reduction explains LCE)', same: 'same covariates and rest levels' },
    { rest: 'none', factors },
  );
  const endpoints: EndpointResult[] = aic ? [aic] : [];
  const arms = modelArms(m, data);
  return contrastDraft(ctx, spec, {
    model: m,
    weights: { ti3_fraction: 1 },
    test: `the benefit fades as the layer is reduced: t-test of the LCE slope on the XPS Ti³⁺ fraction Ti³⁺/(Ti³⁺ + Ti⁴⁺) (Ti 2p3/2, depth-averaged) among layer cells, arm as a factor (within-arm slope), ${haveRan ? `adjusted for the cycles run (n and ln n${restSlopes.length ? ', with a slope on n per rest level' : ''})` : 'NOT adjusted for cycles run (no cycle counts)'}, ${factors.length ? 'rest as levels (each rest duration its own mean, no rest law assumed: rest on Li both reduces the layer and costs LCE)' : 'rest not varied'} and blocks (the slope of LCE is the slope of the layer − control benefit at a common rest and block); Ti³⁺ from sputtered levels only compares at a common sputter protocol (MECHANISMS §7.3)`,
    effectName: 'dLCE/d(Ti³⁺ fraction) among layer cells (− = benefit fades with reduction)',
    direction: -1,
    what: 'the slope on the Ti³⁺ fraction',
    margin: 'partial-sd',
    marginLabel: '',
    design: { kind: 'regression', groups: arms.groups, x: 'ti3_fraction', y: 'LCE' },
    n: { cells: m.fit.n, ...arms.n },
    endpoints,
  });
}
