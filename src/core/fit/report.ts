/**
 * A cell's model fit as report rows (src/report/types.ts CellParameter): one row per fitted parameter,
 * unit read from the bracket of its name. Non-identifiable parameters get value null (they were held at
 * their prior, not estimated); the cycle life comes from the replay with its censoring flag.
 */
import type { CellParameter } from '../../report/types.js';
import type { CellFitResult } from './types.js';

export const MODEL_FITTER_ID = 'replay-model';

export function unitOf(name: string): string {
  const m = /\[([^\]]+)\]$/.exec(name);
  return m ? m[1]! : '';
}

export function toCellParameters(fit: CellFitResult, sources: readonly string[] = []): CellParameter[] {
  const fitter = `${MODEL_FITTER_ID}/${fit.model}`;
  const rows: CellParameter[] = fit.values.map((v) => ({
    cell: fit.cellId,
    group: fit.group,
    name: v.name,
    value: v.identifiability === 'non-identifiable' ? null : v.value,
    unit: unitOf(v.name),
    stderr: v.stderr,
    ci95: v.ci95,
    censored: null,
    n: fit.n,
    fitter,
    fitOk: fit.converged,
    sources,
  }));
  rows.push({
    cell: fit.cellId, group: fit.group, name: 'dead_li_fraction_cycle1', value: fit.deadLiFraction, unit: '1', stderr: null, ci95: null,
    censored: null, n: fit.n, fitter, fitOk: fit.converged, sources,
  });
  return rows;
}
