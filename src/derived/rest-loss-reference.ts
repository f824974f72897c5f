/**
 * rest_loss_fraction against cells that did not rest. A cell's own log can only give a reference CE
 * from its other cycles; when the rest sits at the start of cycling (a rest before cycling, the seed's
 * assembly/storage scenario) there are no unaffected cycles before it, and the cycles after it still
 * drift with cycle number. Cells of the same group that did not rest give the unaffected CE of the
 * same cycle, and the cycles before the rest (even the formation cycle, which they share) remove the
 * cell's own offset from the group — a difference in differences:
 *   loss = [mean CE_k(no-rest cells) − CE_k(cell)] − [mean CE_<k(no-rest cells) − CE_<k(cell)],
 * k = the cycle that holds the rest, CE_<k = the mean of the (up to 5) cycles before it. With no cycle
 * before the rest the first bracket alone is used and the note says the cell's offset is not removed.
 * Used only where no-rest cells of the group exist; otherwise the cycles fitter's own value stands.
 */
import type { CellSpec } from '../campaign/manifest.js';
import type { CellParameter } from '../records/results.js';
import { PARAMETERS } from '../records/parameters.js';

export interface CycleSeries {
  readonly cellId: string;
  readonly recordId: string;
  readonly cycle: ArrayLike<number>;
  readonly ce: ArrayLike<number>;
  /** Seconds at rest within each cycle. */
  readonly restS: ArrayLike<number>;
}

export const REST_LOSS_REFERENCE_FITTER = 'rest-loss-reference';

/** The cycle holding the cell's long rest: ≥ 1 h and ≥ 10 × the median rest of its cycles; null if none. */
export function restCycleIndex(s: CycleSeries): number | null {
  const r = Array.from(s.restS, Number)
    .filter(Number.isFinite)
    .sort((a, b) => a - b);
  if (!r.length) return null;
  const med = r[(r.length - 1) >> 1]!;
  let best = -1;
  for (let i = 0; i < s.restS.length; i++) if (s.restS[i]! >= 3600 && s.restS[i]! >= 10 * med && (best < 0 || s.restS[i]! > s.restS[best]!)) best = i;
  return best < 0 ? null : best;
}

export function referencedRestLoss(cells: readonly CellSpec[], series: readonly CycleSeries[], restHours: (c: CellSpec) => number | null): CellParameter[] {
  const byCell = new Map(series.map((s) => [s.cellId, s]));
  const out: CellParameter[] = [];
  for (const c of cells) {
    const h = restHours(c);
    const s = byCell.get(c.id);
    if (!s || !(h !== null && h > 0)) continue;
    const k = restCycleIndex(s);
    if (k === null) continue;
    const cycleNo = Number(s.cycle[k]);
    const refs = cells.filter((o) => o.group === c.group && restHours(o) === 0 && byCell.has(o.id));
    const ceAt = (x: CycleSeries, n: number): number | null => {
      for (let i = 0; i < x.cycle.length; i++) if (Number(x.cycle[i]) === n && Number.isFinite(Number(x.ce[i]))) return Number(x.ce[i]);
      return null;
    };
    const before = Array.from(s.cycle, Number)
      .filter((n) => n < cycleNo)
      .slice(-5);
    const meanOf = (x: CycleSeries, ns: readonly number[]): number | null => {
      const v = ns.map((n) => ceAt(x, n)).filter((y): y is number => y !== null);
      return v.length === ns.length && v.length ? v.reduce((a, y) => a + y, 0) / v.length : null;
    };
    const ce = ceAt(s, cycleNo);
    const ownBefore = before.length ? meanOf(s, before) : null;
    if (ce === null) continue;
    const diffs: number[] = [];
    const used: string[] = [];
    const sources: string[] = [s.recordId];
    for (const o of refs) {
      const r = byCell.get(o.id)!;
      const rk = ceAt(r, cycleNo);
      if (rk === null) continue;
      const rb = before.length ? meanOf(r, before) : null;
      if (before.length && (rb === null || ownBefore === null)) continue;
      diffs.push(rk - ce - (before.length ? rb! - ownBefore! : 0));
      used.push(o.id);
      sources.push(r.recordId);
    }
    if (!diffs.length) continue;
    const loss = diffs.reduce((a, v) => a + v, 0) / diffs.length;
    const sd = diffs.length > 1 ? Math.sqrt(diffs.reduce((a, v) => a + (v - loss) ** 2, 0) / (diffs.length - 1)) : null;
    out.push({
      cell: c.id,
      group: c.group,
      name: PARAMETERS.restLossFraction.name,
      value: loss,
      unit: PARAMETERS.restLossFraction.unit,
      stderr: sd === null ? null : sd / Math.sqrt(diffs.length),
      ci95: null,
      censored: null,
      n: 1,
      fitter: REST_LOSS_REFERENCE_FITTER,
      fitOk: true,
      sources,
      note: `cycle ${cycleNo} holds the cell's ${(Number(s.restS[k]) / 3600).toFixed(1)} h rest: CE of the group's cells without rest (${used.join(', ')}) − the cell's CE at cycle ${cycleNo}, ${before.length ? `minus the same difference over cycles ${before[0]}–${before[before.length - 1]} before the rest (the cell's own offset)` : "with no cycle before the rest to remove the cell's own offset from the group"}`,
    });
  }
  return out;
}
