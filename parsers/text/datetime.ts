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
    const a = m[1]!;
    const b = m[2]!;
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

const utf8 = new TextDecoder('utf-8');

/** Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's days_from_civil). */
function daysFromCivil(y: number, m: number, d: number): number {
  y -= m <= 2 ? 1 : 0;
  const era = Math.floor(y / 400);
  const yoe = y - era * 400;
  const doy = Math.floor((153 * (m + (m > 2 ? -3 : 9)) + 2) / 5) + d - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146097 + doe - 719468;
}

const NUMS = new Float64Array(6);
const LENS = new Int32Array(6);
const SEPS = new Int32Array(2);
let lastYear = -1;
let lastMonth = -1;
let lastDay = -1;
let lastDays = 0;

/**
 * Byte-level fast path of parseDateTime for the numeric layouts cyclers write millions of times
 * (`MM/DD/YYYY hh:mm:ss(.fff)( AM|PM)`, `YYYY-MM-DD[T ]hh:mm:ss(.fff)`, `DD.MM.YYYY hh:mm:ss`);
 * anything else falls back to the general parser. Same results as parseDateTime.
 */
export function parseDateTimeBytes(b: Uint8Array, s: number, e: number, order: DateOrder = 'mdy'): number {
  while (s < e && (b[s] === 32 || b[s] === 9)) s++;
  while (e > s && (b[e - 1] === 32 || b[e - 1] === 9)) e--;
  if (s >= e) return NaN;
  let i = s;
  // Scratch reused across calls: this runs once per row of a million-row export.
  const nums = NUMS;
  const lens = LENS;
  const seps = SEPS;
  for (let j = 0; j < 6; j++) nums[j] = lens[j] = 0;
  seps[0] = seps[1] = 0;
  let frac = 0;
  let fracScale = 1;
  let k = 0;
  // date: three numbers separated by / - .
  for (; k < 3; k++) {
    let v = 0;
    let n = 0;
    let c = 0;
    while (i < e && (c = b[i]!) >= 48 && c <= 57) {
      v = v * 10 + c - 48;
      n++;
      i++;
    }
    if (n === 0) return parseDateTime(utf8.decode(b.subarray(s, e)), order);
    nums[k] = v;
    lens[k] = n;
    if (k < 2) {
      c = b[i]!;
      if (c !== 47 && c !== 45 && c !== 46) return parseDateTime(utf8.decode(b.subarray(s, e)), order);
      seps[k] = c;
      i++;
    }
  }
  if (i < e) {
    const c = b[i]!;
    if (c !== 32 && c !== 84 /* T */) return parseDateTime(utf8.decode(b.subarray(s, e)), order);
    while (i < e && (b[i] === 32 || b[i] === 84)) i++;
    for (; k < 6 && i < e; k++) {
      let v = 0;
      let n = 0;
      let d = 0;
      while (i < e && (d = b[i]!) >= 48 && d <= 57) {
        v = v * 10 + d - 48;
        n++;
        i++;
      }
      if (n === 0) return parseDateTime(utf8.decode(b.subarray(s, e)), order);
      nums[k] = v;
      lens[k] = n;
      if (k < 5 && b[i] === 58) i++;
      else break;
    }
    if (k === 5 && i < e && (b[i] === 46 || b[i] === 44)) {
      i++;
      let d = 0;
      while (i < e && (d = b[i]!) >= 48 && d <= 57) {
        frac = frac * 10 + d - 48;
        fracScale *= 10;
        i++;
      }
    }
  }
  let ampm = 0;
  while (i < e && b[i] === 32) i++;
  if (i + 1 < e && (b[i + 1] === 77 || b[i + 1] === 109)) {
    const c = b[i]! | 32;
    if (c === 97) ampm = 1;
    else if (c === 112) ampm = 2;
    else return parseDateTime(utf8.decode(b.subarray(s, e)), order);
    i += 2;
  }
  if (i !== e) return parseDateTime(utf8.decode(b.subarray(s, e)), order);
  let year: number;
  let month: number;
  let day: number;
  if (lens[0] === 4) {
    year = nums[0]!;
    month = nums[1]!;
    day = nums[2]!;
    if (ampm) return parseDateTime(utf8.decode(b.subarray(s, e)), order);
  } else {
    const dayFirst = order === 'dmy' || seps[0] === 46;
    day = dayFirst ? nums[0]! : nums[1]!;
    month = dayFirst ? nums[1]! : nums[0]!;
    year = nums[2]!;
    if (lens[2] === 2) year += year < 70 ? 2000 : 1900;
  }
  if (!(month >= 1 && month <= 12 && day >= 1 && day <= 31)) return NaN;
  let hour = nums[3]!;
  if (ampm === 2 && hour < 12) hour += 12;
  if (ampm === 1 && hour === 12) hour = 0;
  if (year !== lastYear || month !== lastMonth || day !== lastDay) {
    lastYear = year;
    lastMonth = month;
    lastDay = day;
    lastDays = daysFromCivil(year, month, day);
  }
  return lastDays * 86400 + hour * 3600 + nums[4]! * 60 + nums[5]! + frac / fracScale;
}
