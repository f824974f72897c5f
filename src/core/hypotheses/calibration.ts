/**
 * Monte-Carlo calibration of the engine: the share of virtual campaigns in which each hypothesis is
 * called 'supported' with no true effect (false-supported rate, must be ≤ α-ish) and with a planted
 * effect (power). Used by bench/calibrate.ts and the calibration test.
 */
import { HYPOTHESES } from './catalog.js';
import { evaluateHypotheses } from './engine.js';
import { createRng, simulateCampaign } from './simulate.js';
import type { EvaluateOptions, Verdict } from './types.js';

export interface CalibrationRow {
  readonly id: string;
  readonly campaigns: number;
  readonly supported: number;
  readonly rate: number;
  /** Monte-Carlo standard error of the rate. */
  readonly se: number;
  readonly verdicts: Readonly<Partial<Record<Verdict, number>>>;
}

export function calibrate(opts: { campaigns: number; seed: number; effect: number; nPerGroup?: number; evaluate?: EvaluateOptions }): CalibrationRow[] {
  const rng = createRng(opts.seed);
  const counts = new Map<string, Partial<Record<Verdict, number>>>(HYPOTHESES.map((h) => [h.id, {}]));
  for (let c = 0; c < opts.campaigns; c++) {
    const { cells, params } = simulateCampaign(rng, { effect: opts.effect, nPerGroup: opts.nPerGroup ?? 8 });
    const res = evaluateHypotheses(cells, params, { tukeyCi: false, nPerm: 1999, bootstrapB: 499, seed: c + 1, ...opts.evaluate });
    for (const r of res) {
      const m = counts.get(r.id)!;
      m[r.verdict] = (m[r.verdict] ?? 0) + 1;
    }
  }
  return HYPOTHESES.map((h) => {
    const v = counts.get(h.id)!;
    const s = v.supported ?? 0;
    const rate = s / opts.campaigns;
    return { id: h.id, campaigns: opts.campaigns, supported: s, rate, se: Math.sqrt((rate * (1 - rate)) / opts.campaigns), verdicts: v };
  });
}

/** Hypotheses that compare arms of cells (the ones the d = 1.2, n = 8 power target applies to). */
export const GROUP_COMPARISON_IDS = ['H1', 'H6', 'H7', 'H8', 'H11', 'H12', 'H14'] as const;
