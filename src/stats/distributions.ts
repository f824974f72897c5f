/**
 * Distribution functions: normal, Student t (central and non-central), χ², F and the studentized
 * range (Tukey). CDFs come from the regularised incomplete gamma/beta functions in special.ts;
 * quantiles are found by safeguarded Newton/bisection on the CDF. Checked against scipy 1.10.1
 * (tests/stats/distributions.test.ts).
 */
import { betaInc, erfc, gammaP, gammaQ, lnGamma } from './special.js';
import { integrate } from './quadrature.js';

const SQRT2 = Math.SQRT2;

export function normalPdf(x: number): number {
  return Math.exp(-0.5 * x * x) / Math.sqrt(2 * Math.PI);
}
export function normalCdf(x: number): number {
  return 0.5 * erfc(-x / SQRT2);
}
export function normalSf(x: number): number {
  return 0.5 * erfc(x / SQRT2);
}

/** Φ⁻¹(p): Acklam's rational approximation refined by two Halley steps (≈1e-15). */
export function normalQuantile(p: number): number {
  if (p <= 0) return -Infinity;
  if (p >= 1) return Infinity;
  const a = [-3.969683028665376e1, 2.209460984245205e2, -2.759285104469687e2, 1.38357751867269e2, -3.066479806614716e1, 2.506628277459239];
  const b = [-5.447609879822406e1, 1.615858368580409e2, -1.556989798598866e2, 6.680131188771972e1, -1.328068155288572e1];
  const c = [-7.784894002430293e-3, -3.223964580411365e-1, -2.400758277161838, -2.549732539343734, 4.374664141464968, 2.938163982698783];
  const d = [7.784695709041462e-3, 3.224671290700398e-1, 2.445134137142996, 3.754408661907416];
  const pl = 0.02425;
  let x: number;
  if (p < pl) {
    const q = Math.sqrt(-2 * Math.log(p));
    x = (((((c[0]! * q + c[1]!) * q + c[2]!) * q + c[3]!) * q + c[4]!) * q + c[5]!) / ((((d[0]! * q + d[1]!) * q + d[2]!) * q + d[3]!) * q + 1);
  } else if (p <= 1 - pl) {
    const q = p - 0.5;
    const r = q * q;
    x =
      ((((((a[0]! * r + a[1]!) * r + a[2]!) * r + a[3]!) * r + a[4]!) * r + a[5]!) * q) /
      (((((b[0]! * r + b[1]!) * r + b[2]!) * r + b[3]!) * r + b[4]!) * r + 1);
  } else {
    const q = Math.sqrt(-2 * Math.log(1 - p));
    x = -(((((c[0]! * q + c[1]!) * q + c[2]!) * q + c[3]!) * q + c[4]!) * q + c[5]!) / ((((d[0]! * q + d[1]!) * q + d[2]!) * q + d[3]!) * q + 1);
  }
  for (let i = 0; i < 2; i++) {
    // Halley on the tail that does not cancel
    const e = p < 0.5 ? normalCdf(x) - p : -(normalSf(x) - (1 - p));
    const u = e * Math.sqrt(2 * Math.PI) * Math.exp(0.5 * x * x);
    x = x - u / (1 + (x * u) / 2);
  }
  return x;
}

/** Student t CDF with df > 0 degrees of freedom (df = ∞ → normal). */
export function tCdf(t: number, df: number): number {
  if (!Number.isFinite(df)) return normalCdf(t);
  if (Number.isNaN(t)) return NaN;
  if (t === Infinity) return 1;
  if (t === -Infinity) return 0;
  const tail = 0.5 * betaInc(df / (df + t * t), df / 2, 0.5);
  return t > 0 ? 1 - tail : tail;
}
export function tSf(t: number, df: number): number {
  return tCdf(-t, df);
}
/** Two-sided p-value for a t statistic. */
export function tTwoSidedP(t: number, df: number): number {
  if (!Number.isFinite(df)) return 2 * normalSf(Math.abs(t));
  return Math.min(1, betaInc(df / (df + t * t), df / 2, 0.5));
}

export function tPdf(t: number, df: number): number {
  return Math.exp(lnGamma((df + 1) / 2) - lnGamma(df / 2) - 0.5 * Math.log(df * Math.PI) - ((df + 1) / 2) * Math.log1p((t * t) / df));
}

/** Generic monotone CDF inversion: bracket, then Newton with bisection safeguard. */
function invert(cdf: (x: number) => number, p: number, lo: number, hi: number, pdf?: (x: number) => number): number {
  let a = lo;
  let b = hi;
  while (cdf(a) > p) a = a < 0 ? a * 2 : a - 1 - Math.abs(a);
  while (cdf(b) < p) b = b > 0 ? b * 2 : b + 1 + Math.abs(b);
  let x = 0.5 * (a + b);
  for (let i = 0; i < 200; i++) {
    const fx = cdf(x) - p;
    if (fx === 0) return x;
    if (fx < 0) a = x;
    else b = x;
    let next = 0.5 * (a + b);
    if (pdf) {
      const d = pdf(x);
      if (d > 0) {
        const nx = x - fx / d;
        if (nx > a && nx < b) next = nx;
      }
    }
    if (Math.abs(next - x) <= 1e-15 * Math.max(1, Math.abs(x)) || b - a <= 1e-15 * Math.max(1, Math.abs(x))) return next;
    x = next;
  }
  return x;
}

export function tQuantile(p: number, df: number): number {
  if (!Number.isFinite(df)) return normalQuantile(p);
  if (p <= 0) return -Infinity;
  if (p >= 1) return Infinity;
  if (p === 0.5) return 0;
  if (p > 0.5) return -tQuantile(1 - p, df);
  // lower tail: work with cdf directly (no cancellation for p < 0.5)
  const x0 = normalQuantile(p);
  return invert(
    (t) => tCdf(t, df),
    p,
    Math.min(x0 * 2, -1),
    0,
    (t) => tPdf(t, df),
  );
}

const T975 = new Map<number, number>();

/**
 * t_{0.975, df}, the two-sided 95 % critical value of Student's t (exact: tQuantile; df = ∞ → 1.95996…);
 * NaN unless df > 0. Memoised: confidence bands ask for the same few degrees of freedom many times.
 */
export function tQuantile975(df: number): number {
  if (!(df > 0)) return NaN;
  let v = T975.get(df);
  if (v === undefined) {
    v = tQuantile(0.975, df);
    if (T975.size < 4096) T975.set(df, v);
  }
  return v;
}

export function chiSquareCdf(x: number, df: number): number {
  return x <= 0 ? 0 : gammaP(df / 2, x / 2);
}
export function chiSquareSf(x: number, df: number): number {
  return x <= 0 ? 1 : gammaQ(df / 2, x / 2);
}
export function chiSquareQuantile(p: number, df: number): number {
  return invert((x) => chiSquareCdf(x, df), p, 0, Math.max(1, df * 2));
}

export function fCdf(f: number, d1: number, d2: number): number {
  if (f <= 0) return 0;
  return betaInc((d1 * f) / (d1 * f + d2), d1 / 2, d2 / 2);
}
export function fSf(f: number, d1: number, d2: number): number {
  if (f <= 0) return 1;
  return betaInc(d2 / (d2 + d1 * f), d2 / 2, d1 / 2);
}

/**
 * Non-central t CDF, P(T ≤ t) with df degrees of freedom and non-centrality delta: Lenth (1989)
 * AS 243, the series R's pnt() uses.
 */
export function nctCdf(t: number, df: number, delta: number): number {
  if (!Number.isFinite(df)) return normalCdf(t - delta);
  let tt = t;
  let del = delta;
  let negdel = false;
  if (t < 0) {
    negdel = true;
    tt = -t;
    del = -delta;
  }
  const x = (tt * tt) / (tt * tt + df);
  let tnc: number;
  if (x > 0) {
    const lambda = del * del;
    let p = 0.5 * Math.exp(-0.5 * lambda);
    let q = Math.sqrt(2 / Math.PI) * p * del;
    let s = 0.5 - p;
    if (s < 1e-7) s = -0.5 * Math.expm1(-0.5 * lambda);
    let a = 0.5;
    const b = 0.5 * df;
    const rxb = (1 - x) ** b;
    const albeta = 0.5 * Math.log(Math.PI) + lnGamma(b) - lnGamma(0.5 + b);
    let xodd = betaInc(x, a, b);
    let godd = 2 * rxb * Math.exp(a * Math.log(x) - albeta);
    tnc = b * x;
    let xeven = tnc < 2.2e-16 ? tnc : 1 - rxb;
    let geven = tnc * rxb;
    tnc = p * xodd + q * xeven;
    for (let it = 1; it <= 5000; it++) {
      a += 1;
      xodd -= godd;
      xeven -= geven;
      godd *= (x * (a + b - 1)) / a;
      geven *= (x * (a + b - 0.5)) / (a + 0.5);
      p *= lambda / (2 * it);
      q *= lambda / (2 * it + 1);
      s -= p;
      tnc += p * xodd + q * xeven;
      const errbd = 2 * s * (xodd - godd);
      if (Math.abs(errbd) < 1e-14 && it > 2) break;
    }
  } else {
    tnc = 0;
  }
  tnc += normalCdf(-del);
  if (negdel) return Math.min(1, Math.max(0, 1 - tnc));
  return Math.min(1, Math.max(0, tnc));
}

// ---------- studentized range ----------

/** Inner integral: P(range of k iid N(0,1) ≤ w). */
function rangeCdfNormal(w: number, k: number): number {
  if (w <= 0) return 0;
  const f = (z: number): number => {
    const d = normalCdf(z + w) - normalCdf(z);
    return d <= 0 ? 0 : normalPdf(z) * d ** (k - 1);
  };
  return Math.min(1, k * integrate(f, -8.5, 8.5, 1e-10));
}

/**
 * Studentized range CDF P(Q ≤ q) for k means and df error degrees of freedom (the distribution of
 * Tukey's HSD), by quadrature of P(range ≤ q·s) over the density of s = √(χ²_df/df).
 */
export function studentizedRangeCdf(q: number, k: number, df: number): number {
  if (q <= 0) return 0;
  if (!Number.isFinite(df) || df > 25000) return rangeCdfNormal(q, k);
  const logC = (df / 2) * Math.log(df) - lnGamma(df / 2) - (df / 2 - 1) * Math.LN2;
  const dens = (s: number): number => (s <= 0 ? 0 : Math.exp(logC + (df - 1) * Math.log(s) - (df * s * s) / 2));
  const sd = 1 / Math.sqrt(2 * df);
  const lo = Math.max(0, 1 - 14 * sd);
  const hi = df < 3 ? 40 : 1 + 14 * Math.max(sd, 0.25);
  const g = (s: number): number => dens(s) * rangeCdfNormal(q * s, k);
  return Math.min(1, integrate(g, lo, hi, 1e-9));
}
export function studentizedRangeSf(q: number, k: number, df: number): number {
  return Math.max(0, 1 - studentizedRangeCdf(q, k, df));
}
