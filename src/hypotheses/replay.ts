/**
 * Bridge from a replay-model campaign fit to H5's model-comparison input. Structural on purpose
 * (any result with per-variant summed AIC, such as src/model/replay-fit/fit-campaign.ts CampaignFitResult):
 * ΔAIC for the coupling = AIC(M0, γ_H = 0) − AIC(M1, γ_H free); > 0 favours the coupling.
 */
export interface VariantAic {
  readonly variant: string;
  readonly aic: number;
}

export function replayEvidenceFromCampaignFit(
  fit: { readonly variants: readonly VariantAic[] },
  without = 'M0',
  withCoupling = 'M1',
): { readonly deltaAicCoupling: number } | null {
  const a = fit.variants.find((v) => v.variant === without);
  const b = fit.variants.find((v) => v.variant === withCoupling);
  if (!a || !b || !Number.isFinite(a.aic) || !Number.isFinite(b.aic)) return null;
  return { deltaAicCoupling: a.aic - b.aic };
}
