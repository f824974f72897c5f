/**
 * Where in a cell's life each impedance spectrum was taken: the number of cycles the cell had completed
 * and how long it had rested since, from the spectrum's start time and the cycler log's clock
 * (both wall-clock, read the same way by the parsers). R_SEI and CPE α then trend against both.
 *
 * `impedanceStageParameters` keeps the series a series: per cell, stage-labelled values taken from one
 * spectrum each (not a mean over spectra) and trends over the placed spectra —
 *   R_SEI_after_rest, CPE_SEI_alpha_after_rest       the last spectrum with 0 cycles completed;
 *   R_SEI_after_cycling, CPE_SEI_alpha_after_cycling the cell's last placed spectrum, if ≥ 1 cycle completed;
 *   R_SEI_trend_per_cycle                             OLS slope of R_SEI vs cycles completed (≥ 3 spectra,
 *                                                     ≥ 2 distinct cycle counts), stderr and 95 % t-CI;
 *   R_SEI_trend_per_sqrt_h                            OLS slope of R_SEI vs √(hours at rest) over ≥ 3 spectra
 *                                                     taken during one rest (same cycles completed).
 * A spectrum without a time, or of a cell without a cycler log on the same clock, is not placed and
 * not guessed: it enters no stage parameter, and a warning names it.
 */
import type { CellParameter } from '../records/results.js';
import { PARAMETERS } from '../records/parameters.js';
import { linearRegression } from '../stats/ols.js';

export interface SpectrumAt {
  readonly recordId: string;
  readonly cell: string;
  readonly path: string;
  /** Unix seconds. */
  readonly time: number;
  readonly rSei: number | null;
  readonly alpha: number | null;
  /** 1σ of the spectrum's fitted R_SEI / α, when the EIS fitter gave one. */
  readonly rSeiStderr?: number | null;
  readonly alphaStderr?: number | null;
}

export interface CycleLog {
  readonly cell: string;
  /** Unix seconds of the log's Test Time 0. */
  readonly start: number;
  /** Test Time (s) at which each cycle ended, in cycle order. */
  readonly cycleEnds: ArrayLike<number>;
  readonly cycleNumbers: ArrayLike<number>;
}

export interface SpectrumHistory {
  readonly recordId: string;
  readonly cell: string;
  readonly path: string;
  /** null when the file states no time. */
  readonly measuredAt: string | null;
  /** Cycles completed before the spectrum (0 = before cycling), counted whatever the log's cycle numbering; null without a cycler log on the same clock. */
  readonly cyclesBefore: number | null;
  /** Hours at rest since the last cycle ended (or since the log started, before any cycle); null when unknown. */
  readonly restHours: number | null;
  readonly rSei: number | null;
  readonly alpha: number | null;
  readonly rSeiStderr?: number | null;
  readonly alphaStderr?: number | null;
}

export function linkSpectra(spectra: readonly SpectrumAt[], logs: readonly CycleLog[]): SpectrumHistory[] {
  return spectra.map((s) => {
    const log = logs.find((l) => l.cell === s.cell);
    let cyclesBefore: number | null = null;
    let restHours: number | null = null;
    if (log && Number.isFinite(s.time) && Number.isFinite(log.start)) {
      const t = s.time - log.start;
      if (t < 0) {
        cyclesBefore = 0; // before the log began: a pristine-cell spectrum
      } else {
        // Cycles completed = cycle ends at or before t, counted (not the last one's number: EC-Lab numbers
        // cycles from 0, Arbin from 1, so a number would be one short on a BioLogic log).
        let k = -1;
        let done = 0;
        for (let i = 0; i < log.cycleEnds.length; i++) {
          if (Number.isFinite(log.cycleEnds[i]!) && log.cycleEnds[i]! <= t) {
            k = i;
            done++;
          }
        }
        cyclesBefore = done;
        restHours = (t - (k < 0 ? 0 : log.cycleEnds[k]!)) / 3600;
      }
    }
    return {
      recordId: s.recordId,
      cell: s.cell,
      path: s.path,
      measuredAt: Number.isFinite(s.time) ? new Date(s.time * 1000).toISOString() : null,
      cyclesBefore,
      restHours,
      rSei: s.rSei,
      alpha: s.alpha,
      ...(s.rSeiStderr !== undefined ? { rSeiStderr: s.rSeiStderr } : {}),
      ...(s.alphaStderr !== undefined ? { alphaStderr: s.alphaStderr } : {}),
    };
  });
}

/** Wall-clock ISO text (with or without a zone) → Unix seconds; no zone means UTC wall clock. */
export function isoToUnix(iso: string | undefined): number {
  if (!iso) return NaN;
  const z = /[zZ]|[+-]\d{2}:?\d{2}$/.test(iso) ? iso : `${iso}Z`;
  return Date.parse(z) / 1000;
}

export const EIS_HISTORY_FITTER = 'eis-history';

export interface ImpedanceStageResult {
  readonly parameters: CellParameter[];
  readonly warnings: string[];
}

const fin = (x: number | null | undefined): x is number => x !== null && x !== undefined && Number.isFinite(x);

/** Stage-labelled per-cell impedance parameters and trends (see the file comment). Pure. */
export function impedanceStageParameters(history: readonly SpectrumHistory[], groupOf: (cell: string) => string = () => ''): ImpedanceStageResult {
  const parameters: CellParameter[] = [];
  const warnings: string[] = [];
  const byCell = new Map<string, SpectrumHistory[]>();
  for (const h of history) byCell.set(h.cell, [...(byCell.get(h.cell) ?? []), h]);
  for (const [cell, all] of byCell) {
    const placed = all.filter((h) => h.measuredAt !== null && h.cyclesBefore !== null);
    const unplaced = all.filter((h) => !placed.includes(h));
    if (unplaced.length) {
      warnings.push(
        `${cell}: ${unplaced.length} impedance spectrum/spectra not placed in the cell's history (${unplaced.map((h) => `${h.path}: ${h.measuredAt === null ? 'no time stated' : 'no cycler log on the same clock'}`).join('; ')}); not used for the stage parameters and trends, not guessed`,
      );
    }
    placed.sort((a, b) => Date.parse(a.measuredAt!) - Date.parse(b.measuredAt!) || a.cyclesBefore! - b.cyclesBefore! || a.path.localeCompare(b.path));
    const row = (
      name: string,
      unit: string,
      value: number,
      stderr: number | null,
      ci95: readonly [number, number] | null,
      used: readonly SpectrumHistory[],
      provenance: string,
    ): CellParameter => ({
      cell,
      group: groupOf(cell),
      name,
      value,
      unit,
      stderr,
      ci95,
      censored: null,
      n: used.length,
      fitter: EIS_HISTORY_FITTER,
      fitOk: true,
      sources: used.map((h) => h.recordId),
      status: 'fitted',
      provenance,
    });
    const stageRows = (s: SpectrumHistory, rName: string, aName: string, label: string): void => {
      const where = `${label}: ${s.path} at ${s.measuredAt}, ${s.cyclesBefore} cycle(s) completed${fin(s.restHours) ? `, ${Number(s.restHours.toPrecision(3))} h at rest` : ''}`;
      if (fin(s.rSei)) parameters.push(row(rName, PARAMETERS.rSei.unit, s.rSei, fin(s.rSeiStderr) ? s.rSeiStderr : null, null, [s], where));
      else warnings.push(`${cell}: ${where} has no fitted R_SEI: no ${rName}`);
      if (fin(s.alpha)) parameters.push(row(aName, PARAMETERS.cpeSeiAlpha.unit, s.alpha, fin(s.alphaStderr) ? s.alphaStderr : null, null, [s], where));
    };
    const beforeCycling = placed.filter((h) => h.cyclesBefore === 0);
    if (beforeCycling.length)
      stageRows(
        beforeCycling[beforeCycling.length - 1]!,
        PARAMETERS.rSeiAfterRest.name,
        PARAMETERS.cpeSeiAlphaAfterRest.name,
        'last spectrum before the first cycle',
      );
    const last = placed[placed.length - 1];
    if (last && last.cyclesBefore! >= 1)
      stageRows(last, PARAMETERS.rSeiAfterCycling.name, PARAMETERS.cpeSeiAlphaAfterCycling.name, 'last spectrum of the cell');
    // trend vs cycles completed
    const withR = placed.filter((h) => fin(h.rSei));
    if (withR.length >= 3 && new Set(withR.map((h) => h.cyclesBefore)).size >= 2) {
      const fit = linearRegression(
        withR.map((h) => h.cyclesBefore!),
        withR.map((h) => h.rSei!),
      );
      const se = Number.isFinite(fit.slope.se) ? fit.slope.se : null;
      parameters.push(
        row(
          PARAMETERS.rSeiTrendPerCycle.name,
          PARAMETERS.rSeiTrendPerCycle.unit,
          fit.slope.estimate,
          se,
          se === null ? null : [fit.slope.ci[0], fit.slope.ci[1]],
          withR,
          `OLS of R_SEI on cycles completed over ${withR.length} placed spectra (cycles ${withR.map((h) => h.cyclesBefore).join(', ')})`,
        ),
      );
    }
    // trend vs √(rest hours) within one rest: the largest group of spectra with the same cycles completed
    const groups = new Map<number, SpectrumHistory[]>();
    for (const h of withR) if (fin(h.restHours) && h.restHours >= 0) groups.set(h.cyclesBefore!, [...(groups.get(h.cyclesBefore!) ?? []), h]);
    const best = [...groups.values()].filter((g) => g.length >= 3 && new Set(g.map((h) => h.restHours)).size >= 2).sort((a, b) => b.length - a.length)[0];
    if (best) {
      const fit = linearRegression(
        best.map((h) => Math.sqrt(h.restHours!)),
        best.map((h) => h.rSei!),
      );
      const se = Number.isFinite(fit.slope.se) ? fit.slope.se : null;
      parameters.push(
        row(
          PARAMETERS.rSeiTrendPerSqrtH.name,
          PARAMETERS.rSeiTrendPerSqrtH.unit,
          fit.slope.estimate,
          se,
          se === null ? null : [fit.slope.ci[0], fit.slope.ci[1]],
          best,
          `OLS of R_SEI on √(hours at rest) over ${best.length} spectra after ${best[0]!.cyclesBefore} cycle(s) completed`,
        ),
      );
    }
  }
  return { parameters, warnings };
}
