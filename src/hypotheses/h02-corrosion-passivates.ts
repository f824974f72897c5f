/**
 * H2: Corrosion is passivating (self-limiting).
 * Claim, quantity, test and refutation rule: catalog.ts and docs/hypotheses.md.
 *
 * The family (rest):
 * Hypotheses about open-circuit exposure (rest before the first cycle, or between cycles): H1 rest
 * corrosion costs inventory, H2 the corrosion is passivating, H3 it makes the SEI heterogeneous, H11
 * the poled layer suppresses it. H1, H3 and H11 are contrasts of one whole-campaign model over every
 * cell with the response (campaign-model.ts): arm + a √(rest h) slope per arm + cycler/batch blocks.
 */
import type { HypothesisSpec } from './catalog.js';
import { base, fmt, notTestable, type Ctx, type Draft } from './draft.js';
import { compareModels, gaussianLogLik } from '../stats/modelSelection.js';
import { mean } from '../stats/descriptive.js';

export function h2(ctx: Ctx, spec: HypothesisSpec): Draft {
  const { data, o } = ctx;
  let cells = data.arm('control').filter((c) => data.rest(c) !== null && data.value(c.id, 'rest_loss_fraction') !== null);
  if (data.restLevels(cells).length < 4)
    cells = data.cells.filter((c) => data.rest(c) !== null && data.value(c.id, 'rest_loss_fraction') !== null && c.poling === 'none');
  const levels = data.restLevels(cells).filter((l) => l > 0);
  if (!data.has('rest_loss_fraction'))
    return notTestable(spec, 'no rest_loss_fraction parameter (capacity lost during OCV rest)', [
      'Li||Cu rest tests (plate, rest at OCV, strip) so the cycler fitter reports rest_loss_fraction',
      '≥ 4 distinct rest durations, e.g. 6/24/72/168 h',
    ]);
  if (levels.length < 4 || cells.length < 6)
    return notTestable(spec, `only ${levels.length} distinct rest duration(s) with rest_loss_fraction (needs ≥ 4 and ≥ 6 cells)`, [
      'control cells at ≥ 4 rest durations (e.g. 6, 24, 72, 168 h), ≥ 2 cells each',
    ]);
  const pos = cells.filter((c) => data.rest(c)!.hours > 0 && data.value(c.id, 'rest_loss_fraction')! > 0);
  const t = pos.map((c) => data.rest(c)!.hours);
  const ly = pos.map((c) => Math.log(data.value(c.id, 'rest_loss_fraction')!));
  // Each rate law Q = b·g(t) through the origin, fitted on the log scale (multiplicative error):
  // ln Q = ln b + ln g(t), one free parameter; RSS on the log scale → Gaussian log-likelihood.
  const laws = [
    { name: 'linear (Q ∝ t)', g: (h: number) => h },
    { name: 'parabolic (Q ∝ √t)', g: (h: number) => Math.sqrt(h) },
    { name: 'logarithmic (Q ∝ ln(1 + t))', g: (h: number) => Math.log1p(h) },
  ].map((law) => {
    const r = ly.map((v, i) => v - Math.log(law.g(t[i]!)));
    const m = mean(r);
    const rss = r.reduce((s2, v) => s2 + (v - m) ** 2, 0);
    return { name: law.name, lnB: m, rss };
  });
  const y = ly;
  const cmp = compareModels(laws.map((f) => ({ name: f.name, logLik: gaussianLogLik(Math.max(f.rss, 1e-300), y.length), k: 2, n: y.length })));
  const fits = laws;
  const aicOf = (nm: string) => cmp.find((c) => c.name === nm)!.aic;
  const lin = aicOf(fits[0]!.name);
  const passiv = Math.min(aicOf(fits[1]!.name), aicOf(fits[2]!.name));
  const dAic = lin - passiv; // > 0: a passivating law fits better
  const thr = o.deltaAic;
  return {
    ...base(
      spec,
      `rest_loss_fraction vs rest time: Q ∝ t vs Q ∝ √t vs Q ∝ ln(1+t), each through the origin and fitted on the log scale (multiplicative error; k = 2: scale + σ), compared by AIC (BIC reported)`,
    ),
    design: { kind: 'model comparison', groups: [], x: 'rest_hours', y: 'rest_loss_fraction' },
    n: { cells: y.length, restLevels: levels.length },
    effect: { name: 'ΔAIC = AIC(linear) − min AIC(√t, log) (+ = passivating law preferred)', value: dAic, ci95: null },
    p: null,
    power: null,
    endpoints: cmp.map((c) => ({
      name: c.name,
      method: 'OLS, Gaussian log-likelihood',
      n: { cells: c.n },
      effect: { name: 'AIC', value: c.aic, ci95: null },
      p: null,
      details: { bic: c.bic, deltaAic: c.deltaAic, akaikeWeight: c.akaikeWeight },
    })),
    decide: () => {
      const rule = `supported if a passivating law (√t or log) beats linear by ΔAIC > ${thr}; refuted if linear is preferred by ΔAIC > ${thr}; otherwise inconclusive (no p-value; not in the multiplicity correction)`;
      if (dAic > thr) return { verdict: 'supported', reason: `passivating law preferred: ΔAIC = ${fmt(dAic, 2)} > ${thr}`, rule };
      if (dAic < -thr) return { verdict: 'refuted', reason: `linear (non-passivating) growth preferred by ΔAIC = ${fmt(-dAic, 2)} > ${thr}`, rule };
      return { verdict: 'inconclusive', reason: `|ΔAIC| = ${fmt(Math.abs(dAic), 2)} ≤ ${thr}: the rate laws are not distinguished`, rule };
    },
  };
}
