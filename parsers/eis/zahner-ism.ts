/**
 * Zahner Thales `.ism` impedance spectrum: big-endian binary, layout below as data. Source of the
 * layout: Zahner-Analysis-Python `file_import/ism_import.py` + `thales_file_utils.py` (MIT); our own code.
 *
 *   i48 version | i48 lastIndex (N = lastIndex + 1) | f64[N] frequency (Hz) | f64[N] |Z| (ohm)
 *   | f64[N] phase (rad) | f64[N] timestamp (s since 1980-01-01, local clock) | i16[N] significance
 *   | string date `DDMMYY` | strings (title, potential, current, temperature, time span, comments…) | …
 *
 * A string is i16 length + ASCII with every letter's case swapped (Thales stores `rc hiz` for `RC HIZ`).
 * Thales starts a sweep at a middle frequency, measures up to the maximum, then down to the
 * minimum: the first points overlap the main sweep. As Zahner's own reader does, only the points
 * from the maximum to the minimum frequency (the main sweep) are returned; the overlap count is a
 * warning. Points keep measurement order.
 *
 * Sign: Z = |Z|·e^{jφ}, so Im(Z) = |Z|·sin φ is the true imaginary part (φ < 0 on capacitive
 * behaviour). Cross-check: zahner__rc-data.ism gives φ → −90° at 100 kHz with |Z| ∝ 1/f
 * (C ≈ 146 pF) and φ → 0 at 0.2 Hz with Z′ ≈ 99.5 MΩ: a 100 MΩ ‖ 150 pF RC, arc below the axis.
 */
import type { FormatParser, ParseInput, SniffInput } from '../types.js';
import type { Column, ParsedRecord, ParseWarning, RecordMeta } from '../../src/records/record.js';
import { ParseError } from '../../src/records/errors.js';
import { EIS } from '../../src/records/names.js';
import { buildSpectrum, formatSign } from './spectrum.js';
import { isoLocal } from './text.js';

export type IsmType = 'i48be' | 'f64be' | 'i16be';
export const ISM_TYPE_SIZE: Readonly<Record<IsmType, number>> = { i48be: 6, f64be: 8, i16be: 2 };

/** Fixed header fields. */
export const ISM_HEADER = [
  { name: 'version', offset: 0, type: 'i48be' },
  { name: 'lastIndex', offset: 6, type: 'i48be' },
] as const satisfies readonly { name: string; offset: number; type: IsmType }[];
export const ISM_HEADER_BYTES = 12;

/** Per-point arrays, stored one after another, each N values long. */
export const ISM_ARRAYS = [
  { name: 'frequency', type: 'f64be', unit: 'Hz' },
  { name: 'modulus', type: 'f64be', unit: 'ohm' },
  { name: 'phase', type: 'f64be', unit: 'rad' },
  { name: 'timestamp', type: 'f64be', unit: 's since 1980-01-01' },
  { name: 'significance', type: 'i16be', unit: '1' },
] as const satisfies readonly { name: string; type: IsmType; unit: string }[];

/**
 * Meaning of the strings after the date, by position: the same in both fixtures
 * (rc-data: `RC HIZ`, `0.9995V, aMPL…`, `10.006nA`, `23.8+-0.1C`, `09:32:45 - 09:37:42`;
 * li-ion-battery: `Simulation`, `0V`, `0A`, `RT`, `11:11:11 - 12:12:12`). Later strings are comments.
 */
export const ISM_STRINGS = ['title', 'potential', 'current', 'temperature', 'timeSpan'] as const;

/** Seconds from 1970-01-01 to 1980-01-01 (the Thales epoch). */
const THALES_EPOCH = Date.UTC(1980, 0, 1) / 1000;

function readI48(v: DataView, o: number): number {
  const hi = v.getInt16(o);
  const lo = v.getUint32(o + 2);
  return hi * 2 ** 32 + lo;
}

interface IsmArrays {
  frequency: Float64Array;
  modulus: Float64Array;
  phase: Float64Array;
  timestamp: Float64Array;
  significance: Int32Array;
}

function truncated(path: string, need: number, size: number, what: string): ParseError {
  return new ParseError({
    file: path,
    code: 'truncated',
    offset: size,
    message: `file ends inside ${what}`,
    expected: `≥ ${need} bytes`,
    found: `${size} bytes`,
  });
}

export function parseZahnerIsm(input: ParseInput): ParsedRecord[] {
  const { path, bytes } = input;
  if (bytes.length === 0)
    throw new ParseError({ file: path, code: 'empty-file', offset: 0, message: 'file is empty', expected: 'a Zahner .ism spectrum', found: '0 bytes' });
  if (bytes.length < ISM_HEADER_BYTES) throw truncated(path, ISM_HEADER_BYTES, bytes.length, 'the 12-byte header');
  const v = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const version = readI48(v, ISM_HEADER[0].offset);
  const n = readI48(v, ISM_HEADER[1].offset) + 1;
  const perPoint = ISM_ARRAYS.reduce((s, a) => s + ISM_TYPE_SIZE[a.type], 0);
  if (!(n >= 1 && n <= 10_000_000)) {
    throw new ParseError({
      file: path,
      code: 'bad-magic',
      offset: 6,
      message: 'point count out of range: not a Zahner .ism file',
      expected: '1 … 10 000 000 points',
      found: String(n),
    });
  }
  const need = ISM_HEADER_BYTES + n * perPoint;
  if (bytes.length < need) throw truncated(path, need, bytes.length, `the ${n}-point data arrays`);

  let o = ISM_HEADER_BYTES;
  const arr: Partial<IsmArrays> = {};
  for (const a of ISM_ARRAYS) {
    if (a.type === 'f64be') {
      const out = new Float64Array(n);
      for (let i = 0; i < n; i++) out[i] = v.getFloat64(o + 8 * i);
      (arr as Record<string, Float64Array>)[a.name] = out;
    } else {
      const out = new Int32Array(n);
      for (let i = 0; i < n; i++) out[i] = v.getInt16(o + 2 * i);
      (arr as Record<string, Int32Array>)[a.name] = out;
    }
    o += n * ISM_TYPE_SIZE[a.type];
  }
  const a = arr as IsmArrays;
  const warnings: ParseWarning[] = [];

  // Strings: date, then the positional ones, then comments; stop at the first non-text length/bytes.
  const strings: string[] = [];
  while (strings.length < 16 && o + 2 <= bytes.length) {
    const len = v.getInt16(o);
    if (len < 0 || len > 512 || o + 2 + len > bytes.length) break;
    const body = bytes.subarray(o + 2, o + 2 + len);
    if (body.some((b) => b < 0x20 || b > 0x7e)) break;
    strings.push(swapCase(String.fromCharCode(...body)));
    o += 2 + len;
  }
  if (strings.length === 0) throw truncated(path, o + 2, bytes.length, 'the date string after the data arrays');
  const meta: RecordMeta = { instrument: 'Zahner (Thales)', software: 'Zahner Thales', ismVersion: version, totalPoints: n };
  const dateText = strings[0]!;
  meta.dateText = dateText;
  ISM_STRINGS.forEach((k, i) => {
    const s = strings[i + 1];
    if (s !== undefined && s !== '') meta[k] = s;
  });
  const comments = strings.slice(1 + ISM_STRINGS.length).filter((s) => s !== '');
  if (comments.length) meta.comments = comments;
  const dm = /^(\d{2})(\d{2})(\d{2})/.exec(dateText);
  const clock = /^(\d{2}):(\d{2}):(\d{2})/.exec(String(meta.timeSpan ?? ''));
  if (dm) {
    const yy = +dm[3]!;
    meta.startTime = isoLocal(
      yy < 70 ? 2000 + yy : 1900 + yy,
      +dm[2]!,
      +dm[1]!,
      ...(clock ? ([+clock[1]!, +clock[2]!, +clock[3]!] as [number, number, number]) : ([0, 0, 0] as [number, number, number])),
    );
  } else warnings.push({ code: 'unreadable-date', message: `date string '${dateText}' is not DDMMYY` });
  const pot = /^\s*([+-]?(?:\d+\.?\d*|\.\d+)(?:e[+-]?\d+)?)\s*V\b/i.exec(String(meta.potential ?? ''));
  if (pot) meta.dcPotential = Number(pot[1]);

  // Main sweep: from the max-frequency index to the min-frequency index (either order).
  let iMin = 0;
  let iMax = 0;
  for (let i = 1; i < n; i++) {
    if (a.frequency[i]! < a.frequency[iMin]!) iMin = i;
    if (a.frequency[i]! > a.frequency[iMax]!) iMax = i;
  }
  const from = Math.min(iMin, iMax);
  const to = Math.max(iMin, iMax);
  const overlap = n - (to - from + 1);
  if (overlap > 0)
    warnings.push({
      code: 'overlap-points-dropped',
      message: `${overlap} point(s) before the main sweep (Thales' start-up overlap) were not returned, as in Zahner's reader`,
      rows: overlap,
    });

  let t0 = Infinity;
  for (let i = 0; i < n; i++) if (Math.abs(a.timestamp[i]!) < t0) t0 = Math.abs(a.timestamp[i]!);
  if (Number.isFinite(t0) && t0 > 86400) meta.firstPointClock = new Date((THALES_EPOCH + t0) * 1000).toISOString().replace(/Z$/, '');
  const m = to - from + 1;
  const f = new Float64Array(m);
  const re = new Float64Array(m);
  const im = new Float64Array(m);
  const time = new Float64Array(m);
  const sig = new Int32Array(m);
  for (let k = 0; k < m; k++) {
    const i = from + k;
    f[k] = a.frequency[i]!;
    re[k] = a.modulus[i]! * Math.cos(a.phase[i]!);
    im[k] = a.modulus[i]! * Math.sin(a.phase[i]!);
    time[k] = Math.abs(a.timestamp[i]!) - t0;
    sig[k] = a.significance[i]!;
  }
  const columns: Column[] = [
    { name: EIS.frequency.name, unit: 'Hz', values: f },
    { name: EIS.zReal.name, unit: 'ohm', values: re },
    { name: EIS.zImag.name, unit: 'ohm', values: im },
    { name: EIS.time.name, unit: 's', values: time },
    { name: 'Significance', unit: '1', values: sig },
  ];
  return [
    buildSpectrum({
      path,
      columns,
      spectrumIndex: 0,
      offset: ISM_HEADER_BYTES,
      warnings,
      meta,
      imagSign: formatSign('im', 'Zahner stores |Z| and phase φ; Im(Z) = |Z|·sin φ is the true imaginary part'),
    }),
  ];
}

function swapCase(s: string): string {
  let out = '';
  for (const c of s) {
    const l = c.toLowerCase();
    out += c === l ? c.toUpperCase() : l;
  }
  return out;
}

/**
 * No magic number: the header must give a point count whose arrays fit the file size exactly up to
 * the trailing strings, and the first values must look like a sweep (frequencies 1 µHz…100 MHz,
 * |Z| ≥ 0, |φ| ≤ π).
 */
export function sniffZahnerIsm(s: SniffInput): number {
  const h = s.head;
  if (h.length < ISM_HEADER_BYTES + 8) return 0;
  const v = new DataView(h.buffer, h.byteOffset, h.byteLength);
  const n = readI48(v, 6) + 1;
  if (!(n >= 5 && n <= 1_000_000)) return 0;
  const arrays = n * 34;
  if (ISM_HEADER_BYTES + arrays + 2 > s.size || ISM_HEADER_BYTES + arrays + 65536 < s.size) return 0;
  const fit = Math.min(n, Math.floor((h.length - ISM_HEADER_BYTES) / 8));
  for (let i = 0; i < fit; i++) {
    const f = v.getFloat64(ISM_HEADER_BYTES + 8 * i);
    if (!(f >= 1e-6 && f <= 1e8)) return 0;
  }
  const phaseAt = ISM_HEADER_BYTES + 16 * n;
  for (let i = 0; i < n && phaseAt + 8 * (i + 1) <= h.length; i++) {
    const p = v.getFloat64(phaseAt + 8 * i);
    const z = v.getFloat64(ISM_HEADER_BYTES + 8 * n + 8 * i);
    if (!(Math.abs(p) <= Math.PI + 1e-9) || !(z >= 0)) return 0;
  }
  return 0.9;
}

export const zahnerIsm: FormatParser = {
  id: 'zahner-ism',
  family: 'eis',
  kind: 'eis',
  title: 'Zahner Thales .ism impedance spectrum (binary)',
  version: '1',
  extensions: ['.ism'],
  sniff: sniffZahnerIsm,
  parse: parseZahnerIsm,
};
