/**
 * RecordFitter for impedance spectra: validate → lin-KK → DRT → default Li-metal circuit fit.
 * A spectrum that fails KK is still fitted, but quality.ok is false and every parameter carries a
 * note. Unusable input (NaN, < 5 points, unsorted/repeated or non-positive frequencies) gives a
 * skipped fit: no parameters, quality.ok false, the reason in messages. The fitter never throws
 * on bad data.
 */
import { EIS } from '../../records/names.js';
import { type CanonicalRecord, findColumn } from '../../records/record.js';
import { PARAMETERS } from '../../records/parameters.js';
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

/**
 * Parameter name and unit of a circuit parameter: R0 → R_bulk, block `seiBlock` → R_SEI / CPE_SEI,
 * the next block → R_ct / CPE_dl (LI_METAL_MAPPING for the default circuit), anything else under its
 * circuit name (R3, CPE3_Q, CPE3_alpha) with the element's unit.
 */
function parameterTarget(name: string, unit: string, seiBlock: number): { readonly name: string; readonly unit: string } {
  const m = /^([A-Za-z]+)(\d+)(_\w+)?$/.exec(name);
  if (!m || name === 'R0') return LI_METAL_MAPPING[name] ?? { name, unit };
  const k = Number(m[2]);
  const shifted = k === seiBlock ? 1 : k === seiBlock + 1 ? 2 : 0;
  return (shifted ? LI_METAL_MAPPING[`${m[1]}${shifted}${m[3] ?? ''}`] : undefined) ?? { name, unit };
}

export function fitEisRecord(record: CanonicalRecord, cell: CellContext): FitOutcome {
  // The manifest's `analysis.impedance` settings over the defaults (docs/analysis-options.md).
  const set = cell.analysis?.impedance ?? {};
  const circuit = set.circuit ?? LI_METAL_CIRCUIT;
  const weighting = set.weighting ?? 'modulus';
  const seiBlock = set.sei_block ?? 1;
  const range = set.frequency_range_Hz;
  const options = {
    circuit,
    weighting,
    kkThreshold: set.kk_threshold ?? 0.01,
    kkC: 0.85,
    drtLambda: set.drt_lambda === undefined || set.drt_lambda === 'auto' ? 'gcv' : set.drt_lambda,
    ...(range ? { frequencyRangeHz: range } : {}),
    ...(set.sei_block !== undefined ? { seiBlock } : {}),
  };
  const cols = [EIS.frequency, EIS.zReal, EIS.zImag].map((c) => findColumn(record, c.name));
  if (cols.some((c) => !c)) {
    return skipped(
      [
        `record lacks ${[EIS.frequency, EIS.zReal, EIS.zImag]
          .filter((_, i) => !cols[i])
          .map((c) => `'${c.name}'`)
          .join(', ')}`,
      ],
      options,
    );
  }
  let [f, re, im] = (cols as NonNullable<(typeof cols)[number]>[]).map((c) => c.values);
  if (range) {
    const keep: number[] = [];
    for (let i = 0; i < f!.length; i++) if (f![i]! >= range[0] && f![i]! <= range[1]) keep.push(i);
    [f, re, im] = [f!, re!, im!].map((v) => Float64Array.from(keep, (i) => v[i]!));
  }
  let spectrum;
  try {
    spectrum = checkSpectrum(f!, re!, im!);
  } catch (e) {
    if (e instanceof EisInputError) return skipped([`fit skipped (${e.code}): ${e.message}`], options);
    throw e;
  }
  const messages: string[] = [];
  if (range) messages.push(`frequency range ${range[0]}–${range[1]} Hz: ${spectrum.frequency.length} of ${cols[0]!.values.length} points used`);
  const kk = linKK(spectrum, { threshold: options.kkThreshold, c: options.kkC });
  if (!kk.passed) {
    messages.push(
      `lin-KK failed: max |residual| ${(kk.maxResidual * 100).toFixed(2)} % ≥ ${options.kkThreshold * 100} % (M=${kk.M}); parameters are not validated`,
    );
  }
  let drt: DrtResult | null = null;
  try {
    drt = computeDrt(spectrum, typeof options.drtLambda === 'number' ? { lambda: options.drtLambda } : {});
  } catch (e) {
    messages.push(`DRT failed: ${(e as Error).message}`);
  }
  const fit = fitCircuit(circuit, spectrum, {
    weighting,
    ...(drt ? { extraArcs: drt.peaks.map((p) => ({ r: p.r, tau: p.tau, alpha: 0.9 })) } : {}),
  });
  if (!fit.converged) messages.push(`circuit fit did not converge (${fit.stopReason})`);
  if (!fit.identifiable) messages.push('circuit parameters are not all identifiable from this spectrum (singular Jacobian)');
  const note = kk.passed ? undefined : 'spectrum failed lin-KK: not validated';
  const parameters: FittedParameter[] = [];
  fit.names.forEach((nm, i) => {
    const target = parameterTarget(nm, fit.units[i]!, seiBlock);
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
  const iSei = fit.names.indexOf(`R${seiBlock}`);
  if (iSei >= 0 && cell.electrodeAreaCm2 !== undefined && cell.electrodeAreaCm2 > 0) {
    const a = cell.electrodeAreaCm2;
    const se = fit.stderr[iSei]! * a;
    parameters.push({
      name: PARAMETERS.rSeiAreal.name,
      value: fit.values[iSei]! * a,
      unit: PARAMETERS.rSeiAreal.unit,
      ...(Number.isFinite(se) ? { stderr: se, ci95: [fit.ci95[iSei]![0] * a, fit.ci95[iSei]![1] * a] as const } : {}),
      note: [`R_SEI × ${a} cm²${cell.cellType === 'Li||Li' ? ' (two electrodes in series: per-electrode ASR is half this)' : ''}`, note]
        .filter(Boolean)
        .join('; '),
    });
  }
  parameters.push({ name: PARAMETERS.kkResidualMax.name, value: kk.maxResidual, unit: PARAMETERS.kkResidualMax.unit });
  drt?.peaks.forEach((p, k) => {
    parameters.push({
      name: `drt_peak${k + 1}_tau`,
      value: p.tau,
      unit: 's',
      note: `DRT peak ${k + 1} (λ=${drt!.lambda.toExponential(1)}, ${drt!.lambdaMethod === 'gcv' ? 'GCV' : 'fixed'})`,
    });
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
    // The lin-KK residuals of the whole spectrum (issue #18): the report's KK panel reads them instead of
    // running the test again. Not with a frequency range (the report plots every point).
    ...(range
      ? {}
      : {
          tables: {
            [KK_TABLE]: [
              { name: EIS.frequency.name, unit: EIS.frequency.unit, values: Float64Array.from(spectrum.frequency) },
              { name: KK_RESIDUAL_RE, unit: '1', values: Float64Array.from(kk.residualsRe) },
              { name: KK_RESIDUAL_IM, unit: '1', values: Float64Array.from(kk.residualsIm) },
            ],
          },
        }),
    options,
  };
}

/** Fit table of the lin-KK residuals ((Z − Z_KK)/|Z|, ascending frequency as the checked spectrum). */
export const KK_TABLE = 'kk';
export const KK_RESIDUAL_RE = 'KK residual real';
export const KK_RESIDUAL_IM = 'KK residual imag';

export const eisFitter: RecordFitter = {
  id: EIS_FITTER_ID,
  version: EIS_FITTER_VERSION,
  kinds: ['eis'],
  fit: fitEisRecord,
};
