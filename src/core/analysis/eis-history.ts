/**
 * Where in a cell's life each impedance spectrum was taken: the number of cycles the cell had completed
 * and how long it had rested since, from the spectrum's start time and the cycler log's clock
 * (both wall-clock, read the same way by the parsers). R_SEI and CPE α then trend against both.
 */
export interface SpectrumAt {
  readonly recordId: string;
  readonly cell: string;
  readonly path: string;
  /** Unix seconds. */
  readonly time: number;
  readonly rSei: number | null;
  readonly alpha: number | null;
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
  /** Cycles completed before the spectrum (0 = before cycling); null without a cycler log on the same clock. */
  readonly cyclesBefore: number | null;
  /** Hours at rest since the last cycle ended (or since the log started, before any cycle); null when unknown. */
  readonly restHours: number | null;
  readonly rSei: number | null;
  readonly alpha: number | null;
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
        let k = -1;
        for (let i = 0; i < log.cycleEnds.length; i++) if (Number.isFinite(log.cycleEnds[i]!) && log.cycleEnds[i]! <= t) k = i;
        cyclesBefore = k < 0 ? 0 : Number(log.cycleNumbers[k]);
        restHours = (t - (k < 0 ? 0 : log.cycleEnds[k]!)) / 3600;
      }
    }
    return {
      recordId: s.recordId, cell: s.cell, path: s.path, measuredAt: Number.isFinite(s.time) ? new Date(s.time * 1000).toISOString() : null,
      cyclesBefore, restHours, rSei: s.rSei, alpha: s.alpha,
    };
  });
}

/** Wall-clock ISO text (with or without a zone) → Unix seconds; no zone means UTC wall clock. */
export function isoToUnix(iso: string | undefined): number {
  if (!iso) return NaN;
  const z = /[zZ]|[+-]\d{2}:?\d{2}$/.test(iso) ? iso : `${iso}Z`;
  return Date.parse(z) / 1000;
}
