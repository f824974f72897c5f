/**
 * The Bruce–Vincent stage over the store: each chronoamperometry record (with what the
 * chronoamperometry fitter read from it) and each cell's spectra (R_SEI, R_ct, R_bulk) handed to the
 * pure `transferenceParameters` (src/derived/transference.ts), which places them by time.
 */
import type { PipelineContext } from './context.js';
import { isoToUnix } from '../src/derived/eis-history.js';
import { transferenceParameters, type InterfaceSpectrum, type PolarisationAt, type TransferenceResult } from '../src/derived/transference.js';
import { chronoamperometryFits, interfaceSpectra } from '../src/store/queries.js';

const num = (v: unknown): number | null => (v === null || v === undefined || !Number.isFinite(Number(v)) ? null : Number(v));

export async function transferenceStage(ctx: PipelineContext, groupOf: (cell: string) => string): Promise<TransferenceResult> {
  const cas = await chronoamperometryFits(ctx.store);
  if (!cas.length) return { parameters: [], rows: [], warnings: [] };
  const steps: PolarisationAt[] = [];
  for (const r of cas) {
    const meta = JSON.parse((r.meta as string) ?? '{}') as { startTime?: string };
    const m = JSON.parse((r.metrics as string) ?? '{}') as Record<string, number>;
    const t0 = isoToUnix(meta.startTime);
    const i0 = num(r.i0);
    const iss = num(r.iss);
    const dv = num(r.dv);
    if (i0 === null || iss === null || dv === null) continue;
    steps.push({
      recordId: r.record_id as string,
      cell: r.cell_id as string,
      path: r.path as string,
      start: t0 + (m.stepStartS ?? NaN),
      end: t0 + (m.stepEndS ?? NaN),
      i0,
      i0Stderr: num(r.i0_se),
      iss,
      issStderr: num(r.iss_se),
      deltaV: dv,
      deltaVStderr: num(r.dv_se),
      steady: m.steady !== 0,
    });
  }
  const specs = await interfaceSpectra(ctx.store);
  const spectra: InterfaceSpectrum[] = specs.map((r) => ({
    recordId: r.record_id as string,
    cell: r.cell_id as string,
    path: r.path as string,
    time: isoToUnix((JSON.parse((r.meta as string) ?? '{}') as { startTime?: string }).startTime),
    rSei: num(r.r_sei),
    rSeiStderr: num(r.r_sei_se),
    rCt: num(r.r_ct),
    rCtStderr: num(r.r_ct_se),
    rBulk: num(r.r_bulk),
  }));
  return transferenceParameters(steps, spectra, groupOf);
}
