/**
 * Polarisation retention = Pr(after) / Pr(pristine) of the same layer (DOMAIN.md §6, H8–H10).
 * A cell's P–E loops are told apart by their file names (pristine/before/fresh/initial vs
 * after/cycled/post/aged), then by when they were measured; the earliest is the pristine one.
 * When no loop was measured the manifest's `pr_uC_cm2` stands in for Pr, with its source.
 */
import type { CellSpec } from '../campaign/manifest.js';
import type { CellParameter } from '../records/results.js';
import { PARAMETERS } from '../records/parameters.js';

export interface LoopPr {
  readonly cell: string;
  readonly recordId: string;
  readonly path: string;
  /** Unix seconds when the file says; NaN otherwise. */
  readonly time: number;
  readonly pr: number;
  readonly stderr: number | null;
}

const PRISTINE = /pristine|before|fresh|initial|as[-_ ]?prepared|virgin/i;
const AFTER = /after|cycled|post|aged|fatigued/i;

export const PE_PAIRING_FITTER = 'pe-pairing';

function order(a: LoopPr, b: LoopPr): number {
  const ta = Number.isFinite(a.time) ? a.time : Infinity;
  const tb = Number.isFinite(b.time) ? b.time : Infinity;
  return ta - tb || a.path.localeCompare(b.path);
}

/** Per-cell Pr (of the pristine loop) and retention (last loop / pristine), replacing the plain mean of all loops. */
export function pairLoops(loops: readonly LoopPr[], groupOf: (cell: string) => string): CellParameter[] {
  const byCell = new Map<string, LoopPr[]>();
  for (const l of loops) byCell.set(l.cell, [...(byCell.get(l.cell) ?? []), l]);
  const out: CellParameter[] = [];
  for (const [cell, ls] of byCell) {
    const sorted = [...ls].sort(order);
    const pristine = sorted.find((l) => PRISTINE.test(l.path)) ?? sorted.find((l) => !AFTER.test(l.path)) ?? sorted[0]!;
    const rest = sorted.filter((l) => l !== pristine);
    const after = [...rest].reverse().find((l) => AFTER.test(l.path)) ?? rest[rest.length - 1];
    const base = { cell, group: groupOf(cell), n: 1, fitter: PE_PAIRING_FITTER, fitOk: true, censored: null, ci95: null } as const;
    out.push({ ...base, name: PARAMETERS.pr.name, value: pristine.pr, unit: PARAMETERS.pr.unit, stderr: pristine.stderr, sources: [pristine.recordId] });
    if (after && pristine.pr !== 0) {
      const r = after.pr / pristine.pr;
      const rel = (x: LoopPr): number => (x.stderr !== null && x.pr !== 0 ? x.stderr / Math.abs(x.pr) : 0);
      const se = Math.abs(r) * Math.hypot(rel(after), rel(pristine));
      out.push({
        ...base,
        name: PARAMETERS.retention.name,
        value: r,
        unit: PARAMETERS.retention.unit,
        stderr: se > 0 ? se : null,
        sources: [pristine.recordId, after.recordId],
      });
    }
  }
  return out;
}

/** Pr from the manifest for cells that have no measured loop. */
export function manifestPr(cells: readonly CellSpec[], measured: ReadonlySet<string>): CellParameter[] {
  return cells
    .filter((c) => c.prUcCm2 !== undefined && !measured.has(c.id))
    .map((c) => ({
      cell: c.id,
      group: c.group,
      name: PARAMETERS.pr.name,
      value: c.prUcCm2!,
      unit: PARAMETERS.pr.unit,
      stderr: null,
      ci95: null,
      censored: null,
      n: 1,
      fitter: 'manifest',
      fitOk: true,
      sources: [`manifest: ${c.prSource ?? 'pr_uC_cm2'}`],
    }));
}

/** Titrated dead Li (TGC) from the manifest's `dead_li_titration_mAh_cm2`: the replay fit's dead-Li / SEI-Li split. */
export function manifestTitration(cells: readonly CellSpec[]): CellParameter[] {
  return cells
    .filter((c) => c.deadLiTitrationMahCm2 !== undefined)
    .map((c) => ({
      cell: c.id,
      group: c.group,
      name: PARAMETERS.deadLiTitration.name,
      value: c.deadLiTitrationMahCm2!,
      unit: PARAMETERS.deadLiTitration.unit,
      stderr: null,
      ci95: null,
      censored: null,
      n: 1,
      fitter: 'manifest',
      fitOk: true,
      sources: ['manifest: dead_li_titration_mAh_cm2'],
    }));
}
