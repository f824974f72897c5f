/**
 * A partial last cycle (issue #18): a log cut mid-cycle (a copy taken while the test ran, a file still
 * being written, a test stopped by hand) ends with a cycle that has only its opening half, or only a
 * fraction of a half. Its capacity is not a measurement of the cell at that cycle: it would pull a group's
 * mean capacity down at that cycle, lower the CE mean and end a cycle life early. It is marked here, made
 * not `complete` (so CE, retention, cycle life and the hypotheses leave it out), flagged in the per-cycle
 * table's `Partial Cycle` column (the group plots and statistics skip it) and stated in the fit's messages.
 *
 * The last cycle is partial when
 *  - it has only its opening half (the closing half moved no charge) after a complete cycle, or
 *  - a half moved < PARTIAL_FRACTION of the median of the same half over the previous complete cycles
 *    (up to REFERENCE_CYCLES) AND the cycle lasted < PARTIAL_FRACTION of their median duration (a cycle
 *    that merely lost its trailing rest keeps its capacity; a fading cell keeps its pace). Without cycle
 *    times (a per-cycle table without them) the capacity must be < half the median.
 */
import { SHORT_CE, type CycleMetrics } from './cycle-metrics.js';
import type { CycleConvention } from './convention.js';
import type { CycleSummary } from './summarize-cycles.js';
import { median } from './segments.js';

export const PARTIAL_FRACTION = 0.9;
const REFERENCE_CYCLES = 5;

export interface PartialCycle {
  /** Table index of the partial cycle (always the last). */
  readonly index: number;
  /** Its cycle number (the table's `Cycle Count`). */
  readonly cycle: number;
  /** Why, in one sentence. */
  readonly reason: string;
}

const pct = (x: number): string => `${Math.round(x * 100)} %`;

export function partialLastCycle(s: CycleSummary, m: CycleMetrics, conv: CycleConvention): PartialCycle | undefined {
  const n = s.cycles;
  if (n < 2) return undefined;
  const L = n - 1;
  const refs: number[] = [];
  for (let c = L - 1; c >= 0 && refs.length < REFERENCE_CYCLES; c--) if (m.complete[c]) refs.push(c);
  if (!refs.length) return undefined;
  const qo = m.openingCapacity[L]!;
  const qx = m.closingCapacity[L]!;
  const medO = median(refs.map((c) => m.openingCapacity[c]!));
  const medX = median(refs.map((c) => m.closingCapacity[c]!));
  if (!(medO > 0) || !(medX > 0)) return undefined;
  const cycle = s.cycle[L]!;
  const base = `last cycle ${cycle} is partial (log cut mid-cycle)`;
  const tiny = 1e-6 * medO;
  if (!m.complete[L]) {
    // Opening half only. (Closing half only, or no charge at all, is not a cut cycle: a final strip, a trailing rest.)
    if (qo > tiny && !(qx > tiny)) {
      return {
        index: L,
        cycle,
        reason: `${base}: only its opening half (${conv.openingName}, ${pct(qo / medO)} of the previous cycles' median), no ${conv.closingName}`,
      };
    }
    return undefined;
  }
  const fo = qo / medO;
  const fx = qx / medX;
  const dur = s.endTime[L]! - s.startTime[L]!;
  const medD = median(refs.map((c) => s.endTime[c]! - s.startTime[c]!));
  const timed = Number.isFinite(dur) && medD > 0;
  const limit = timed ? PARTIAL_FRACTION : 0.5;
  const shortHalf = fo < limit ? 'opening' : fx < limit ? 'closing' : null;
  if (!shortHalf) return undefined;
  if (timed && !(dur < PARTIAL_FRACTION * medD)) return undefined;
  const name = shortHalf === 'opening' ? conv.openingName : conv.closingName;
  return {
    index: L,
    cycle,
    reason: `${base}: its ${shortHalf} half (${name}) holds ${pct(shortHalf === 'opening' ? fo : fx)} of the previous cycles' median${timed ? ` and the cycle lasted ${pct(dur / medD)} of their median duration` : ''}`,
  };
}

/** Make the partial cycle not complete: no CE, LCE or energy efficiency; retention and cycle life skip it. */
export function excludePartial(m: CycleMetrics, p: PartialCycle): void {
  const c = p.index;
  (m.complete as Int32Array)[c] = 0;
  (m.ce as Float64Array)[c] = NaN;
  (m.lce as Float64Array)[c] = NaN;
  (m.lceUndefined as Int32Array)[c] = 0;
  (m.energyEfficiency as Float64Array)[c] = NaN;
  (m.shortFlag as Int32Array)[c] = m.shortFlag[c]! & ~SHORT_CE; // a CE from a cut half is no short-circuit sign
}
