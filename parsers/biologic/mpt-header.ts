/**
 * The settings block of an EC-Lab / BT-Lab .mpt header: `Key : value` lines whose keys are fixed by the
 * software. Declared as a table of patterns; only what a line states goes into meta.
 */
import type { RecordMeta } from '../../src/records/record.js';
import { parseNumber } from '../text/numbers.js';
import { repairUnitText } from './labels.js';
import { techniqueByName } from './techniques.js';

/** Physical quantities stated in the header, kept with the unit as written. */
const QUANTITY_KEYS: readonly { readonly key: string; readonly meta: string }[] = [
  { key: 'Mass of active material', meta: 'activeMaterialMass' },
  { key: 'Characteristic mass', meta: 'characteristicMass' },
  { key: 'Electrode surface area', meta: 'electrodeSurfaceArea' },
  { key: 'Battery capacity', meta: 'batteryCapacity' },
];

/** Free-text fields kept when not empty. */
const TEXT_KEYS: readonly { readonly key: string; readonly meta: string }[] = [
  { key: 'Electrode material', meta: 'electrodeMaterial' },
  { key: 'Electrolyte', meta: 'electrolyte' },
  { key: 'Comments', meta: 'comments' },
  { key: 'Reference electrode', meta: 'referenceElectrode' },
  { key: 'User', meta: 'user' },
];

const EC_LAB_DATE = /^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})\s+(\d{1,2}):(\d{2}):(\d{2})(?:[.,](\d+))?$/;

interface DateParts {
  readonly year: number;
  readonly month: number;
  readonly day: number;
  readonly hour: number;
  readonly minute: number;
  readonly second: number;
  /** Fraction of a second as written (digits after the separator, '' if none). */
  readonly fraction: string;
}

/**
 * EC-Lab date `MM/DD/YYYY hh:mm:ss(.fff)`. Month-first is what every fixture shows (checked against the
 * .mpr LOG timestamp, e.g. mb.issue_95: 12/08/2022 = 8 December); a first field > 12 can only be a day,
 * so such a stamp is read day-first. (The shared `parseDateTime` reads any stamp containing '.' as
 * day-first, which breaks `11/20/2024 11:38:41.707`, hence this reader.)
 */
function ecLabDateParts(s: string): DateParts | undefined {
  const m = EC_LAB_DATE.exec(s.trim());
  if (!m) return undefined;
  let month = +m[1]!;
  let day = +m[2]!;
  if (month > 12) [month, day] = [day, month];
  if (month < 1 || month > 12 || day < 1 || day > 31) return undefined;
  return { year: +m[3]!, month, day, hour: +m[4]!, minute: +m[5]!, second: +m[6]!, fraction: m[7] ?? '' };
}

/** EC-Lab date → ISO 8601 with milliseconds, without zone (the file states none). */
export function ecLabDateToIso(s: string): string | undefined {
  const d = ecLabDateParts(s);
  if (!d) return undefined;
  const p2 = (n: number): string => String(n).padStart(2, '0');
  const frac = d.fraction.padEnd(3, '0').slice(0, 3);
  return `${d.year}-${p2(d.month)}-${p2(d.day)}T${p2(d.hour)}:${p2(d.minute)}:${p2(d.second)}.${frac}`;
}

/** EC-Lab date → Unix seconds, the wall clock read as UTC (as everywhere in Interphase). NaN if not a date. */
export function ecLabDateToUnix(s: string): number {
  const d = ecLabDateParts(s);
  if (!d) return NaN;
  return Date.UTC(d.year, d.month - 1, d.day, d.hour, d.minute, d.second) / 1000 + (d.fraction ? Number(`0.${d.fraction}`) : 0);
}

export interface MptHeaderMeta {
  readonly meta: RecordMeta;
  /** Acquisition start as written (for BT-Lab absolute timestamps). */
  readonly acquisitionStart?: string;
}

export function parseMptHeader(lines: readonly string[], decimalComma: boolean): MptHeaderMeta {
  const meta: RecordMeta = {};
  let acquisitionStart: string | undefined;
  // Line 4 (after the magic, the count and a blank line) names the technique.
  for (let i = 2; i < Math.min(lines.length, 6); i++) {
    const l = lines[i]!.trim();
    if (!l) continue;
    const t = techniqueByName(l);
    meta.technique = t ? t.code : l;
    meta.techniqueName = l;
    break;
  }
  for (const raw of lines) {
    const line = repairUnitText(raw.trim());
    let m: RegExpExecArray | null;
    if ((m = /^Run on channel\s*:\s*(\S+)(?:\s*\(SN\s*([^)\s]+)\))?/.exec(line))) {
      meta.channel = m[1]!;
      if (m[2]) meta.channelSerial = m[2];
    } else if ((m = /^Device\s*:\s*(.*?)\s*(?:\(SN\s*([^)\s]+)\))?\s*$/.exec(line))) {
      if (m[1]) meta.instrument = m[1];
      if (m[2]) meta.deviceSerial = m[2];
    } else if ((m = /^(EC-Lab|BT-Lab)\s+for\s+windows\s+v(\S+)\s*\(software\)/i.exec(line))) {
      meta.software = m[1]!.toLowerCase() === 'ec-lab' ? 'EC-Lab' : 'BT-Lab';
      meta.softwareVersion = m[2]!;
    } else if ((m = /^Acquisition started on\s*:\s*(.+)$/.exec(line))) {
      acquisitionStart = m[1]!.trim();
      const iso = ecLabDateToIso(acquisitionStart);
      if (iso) meta.startTime = iso;
    } else {
      const kv = /^([^:]+?)\s*:\s*(.*)$/.exec(line);
      if (!kv) continue;
      const q = QUANTITY_KEYS.find((k) => k.key === kv[1]);
      if (q) {
        const qm = /^([-+]?[\d.,]+(?:[eE][-+]?\d+)?)\s*(.*)$/.exec(kv[2]!);
        const value = qm ? parseNumber(qm[1]!, decimalComma) : NaN;
        if (Number.isFinite(value)) meta[q.meta] = { value, unit: qm![2]!.trim() };
        continue;
      }
      const tx = TEXT_KEYS.find((k) => k.key === kv[1]);
      if (tx && kv[2]!.trim()) meta[tx.meta] = kv[2]!.trim();
    }
  }
  return { meta, acquisitionStart };
}
