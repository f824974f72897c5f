/**
 * Work done in this process, counted rather than timed (issue #18: a refresh touches only what changed).
 * Tests reset the counters, refresh, and check what was redone: no file read or record re-fitted when
 * nothing changed, one spectrum fitted when one spectrum arrived. Worker threads count in their own
 * copy: tests that read these run the pipeline in-process (`workers: 0`).
 */
export interface WorkCounters {
  /** Files read and parsed (`loadFromDisk`: whole, streamed or in pieces). */
  filesParsed: number;
  /** Records fitted, by record kind. */
  fits: Record<string, number>;
  /** Per-cycle analyses (a cycler log's cycles summarised and analysed: `analyzeSummary`). */
  cycleAnalyses: number;
  /** Report figures compiled and rendered (not taken from the store's cache). */
  figuresCompiled: number;
  /** Spectra whose KK residuals were computed for the report (not taken from the cache). */
  kkComputed: number;
  /** Times tables.xlsx was written (not skipped as unchanged). */
  workbooksWritten: number;
  /** Campaign analyses run (replay + hypotheses; not reused because nothing they read changed). */
  analyses: number;
}

export const work: WorkCounters = { filesParsed: 0, fits: {}, cycleAnalyses: 0, figuresCompiled: 0, kkComputed: 0, workbooksWritten: 0, analyses: 0 };

export function resetWork(): void {
  Object.assign(work, { filesParsed: 0, fits: {}, cycleAnalyses: 0, figuresCompiled: 0, kkComputed: 0, workbooksWritten: 0, analyses: 0 });
}

/**
 * Run `fn` without counting its work: a watcher's idle warm-ups (reading files it has stored, writing a
 * report to a throw-away folder) are not work on the campaign. The counters are put back as they were
 * (the watcher runs a warm-up on its queue, so nothing else counts meanwhile).
 */
export async function uncounted<T>(fn: () => Promise<T>): Promise<T> {
  const saved = { ...work, fits: { ...work.fits } };
  try {
    return await fn();
  } finally {
    Object.assign(work, saved);
  }
}
