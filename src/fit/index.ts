/**
 * The fitting stage: which fitter handles which record kind. Fitters are imported objects.
 * A kind without a fitter is reported as "not available" — never an invented number.
 */
import type { CanonicalRecord, RecordKind } from '../model/record.js';
import type { CellContext, FitOutcome, RecordFitter } from './types.js';
import { cycleFitter } from './cycles/index.js';
import { eisFitter } from './eis/index.js';
import { simsFitter } from './sims/index.js';
import { ferroFitter } from './ferro/index.js';
import { xpsFitter } from './xps/index.js';
import { xpsQuantTableFitter } from './xps/quant-table.js';

export const FITTERS: readonly RecordFitter[] = [cycleFitter, eisFitter, xpsFitter, xpsQuantTableFitter, simsFitter, ferroFitter];

export function fittersFor(kind: RecordKind): RecordFitter[] {
  return FITTERS.filter((f) => f.kinds.includes(kind));
}

/** Run every fitter for the record; a fitter that throws yields a failed outcome saying why. */
export function fitRecord(record: CanonicalRecord, cell: CellContext): FitOutcome[] {
  return fittersFor(record.kind).map((f) => {
    try {
      return f.fit(record, cell);
    } catch (e) {
      return {
        fitter: f.id, fitterVersion: f.version, parameters: [],
        quality: { ok: false, metrics: {}, messages: [`${f.id} failed: ${(e as Error)?.message ?? String(e)}`] },
      };
    }
  });
}
