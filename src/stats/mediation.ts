/**
 * Simple mediation X → M → Y with OLS paths: a (M ~ X), b and c′ (Y ~ X + M), total c (Y ~ X).
 * Indirect effect a·b with a seeded row-bootstrap CI (BCa by default) and the Sobel (delta-method)
 * z-test as the large-sample reference.
 */
import { bootstrap, type BootstrapOptions } from './bootstrap.js';
import { normalSf } from './distributions.js';
import { ols } from './ols.js';

export interface MediationResult {
  readonly method: string;
  readonly n: number;
  readonly a: number;
  readonly b: number;
  readonly direct: number;
  readonly total: number;
  readonly indirect: number;
  readonly indirectCi: readonly [number, number];
  readonly bootstrapSe: number;
  readonly sobelSe: number;
  readonly sobelP: number;
  readonly proportionMediated: number;
  readonly B: number;
  readonly seed: number;
}

function slopes(x: readonly number[], m: readonly number[], y: readonly number[]) {
  const fa = ols(m, { x });
  const fb = ols(y, { x, m });
  return { fa, fb, a: fa.coefficients[1]!, b: fb.coefficients[2]!, cp: fb.coefficients[1]! };
}

/** Fast a·b on resampled rows (closed-form 1- and 2-predictor least squares). */
function indirectOn(x: readonly number[], m: readonly number[], y: readonly number[], idx: readonly number[]): number {
  const k = idx.length;
  let sx = 0,
    sm = 0,
    sy = 0;
  for (const i of idx) {
    sx += x[i]!;
    sm += m[i]!;
    sy += y[i]!;
  }
  const mx = sx / k,
    mm = sm / k,
    my = sy / k;
  let sxx = 0,
    smm = 0,
    sxm = 0,
    sxy = 0,
    smy = 0;
  for (const i of idx) {
    const dx = x[i]! - mx,
      dm = m[i]! - mm,
      dy = y[i]! - my;
    sxx += dx * dx;
    smm += dm * dm;
    sxm += dx * dm;
    sxy += dx * dy;
    smy += dm * dy;
  }
  const a = sxm / sxx;
  const det = sxx * smm - sxm * sxm;
  const b = (sxx * smy - sxm * sxy) / det;
  return a * b;
}

export function mediation(x: readonly number[], m: readonly number[], y: readonly number[], opts: BootstrapOptions = {}): MediationResult {
  const n = x.length;
  const { fa, a, b, cp } = slopes(x, m, y);
  const c = ols(y, { x }).coefficients[1]!;
  const boot = bootstrap(n, (idx) => indirectOn(x, m, y, idx), opts);
  const sobelSe = Math.sqrt(a.estimate ** 2 * b.se ** 2 + b.estimate ** 2 * a.se ** 2);
  const ind = a.estimate * b.estimate;
  void fa;
  return {
    method: `mediation (OLS paths, ${boot.method} CI of a·b)`,
    n,
    a: a.estimate,
    b: b.estimate,
    direct: cp.estimate,
    total: c.estimate,
    indirect: ind,
    indirectCi: boot.ci,
    bootstrapSe: boot.se,
    sobelSe,
    sobelP: 2 * normalSf(Math.abs(ind / sobelSe)),
    proportionMediated: ind / c.estimate,
    B: boot.B,
    seed: boot.seed,
  };
}
