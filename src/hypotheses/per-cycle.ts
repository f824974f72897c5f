/**
 * H10's per-cycle test: does the layer's CE benefit track the polarisation it still has, cycle by
 * cycle? For each poled cell with a polarisation series (≥ 3 P–E loops placed in its cycling history),
 * P_n is interpolated between the measured loops (linear in ln(1 + n)); the benefit is
 * ΔLCE_n = LCE(CE_n) − mean over the reference cells of LCE(CE_n) at the same cycle n, where the
 * reference is the equal layer without net polarisation (unpoled / depoled / paraelectric), so a drift
 * of CE with cycle number that every layer shares is not read as polarisation. Each cell gives the OLS
 * slope of ΔLCE_n on P_n; the slopes are tested > 0 with a one-sample t-test across cells (the
 * summary-statistics form of a random-slope model: the cell is the unit).
 */
import { linearRegression } from '../stats/ols.js';
import { tQuantile, tTwoSidedP } from '../stats/distributions.js';

export interface CellSeries {
  readonly cycle: readonly number[];
  readonly ce: readonly number[];
}
export interface PolarisationSeries {
  /** Cycles completed when each loop was measured (0 = pristine). */
  readonly cycle: readonly number[];
  readonly pr: readonly number[];
}

export interface PerCycleInput {
  readonly ce: Readonly<Record<string, CellSeries>>;
  readonly polarisation: Readonly<Record<string, PolarisationSeries>>;
}

export interface PerCycleResult {
  readonly slopes: readonly { readonly cell: string; readonly slope: number; readonly cycles: number; readonly loops: number }[];
  readonly reference: readonly string[];
  readonly estimate: number;
  readonly se: number;
  readonly df: number;
  readonly p: number;
  readonly ci: readonly [number, number];
}

const lce = (ce: number): number => -Math.log10(1 - ce);

/** P at cycle n from loops at cycles c_k: linear in ln(1 + n) between loops, constant beyond the ends. */
export function interpolatePolarisation(s: PolarisationSeries, n: number): number {
  const pts = s.cycle.map((c, i) => [Math.log1p(c), s.pr[i]!] as const).sort((a, b) => a[0] - b[0]);
  const x = Math.log1p(n);
  if (x <= pts[0]![0]) return pts[0]![1];
  for (let i = 1; i < pts.length; i++) {
    const [x0, y0] = pts[i - 1]!;
    const [x1, y1] = pts[i]!;
    if (x <= x1) return x1 === x0 ? y1 : y0 + ((y1 - y0) * (x - x0)) / (x1 - x0);
  }
  return pts[pts.length - 1]![1];
}

/** Null when fewer than 3 poled cells have a series over ≥ 5 cycles or fewer than 2 reference cells have per-cycle CE. */
export function perCycleRetentionTest(input: PerCycleInput, poled: readonly string[], reference: readonly string[]): PerCycleResult | null {
  const refs = reference.filter((c) => input.ce[c] && input.ce[c]!.cycle.length >= 5);
  if (refs.length < 2) return null;
  const refMean = new Map<number, { s: number; k: number }>();
  for (const c of refs) {
    const s = input.ce[c]!;
    s.cycle.forEach((n, i) => {
      const v = s.ce[i]!;
      if (!(v > 0 && v < 1)) return;
      const m = refMean.get(n) ?? { s: 0, k: 0 };
      m.s += lce(v);
      m.k++;
      refMean.set(n, m);
    });
  }
  const slopes: { cell: string; slope: number; cycles: number; loops: number }[] = [];
  for (const c of poled) {
    const s = input.ce[c];
    const p = input.polarisation[c];
    if (!s || !p || p.cycle.length < 3) continue;
    const lo = Math.min(...p.cycle);
    const hi = Math.max(...p.cycle);
    const x: number[] = [];
    const y: number[] = [];
    s.cycle.forEach((n, i) => {
      const v = s.ce[i]!;
      const r = refMean.get(n);
      if (n < Math.max(2, lo) || n > hi || !r || !(v > 0 && v < 1)) return; // cycle 1 is formation; no extrapolation of P
      x.push(interpolatePolarisation(p, n));
      y.push(lce(v) - r.s / r.k);
    });
    if (x.length < 5 || new Set(x.map((v) => v.toPrecision(6))).size < 3) continue;
    slopes.push({ cell: c, slope: linearRegression(x, y).slope.estimate, cycles: x.length, loops: p.cycle.length });
  }
  if (slopes.length < 3) return null;
  const b = slopes.map((s) => s.slope);
  const m = b.reduce((a, v) => a + v, 0) / b.length;
  const sd = Math.sqrt(b.reduce((a, v) => a + (v - m) ** 2, 0) / (b.length - 1));
  const se = sd / Math.sqrt(b.length);
  const df = b.length - 1;
  const q = tQuantile(0.975, df);
  return { slopes, reference: refs, estimate: m, se, df, p: tTwoSidedP(m / se, df), ci: [m - q * se, m + q * se] };
}
