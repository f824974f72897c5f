/**
 * Li||Li symmetric cells: voltage hysteresis per half cycle and per cycle, its growth rate, and the
 * soft-short flags of MECHANISMS.md §2 (../shared/domain/MECHANISMS.md).
 *
 * Quantities (§2.1 [D]): η_k = median |V| of half cycle k; ΔV_pp = V_strip − V_plate (signed medians of
 * the cycle's stripping and plating halves); shape s = |V(end of half)| / |V(mid-capacity)|: s > 1 a
 * "peaking" trace, s ≈ 1 a flat, rectangular one — a soft-short warning, not a sign of health
 * (Menkin et al., Faraday Discuss. 2024, DOI 10.1039/d3fd00101f).
 *
 * Flags (§2.4 [D], proposed there for the pipeline; thresholds are options with those defaults):
 *   (1) step-down: η_k falls > 30 % below the median of the previous 5 half cycles at unchanged j
 *       (|I| within 5 % of their median);
 *   (2) shape: s falls from > 1.1 (median of the previous 5 halves) to 0.95–1.05 and stays there for
 *       every later half cycle of the record;
 *   (3) noise: the std of detrended V in a half cycle rises > 3× the median of the previous 5 — only
 *       evaluated when Δt ≤ 1 s (§2.4; sampling every ~1 min misses soft shorts, Counihan et al. Joule
 *       2023 as quoted in §2.2). V is detrended by first differences: σ = sd(ΔV)/√2, which removes any
 *       slow trend (the plateau, peaking) and keeps sample-to-sample noise.
 * Flags (4)–(6) need other measurements (two current levels, EIS, full cells) and are not computed here.
 */
import type { NumericArray } from '../../records/record.js';
import type { CyclerSeries } from './cycler-series.js';
import { currentRuns, median, medianInterval, olsSlope, type CurrentRun } from './segments.js';
import { medianInPlace } from './quickselect.js';
import type { CycleSummary } from './summarize-cycles.js';

/** Bits of the `Short Circuit Flag` column added by the §2.4 flags (bits 1 and 2 are CE and collapse). */
export const SHORT_STEP_DOWN = 4;
export const SHORT_SHAPE = 8;
export const SHORT_NOISE = 16;

export interface SymmetricOptions {
  /** §2.4 (1): fractional fall of η below the median of the previous halves. @default 0.3 */
  readonly stepDownFraction: number;
  /** §2.4: how many previous half cycles form the reference. @default 5 */
  readonly softShortWindow: number;
  /** §2.4 (1): "unchanged j": |I| within this fraction of the previous halves' median. @default 0.05 */
  readonly sameCurrentTolerance: number;
  /** §2.4 (2): the previous halves' median s above this ("peaking"). @default 1.1 */
  readonly shapePeakedAbove: number;
  /** §2.4 (2): s within this band is a rectangular trace. @default [0.95, 1.05] */
  readonly shapeFlatBand: readonly [number, number];
  /** §2.4 (3): σ rises above this multiple of the previous halves' median. @default 3 */
  readonly noiseFactor: number;
  /** §2.4 (3): the noise flag needs Δt ≤ this (s). @default 1 */
  readonly noiseMaxIntervalS: number;
}

export const DEFAULT_SYMMETRIC_OPTIONS: SymmetricOptions = {
  stepDownFraction: 0.3,
  softShortWindow: 5,
  sameCurrentTolerance: 0.05,
  shapePeakedAbove: 1.1,
  shapeFlatBand: [0.95, 1.05],
  noiseFactor: 3,
  noiseMaxIntervalS: 1,
};

export interface HalfCycleVoltage {
  readonly sign: number;
  readonly cycleIndex: number;
  readonly startRow: number;
  readonly endRow: number;
  /** Signed median V of the non-rest rows. */
  readonly vMedian: number;
  /** η_k = median |V| (V). */
  readonly eta: number;
  /** s = |V_end| / |V_mid| (§2.1). */
  readonly shape: number;
  /** sd(ΔV)/√2 over the half's rows after its first two (the switching transient) (V). */
  readonly noise: number;
  /** Median logging interval (s). */
  readonly dt: number;
  /** Median |I| (A). */
  readonly current: number;
  /** Bits SHORT_STEP_DOWN | SHORT_SHAPE | SHORT_NOISE. */
  readonly flags: number;
}

export interface SymmetricAnalysis {
  readonly halves: readonly HalfCycleVoltage[];
  /** Per cycle (summary index): ΔV_pp = V_strip − V_plate (V), NaN unless the cycle has both halves. */
  readonly hysteresis: Float64Array;
  /** Per cycle: mean s of its halves; mean σ of its halves. */
  readonly shape: Float64Array;
  readonly noise: Float64Array;
  /** Per cycle: OR of its halves' flags. */
  readonly flags: Int32Array;
  /** Whether the noise flag could be evaluated (Δt ≤ noiseMaxIntervalS somewhere). */
  readonly noiseEvaluated: boolean;
}

/** Merge consecutive runs of one sign (a rest inside a half does not split it). */
function halves(runs: readonly CurrentRun[]): CurrentRun[][] {
  const out: CurrentRun[][] = [];
  for (const r of runs) {
    const last = out[out.length - 1];
    if (last && last[0]!.sign === r.sign) last.push(r);
    else out.push([r]);
  }
  return out;
}

function halfVoltage(T: NumericArray, V: NumericArray, I: NumericArray, rs: CurrentRun[]): HalfCycleVoltage {
  // Typed arrays and plain loops: a 1,000,000-row Li||Li log stays within the summary's time budget.
  let n = 0;
  for (const r of rs) n += r.endRow - r.startRow + 1;
  const v = new Float64Array(n);
  const abs = new Float64Array(n);
  const amps = new Float64Array(n);
  let qTot = 0;
  let k = 0;
  let dN = 0,
    dSum = 0,
    dSq = 0;
  for (const r of rs) {
    for (let i = r.startRow; i <= r.endRow; i++, k++) {
      const x = V[i]!;
      v[k] = x;
      abs[k] = Math.abs(x);
      amps[k] = Math.abs(I[i]!);
      if (i > r.startRow) {
        const dt = T[i]! - T[i - 1]!;
        if (dt > 0) qTot += (amps[k]! + amps[k - 1]!) * dt;
      }
      // Noise: first differences after the first three rows of the half (the switching transient).
      if (k >= 3) {
        const d = x - v[k - 1]!;
        dN++;
        dSum += d;
        dSq += d * d;
      }
    }
  }
  // Mid-capacity row: the first row where the charge moved reaches half the half's total.
  let mid = 0;
  let q = 0;
  k = 0;
  outer: for (const r of rs) {
    for (let i = r.startRow; i <= r.endRow; i++, k++) {
      if (i > r.startRow) {
        const dt = T[i]! - T[i - 1]!;
        if (dt > 0) q += (amps[k]! + amps[k - 1]!) * dt;
      }
      if (q >= qTot / 2) {
        mid = k;
        break outer;
      }
    }
  }
  const noise = dN >= 2 ? Math.sqrt(Math.max(0, (dSq - (dSum * dSum) / dN) / (dN - 1))) / Math.SQRT2 : NaN;
  const shape = abs[n - 1]! / abs[mid]!;
  const first = rs[0]!;
  const last = rs[rs.length - 1]!;
  return {
    sign: first.sign,
    cycleIndex: first.cycleIndex,
    startRow: first.startRow,
    endRow: last.endRow,
    vMedian: medianInPlace(v, 0, n),
    eta: medianInPlace(abs, 0, n),
    shape,
    noise,
    dt: medianInterval(T, first.startRow, last.endRow),
    current: medianInPlace(amps, 0, n),
    flags: 0,
  };
}

export function symmetricAnalysis(series: CyclerSeries, summary: CycleSummary, o: SymmetricOptions = DEFAULT_SYMMETRIC_OPTIONS): SymmetricAnalysis {
  const T = series.time;
  const V = series.voltage;
  const I = series.current;
  const hs = halves(currentRuns(series, summary)).map((rs) => halfVoltage(T, V, I, rs));
  const w = o.softShortWindow;
  const [lo, hi] = o.shapeFlatBand;
  const flat = (s: number): boolean => s >= lo && s <= hi;
  let noiseEvaluated = false;
  const flags = hs.map(() => 0);
  for (let k = w; k < hs.length; k++) {
    const prev = hs.slice(k - w, k);
    const h = hs[k]!;
    const iRef = median(prev.map((p) => p.current));
    const sameJ = Math.abs(h.current - iRef) <= o.sameCurrentTolerance * iRef;
    if (sameJ && h.eta < (1 - o.stepDownFraction) * median(prev.map((p) => p.eta))) flags[k]! |= SHORT_STEP_DOWN;
    if (median(prev.map((p) => p.shape)) > o.shapePeakedAbove && flat(h.shape) && k + 1 < hs.length && hs.slice(k + 1).every((x) => flat(x.shape))) {
      flags[k]! |= SHORT_SHAPE;
    }
    if (h.dt <= o.noiseMaxIntervalS && prev.every((p) => p.dt <= o.noiseMaxIntervalS)) {
      noiseEvaluated = true;
      if (h.noise > o.noiseFactor * median(prev.map((p) => p.noise))) flags[k]! |= SHORT_NOISE;
    }
  }
  // The shape flag marks where the flat trace begins, not every later half.
  for (let k = hs.length - 1; k > 0; k--) if (flags[k]! & SHORT_SHAPE && flags[k - 1]! & SHORT_SHAPE) flags[k]! &= ~SHORT_SHAPE;
  const out = hs.map((h, k) => ({ ...h, flags: flags[k]! }));

  const n = summary.cycles;
  const hysteresis = new Float64Array(n).fill(NaN);
  const shape = new Float64Array(n).fill(NaN);
  const noise = new Float64Array(n).fill(NaN);
  const cf = new Int32Array(n);
  const plate = new Float64Array(n).fill(NaN);
  const strip = new Float64Array(n).fill(NaN);
  const sSum = new Float64Array(n),
    sN = new Float64Array(n),
    nSum = new Float64Array(n),
    nN = new Float64Array(n);
  for (const h of out) {
    const c = h.cycleIndex;
    if (h.sign < 0 && Number.isNaN(plate[c]!)) plate[c] = h.vMedian;
    if (h.sign > 0 && Number.isNaN(strip[c]!)) strip[c] = h.vMedian;
    if (Number.isFinite(h.shape)) {
      sSum[c]! += h.shape;
      sN[c]!++;
    }
    if (Number.isFinite(h.noise)) {
      nSum[c]! += h.noise;
      nN[c]!++;
    }
    cf[c]! |= h.flags;
  }
  for (let c = 0; c < n; c++) {
    hysteresis[c] = strip[c]! - plate[c]!;
    if (sN[c]! > 0) shape[c] = sSum[c]! / sN[c]!;
    if (nN[c]! > 0) noise[c] = nSum[c]! / nN[c]!;
  }
  return { halves: out, hysteresis, shape, noise, flags: cf, noiseEvaluated };
}

/** OLS growth of ΔV_pp (V/cycle) over the given cycles (cycle numbers as in the table). */
export function hysteresisGrowth(cycle: ArrayLike<number>, hysteresis: ArrayLike<number>, use: (c: number) => boolean): ReturnType<typeof olsSlope> {
  const x: number[] = [];
  const y: number[] = [];
  for (let c = 0; c < hysteresis.length; c++) {
    if (!use(c) || !Number.isFinite(hysteresis[c]!)) continue;
    x.push(cycle[c]!);
    y.push(hysteresis[c]!);
  }
  return olsSlope(x, y);
}

export function describeFlags(f: number): string[] {
  const out: string[] = [];
  if (f & SHORT_STEP_DOWN) out.push('hysteresis step-down > 30 % at unchanged j (MECHANISMS §2.4 flag 1)');
  if (f & SHORT_SHAPE) out.push('trace turned rectangular and stayed (s from > 1.1 to 0.95–1.05, §2.4 flag 2)');
  if (f & SHORT_NOISE) out.push('voltage noise > 3× the previous half cycles (§2.4 flag 3)');
  return out;
}
