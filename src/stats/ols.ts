/**
 * Ordinary least squares via ml-matrix (QR solve), with coefficient SEs, t-tests, CIs, R², the
 * Gaussian log-likelihood and AIC/BIC in the statsmodels convention (k = number of coefficients,
 * σ² not counted; R's AIC(lm) adds 2 for σ²). Matches statsmodels.api.OLS(y, X).fit().
 */
import { Matrix, QrDecomposition, inverse } from 'ml-matrix';
import { tQuantile, tTwoSidedP } from './distributions.js';
import { gaussianLogLik } from './modelSelection.js';

export interface OlsCoefficient {
  readonly name: string;
  readonly estimate: number;
  readonly se: number;
  readonly t: number;
  readonly p: number;
  readonly ci: readonly [number, number];
}

export interface OlsResult {
  readonly method: 'OLS';
  readonly n: number;
  readonly k: number;
  readonly dfResid: number;
  readonly coefficients: readonly OlsCoefficient[];
  readonly sigma: number;
  readonly rss: number;
  readonly r2: number;
  readonly logLik: number;
  readonly aic: number;
  readonly bic: number;
  readonly fitted: readonly number[];
  readonly residuals: readonly number[];
  /** Coefficient covariance matrix (row-major). */
  readonly cov: readonly (readonly number[])[];
}

/**
 * Fit y = Xβ + ε. `columns` are the predictors (each a column); an intercept named '(Intercept)' is
 * prepended unless `intercept` is false.
 */
export function ols(
  y: readonly number[],
  columns: Readonly<Record<string, readonly number[]>>,
  opts: { intercept?: boolean; confLevel?: number } = {},
): OlsResult {
  const n = y.length;
  const names = [...(opts.intercept === false ? [] : ['(Intercept)']), ...Object.keys(columns)];
  const rows: number[][] = [];
  for (let i = 0; i < n; i++) {
    const r: number[] = opts.intercept === false ? [] : [1];
    for (const c of Object.keys(columns)) r.push(columns[c]![i]!);
    rows.push(r);
  }
  const k = names.length;
  if (n <= k) throw new RangeError(`ols needs more observations (${n}) than coefficients (${k})`);
  const X = new Matrix(rows);
  const Y = Matrix.columnVector([...y]);
  const qr = new QrDecomposition(X);
  if (!qr.isFullRank()) throw new RangeError(`ols: design matrix is rank-deficient (columns ${names.join(', ')})`);
  const beta = qr.solve(Y).getColumn(0);
  const fitted = rows.map((r) => r.reduce((s, v, j) => s + v * beta[j]!, 0));
  const residuals = y.map((v, i) => v - fitted[i]!);
  const rss = residuals.reduce((s, e) => s + e * e, 0);
  const dfResid = n - k;
  const sigma2 = rss / dfResid;
  const xtxInv = inverse(X.transpose().mmul(X));
  const cov = xtxInv.mul(sigma2).to2DArray();
  const q = tQuantile(1 - (1 - (opts.confLevel ?? 0.95)) / 2, dfResid);
  const coefficients = names.map((name, j) => {
    const se = Math.sqrt(cov[j]![j]!);
    const est = beta[j]!;
    const t = est / se;
    return { name, estimate: est, se, t, p: tTwoSidedP(t, dfResid), ci: [est - q * se, est + q * se] as const };
  });
  const my = y.reduce((s, v) => s + v, 0) / n;
  const tss = opts.intercept === false ? y.reduce((s, v) => s + v * v, 0) : y.reduce((s, v) => s + (v - my) ** 2, 0);
  const logLik = gaussianLogLik(rss, n);
  return {
    method: 'OLS',
    n,
    k,
    dfResid,
    coefficients,
    sigma: Math.sqrt(sigma2),
    rss,
    r2: 1 - rss / tss,
    logLik,
    aic: -2 * logLik + 2 * k,
    bic: -2 * logLik + Math.log(n) * k,
    fitted,
    residuals,
    cov,
  };
}

/** Simple linear regression y = a + b·x; returns the OLS result and the slope row. */
export function linearRegression(
  x: readonly number[],
  y: readonly number[],
  confLevel = 0.95,
): OlsResult & { readonly slope: OlsCoefficient; readonly intercept: OlsCoefficient } {
  const r = ols(y, { x }, { confLevel });
  return { ...r, intercept: r.coefficients[0]!, slope: r.coefficients[1]! };
}
