/**
 * Measured inputs from the pipeline's per-cell parameters (src/report/types.ts CellParameter, names of
 * src/fit/parameters.ts). A value without a stderr gets a stated default uncertainty, never silently 0.
 */
import type { CellParameter } from '../../report/types.js';
import { PARAMETERS } from '../../fit/parameters.js';
import type { MeasuredInputs, Measurement } from './types.js';

/** Default 1σ when a measurement has no stderr: relative for R_SEI, absolute for fractions. */
export const DEFAULT_MEASUREMENT_UNCERTAINTY = { inorganicFraction: 0.03, heterogeneityIndex: 0.05, rSeiRelative: 0.1, retention: 0.05, alpha: 0.02 } as const;

export function measuredInputsFromParameters(params: readonly CellParameter[], opts: { prRef_uC_cm2?: number; poled?: boolean } = {}): MeasuredInputs {
  const get = (name: string): CellParameter | undefined => params.find((p) => p.name === name && p.value !== null && Number.isFinite(p.value));
  const meas = (p: CellParameter | undefined, fallback: (v: number) => number): Measurement | undefined =>
    p ? { value: p.value!, stderr: p.stderr !== null && p.stderr > 0 ? p.stderr : fallback(p.value!) } : undefined;
  const f = meas(get(PARAMETERS.inorganicFraction.name), () => DEFAULT_MEASUREMENT_UNCERTAINTY.inorganicFraction);
  const h = meas(get(PARAMETERS.heterogeneity.name), () => DEFAULT_MEASUREMENT_UNCERTAINTY.heterogeneityIndex);
  const r = meas(get(PARAMETERS.rSeiAreal.name), (v) => DEFAULT_MEASUREMENT_UNCERTAINTY.rSeiRelative * v);
  const ret = meas(get(PARAMETERS.retention.name), () => DEFAULT_MEASUREMENT_UNCERTAINTY.retention);
  const a = meas(get(PARAMETERS.cpeSeiAlpha.name), () => DEFAULT_MEASUREMENT_UNCERTAINTY.alpha);
  const pr = get(PARAMETERS.pr.name);
  let p0: Measurement | undefined;
  if (pr && opts.prRef_uC_cm2) p0 = { value: Math.min(1, pr.value! / opts.prRef_uC_cm2), stderr: (pr.stderr ?? 0.1 * pr.value!) / opts.prRef_uC_cm2 };
  else if (opts.poled) p0 = { value: 1, stderr: 0.1 };
  return { inorganicFraction: f, heterogeneityIndex: h, rSei_Ohm_cm2: r, polarisationRetention: ret, cpeAlpha: a, initialPolarisation: p0 };
}
