/**
 * Which passivation law does a campaign's rest data prefer (DOMAIN.md §1.3 recommendation, hypothesis H2)?
 * Fits the campaign under each law (same variant, same free-parameter rules) and compares summed AIC/BIC;
 * ΔAIC > 4 against the runner-up is called decisive. Needs rests of different durations (within or across
 * cells): with one rest per cell and a free per-cell rate, every law fits equally well.
 */
import type { ReplayParameterValues } from '../params/types.js';
import { PASSIVATION_LAWS, type PassivationId } from '../corrosion/index.js';
import type { ModelVariant } from '../variants.js';
import { fitCampaign } from './fit-campaign.js';
import type { CellObservations } from './types.js';

export interface PassivationComparison {
  readonly laws: readonly { readonly law: PassivationId; readonly aic: number; readonly bic: number; readonly chi2: number }[];
  readonly preferred: PassivationId;
  /** AIC of the runner-up minus the best. */
  readonly deltaAic: number;
  readonly decisive: boolean;
}

export function comparePassivationLaws(cells: readonly CellObservations[], base: ReplayParameterValues, variant: ModelVariant = 'M1'): PassivationComparison {
  const laws = PASSIVATION_LAWS.map((l) => {
    const r = fitCampaign(cells, { base, passivation: l.id, variants: [variant], loco: false, intervals: 'covariance' });
    const v = r.variants[0]!;
    return { law: l.id, aic: v.aic, bic: v.bic, chi2: v.chi2 };
  });
  const sorted = [...laws].sort((a, b) => a.aic - b.aic);
  const deltaAic = sorted[1]!.aic - sorted[0]!.aic;
  return { laws, preferred: sorted[0]!.law, deltaAic, decisive: deltaAic > 4 };
}
