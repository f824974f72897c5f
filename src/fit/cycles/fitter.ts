/**
 * The cycler fitter: canonical cycler record → per-cycle table + the cycle parameters other stages
 * read (names from src/records/parameters.ts), each saying how good it is.
 */
import type { CanonicalRecord } from '../../records/record.js';
import { PARAMETERS } from '../../records/parameters.js';
import type { CellContext, FitOutcome, FittedParameter, RecordFitter } from '../types.js';
import { analyzeCycles, type CycleAnalysis } from './analyze-cycles.js';
import { analyzeCycleTable, statedCeDeviation } from './cycle-table-input.js';
import { logCe } from './cycle-metrics.js';
import { cycleOptionsFromSettings, type CycleOptions } from './options.js';
import { meanEstimate } from '../../stats/descriptive.js';
import { cycleTable, halfCycleTable, restTable } from './tables.js';
import { profileCycleColumns, profileParameters, profileTables } from './profile.js';
import { describeFlags } from './symmetric.js';

export const CYCLE_FITTER_ID = 'cycles';
export const CYCLE_FITTER_VERSION = '0.2.0';

export function makeCycleFitter(options: Partial<CycleOptions> = {}): RecordFitter {
  return {
    id: CYCLE_FITTER_ID,
    version: CYCLE_FITTER_VERSION,
    kinds: ['cycler', 'cycle-summary'],
    fit: (record: CanonicalRecord, cell: CellContext): FitOutcome => {
      // The manifest's `analysis.cycling` (ce_cycles, life criterion, rest loss) over the fitter's own options.
      const o = { ...options, ...cycleOptionsFromSettings(cell.analysis?.cycling) };
      return record.kind === 'cycle-summary' ? cycleTableOutcome(record, cell, o) : cycleOutcome(analyzeCycles(record, cell, o));
    },
  };
}

/** A cycle-summary record (cycle/step-layer export): the same parameters, from its per-cycle rows. */
function cycleTableOutcome(record: CanonicalRecord, cell: CellContext, options: Partial<CycleOptions>): FitOutcome {
  const out = cycleOutcome(analyzeCycleTable(record, cell, options));
  const d = statedCeDeviation(record);
  if (d.n === 0) return out;
  const msg =
    d.max <= 1e-3
      ? `the file's own efficiency column (discharge/charge) agrees with the capacities within ${d.max.toExponential(1)} over ${d.n} cycles`
      : `the file's own efficiency column differs from discharge/charge of its capacities by up to ${d.max.toPrecision(3)} (${d.n} cycles): the capacities are used`;
  return { ...out, quality: { ...out.quality, messages: [...out.quality.messages, msg] } };
}

export const cycleFitter: RecordFitter = makeCycleFitter();

/** Turn an analysis into the fitter's outcome (exported for callers that already hold an analysis). */
export function cycleOutcome(a: CycleAnalysis): FitOutcome {
  const { summary: s, metrics: m, convention: conv } = a;
  const P = PARAMETERS;
  const params: FittedParameter[] = [];
  const messages: string[] = [];
  if (conv.assumed) messages.push('cell type not given: cathode convention assumed (CE = discharge/charge)');
  messages.push(
    `capacity from ${s.capacitySource}, energy from ${s.energySource}, cycles from ${s.cycleSource === 'column' ? "the record's Cycle Count" : 'the current sign'}`,
  );
  if (s.counterResets > 0) messages.push(`${s.counterResets} capacity-counter resets recognised (per-step or per-cycle counters)`);
  if (s.badIntervals > 0) messages.push(`${s.badIntervals} intervals with Test Time going backwards or NaN were skipped`);
  if (s.repeatedCycleRuns > 0) messages.push(`${s.repeatedCycleRuns} cycle numbers recur after other cycles: each run is its own table row`);

  let complete = 0;
  let wrongOpening = 0;
  for (let c = 0; c < s.cycles; c++) {
    if (m.complete[c]) complete++;
    if (s.firstSign[c] === -conv.openingSign) wrongOpening++;
  }
  if (s.cycles > 2 && wrongOpening > s.cycles / 2) {
    messages.push(
      `most cycles open with ${conv.closingName}, not ${conv.openingName}: the instrument counts cycles differently; consider cycleSource 'current-sign'`,
    );
  }

  // CE over cycles 2..n: complete cycles before any short-circuit signature (cycle 1 is formation),
  // within the manifest's ce_cycles window when it gives one (cycle numbers as in the per-cycle table).
  const end = a.shortIndex >= 0 ? a.shortIndex : s.cycles;
  const window = a.options.ceCycles;
  const ces: number[] = [];
  for (let c = a.options.excludeFirstCycle ? 1 : 0; c < end; c++) {
    if (window && !(s.cycle[c]! >= window[0] && s.cycle[c]! <= window[1])) continue;
    if (m.complete[c] && Number.isFinite(m.ce[c]!)) ces.push(m.ce[c]!);
  }
  const ceFrom = window
    ? `in cycles ${window[0]}–${window[1]}${a.options.excludeFirstCycle ? ' (first cycle excluded)' : ''}`
    : a.options.excludeFirstCycle
      ? 'from the 2nd'
      : 'from the 1st';
  const ceEst = meanEstimate(ces);
  if (conv.ceMeaningful && ceEst.n > 0) {
    params.push({
      name: P.ceMean.name,
      value: ceEst.mean,
      unit: P.ceMean.unit,
      ...(ceEst.n > 1 ? { stderr: ceEst.stderr, ci95: ceEst.ci95 } : {}),
      note: `${conv.closingName} / ${conv.openingName}, mean of ${ceEst.n} complete cycles ${ceFrom}${a.shortIndex >= 0 ? ' up to the first short-circuit signature' : ''}`,
    });
    const lce = logCe(ceEst.mean);
    if (Number.isFinite(lce)) {
      const lo = logCe(ceEst.ci95[0]);
      const hi = logCe(ceEst.ci95[1]);
      params.push({
        name: P.lceMean.name,
        value: lce,
        unit: P.lceMean.unit,
        ...(ceEst.n > 1 && Number.isFinite(lo) && Number.isFinite(hi) ? { ci95: [lo, hi] as const } : {}),
        note: '−log10(1 − ce_mean), Kim et al. 2023',
      });
    } else {
      messages.push(`ce_mean ${ceEst.mean.toFixed(5)} >= 1: LCE undefined, lce_mean not reported`);
    }
  }
  if (a.reservoir) {
    const r = a.reservoir;
    params.push({
      name: P.ceReservoir.name,
      value: r.ceAvg,
      unit: P.ceReservoir.unit,
      note: `Adams 2018: n=${r.n}, Q_C=${fmt(r.qCycle)} Ah, Q_T=${fmt(r.qReservoir)} Ah, Q_S=${fmt(r.qFinalStrip)} Ah${r.withFormation ? ', after formation' : ''}`,
    });
  }
  if (a.life) {
    params.push({
      name: P.cycleLife80.name,
      value: a.life.value,
      unit: P.cycleLife80.unit,
      censored: a.life.censored,
      note: `${a.life.criterion}: ${a.life.note}`,
    });
  }
  // Rest before cycling (assembly, storage): an OCV segment that opens the log, before any current.
  if (s.rests.count > 0 && s.rests.startRow[0] === 0 && !s.rests.midCycle[0]) {
    params.push({
      name: P.initialRestH.name,
      value: s.rests.duration[0]! / 3600,
      unit: P.initialRestH.unit,
      note: `OCV rest at the start of the log, before the first current step (${(s.rests.duration[0]! / 3600).toFixed(2)} h)`,
    });
  }
  if (complete > 0)
    params.push({
      name: P.cyclesCompleted.name,
      value: complete,
      unit: P.cyclesCompleted.unit,
      note: 'complete cycles (both halves moving charge) in the log',
    });
  if (a.restLoss) {
    const se = a.restLoss.stderr;
    params.push({
      name: P.restLossFraction.name,
      value: a.restLoss.value,
      unit: P.restLossFraction.unit,
      ...(Number.isFinite(se) && se > 0 ? { stderr: se } : {}),
      note: a.restLoss.note,
    });
  }
  if (conv.cellType === 'Li||Li') {
    const etas: number[] = [];
    for (let c = 0; c < end; c++) if (m.complete[c] && Number.isFinite(m.overpotential[c]!)) etas.push(m.overpotential[c]!);
    const e = meanEstimate(etas);
    if (e.n > 0) {
      params.push({
        name: P.overpotentialMean.name,
        value: e.mean,
        unit: P.overpotentialMean.unit,
        ...(e.n > 1 ? { stderr: e.stderr, ci95: e.ci95 } : {}),
        note: `median |V| per half cycle, averaged over ${e.n} complete cycles before any short`,
      });
    }
  }
  if (s.cycles > 0 && s.dischargeCapacity[0]! > 0) {
    params.push({
      name: P.dischargeCapacityFirst.name,
      value: s.dischargeCapacity[0]!,
      unit: P.dischargeCapacityFirst.unit,
      note: `cycle ${s.cycle[0]}${conv.cellType === 'Li||Cu' ? ' (Li||Cu: the plated capacity)' : ''}`,
    });
  }
  if (a.shortIndex >= 0) {
    const f = m.shortFlag[a.shortIndex]!;
    params.push({
      name: P.shortCircuit.name,
      value: s.cycle[a.shortIndex]!,
      unit: P.shortCircuit.unit,
      note: [
        f & 1 ? `CE ${m.ce[a.shortIndex]!.toFixed(4)} > ${a.options.shortCircuitCe}` : '',
        f & 2 ? 'voltage collapse at constant current' : '',
        ...describeFlags(f),
      ]
        .filter(Boolean)
        .join('; '),
    });
  }
  const prof = profileParameters(a.profile, { summary: s, conv, shortIndex: a.shortIndex, complete: m.complete });
  params.push(...prof.params);
  messages.push(...prof.messages);

  if (a.partial) messages.push(`${a.partial.reason}: excluded from CE, retention, cycle life and the per-cycle group statistics and plots`);
  const ok = complete > 0;
  if (!ok) messages.push('no complete cycle (both halves moving charge): nothing to fit');
  // A cycle/step-layer export: every number comes from the file's per-cycle rows, and says so.
  const perCycle = s.capacitySource === 'per-cycle table';
  if (perCycle)
    messages.push(
      'no raw rows were available (per-cycle table from a cycle/step-layer export): no rest segments, half cycles, plateau voltages, voltage-collapse check, reservoir CE, rest loss or voltage-profile features',
    );
  else if (!a.profile)
    messages.push(
      'voltage-profile features (nucleation dip, Li||Li hysteresis and soft-short flags, dQ/dV) not computed: the raw rows were not kept (file read in pieces)',
    );
  const noted = perCycle
    ? params.map((p) => ({ ...p, note: `${p.note ?? ''}${p.note ? '; ' : ''}from the per-cycle table, no raw rows were available` }))
    : params;
  return {
    fitter: CYCLE_FITTER_ID,
    fitterVersion: CYCLE_FITTER_VERSION,
    parameters: noted,
    tables: {
      cycles: [...cycleTable(s, m, a.retention, a.partial?.index ?? -1), ...profileCycleColumns(a.profile, s)],
      rests: restTable(s),
      halfCycles: halfCycleTable(s),
      ...profileTables(a.profile, s),
    },
    quality: {
      ok,
      metrics: {
        rows: s.rows,
        cycles: s.cycles,
        completeCycles: complete,
        restSegments: s.rests.count,
        halfCycles: s.halfCycles.count,
        counterResets: s.counterResets,
        badIntervals: s.badIntervals,
        restCurrentA: s.restCurrentA,
        ceCycles: ceEst.n,
        ceSd: ceEst.sd,
        ...(a.partial ? { partialCycle: a.partial.cycle } : {}),
      },
      messages,
    },
    options: { ...a.options, cellType: conv.cellType },
  };
}

function fmt(x: number): string {
  return x.toPrecision(4);
}
