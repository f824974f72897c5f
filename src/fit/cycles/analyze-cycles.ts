/**
 * Everything the cycle fitter knows about one cycler record, as plain data: the one-pass summary, the
 * derived per-cycle metrics, cycle life, and the protocol-specific results (reservoir CE, rest loss).
 */
import { work } from '../../records/work.js';
import type { ParsedRecord } from '../../records/record.js';
import type { CellContext } from '../types.js';
import { cycleConvention, type CycleConvention } from './convention.js';
import { cyclerSeries } from './cycler-series.js';
import { cycleMetrics, type CycleMetrics } from './cycle-metrics.js';
import { capacityCycleLife, capacityRetention, overpotentialCycleLife, type CycleLife } from './cycle-life.js';
import { resolveCycleOptions, type CycleOptions, type ResolvedCycleOptions } from './options.js';
import { reservoirCe, type ReservoirCe } from './reservoir-ce.js';
import { restLoss, type RestLoss } from './rest-loss.js';
import { summarizeCycles, type CycleSummary } from './summarize-cycles.js';
import { profileAnalysis, type ProfileAnalysis } from './profile.js';
import { excludePartial, partialLastCycle, type PartialCycle } from './partial-cycle.js';

export interface CycleAnalysis {
  readonly convention: CycleConvention;
  readonly options: ResolvedCycleOptions;
  readonly summary: CycleSummary;
  readonly metrics: CycleMetrics;
  readonly retention: Float64Array;
  readonly life?: CycleLife;
  readonly reservoir?: ReservoirCe;
  readonly restLoss?: RestLoss;
  /** Table index of the first cycle with a short-circuit signature, −1 if none. */
  readonly shortIndex: number;
  /** Voltage-profile features (raw rows only; undefined for per-cycle tables and files read in pieces). */
  readonly profile?: ProfileAnalysis;
  /** The last cycle, when the log was cut mid-cycle: excluded from every per-cycle statistic (partial-cycle.ts). */
  readonly partial?: PartialCycle;
}

export function analyzeCycles(
  record: Pick<ParsedRecord, 'columns'>,
  cell: Pick<CellContext, 'cellType' | 'electrodeAreaCm2'>,
  userOptions: Partial<CycleOptions> = {},
): CycleAnalysis {
  const options = resolveCycleOptions(userOptions);
  const convention = cycleConvention(cell.cellType);
  const series = cyclerSeries(record);
  const summary = summarizeCycles({ series, convention, options, plateauVoltages: wantsPlateaus(convention) });
  const profile = profileAnalysis(series, summary, convention, cell.electrodeAreaCm2, options.profile);
  return analyzeSummary(summary, convention, options, profile);
}

/** Li||Li and Li||Cu: the plating plateau |V| (nucleation + growth overpotential) is what the replay model fits. */
export function wantsPlateaus(convention: CycleConvention): boolean {
  return convention.cellType === 'Li||Li' || convention.cellType === 'Li||Cu';
}

/** Everything after the one-pass summary (also used for summaries assembled from pieces of a file). */
export function analyzeSummary(summary: CycleSummary, convention: CycleConvention, options: ResolvedCycleOptions, profile?: ProfileAnalysis): CycleAnalysis {
  work.cycleAnalyses++;
  const symmetric = convention.cellType === 'Li||Li';
  const metrics = cycleMetrics(summary, convention, options);
  // A log cut mid-cycle: its last cycle is left out of CE, retention, cycle life and group statistics (issue #18).
  const partial = partialLastCycle(summary, metrics, convention);
  if (partial) excludePartial(metrics, partial);
  // Li||Li soft-short flags of MECHANISMS §2.4 (step-down, rectangular trace, noise) join the short-circuit bits.
  const extra = profile?.symmetric?.flags;
  if (extra) for (let c = 0; c < summary.cycles; c++) metrics.shortFlag[c]! |= extra[c]!;
  let shortIndex = -1;
  for (let c = 0; c < summary.cycles; c++) {
    if (metrics.shortFlag[c]) {
      shortIndex = c;
      break;
    }
  }
  const retentionInput = {
    cycle: summary.cycle,
    closingCapacity: metrics.closingCapacity,
    complete: metrics.complete,
    threshold: options.retentionThreshold,
    referenceCycles: options.referenceCycles,
  };
  let life: CycleLife | undefined;
  let retention: Float64Array;
  if (symmetric) {
    retention = capacityRetention(retentionInput).retention;
    life = overpotentialCycleLife({
      cycle: summary.cycle,
      overpotential: metrics.overpotential,
      complete: metrics.complete,
      shortFlag: metrics.shortFlag,
      limitV: options.overpotentialLimitV,
      factor: options.overpotentialFactor,
    });
  } else {
    const cl = capacityCycleLife(retentionInput);
    retention = cl?.retention ?? new Float64Array(summary.cycles).fill(NaN);
    life = cl;
  }
  const reservoir = convention.cellType === 'Li||Cu' ? reservoirCe(summary.halfCycles) : undefined;
  const rl = symmetric ? undefined : restLoss(summary, metrics, options, shortIndex);
  return { convention, options, summary, metrics, retention, life, reservoir, restLoss: rl, shortIndex, profile, ...(partial ? { partial } : {}) };
}
