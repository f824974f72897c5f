/**
 * A cell's model fit as report rows (src/report/types.ts CellParameter): one row per parameter the fit
 * estimated or held, unit read from the bracket of its name, each with its `status`:
 * - `fitted`: estimated from the cell's data, with its stderr and (profile) CI;
 * - `not identifiable`: these data cannot determine it (flat profile, or φ₀ when CE alone cannot split
 *   dead Li from SEI Li): value null, no stderr / CI, `provenance` says why and which prior the replay used;
 * - `prior-fixed`: held at a stated value (a parameter-set prior, a control-stage median): the value,
 *   no stderr / CI, `provenance` says where it is from;
 * - `input`: a measurement carried in (P₀ from Pr, n_P from the retention), `provenance` names it.
 * `dead_li_fraction_cycle1` (φ_dead of cycle 1, derived from the replay) takes φ₀'s status.
 */
import type { CellParameter } from '../../records/results.js';
import type { CellFitResult } from './types.js';

export const MODEL_FITTER_ID = 'replay-model';

export function unitOf(name: string): string {
  const m = /\[([^\]]+)\]$/.exec(name);
  return m ? m[1]! : '';
}

export function toCellParameters(fit: CellFitResult, sources: readonly string[] = []): CellParameter[] {
  const fitter = `${MODEL_FITTER_ID}/${fit.model}`;
  const rows: CellParameter[] = fit.values.map((v) => {
    const fittedRow = v.status === 'fitted';
    return {
      cell: fit.cellId,
      group: fit.group,
      name: v.name,
      value: v.status === 'not identifiable' ? null : v.value,
      unit: unitOf(v.name),
      stderr: fittedRow ? v.stderr : null,
      ci95: fittedRow ? v.ci95 : null,
      censored: null,
      n: fit.n,
      fitter,
      fitOk: fit.converged,
      sources,
      status: v.status,
      ...(v.provenance || v.note ? { provenance: [v.provenance, v.note].filter(Boolean).join('; ') } : {}),
    };
  });
  const deadOk = fit.deadLiStatus === 'fitted';
  rows.push({
    cell: fit.cellId,
    group: fit.group,
    name: 'dead_li_fraction_cycle1',
    value: deadOk ? fit.deadLiFraction : null,
    unit: '1',
    stderr: null,
    ci95: null,
    censored: null,
    n: fit.n,
    fitter,
    fitOk: fit.converged,
    sources,
    status: fit.deadLiStatus,
    provenance: deadOk ? 'φ_dead of cycle 1 from the replay at the fitted values (no interval computed for this derived value)' : fit.deadLiProvenance,
  });
  return rows;
}
