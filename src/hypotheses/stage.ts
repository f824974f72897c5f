/** Campaign stage "hypothesis tests": H1–H14 over the per-cell parameters, with the replay evidence for H5. */
import type { CellSpec } from '../campaign/manifest.js';
import type { CellParameter, HypothesisReport, StageReport } from '../records/results.js';
import { evaluateHypotheses } from './engine.js';
import type { EvaluateOptions } from './types.js';
import type { StatisticsSettings } from '../campaign/analysis-options.js';
import { replayEvidenceFromCampaignFit } from './replay.js';
import type { PerCycleInput } from './per-cycle.js';
import type { CampaignFitResult } from '../model/replay-fit/fit-campaign.js';

export interface HypothesisStageResult {
  readonly stage: StageReport;
  readonly hypotheses: readonly HypothesisReport[];
}

/** The manifest's `analysis.statistics` as evaluateHypotheses options (only what it sets). */
export function evaluateOptionsFromSettings(s: StatisticsSettings | undefined): EvaluateOptions {
  if (!s) return {};
  return {
    ...(s.alpha !== undefined ? { alpha: s.alpha } : {}),
    ...(s.correction !== undefined ? { decideWith: s.correction === 'none' ? ('raw' as const) : s.correction } : {}),
    ...(s.lce_margin !== undefined ? { lceMargin: s.lce_margin } : {}),
    ...(s.smd_margin !== undefined ? { smdMargin: s.smd_margin } : {}),
    ...(s.min_cells !== undefined ? { minPerArm: s.min_cells } : {}),
  };
}

export function runHypothesisStage(
  cells: readonly CellSpec[],
  params: readonly CellParameter[],
  replay: CampaignFitResult | null,
  cellInfo: Readonly<Record<string, { readonly cycler?: string }>> = {},
  perCycle: PerCycleInput | null = null,
  statistics?: StatisticsSettings,
): HypothesisStageResult {
  if (cells.length === 0) {
    return { stage: { name: 'hypothesis tests', status: 'not available', detail: 'no campaign manifest: hypotheses need cells and groups' }, hypotheses: [] };
  }
  const results = evaluateHypotheses(cells, params, {
    ...evaluateOptionsFromSettings(statistics),
    replay: replay ? replayEvidenceFromCampaignFit(replay) : null,
    cellInfo,
    perCycle,
  });
  const count = (v: string): number => results.filter((r) => r.verdict === v).length;
  const used = results[0]?.pUsed ?? 'bh';
  const adj = used === 'raw' ? 'unadjusted p' : used === 'holm' ? 'Holm-adjusted p' : 'Benjamini–Hochberg-adjusted p';
  const detail = `${results.length} hypotheses: ${count('supported')} supported, ${count('refuted')} refuted, ${count('inconclusive')} inconclusive, ${count('not testable')} not testable${count('not available') ? `, ${count('not available')} failed` : ''}; verdicts on ${adj}, each from a model over every cell with its quantities`;
  return { stage: { name: 'hypothesis tests', status: 'done', detail }, hypotheses: results as unknown as HypothesisReport[] };
}
