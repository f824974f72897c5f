/**
 * RecordFitter for impedance spectra: validate → lin-KK → DRT → default Li-metal circuit fit.
 * A spectrum that fails KK is still fitted, but quality.ok is false and every parameter carries a
 * note. Unusable input (NaN, < 5 points, unsorted/repeated or non-positive frequencies) gives a
 * skipped fit: no parameters, quality.ok false, the reason in messages. The fitter never throws
 * on bad data.
 */
import { EIS } from '../../model/names.js';
import { type CanonicalRecord, findColumn } from '../../model/record.js';
import { PARAMETERS } from '../parameters.js';
import type { CellContext, FitOutcome, FittedParameter, RecordFitter } from '../types.js';
import { computeDrt, type DrtResult } from '../drt/drt.js';
import { EisInputError } from './errors.js';
import { fitCircuit } from './fit-circuit.js';
import { linKK } from './kk.js';
import { LI_METAL_CIRCUIT, LI_METAL_MAPPING } from './li-metal.js';
import { checkSpectrum } from './spectrum.js';

export const EIS_FITTER_ID = 'eis-li-metal';
export const EIS_FITTER_VERSION = '1.0.0';

const skipped = (messages: string[], options: Record<string, unknown>): FitOutcome => ({
  fitter: EIS_FITTER_ID,
  fitterVersion: EIS_FITTER_VERSION,
  parameters: [],
  quality: { ok: false, metrics: {}, messages },
  options,
});

export function fitEisRecord(record: CanonicalRecord, cell: CellContext): FitOutcome {
  const options = { circuit: LI_METAL_CIRCUIT, weighting: 'modulus', kkThreshold: 0.01, kkC: 0.85, drtLambda: 'gcv' };
  const cols = [EIS.frequency, EIS.zReal, EIS.zImag].map((c) => findColumn(record, c.name));
  if (cols.some((c) => !c)) {
    return skipped([`record lacks ${[EIS.frequency, EIS.zReal, EIS.zImag].filter((_, i) => !cols[i]).map((c) => `'${c.name}'`).join(', ')}`], options);
  }
  const [f, re, im] = cols as [NonNullable<(typeof cols)[number]>, NonNullable<(typeof cols)[number]>, NonNullable<(typeof cols)[number]>];
  let spectrum;
  try {
    spectrum = checkSpectrum(f.values, re.values, im.values);
  } catch (e) {
    if (e instanceof EisInputError) return skipped([`fit skipped (${e.code}): ${e.message}`], options);
    throw e;
  }
  const messages: string[] = [];
  const kk = linKK(spectrum, { threshold: options.kkThreshold, c: options.kkC });
  if (!kk.passed) {
    messages.push(`lin-KK failed: max |residual| ${(kk.maxResidual * 100).toFixed(2)} % ≥ ${options.kkThreshold * 100} % (M=${kk.M}); parameters are not validated`);
  }
  let drt: DrtResult | null = null;
  try {
    drt = computeDrt(spectrum);
  } catch (e) {
    messages.push(`DRT failed: ${(e as Error).message}`);
  }
  const fit = fitCircuit(LI_METAL_CIRCUIT, spectrum, {
    weighting: 'modulus',
    ...(drt ? { extraArcs: drt.peaks.map((p) => ({ r: p.r, tau: p.tau, alpha: 0.9 })) } : {}),
  });
  if (!fit.converged) messages.push(`circuit fit did not converge (${fit.stopReason})`);
  if (!fit.identifiable) messages.push('circuit parameters are not all identifiable from this spectrum (singular Jacobian)');
  const note = kk.passed ? undefined : 'spectrum failed lin-KK: not validated';
  const parameters: FittedParameter[] = [];
  fit.names.forEach((nm, i) => {
    const target = LI_METAL_MAPPING[nm]!;
    const se = fit.stderr[i]!;
    const loose = !Number.isFinite(se) || se > Math.abs(fit.values[i]!);
    parameters.push({
      name: target.name,
      value: fit.values[i]!,
      unit: target.unit,
      ...(Number.isFinite(se) ? { stderr: se, ci95: fit.ci95[i]! } : {}),
      ...(note || loose ? { note: [note, loose ? 'poorly determined (stderr > value)' : undefined].filter(Boolean).join('; ') } : {}),
    });
  });
  const iSei = fit.names.indexOf('R1');
  if (cell.electrodeAreaCm2 !== undefined && cell.electrodeAreaCm2 > 0) {
    const a = cell.electrodeAreaCm2;
    const se = fit.stderr[iSei]! * a;
    parameters.push({
      name: PARAMETERS.rSeiAreal.name,
      value: fit.values[iSei]! * a,
      unit: PARAMETERS.rSeiAreal.unit,
      ...(Number.isFinite(se) ? { stderr: se, ci95: [fit.ci95[iSei]![0] * a, fit.ci95[iSei]![1] * a] as const } : {}),
      note: [`R_SEI × ${a} cm²${cell.cellType === 'Li||Li' ? ' (two electrodes in series: per-electrode ASR is half this)' : ''}`, note].filter(Boolean).join('; '),
    });
  }
  parameters.push({ name: PARAMETERS.kkResidualMax.name, value: kk.maxResidual, unit: PARAMETERS.kkResidualMax.unit });
  drt?.peaks.forEach((p, k) => {
    parameters.push({ name: `drt_peak${k + 1}_tau`, value: p.tau, unit: 's', note: `DRT peak ${k + 1} (λ=${drt!.lambda.toExponential(1)}, GCV)` });
    parameters.push({ name: `drt_peak${k + 1}_R`, value: p.r, unit: 'ohm' });
  });
  const finite = fit.values.every(Number.isFinite) && Number.isFinite(fit.chi2);
  return {
    fitter: EIS_FITTER_ID,
    fitterVersion: EIS_FITTER_VERSION,
    parameters,
    quality: {
      ok: kk.passed && fit.converged && fit.identifiable && finite,
      metrics: {
        chi2: fit.chi2,
        reducedChi2: fit.reducedChi2,
        iterations: fit.iterations,
        converged: fit.converged ? 1 : 0,
        conditionNumber: fit.conditionNumber,
        kk_residual_max: kk.maxResidual,
        kk_residual_rms: kk.rmsResidual,
        kk_M: kk.M,
        kk_mu: kk.mu,
        ...(drt ? { drt_lambda: drt.lambda, drt_peaks: drt.peaks.length } : {}),
      },
      messages,
    },
    options,
  };
}

export const eisFitter: RecordFitter = {
  id: EIS_FITTER_ID,
  version: EIS_FITTER_VERSION,
  kinds: ['eis'],
  fit: fitEisRecord,
};
