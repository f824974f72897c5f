/**
 * Final assembly of a chronoamperometry record (a potentiostatic step: current vs time at a held
 * voltage), shared by the EC-Lab CA reader (parsers/biologic) and the Gamry CHRONOA reader
 * (parsers/eis/gamry-chronoa.ts). Checks the three canonical columns (CA names in src/records/names.ts),
 * at least two rows, and a time axis that never runs backwards; keeps every other column after them.
 *
 * What the file says about the step goes into `meta.caStep` (never guessed):
 *   potentialV  the programmed step potential, as written
 *   reference   'open-circuit' (EC-Lab `vs. Eoc`/`Emeas`, Gamry POTEN flag T) or 'reference' (vs. Ref)
 *   startS/endS the step's span on the record's time axis, when the settings give it (Gamry pre-step)
 *   source      which settings line it came from
 * The transference fitter (src/fit/transference) takes ΔV from it, or from the data when it is absent.
 */
import type { Column, ParsedRecord, ParseWarning, RecordMeta } from '../../src/records/record.js';
import { ParseError } from '../../src/records/errors.js';
import { CA } from '../../src/records/names.js';

export interface CaStep {
  readonly potentialV: number;
  readonly reference: 'open-circuit' | 'reference';
  /** Step start and end on the record's time axis (s), when stated. */
  readonly startS?: number;
  readonly endS?: number;
  /** Potential before the step (Gamry VPRESTEP), with its own reference. */
  readonly preStepV?: number;
  /** EC-Lab: the sequence step (Ns) of the polarisation, when the technique has several. */
  readonly ns?: number;
  readonly source: string;
}

const ORDER: readonly string[] = [CA.time.name, CA.voltage.name, CA.current.name];

export function chronoRecord(path: string, columns: readonly Column[], meta: RecordMeta, warnings: readonly ParseWarning[]): ParsedRecord {
  for (const q of [CA.time, CA.voltage, CA.current]) {
    if (!columns.some((c) => c.name === q.name)) {
      throw new ParseError({
        file: path,
        code: 'missing-column',
        message: `chronoamperometry data has no '${q.name} / ${q.unit}' column`,
        expected: `${q.name} (${q.unit})`,
        found: columns.map((c) => c.name).join(', ') || 'no columns',
      });
    }
  }
  const t = columns.find((c) => c.name === CA.time.name)!.values;
  if (t.length < 2) {
    throw new ParseError({
      file: path,
      code: 'no-data',
      message: 'a chronoamperometry record needs at least two data rows (the current must be followed in time)',
      expected: '≥ 2 rows',
      found: `${t.length} row(s)`,
    });
  }
  for (let i = 1; i < t.length; i++) {
    if (Number.isFinite(t[i]!) && Number.isFinite(t[i - 1]!) && t[i]! < t[i - 1]!) {
      throw new ParseError({
        file: path,
        code: 'invalid',
        column: CA.time.name,
        message: `time runs backwards at data row ${i + 1} (${t[i - 1]} s then ${t[i]} s)`,
        expected: 'non-decreasing time',
        found: String(t[i]),
      });
    }
  }
  const rank = (c: Column): number => {
    const i = ORDER.indexOf(c.name);
    return i < 0 ? ORDER.length : i;
  };
  return { kind: 'chronoamperometry', meta, columns: [...columns].sort((a, b) => rank(a) - rank(b)), warnings };
}
