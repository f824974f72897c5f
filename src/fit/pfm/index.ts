/**
 * PFM phase image → up/down domain fractions and the net polarisation fraction (shared/domain/
 * MECHANISMS.md §6.1; the rule below is tagged [D] there: derived, not a published standard).
 *
 * 1. Valid pixels: finite phase (NaN = masked in the file, §8.3) and, when an amplitude channel is
 *    present, amplitude ≥ 3σ_noise (§6.1: "mask pixels with A < 3σ_noise"). σ_noise is estimated from
 *    the image itself as 1.4826·median|A(i,j) − A(i+1,j)|/√2 (the MAD of neighbour differences: domain
 *    contrast is piecewise flat, so neighbour differences are noise except at walls).
 * 2. Phase histogram: phase in deg (rad is converted by the reader; a phase in V — raw lock-in
 *    output — or without a unit is not interpreted: §8.3 "never assume"), wrapped to [0, 360), 72 bins
 *    of 5°, circularly smoothed over 3 bins. Mode 1 = the highest bin; mode 2 = the highest bin at
 *    least 90° from mode 1. Each mode is refined to the circular mean of the pixels within 45° of it.
 *    A mode holding < 2 % of the valid pixels is absent (a single-domain image): mode 2 = mode 1 + 180°.
 * 3. Threshold rule: every valid pixel goes to the mode it is circularly nearer to (the thresholds are
 *    the two bisectors between the modes; for modes exactly 180° apart this is X = A cos(φ − φ_up) > 0,
 *    §6.1's rule with φ₀ = φ_up). Pixels more than 45° from their mode are counted as intermediate
 *    (background or artefact, §6.1) but still assigned.
 * 4. Which mode is "up": the mode nearer `upPhaseDeg` (the phase of a region written with known tip
 *    bias, §6.1 "calibrate φ₀"). Without it the sign is unknown: "up" is then the majority mode, so the
 *    net fraction is the magnitude |up − down|/(up + down) and carries the flag `orientation-uncalibrated`.
 *
 * Reported: pfm_up_fraction = N_up/N_valid; pfm_net_polarisation = (N_up − N_down)/(N_up + N_down);
 * pfm_net_polarisation_weighted = ΣX/Σ|X| with X = A cos(φ − φ_up) (amplitude images only);
 * pfm_valid_fraction = N_valid/N (always report it, §6.1: a buried or paraelectric film has few valid
 * pixels); pfm_mode_separation (deg; ≈ 180 for 180° domains, flagged beyond 180 ± 30);
 * pfm_intermediate_fraction. No stderr is given for the fractions: pixels are spatially correlated, a
 * binomial error would be far too small.
 */
import type { CanonicalRecord, Column, ParsedRecord } from '../../records/record.js';
import { findColumn } from '../../records/record.js';
import type { FittedParameter, FitOutcome, RecordFitter } from '../types.js';
import { median } from '../../stats/descriptive.js';

export interface PfmFitOptions {
  /** Phase (deg) of a region of known up polarisation (same tip, drive and processing). @default undefined (sign uncalibrated) */
  readonly upPhaseDeg?: number;
  /** Histogram bin width, deg. @default 5 */
  readonly binDeg: number;
  /** Amplitude mask: A < k·σ_noise is invalid. @default 3 (MECHANISMS §6.1) */
  readonly noiseSigmas: number;
  /** A pixel farther than this from its mode is "intermediate". @default 45 */
  readonly intermediateDeg: number;
  /** A mode with fewer than this share of the valid pixels is absent. @default 0.02 */
  readonly minModeShare: number;
}

export const DEFAULT_PFM_FIT_OPTIONS: PfmFitOptions = { binDeg: 5, noiseSigmas: 3, intermediateDeg: 45, minModeShare: 0.02 };

export interface PfmDomains {
  readonly pixels: number;
  readonly valid: number;
  readonly up: number;
  readonly down: number;
  readonly intermediate: number;
  readonly upPhase: number;
  readonly downPhase: number;
  readonly separation: number;
  readonly singleDomain: boolean;
  readonly calibrated: boolean;
  readonly weightedNet: number | null;
  readonly noiseSigma: number | null;
}

const wrap = (d: number): number => ((d % 360) + 360) % 360;
const cdist = (a: number, b: number): number => {
  const d = Math.abs(wrap(a) - wrap(b));
  return d > 180 ? 360 - d : d;
};

/** Noise σ of an amplitude image from the MAD of horizontal neighbour differences. */
export function amplitudeNoise(a: ArrayLike<number>, width: number): number {
  const d: number[] = [];
  for (let i = 0; i + 1 < a.length; i++) {
    if ((i + 1) % width === 0) continue;
    const x = a[i + 1]! - a[i]!;
    if (Number.isFinite(x)) d.push(Math.abs(x));
  }
  return (1.4826 * median(d)) / Math.SQRT2;
}

function circularMean(ph: readonly number[]): number {
  let s = 0;
  let c = 0;
  for (const p of ph) {
    s += Math.sin((p * Math.PI) / 180);
    c += Math.cos((p * Math.PI) / 180);
  }
  return wrap((Math.atan2(s, c) * 180) / Math.PI);
}

/** Domain statistics of one phase image (deg), with an optional amplitude image on the same grid. */
export function pfmDomains(phase: ArrayLike<number>, amplitude: ArrayLike<number> | null, width: number, options: Partial<PfmFitOptions> = {}): PfmDomains {
  const o = { ...DEFAULT_PFM_FIT_OPTIONS, ...options };
  const n = phase.length;
  const noiseSigma = amplitude ? amplitudeNoise(amplitude, width) : null;
  const idx: number[] = [];
  for (let i = 0; i < n; i++) {
    if (!Number.isFinite(phase[i]!)) continue;
    if (amplitude) {
      const a = amplitude[i]!;
      if (!Number.isFinite(a) || (noiseSigma! > 0 && a < o.noiseSigmas * noiseSigma!)) continue;
    }
    idx.push(i);
  }
  const ph = idx.map((i) => wrap(phase[i]!));
  const nb = Math.max(4, Math.round(360 / o.binDeg));
  const bw = 360 / nb;
  const hist = new Float64Array(nb);
  for (const p of ph) hist[Math.min(nb - 1, Math.floor(p / bw))]! += 1;
  const sm = Float64Array.from(hist, (_, k) => (hist[(k - 1 + nb) % nb]! + hist[k]! + hist[(k + 1) % nb]!) / 3);
  let m1 = 0;
  for (let k = 1; k < nb; k++) if (sm[k]! > sm[m1]!) m1 = k;
  const c1 = (m1 + 0.5) * bw;
  let m2 = -1;
  for (let k = 0; k < nb; k++) if (cdist((k + 0.5) * bw, c1) >= 90 && (m2 < 0 || sm[k]! > sm[m2]!)) m2 = k;
  const near = (c: number) => ph.filter((p) => cdist(p, c) <= o.intermediateDeg);
  const mode1 = ph.length ? circularMean(near(c1)) : 0;
  let mode2 = m2 >= 0 ? circularMean(near((m2 + 0.5) * bw)) : wrap(mode1 + 180);
  const share2 = m2 >= 0 && ph.length ? near((m2 + 0.5) * bw).length / ph.length : 0;
  const singleDomain = !(share2 >= o.minModeShare);
  if (singleDomain) mode2 = wrap(mode1 + 180);
  let n1 = 0;
  let inter = 0;
  for (const p of ph) {
    const d1 = cdist(p, mode1);
    const d2 = cdist(p, mode2);
    if (d1 <= d2) n1++;
    if (Math.min(d1, d2) > o.intermediateDeg) inter++;
  }
  const n2 = ph.length - n1;
  const calibrated = o.upPhaseDeg !== undefined && Number.isFinite(o.upPhaseDeg);
  const firstIsUp = calibrated ? cdist(mode1, o.upPhaseDeg!) <= cdist(mode2, o.upPhaseDeg!) : n1 >= n2;
  const upPhase = firstIsUp ? mode1 : mode2;
  let weightedNet: number | null = null;
  if (amplitude && ph.length) {
    let sx = 0;
    let sa = 0;
    idx.forEach((i, q) => {
      const x = amplitude[i]! * Math.cos(((ph[q]! - upPhase) * Math.PI) / 180);
      sx += x;
      sa += Math.abs(x);
    });
    weightedNet = sa > 0 ? sx / sa : null;
  }
  return {
    pixels: n,
    valid: ph.length,
    up: firstIsUp ? n1 : n2,
    down: firstIsUp ? n2 : n1,
    intermediate: inter,
    upPhase,
    downPhase: firstIsUp ? mode2 : mode1,
    separation: cdist(mode1, mode2),
    singleDomain,
    calibrated,
    weightedNet,
    noiseSigma,
  };
}

function phaseColumn(r: Pick<ParsedRecord, 'columns'>): Column | undefined {
  return findColumn(r, 'Phase') ?? r.columns.find((c) => /phase/i.test(c.name));
}

export function fitPfmRecord(
  record: Pick<ParsedRecord, 'columns' | 'meta'>,
  options: Partial<PfmFitOptions> = {},
): FitOutcome & { readonly domains?: PfmDomains } {
  const o = { ...DEFAULT_PFM_FIT_OPTIONS, ...options };
  const fail = (msg: string): FitOutcome => ({
    fitter: 'pfm-domains',
    fitterVersion: '1.0.0',
    parameters: [],
    quality: { ok: false, metrics: {}, messages: [msg] },
  });
  const ph = phaseColumn(record);
  if (!ph) return fail(`no phase channel (channels: ${record.columns.map((c) => c.name).join(', ')}); up/down fractions need a PFM phase image`);
  if (ph.unit !== 'deg')
    return fail(
      `phase channel unit is '${ph.unit || 'not stated'}': only deg (or rad, converted by the reader) is interpreted; a lock-in output in V needs its phase calibration first (MECHANISMS §8.3)`,
    );
  const width = typeof record.meta.width === 'number' ? record.meta.width : Math.max(1, ...Array.from(findColumn(record, 'Column')?.values ?? [0])) + 1;
  const amp = findColumn(record, 'Amplitude') ?? null;
  const metaUp = typeof record.meta.upPhaseDeg === 'number' ? record.meta.upPhaseDeg : undefined;
  const d = pfmDomains(ph.values, amp?.values ?? null, width, { ...o, upPhaseDeg: o.upPhaseDeg ?? metaUp });
  if (d.valid === 0) return fail(`no valid pixels (${d.pixels} pixels, all masked or below ${o.noiseSigmas}σ amplitude noise)`);
  const flags = d.calibrated ? [] : ['orientation-uncalibrated'];
  const sepOk = d.singleDomain || Math.abs(d.separation - 180) <= 30;
  const common = { flags: [...flags, ...(sepOk ? [] : ['modes-not-180'])] };
  const net = (d.up - d.down) / (d.up + d.down);
  const orient = d.calibrated
    ? `up = the mode nearer ${o.upPhaseDeg ?? metaUp}° (calibrated)`
    : 'orientation uncalibrated: up = the majority mode, so this is |net|';
  const params: FittedParameter[] = [
    { name: 'pfm_up_fraction', unit: '1', value: d.up / d.valid, note: `N_up/N_valid; ${orient}`, ...common },
    { name: 'pfm_net_polarisation', unit: '1', value: net, note: `(up − down)/(up + down) by pixel count; ${orient}`, ...common },
    ...(d.weightedNet !== null
      ? [{ name: 'pfm_net_polarisation_weighted', unit: '1', value: d.weightedNet, note: 'ΣX/Σ|X|, X = A cos(φ − φ_up) (MECHANISMS §6.1)', ...common }]
      : []),
    {
      name: 'pfm_valid_fraction',
      unit: '1',
      value: d.valid / d.pixels,
      note: amp
        ? `finite phase and amplitude ≥ ${o.noiseSigmas}σ_noise (σ_noise ${d.noiseSigma?.toPrecision(3)})`
        : 'finite phase (no amplitude channel: no noise mask)',
    },
    {
      name: 'pfm_mode_separation',
      unit: 'deg',
      value: d.separation,
      note: d.singleDomain
        ? 'single domain: second mode absent (placed at +180°)'
        : `modes at ${d.upPhase.toFixed(1)}° (up) and ${d.downPhase.toFixed(1)}° (down)`,
    },
    {
      name: 'pfm_intermediate_fraction',
      unit: '1',
      value: d.intermediate / d.valid,
      note: `pixels > ${o.intermediateDeg}° from their mode (background or artefact, MECHANISMS §6.1)`,
    },
  ];
  const messages: string[] = [];
  if (!d.calibrated)
    messages.push('phase orientation not calibrated (no upPhaseDeg): the up/down labels are majority/minority and the net fraction is a magnitude');
  if (!sepOk) messages.push(`the two phase modes are ${d.separation.toFixed(0)}° apart, not ≈ 180°: background or phase-offset problems (MECHANISMS §6.1)`);
  if (d.valid / d.pixels < 0.5)
    messages.push(
      `only ${((100 * d.valid) / d.pixels).toFixed(0)} % of the pixels are valid: a buried, paraelectric or badly contacted film (MECHANISMS §6.1)`,
    );
  if (!amp) messages.push('no amplitude channel: no noise mask and no amplitude-weighted net polarisation');
  return {
    fitter: 'pfm-domains',
    fitterVersion: '1.0.0',
    parameters: params,
    quality: {
      ok: d.valid / d.pixels >= 0.5 && sepOk,
      metrics: { pixels: d.pixels, validPixels: d.valid, upPixels: d.up, downPixels: d.down, upPhaseDeg: d.upPhase, downPhaseDeg: d.downPhase },
      messages,
    },
    options: { ...o, ...(metaUp !== undefined ? { upPhaseDeg: metaUp } : {}) },
    domains: d,
  };
}

export const pfmFitter: RecordFitter = {
  id: 'pfm-domains',
  version: '1.0.0',
  kinds: ['pfm-image'],
  fit(record: CanonicalRecord): FitOutcome {
    const { domains: _d, ...outcome } = fitPfmRecord(record);
    return outcome;
  },
};
