/**
 * Retention and fatigue: Pr(after)/Pr(pristine), and logarithmic decay fits P(t) = P1 − m·log10(t)
 * (the usual empirical law for ferroelectric retention and for Pr vs switching cycles over decades).
 */

export interface RetentionRatio {
  readonly value: number;
  readonly stderr?: number;
}

/** Pr(after)/Pr(pristine), with first-order error propagation when both stderr are given. */
export function polarisationRetention(prAfter: number, prPristine: number, seAfter?: number, sePristine?: number): RetentionRatio {
  const r = prAfter / prPristine;
  if (seAfter === undefined || sePristine === undefined) return { value: r };
  return { value: r, stderr: Math.abs(r) * Math.sqrt((seAfter / prAfter) ** 2 + (sePristine / prPristine) ** 2) };
}

export interface LogDecayFit {
  /** Value at t = 1 (unit of the abscissa). */
  readonly p1: number;
  /** Loss per decade (positive when decaying). */
  readonly perDecade: number;
  readonly perDecadeStderr: number;
  readonly r2: number;
  readonly n: number;
}

/** Least-squares P = p1 − m·log10(t) over points with t > 0. */
export function fitLogDecay(t: readonly number[], p: readonly number[]): LogDecayFit {
  const xs: number[] = [];
  const ys: number[] = [];
  for (let i = 0; i < t.length; i++)
    if (t[i]! > 0 && Number.isFinite(p[i]!)) {
      xs.push(Math.log10(t[i]!));
      ys.push(p[i]!);
    }
  const n = xs.length;
  if (n < 2) return { p1: NaN, perDecade: NaN, perDecadeStderr: NaN, r2: NaN, n };
  const mx = xs.reduce((a, b) => a + b, 0) / n;
  const my = ys.reduce((a, b) => a + b, 0) / n;
  let sxx = 0;
  let sxy = 0;
  let syy = 0;
  for (let i = 0; i < n; i++) {
    sxx += (xs[i]! - mx) ** 2;
    sxy += (xs[i]! - mx) * (ys[i]! - my);
    syy += (ys[i]! - my) ** 2;
  }
  const b = sxy / sxx;
  const a = my - b * mx;
  let rss = 0;
  for (let i = 0; i < n; i++) rss += (ys[i]! - a - b * xs[i]!) ** 2;
  const se = n > 2 ? Math.sqrt(rss / (n - 2) / sxx) : NaN;
  return { p1: a, perDecade: -b, perDecadeStderr: se, r2: syy > 0 ? 1 - rss / syy : NaN, n };
}

export interface FatiguePoint {
  readonly cycles: number;
  readonly pr: number;
}

/**
 * Fatigue curve from an aixACCT Fatigue result table (columns `Cycles [n]`, `… Pr+ [uC/cm2]`,
 * `… Pr- [uC/cm2]`): Pr = (Pr+ − Pr−)/2 per row, sorted by cycles (the file lists them in measurement
 * order, e.g. 0.1, 100, 1).
 */
export function fatigueCurve(table: Readonly<Record<string, readonly number[]>>): FatiguePoint[] | undefined {
  const key = (re: RegExp): string | undefined => Object.keys(table).find((k) => re.test(k));
  const c = key(/^Cycles\b/);
  const pp = key(/(^|\s)Pr\+\s*\[/);
  const pm = key(/(^|\s)Pr-\s*\[/);
  if (!c || !pp || !pm) return undefined;
  const out = table[c]!.map((cy, i) => ({ cycles: cy, pr: (table[pp]![i]! - table[pm]![i]!) / 2 }));
  return out.sort((a, b) => a.cycles - b.cycles);
}
