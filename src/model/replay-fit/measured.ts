/**
 * Measured inputs from the pipeline's per-cell parameters (src/report/types.ts CellParameter, names of
 * src/records/parameters.ts). A value without a stderr gets a stated default uncertainty, never silently 0.
 *
 * P₀ (DOMAIN.md §7.3.8: P₀ = Pr_eff / Pr_ref, capped at 1) of a poled cell comes from, in this order:
 *   1. the cell's `Pr` row from a P–E loop (the pristine loop, src/derived/pe-pairs.ts);
 *   2. a `Pr` row from the manifest (fitter `manifest`), or `manifestPr_uC_cm2` when given here;
 *   3. neither: P₀ = 1, labelled 'assumed' (reported as prior-fixed).
 * Pr_ref is REFERENCE_PR_UC_CM2 (the Pr of the fully poled layer the FD parameters Δf_FD, ε_H, ε_c are
 * scaled to) unless the caller passes another. Unpoled, depoled, paraelectric and bare cells get no P₀
 * (P ≡ 0) even when a loop was measured: a P–E loop shows switchable, not net, polarisation.
 */
import type { CellParameter } from '../../records/results.js';
import { PARAMETERS } from '../../records/parameters.js';
import type { MeasuredInputs, Measurement } from './types.js';

/** Default 1σ when a measurement has no stderr: relative for R_SEI, Pr and titrated dead Li, absolute for fractions. */
export const DEFAULT_MEASUREMENT_UNCERTAINTY = {
  inorganicFraction: 0.03,
  heterogeneityIndex: 0.05,
  rSeiRelative: 0.1,
  retention: 0.05,
  alpha: 0.02,
  prRelative: 0.1,
  deadLiRelative: 0.1,
} as const;

/** Pr_ref (µC cm⁻²) of P₀ = Pr/Pr_ref: a fully poled BaTiO3-type layer (DOMAIN.md §7.5: BTO 5–26 µC cm⁻²); the virtual lab's default too. */
export const REFERENCE_PR_UC_CM2 = 20;

export interface MeasuredInputOptions {
  /** Pr_ref of P₀ = Pr/Pr_ref. @default REFERENCE_PR_UC_CM2 */
  readonly prRef_uC_cm2?: number;
  /** Whether the cell's layer is poled; false: no P₀ at all. @default true when a Pr is given */
  readonly poled?: boolean;
  /** The manifest's pr_uC_cm2, used when no `Pr` row is among the parameters. */
  readonly manifestPr_uC_cm2?: number;
}

export function measuredInputsFromParameters(params: readonly CellParameter[], opts: MeasuredInputOptions = {}): MeasuredInputs {
  const get = (name: string): CellParameter | undefined => params.find((p) => p.name === name && p.value !== null && Number.isFinite(p.value));
  const meas = (p: CellParameter | undefined, fallback: (v: number) => number): Measurement | undefined =>
    p ? { value: p.value!, stderr: p.stderr !== null && p.stderr > 0 ? p.stderr : fallback(p.value!) } : undefined;
  const f = meas(get(PARAMETERS.inorganicFraction.name), () => DEFAULT_MEASUREMENT_UNCERTAINTY.inorganicFraction);
  const h = meas(get(PARAMETERS.heterogeneity.name), () => DEFAULT_MEASUREMENT_UNCERTAINTY.heterogeneityIndex);
  const r = meas(get(PARAMETERS.rSeiAreal.name), (v) => DEFAULT_MEASUREMENT_UNCERTAINTY.rSeiRelative * v);
  const ret = meas(get(PARAMETERS.retention.name), () => DEFAULT_MEASUREMENT_UNCERTAINTY.retention);
  const a = meas(get(PARAMETERS.cpeSeiAlpha.name), () => DEFAULT_MEASUREMENT_UNCERTAINTY.alpha);
  const dead = meas(get(PARAMETERS.deadLiTitration.name), (v) => DEFAULT_MEASUREMENT_UNCERTAINTY.deadLiRelative * v);
  const ref = opts.prRef_uC_cm2 ?? REFERENCE_PR_UC_CM2;
  let p0: MeasuredInputs['initialPolarisation'];
  if (opts.poled !== false) {
    const row = get(PARAMETERS.pr.name);
    const pr = row
      ? {
          value: row.value!,
          stderr: row.stderr,
          kind: row.fitter === 'manifest' ? ('manifest' as const) : ('measured' as const),
          from:
            row.fitter === 'manifest'
              ? `manifest pr_uC_cm2 (${row.sources.join(', ') || 'manifest'})`
              : `measured Pr (${row.fitter}${row.sources.length ? `, ${row.sources.join(', ')}` : ''})`,
        }
      : opts.manifestPr_uC_cm2 !== undefined && Number.isFinite(opts.manifestPr_uC_cm2)
        ? { value: opts.manifestPr_uC_cm2, stderr: null, kind: 'manifest' as const, from: 'manifest pr_uC_cm2' }
        : undefined;
    if (pr && ref > 0) {
      const se = pr.stderr !== null && pr.stderr > 0 ? pr.stderr : DEFAULT_MEASUREMENT_UNCERTAINTY.prRelative * Math.abs(pr.value);
      const raw = pr.value / ref;
      p0 = {
        value: Math.min(1, Math.max(0, raw)),
        stderr: se / ref,
        kind: pr.kind,
        source: `P₀ = Pr/Pr_ref = ${Number(pr.value.toPrecision(4))}/${ref} µC cm⁻²${raw > 1 ? ' (capped at 1)' : ''}, Pr from ${pr.from}`,
      };
    } else if (opts.poled) {
      p0 = { value: 1, stderr: 0.1, kind: 'assumed', source: 'poled layer without a measured Pr or manifest pr_uC_cm2: P₀ = 1 assumed' };
    }
  }
  return {
    inorganicFraction: f,
    heterogeneityIndex: h,
    rSei_Ohm_cm2: r,
    polarisationRetention: ret,
    cpeAlpha: a,
    initialPolarisation: p0,
    ...(dead ? { deadLiTitration_mAh_cm2: dead } : {}),
  };
}
