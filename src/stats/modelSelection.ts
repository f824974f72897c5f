/**
 * Information criteria. AIC = −2 ln L + 2k, BIC = −2 ln L + k ln n. For least-squares fits the
 * Gaussian profile log-likelihood is ln L = −n/2 (ln 2π + ln(RSS/n) + 1). `compareModels` ranks fits
 * by AIC and gives ΔAIC, ΔBIC and Akaike weights.
 */

export function gaussianLogLik(rss: number, n: number): number {
  return -(n / 2) * (Math.log(2 * Math.PI) + Math.log(rss / n) + 1);
}
export function aic(logLik: number, k: number): number {
  return -2 * logLik + 2 * k;
}
export function bic(logLik: number, k: number, n: number): number {
  return -2 * logLik + k * Math.log(n);
}

export interface ModelFit {
  readonly name: string;
  readonly logLik: number;
  /** Number of estimated parameters counted by the criterion. */
  readonly k: number;
  readonly n: number;
}
export interface ModelComparisonRow extends ModelFit {
  readonly aic: number;
  readonly bic: number;
  readonly deltaAic: number;
  readonly deltaBic: number;
  readonly akaikeWeight: number;
}

export function compareModels(fits: readonly ModelFit[]): ModelComparisonRow[] {
  const rows = fits.map((f) => ({ ...f, aic: aic(f.logLik, f.k), bic: bic(f.logLik, f.k, f.n) }));
  const minA = Math.min(...rows.map((r) => r.aic));
  const minB = Math.min(...rows.map((r) => r.bic));
  const w = rows.map((r) => Math.exp(-(r.aic - minA) / 2));
  const ws = w.reduce((s, v) => s + v, 0);
  return rows.map((r, i) => ({ ...r, deltaAic: r.aic - minA, deltaBic: r.bic - minB, akaikeWeight: w[i]! / ws })).sort((a, b) => a.aic - b.aic);
}
