/**
 * The Bruce–Vincent stage over the store: each chronoamperometry record (with what the
 * chronoamperometry fitter read from it) and each cell's spectra (R_SEI, R_ct, R_bulk) handed to the
 * pure `transferenceParameters` (src/derived/transference.ts), which places them by time.
 */
import type { PipelineContext } from './context.js';
import { isoToUnix } from '../src/derived/eis-history.js';
import { transferenceParameters, type InterfaceSpectrum, type PolarisationAt, type TransferenceResult } from '../src/derived/transference.js';
import { PARAMETERS } from '../src/records/parameters.js';
import { TRANSFERENCE_FITTER_ID } from '../src/fit/transference/index.js';

const num = (v: unknown): number | null => (v === null || v === undefined || !Number.isFinite(Number(v)) ? null : Number(v));

export async function transferenceStage(ctx: PipelineContext, groupOf: (cell: string) => string): Promise<TransferenceResult> {
  const cas = await ctx.store.query(`
    SELECT r.record_id, r.cell_id, r.path, r.meta, f.metrics,
           max(CASE WHEN p.name = $1 THEN p.value END) AS i0, max(CASE WHEN p.name = $1 THEN p.stderr END) AS i0_se,
           max(CASE WHEN p.name = $2 THEN p.value END) AS iss, max(CASE WHEN p.name = $2 THEN p.stderr END) AS iss_se,
           max(CASE WHEN p.name = $3 THEN p.value END) AS dv, max(CASE WHEN p.name = $3 THEN p.stderr END) AS dv_se
    FROM records r JOIN fits f ON f.record_id = r.record_id AND f.fitter = $4 AND f.ok
    LEFT JOIN parameters p ON p.record_id = r.record_id AND p.scope IS NULL AND p.fitter = $4
    WHERE r.kind = 'chronoamperometry' AND r.cell_id IS NOT NULL
    GROUP BY r.record_id, r.cell_id, r.path, r.meta, f.metrics ORDER BY r.cell_id, r.path, r.record_id`,
  [PARAMETERS.caInitialCurrent.name, PARAMETERS.caSteadyStateCurrent.name, PARAMETERS.caDeltaV.name, TRANSFERENCE_FITTER_ID]);
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
      recordId: r.record_id as string, cell: r.cell_id as string, path: r.path as string,
      start: t0 + (m.stepStartS ?? NaN), end: t0 + (m.stepEndS ?? NaN),
      i0, i0Stderr: num(r.i0_se), iss, issStderr: num(r.iss_se), deltaV: dv, deltaVStderr: num(r.dv_se), steady: m.steady !== 0,
    });
  }
  const specs = await ctx.store.query(`
    SELECT r.record_id, r.cell_id, r.path, r.meta,
           max(CASE WHEN p.name = 'R_SEI' THEN p.value END) AS r_sei, max(CASE WHEN p.name = 'R_SEI' THEN p.stderr END) AS r_sei_se,
           max(CASE WHEN p.name = 'R_ct' THEN p.value END) AS r_ct, max(CASE WHEN p.name = 'R_ct' THEN p.stderr END) AS r_ct_se,
           max(CASE WHEN p.name = 'R_bulk' THEN p.value END) AS r_bulk
    FROM records r LEFT JOIN parameters p ON p.record_id = r.record_id AND p.scope IS NULL
    WHERE r.kind = 'eis' AND r.cell_id IS NOT NULL
    GROUP BY r.record_id, r.cell_id, r.path, r.meta ORDER BY r.cell_id, r.path, r.record_id`);
  const spectra: InterfaceSpectrum[] = specs.map((r) => ({
    recordId: r.record_id as string, cell: r.cell_id as string, path: r.path as string,
    time: isoToUnix((JSON.parse((r.meta as string) ?? '{}') as { startTime?: string }).startTime),
    rSei: num(r.r_sei), rSeiStderr: num(r.r_sei_se), rCt: num(r.r_ct), rCtStderr: num(r.r_ct_se), rBulk: num(r.r_bulk),
  }));
  return transferenceParameters(steps, spectra, groupOf);
}
