/**
 * The fitting stage: which fitter handles which record kind. Fitters are imported objects.
 * A kind without a fitter is reported as "not available" — never an invented number.
 */
import { describeIncomplete, incompleteOf, type CanonicalRecord, type RecordKind } from '../records/record.js';
import type { CellContext, FitOutcome, RecordFitter } from './types.js';
import { settingsKey, settingsSectionFor, type FitSettings } from './settings.js';
import { work } from '../records/work.js';
import { cycleFitter } from './cycles/index.js';
import { eisFitter } from './eis/index.js';
import { simsFitter } from './sims/index.js';
import { ferroFitter } from './ferro/index.js';
import { xpsFitter } from './xps/index.js';
import { xpsQuantTableFitter } from './xps/quant-table.js';
import { transferenceFitter } from './transference/index.js';
import { pfmFitter } from './pfm/index.js';
import { vibFitter } from './vibrational/index.js';

export const FITTERS: readonly RecordFitter[] = [
  cycleFitter,
  eisFitter,
  xpsFitter,
  xpsQuantTableFitter,
  simsFitter,
  ferroFitter,
  pfmFitter,
  transferenceFitter,
  vibFitter,
];

export function fittersFor(kind: RecordKind): RecordFitter[] {
  return FITTERS.filter((f) => f.kinds.includes(kind));
}

/** Run every fitter for the record; a fitter that throws yields a failed outcome saying why. */
export function fitRecord(record: CanonicalRecord, cell: CellContext): FitOutcome[] {
  work.fits[record.kind] = (work.fits[record.kind] ?? 0) + 1;
  return fittersFor(record.kind).map((f) => {
    let outcome: FitOutcome;
    try {
      outcome = f.fit(record, cell);
    } catch (e) {
      outcome = {
        fitter: f.id,
        fitterVersion: f.version,
        parameters: [],
        quality: { ok: false, metrics: {}, messages: [`${f.id} failed: ${(e as Error)?.message ?? String(e)}`] },
      };
    }
    return withSettings(flagIncomplete(outcome, record), record.kind, cell.analysis);
  });
}

/**
 * Kinds whose fit a truncated record does not bias: a cycler log's complete cycles are what they are (its
 * partial last cycle is excluded by the cycle fitter itself). Every other kind loses part of what the fit
 * needs (an impedance spectrum its low-frequency end, a current transient its steady state), so its fit
 * is not ok (not used by the hypotheses).
 */
const UNBIASED_BY_TRUNCATION: ReadonlySet<RecordKind> = new Set(['cycler', 'cycle-summary']);

/** A record whose file declared more than it holds (`meta.incomplete`, issue #18): its fit says so. */
export function flagIncomplete(outcome: FitOutcome, record: Pick<CanonicalRecord, 'kind' | 'meta'>): FitOutcome {
  const x = incompleteOf(record);
  if (!x) return outcome;
  const biased = !UNBIASED_BY_TRUNCATION.has(record.kind);
  const message = `incomplete record: ${describeIncomplete(x)}${biased ? ' — the missing part biases this fit (e.g. an impedance spectrum without its low-frequency end): not ok, not used by the hypotheses' : ' — fitted on what was read'}`;
  return {
    ...outcome,
    quality: {
      ...outcome.quality,
      ok: biased ? false : outcome.quality.ok,
      metrics: { ...outcome.quality.metrics, incompleteDeclared: x.declared, incompleteRead: x.read },
      messages: [...outcome.quality.messages, message],
    },
  };
}

/**
 * Record the manifest's `analysis:` settings the fit ran with in its options (`analysis`, and
 * `analysisKey`: part of the fit cache key, compared by the pipeline to decide what to re-fit).
 * Nothing is added when the record's section sets nothing, so fits without `analysis:` are unchanged.
 */
export function withSettings(outcome: FitOutcome, kind: RecordKind, settings: FitSettings | undefined): FitOutcome {
  const key = settingsKey(kind, settings);
  if (!key) return outcome;
  const section = settingsSectionFor(kind)!;
  return { ...outcome, options: { ...(outcome.options ?? {}), analysis: { [section]: settings![section] }, analysisKey: key } };
}
