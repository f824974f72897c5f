/**
 * Final assembly of a canonical cycler record, shared by every cycler format: checks the three
 * BDF-required columns are present and finite-typed, puts canonical columns first, and keeps the rest.
 */
import type { Column, ParsedRecord, ParseWarning, RecordMeta } from '../../src/records/record.js';
import { ParseError } from '../../src/records/errors.js';
import { CYCLER } from '../../src/records/names.js';

const ORDER = Object.values(CYCLER).map((q) => q.name);

export function cyclerRecord(path: string, columns: readonly Column[], meta: RecordMeta, warnings: readonly ParseWarning[]): ParsedRecord {
  for (const q of [CYCLER.testTime, CYCLER.voltage, CYCLER.current]) {
    if (!columns.some((c) => c.name === q.name)) {
      throw new ParseError({
        file: path,
        code: 'missing-column',
        message: `cycler data has no '${q.name} / ${q.unit}' column`,
        expected: `${q.name} (${q.unit})`,
        found: columns.map((c) => c.name).join(', '),
      });
    }
  }
  const rank = (c: Column): number => {
    const i = ORDER.indexOf(c.name as (typeof ORDER)[number]);
    return i < 0 ? ORDER.length : i;
  };
  const sorted = [...columns].sort((a, b) => rank(a) - rank(b));
  // The log's start on the wall clock, when the file has absolute times: it ties other measurements
  // (an impedance spectrum taken later) to this log's cycles and rests.
  let m = meta;
  const unix = columns.find((c) => c.name === CYCLER.unixTime.name)?.values;
  if (!meta.startTime && unix) {
    for (let i = 0; i < unix.length; i++) {
      const t = unix[i]!;
      const tt = columns.find((c) => c.name === CYCLER.testTime.name)!.values[i]!;
      if (Number.isFinite(t) && Number.isFinite(tt)) {
        m = { ...meta, startTime: new Date((t - tt) * 1000).toISOString().replace(/\.000Z$/, 'Z') };
        break;
      }
    }
  }
  return { kind: 'cycler', meta: m, columns: sorted, warnings };
}
