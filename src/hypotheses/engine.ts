/**
 * The hypothesis engine: H1–H14 (ids and claims from catalog.ts) evaluated on a campaign's cells and
 * fitted per-cell parameters. Each hypothesis is a pre-specified model over every cell that carries
 * its quantities (campaign-model.ts: arm, rest dose per arm, cycler/batch blocks, covariates) and is
 * decided by one contrast's two-sided p-value; p-values are Holm- and BH-adjusted across the report
 * and the adjusted value chosen by `decideWith` (default BH) decides 'supported'. "No effect" is only
 * declared from TOST equivalence (or a significant effect in the opposite direction). A ferroelectric
 * claim (H8–H10) is referenced to an equal layer without net polarisation, never to the bare control.
 * Rules, margins and the arm mapping are documented in docs/hypotheses.md.
 */
import type { CellSpec } from '../campaign/manifest.js';
import type { CellParameter } from '../records/results.js';
import { benjaminiHochberg, holm } from '../stats/multiplicity.js';
import { HYPOTHESES, type HypothesisSpec } from './catalog.js';
import { CampaignData } from './data.js';
import { base, type Ctx, type Draft } from './draft.js';
import { h1 } from './h01-rest-costs-inventory.js';
import { h2 } from './h02-corrosion-passivates.js';
import { h3 } from './h03-rest-makes-sei-heterogeneous.js';
import { h4 } from './h04-heterogeneity-drives-failure.js';
import { h5 } from './h05-rest-heterogeneity-failure-chain.js';
import { h6 } from './h06-layer-raises-inorganic-fraction.js';
import { h7 } from './h07-layer-homogenises-sei.js';
import { h8 } from './h08-effect-is-ferroelectric.js';
import { h9 } from './h09-polarisation-dose-response.js';
import { h10 } from './h10-benefit-follows-retention.js';
import { h11 } from './h11-layer-suppresses-rest-corrosion.js';
import { h12 } from './h12-preadsorbed-anion-templates-sei.js';
import { h13 } from './h13-inorganic-sei-raises-ce.js';
import { h14 } from './h14-layer-improves-ce-and-life.js';
import { h15 } from './h15-transference.js';
import { h17 } from './h17-layer-reduction.js';
import { h16 } from './h16-solvation.js';
import { resolveEvaluateOptions, type EvaluateOptions, type HypothesisResult } from './types.js';

export * from './types.js';

const EVALUATORS: Record<string, (ctx: Ctx, spec: HypothesisSpec) => Draft> = {
  H1: h1,
  H2: h2,
  H3: h3,
  H4: h4,
  H5: h5,
  H6: h6,
  H7: h7,
  H8: h8,
  H9: h9,
  H10: h10,
  H11: h11,
  H12: h12,
  H13: h13,
  H14: h14,
  H15: h15,
  H17: h17,
  H16: h16,
};

/** Replace ±Infinity / NaN by null so results survive JSON.stringify unchanged. */
function jsonSafe<T>(v: T): T {
  return JSON.parse(JSON.stringify(v, (_k, x) => (typeof x === 'number' && !Number.isFinite(x) ? null : x))) as T;
}

/**
 * Evaluate H1–H14 for a campaign. One result per catalogue entry, in catalogue order. A failure
 * inside one hypothesis gives that hypothesis 'not available' with the error, never a thrown report.
 */
export function evaluateHypotheses(cells: readonly CellSpec[], params: readonly CellParameter[], opts: EvaluateOptions = {}): HypothesisResult[] {
  const o = resolveEvaluateOptions(opts);
  const data = new CampaignData(cells, params, o.cellInfo);
  const ctx: Ctx = { data, o };
  const drafts: Draft[] = HYPOTHESES.map((spec) => {
    const ev = EVALUATORS[spec.id];
    if (!ev) return { ...base(spec, spec.test), decide: () => ({ verdict: 'not available', reason: `no evaluator for ${spec.id}`, rule: 'engine' }) };
    try {
      return ev(ctx, spec);
    } catch (err) {
      const msg = err instanceof Error ? err.message : String(err);
      return {
        ...base(spec, spec.test),
        decide: () => ({ verdict: 'not available', reason: `the engine could not evaluate ${spec.id}: ${msg}`, rule: 'engine error' }),
      };
    }
  });
  const ps = drafts.map((d) => (d.p !== null && Number.isFinite(d.p) ? d.p : null));
  const pH = holm(ps);
  const pB = benjaminiHochberg(ps);
  return drafts.map((d, i) => {
    const pd = o.decideWith === 'raw' ? ps[i]! : o.decideWith === 'holm' ? pH[i]! : pB[i]!;
    const dec = d.decide(pd ?? null);
    const { decide: _d, ...rest } = d;
    void _d;
    return jsonSafe({ ...rest, verdict: dec.verdict, reason: dec.reason, rule: dec.rule, pHolm: pH[i] ?? null, pBH: pB[i] ?? null, pUsed: o.decideWith });
  });
}

/** The ferroelectric hypotheses: a "supported" among them is a claim that net polarisation matters. */
export const FERROELECTRIC_IDS = ['H8', 'H9', 'H10'] as const;
const LAYER_IDS = ['H6', 'H7', 'H11', 'H14', 'H15', 'H16'];

/**
 * One sentence for the report's summary: whether any ferroelectric claim is made, and on which
 * evidence; layer effects without one are called effects of the layer.
 */
export function ferroelectricStatement(results: readonly Pick<HypothesisResult, 'id' | 'verdict' | 'effect' | 'reason'>[]): string {
  const fe = results.filter((r) => (FERROELECTRIC_IDS as readonly string[]).includes(r.id));
  const sup = fe.filter((r) => r.verdict === 'supported');
  const layer = results.filter((r) => LAYER_IDS.includes(r.id) && r.verdict === 'supported').map((r) => r.id);
  if (sup.length) {
    const ev = sup.map(
      (r) =>
        `${r.id} (${r.id === 'H8' ? 'poled beats the same layer without net polarisation' : r.id === 'H9' ? 'LCE rises with Pr within a layer material' : 'LCE tracks the polarisation each poled cell kept, adjusted for cycles run'})`,
    );
    return `A ferroelectric claim is made, on ${ev.join(' and ')}.`;
  }
  const h8 = fe.find((r) => r.id === 'H8');
  const why = h8 ? `H8 (poled vs an equal layer without net polarisation) is ${h8.verdict}` : 'H8 was not evaluated';
  return `No ferroelectric claim is made: ${why}${layer.length ? `; ${layer.join(', ')} are effects of the layer, which a non-polar layer could explain` : ''}.`;
}
