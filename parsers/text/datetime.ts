/**
 * Date/time cells → Unix seconds. Instruments write local time without a zone; we read such stamps
 * as UTC wall-clock (stated in the README) so that differences are right and nothing depends on the
 * machine's TZ. Day/month order is a per-file decision ('dmy' | 'mdy'), default ISO/'mdy'.
 */
export type DateOrder = 'dmy' | 'mdy' | 'ymd';

const MONTHS: Record<string, number> = { jan: 1, feb: 2, mar: 3, apr: 4, may: 5, jun: 6, jul: 7, aug: 8, sep: 9, oct: 10, nov: 11, dec: 12 };

export function parseDateTime(s: string, order: DateOrder = 'mdy'): number {
  const t = s.trim();
  // ISO 8601 with optional zone.
  let m = /^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})(?:[T ](\d{1,2}):(\d{2})(?::(\d{2}(?:[.,]\d+)?))?)?\s*(Z|[+-]\d{2}:?\d{2})?$/.exec(t);
  if (m) {
    const base = Date.UTC(+m[1]!, +m[2]! - 1, +m[3]!, +(m[4] ?? 0), +(m[5] ?? 0)) / 1000 + Number((m[6] ?? '0').replace(',', '.'));
    return base - zoneOffset(m[7]);
  }
  // 12/31/2020 1:02:03 PM, 31.12.2020 13:02:03, 31-Dec-20 3:56:11 PM
  m = /^(\d{1,2})[-/.]([A-Za-z]{3}|\d{1,2})[-/.](\d{2,4})(?:[ T]+(\d{1,2}):(\d{2})(?::(\d{2}(?:[.,]\d+)?))?\s*([AaPp][Mm])?)?$/.exec(t);
  if (m) {
    let a = m[1]!;
    let b = m[2]!;
    let month: number;
    let day: number;
    if (/[A-Za-z]/.test(b)) {
      month = MONTHS[b.toLowerCase()] ?? NaN;
      day = +a;
    } else if (order === 'dmy' || /^\d{1,2}\.\d{1,2}\./.test(t)) {
      day = +a;
      month = +b;
    } else {
      month = +a;
      day = +b;
    }
    let year = +m[3]!;
    if (m[3]!.length === 2) year += year < 70 ? 2000 : 1900;
    let hour = +(m[4] ?? 0);
    const ap = m[7]?.toLowerCase();
    if (ap === 'pm' && hour < 12) hour += 12;
    if (ap === 'am' && hour === 12) hour = 0;
    if (!(month >= 1 && month <= 12 && day >= 1 && day <= 31)) return NaN;
    return Date.UTC(year, month - 1, day, hour, +(m[5] ?? 0)) / 1000 + Number((m[6] ?? '0').replace(',', '.'));
  }
  return NaN;
}

function zoneOffset(z: string | undefined): number {
  if (!z || z === 'Z') return 0;
  const m = /^([+-])(\d{2}):?(\d{2})$/.exec(z)!;
  return (m[1] === '-' ? -1 : 1) * (+m[2]! * 3600 + +m[3]! * 60);
}

/** ISO string for metadata, from Unix seconds. */
export function isoFromUnix(sec: number): string {
  return new Date(sec * 1000).toISOString();
}
