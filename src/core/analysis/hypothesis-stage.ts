/** Campaign stage "hypothesis tests": H1–H14 over the per-cell parameters, with the replay evidence for H5. */
import type { CellSpec } from '../../campaign/manifest.js';
import type { CellParameter, HypothesisReport, StageReport } from '../../report/types.js';
import { evaluateHypotheses } from '../hypotheses/engine.js';
import { replayEvidenceFromCampaignFit } from '../hypotheses/replay.js';
import type { CampaignFitResult } from '../fit/fit-campaign.js';

export interface HypothesisStageResult {
  readonly stage: StageReport;
  readonly hypotheses: readonly HypothesisReport[];
}

export function runHypothesisStage(cells: readonly CellSpec[], params: readonly CellParameter[], replay: CampaignFitResult | null, cellInfo: Readonly<Record<string, { readonly cycler?: string }>> = {}): HypothesisStageResult {
  if (cells.length === 0) {
    return { stage: { name: 'hypothesis tests', status: 'not available', detail: 'no campaign manifest: hypotheses need cells and groups' }, hypotheses: [] };
  }
  const results = evaluateHypotheses(cells, params, { replay: replay ? replayEvidenceFromCampaignFit(replay) : null, cellInfo });
  const count = (v: string): number => results.filter((r) => r.verdict === v).length;
  const detail = `${results.length} hypotheses: ${count('supported')} supported, ${count('refuted')} refuted, ${count('inconclusive')} inconclusive, ${count('not testable')} not testable${count('not available') ? `, ${count('not available')} failed` : ''}; verdicts on Benjamini–Hochberg-adjusted p, each from a model over every cell with its quantities`;
  return { stage: { name: 'hypothesis tests', status: 'done', detail }, hypotheses: results as unknown as HypothesisReport[] };
}
