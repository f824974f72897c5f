/**
 * Bruce–Vincent (Evans–Vincent–Bruce) Li⁺ transference number from a Li‖Li potentiostatic polarisation
 * (shared/domain/MECHANISMS.md §4; Evans, Vincent & Bruce, Polymer 28, 2324 (1987),
 * DOI 10.1016/0032-3861(87)90394-6; Bruce & Vincent, J. Electroanal. Chem. 225, 1 (1987),
 * DOI 10.1016/0022-0728(87)80001-3; protocol as in M. Lacey,
 * https://lithiuminventory.com/experimental-electrochemistry/transference-number-measurement):
 *
 *   t₊ = I_ss (ΔV − I₀R₀) / [I₀ (ΔV − I_ss R_ss)]
 *
 * R₀ and R_ss are the INTERFACIAL resistances (SEI + charge transfer) before and after the step; the
 * series (electrolyte) resistance is not in the formula (§4.1). What this file reads from a CA record:
 *
 * - the step: the rows of the polarisation step (the file's settings say where it starts and ends, or
 *   which EC-Lab sequence step Ns it is; otherwise the whole record);
 * - ΔV: the programmed step when the settings state it relative to the open circuit (EC-Lab `vs. Eoc`
 *   / `Emeas`, Gamry POTEN flag T), or the step minus the stated open-circuit potential when it is set
 *   against the reference; otherwise from the data: the median voltage over the step minus the median
 *   voltage of the rows before it (0 V when the record has none: a symmetric Li‖Li cell rests at ≈ 0 V;
 *   flagged `delta-v-from-data`). ΔV above 10 mV breaks the small-signal linearisation (§4.1, §4.5) and
 *   is flagged `delta-v-above-10mV`;
 * - I₀: the FIRST LOGGED POINT AFTER THE STEP START, skipping `i0SkipS` seconds (default 0) of
 *   double-layer charging. At the sampling intervals potentiostats log a polarisation with (≥ 10 ms)
 *   the double-layer spike (τ = R·C_dl) is usually over by the first point; the campaign stage reports
 *   the check of §4.1, I₀(R_s + R₀)/ΔV ≈ 1, so a point read too early or too late shows. Its
 *   uncertainty is half the change of |I| over the next sampling interval (how much the reading depends
 *   on when the first point falls);
 * - I_ss: the mean |I| over the last `issWindowFraction` (default 10 %) of the step's duration (at least
 *   3 points), stderr = SD/√n. The current is called steady when the OLS trend of |I| over that window,
 *   times the window's duration, changes it by less than `steadyTolerance` (default 1 %) of I_ss;
 *   otherwise the value is flagged `not-steady` (take I_ss together with R_ss, §4.5). The 10 % window and
 *   the 1 % tolerance are conventions of this code, not values from a source; both are options.
 *
 * Uncertainty of t₊: first-order propagation of independent 1σ errors of I₀, I_ss, ΔV, R₀, R_ss
 * (the R's from the impedance fits; covariances between the two spectra's fits are not known and are
 * taken as 0). The result is a "limiting current fraction" F₊ (method BV): ion pairs inflate it in
 * concentrated or associated electrolytes (§4.2) — never compare it with an NMR or Hittorf t₊.
 */
import type { CaStep } from '../../../parsers/chrono/record.js';
import { mean, median, sd } from '../../stats/descriptive.js';

/** The polarisation step as the readers put it in meta (parsers/chrono/record.ts), its source optional. */
export type CaStepInfo = Omit<CaStep, 'source'> & { readonly source?: string };

export interface CaCurrentOptions {
  /** Seconds after the step start to skip before I₀ is read (double-layer charging). @default 0 */
  readonly i0SkipS?: number;
  /** Share of the step's duration at its end over which I_ss is averaged. @default 0.1 */
  readonly issWindowFraction?: number;
  /** Steady when the window's linear trend changes |I| by less than this share of I_ss. @default 0.01 */
  readonly steadyTolerance?: number;
}

export interface CaCurrents {
  readonly i0: number;
  readonly i0Stderr: number;
  readonly i0TimeS: number;
  readonly iss: number;
  readonly issStderr: number;
  readonly issWindow: readonly [number, number];
  readonly issPoints: number;
  /** Relative change of |I| over the I_ss window from its linear trend. */
  readonly issDrift: number;
  readonly steady: boolean;
  readonly deltaV: number;
  readonly deltaVStderr: number;
  readonly deltaVSource: string;
  readonly stepStartS: number;
  readonly stepEndS: number;
  readonly stepRows: number;
  readonly flags: readonly string[];
  readonly notes: readonly string[];
}

/** Small-signal limit of the Bruce–Vincent step (MECHANISMS.md §4.1, Lacey: ΔV ≤ 10 mV). */
export const BV_MAX_DELTA_V = 0.01;

/** Sample SD, 0 for a single point (its stderr is then the rule's, not the scatter's). */
const sdOf = (a: readonly number[]): number => (a.length < 2 ? 0 : sd(a));

/** I₀, I_ss and ΔV of one chronoamperometry record (see the file comment for every rule). Throws on unusable data. */
export function caCurrents(
  time: ArrayLike<number>,
  voltage: ArrayLike<number>,
  current: ArrayLike<number>,
  step: CaStepInfo | undefined,
  o: CaCurrentOptions & { readonly stepIndex?: ArrayLike<number>; readonly openCircuitV?: number } = {},
): CaCurrents {
  const skip = o.i0SkipS ?? 0;
  const frac = o.issWindowFraction ?? 0.1;
  const tol = o.steadyTolerance ?? 0.01;
  if (!(frac > 0 && frac <= 1)) throw new RangeError(`issWindowFraction must be in (0, 1]; got ${frac}`);
  const n = time.length;
  const flags: string[] = [];
  const notes: string[] = [];
  // ---- the step's rows ----
  const rows: number[] = [];
  const before: number[] = [];
  let how: string;
  if (step && step.startS !== undefined) {
    const end = step.endS ?? Infinity;
    for (let i = 0; i < n; i++) {
      const t = time[i]!;
      if (!Number.isFinite(t)) continue;
      if (t > step.startS && t <= end) rows.push(i);
      else if (t <= step.startS) before.push(i);
    }
    how = `rows with ${step.startS} s < t ≤ ${Number.isFinite(end) ? `${end} s` : 'the end'} (step span from the settings)`;
  } else if (step && step.ns !== undefined && o.stepIndex) {
    let first = -1;
    for (let i = 0; i < n; i++) {
      if (o.stepIndex[i] === step.ns) {
        if (first < 0) first = i;
        rows.push(i);
      }
    }
    for (let i = 0; i < first; i++) before.push(i);
    how = `rows of sequence step Ns ${step.ns}`;
  } else {
    for (let i = 0; i < n; i++) rows.push(i);
    how = 'the whole record (no step span in the file)';
  }
  const ok = rows.filter((i) => Number.isFinite(time[i]!) && Number.isFinite(current[i]!));
  if (ok.length < 5) throw new Error(`the polarisation step has ${ok.length} usable point(s) (${how}); at least 5 are needed to read I₀ and I_ss`);
  const t0 = step?.startS ?? time[ok[0]!]!;
  const tEnd = time[ok[ok.length - 1]!]!;
  notes.push(`step: ${how}, ${ok.length} points`);
  // ---- I₀: first point after the double-layer skip ----
  const k0 = ok.findIndex((i) => time[i]! - t0 >= skip && (step?.startS === undefined ? true : time[i]! > t0));
  if (k0 < 0 || k0 + 1 >= ok.length) throw new Error(`no point left after skipping ${skip} s of double-layer charging`);
  const iA = Math.abs(current[ok[k0]!]!);
  const iB = Math.abs(current[ok[k0 + 1]!]!);
  const i0 = iA;
  const i0Stderr = Math.abs(iA - iB) / 2;
  notes.push(
    `I₀ = |I| at the first point ${skip > 0 ? `≥ ${skip} s ` : ''}after the step start (t = ${time[ok[k0]!]} s); uncertainty = half the change over the next sampling interval`,
  );
  // ---- I_ss: mean over the final window ----
  const wStart = tEnd - frac * (tEnd - t0);
  let win = ok.filter((i) => time[i]! >= wStart);
  if (win.length < 3) win = ok.slice(-3);
  const wi = win.map((i) => Math.abs(current[i]!));
  const wt = win.map((i) => time[i]!);
  const iss = mean(wi);
  const issStderr = sdOf(wi) / Math.sqrt(wi.length);
  const mt = mean(wt);
  const sxx = wt.reduce((s, x) => s + (x - mt) ** 2, 0);
  const slope = sxx > 0 ? wt.reduce((s, x, j) => s + (x - mt) * (wi[j]! - iss), 0) / sxx : 0;
  const drift = iss > 0 ? Math.abs(slope * (wt[wt.length - 1]! - wt[0]!)) / iss : Infinity;
  const steady = drift < tol;
  if (!steady) flags.push('not-steady');
  notes.push(
    `I_ss = mean |I| over the last ${Math.round(frac * 100)} % of the step (${wt[0]} to ${wt[wt.length - 1]} s, ${wi.length} points); its linear trend changes |I| by ${(100 * drift).toPrecision(2)} % over the window (${steady ? 'steady' : 'NOT steady'}: criterion < ${100 * tol} %)`,
  );
  // ---- ΔV ----
  let deltaV: number;
  let deltaVStderr = 0;
  let deltaVSource: string;
  if (step && step.reference === 'open-circuit') {
    deltaV = Math.abs(step.potentialV);
    deltaVSource = `settings (${step.source ?? `${step.potentialV} V vs. open circuit`})`;
  } else if (step && step.reference === 'reference' && o.openCircuitV !== undefined && Number.isFinite(o.openCircuitV)) {
    deltaV = Math.abs(step.potentialV - o.openCircuitV);
    deltaVSource = `settings: step ${step.potentialV} V vs. reference − open circuit ${o.openCircuitV} V`;
  } else {
    const vs = ok.map((i) => voltage[i]!).filter(Number.isFinite);
    const vb = before.map((i) => voltage[i]!).filter(Number.isFinite);
    if (!vs.length) throw new Error('no voltage in the step: ΔV cannot be taken from the data');
    const vRest = vb.length ? median(vb) : 0;
    deltaV = Math.abs(median(vs) - vRest);
    deltaVStderr = sdOf(vs) / Math.sqrt(vs.length);
    deltaVSource = `data: median voltage over the step − ${vb.length ? `median voltage of the ${vb.length} rows before it` : '0 V (no rows before the step: a symmetric Li‖Li cell at open circuit ≈ 0 V)'}`;
    flags.push('delta-v-from-data');
  }
  if (!(deltaV > 0)) throw new Error(`ΔV = ${deltaV} V: no polarisation step`);
  if (deltaV > BV_MAX_DELTA_V * (1 + 1e-9)) {
    flags.push('delta-v-above-10mV');
    notes.push(`ΔV = ${(deltaV * 1e3).toPrecision(3)} mV exceeds the 10 mV small-signal limit of the method (MECHANISMS.md §4.1/§4.5)`);
  }
  return {
    i0,
    i0Stderr,
    i0TimeS: time[ok[k0]!]!,
    iss,
    issStderr,
    issWindow: [wt[0]!, wt[wt.length - 1]!],
    issPoints: wi.length,
    issDrift: drift,
    steady,
    deltaV,
    deltaVStderr,
    deltaVSource,
    stepStartS: t0,
    stepEndS: tEnd,
    stepRows: ok.length,
    flags,
    notes,
  };
}

export interface BruceVincentInput {
  readonly deltaV: number;
  readonly i0: number;
  readonly iss: number;
  readonly r0: number;
  readonly rss: number;
  /** 1σ of each input (0 or absent = exact). */
  readonly sd?: Partial<Record<'deltaV' | 'i0' | 'iss' | 'r0' | 'rss', number>>;
}

export interface BruceVincentResult {
  readonly t: number;
  readonly stderr: number;
  /** t ± 1.96σ (normal approximation of the propagated error). */
  readonly ci95: readonly [number, number];
  /** ∂t/∂x of each input. */
  readonly partials: Readonly<Record<'deltaV' | 'i0' | 'iss' | 'r0' | 'rss', number>>;
}

/** t₊ = I_ss(ΔV − I₀R₀)/(I₀(ΔV − I_ss R_ss)) with first-order error propagation. Throws when a factor is not positive. */
export function bruceVincent(x: BruceVincentInput): BruceVincentResult {
  const { deltaV, i0, iss, r0, rss } = x;
  for (const [k, v] of Object.entries({ deltaV, i0, iss, r0, rss })) if (!Number.isFinite(v)) throw new RangeError(`${k} is not a finite number (${v})`);
  if (!(i0 > 0 && iss > 0 && deltaV > 0)) throw new RangeError(`I₀, I_ss and ΔV must be positive (I₀ ${i0} A, I_ss ${iss} A, ΔV ${deltaV} V)`);
  if (r0 < 0 || rss < 0) throw new RangeError(`interfacial resistances must not be negative (R₀ ${r0} Ω, R_ss ${rss} Ω)`);
  const a = deltaV - i0 * r0;
  const b = deltaV - iss * rss;
  if (!(a > 0))
    throw new RangeError(`ΔV − I₀R₀ = ${a.toPrecision(3)} V ≤ 0: I₀·R₀ exceeds the step (I₀ read in the double-layer spike, or R₀ from the wrong spectrum)`);
  if (!(b > 0)) throw new RangeError(`ΔV − I_ss·R_ss = ${b.toPrecision(3)} V ≤ 0: I_ss·R_ss exceeds the step`);
  const t = (iss * a) / (i0 * b);
  const dl = { iss: 1 / iss + rss / b, i0: -r0 / a - 1 / i0, r0: -i0 / a, rss: iss / b, deltaV: 1 / a - 1 / b };
  const partials = { deltaV: t * dl.deltaV, i0: t * dl.i0, iss: t * dl.iss, r0: t * dl.r0, rss: t * dl.rss };
  const sd = x.sd ?? {};
  let v = 0;
  for (const k of ['deltaV', 'i0', 'iss', 'r0', 'rss'] as const) v += (partials[k] * (sd[k] ?? 0)) ** 2;
  const stderr = Math.sqrt(v);
  return { t, stderr, ci95: [t - 1.96 * stderr, t + 1.96 * stderr], partials };
}
