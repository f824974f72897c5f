/**
 * Text exports of vibrational spectra, each recognised from its content (the extension only breaks ties):
 *
 * - Renishaw WiRE "Save As → txt": a header row of `#`-named, tab-separated columns —
 *   `#Wave  #Intensity` for one spectrum, `#X  #Y  #Wave  #Intensity` for a map, `#Time  #Wave
 *   #Intensity` for a time series — then rows, wavenumbers usually descending. One record per spectrum
 *   (consecutive rows with the same position/time columns). WiRE is Raman software: technique raman.
 * - Horiba LabSpec (5/6) "Export → txt": `#Key=<tab>value` header lines (`#Acq. time (s)=`,
 *   `#Accumulations=`, `#Laser (nm)=`, `#Grating=`, `#Range (cm-¹)=`, …), then `shift<tab>intensity`
 *   rows. The header is kept in meta; technique raman (a laser line is stated).
 * - Bruker OPUS "Save As → Data Point Table" (`.dpt`): headerless `wavenumber,value` (comma or tab)
 *   rows, usually descending. Content alone cannot tell it from a generic two-column table; both give
 *   the same record and the `.dpt` extension breaks the tie. OPUS is FTIR software: technique ftir.
 * - Generic two-column text: an optional header row whose first field names the axis (`Wavenumber`,
 *   `Raman shift`, `cm-1`), then `x y` rows (tab, comma, semicolon or spaces). Technique from the
 *   header or the file name.
 * Rows must be two numbers (a ParseError names the line otherwise); the axis must be monotonic.
 */
import type { FormatParser, ParseInput, SniffInput } from '../types.js';
import type { ParsedRecord, ParseWarning } from '../../src/records/record.js';
import { ParseError } from '../../src/records/errors.js';
import { decodeText } from '../text/decode.js';
import { splitLines } from '../text/lines.js';
import { buildSpectrum, fields, isNum, readRows, techniqueFromText } from './spectrum.js';

const baseName = (p: string): string => p.split(/[\\/]/).pop() ?? p;

function textOf(input: ParseInput): string[] {
  if (input.bytes.length === 0) throw new ParseError({ file: input.path, code: 'empty-file', message: 'file is empty' });
  return splitLines(decodeText(input.bytes).text);
}

/** A plausible wavenumber axis (cm⁻¹): finite, strictly monotone, within ±15000. A sanity check, not physics. */
function plausibleAxis(x: readonly number[]): boolean {
  if (x.length < 2) return false;
  const dir = Math.sign(x[1]! - x[0]!);
  if (dir === 0) return false;
  for (let i = 0; i < x.length; i++) {
    if (!(Math.abs(x[i]!) <= 15000)) return false;
    if (i && Math.sign(x[i]! - x[i - 1]!) !== dir) return false;
  }
  return true;
}

// ---- Renishaw WiRE ---------------------------------------------------------------------------------

function wireHeader(line: string | undefined): string[] | null {
  if (!line || !line.startsWith('#')) return null;
  const f = line
    .split(/\t+/)
    .map((s) => s.trim())
    .filter(Boolean);
  if (f.length < 2 || !f.every((s) => /^#\w+$/.test(s))) return null;
  const names = f.map((s) => s.slice(1).toLowerCase());
  if (names[names.length - 1] !== 'intensity' || names[names.length - 2] !== 'wave') return null;
  return names;
}

function wireSniff(s: SniffInput): number {
  const lines = splitLines(s.headText.slice(0, 4096));
  return wireHeader(lines[0]?.replace(/^\uFEFF|^\xEF\xBB\xBF/, '')) ? 0.9 : 0;
}

function wireParse(input: ParseInput): ParsedRecord[] {
  const lines = textOf(input);
  const names = wireHeader(lines[0]?.replace(/^\uFEFF/, ''));
  if (!names)
    throw new ParseError({
      file: input.path,
      code: 'bad-header',
      line: 1,
      message: 'no WiRE header row',
      expected: '#Wave<tab>#Intensity',
      found: (lines[0] ?? '').slice(0, 60),
    });
  const k = names.length;
  const keys = names.slice(0, k - 2);
  const groups: { key: number[]; x: number[]; y: number[] }[] = [];
  for (let i = 1; i < lines.length; i++) {
    const l = lines[i]!;
    if (!l.trim()) continue;
    const f = fields(l);
    if (f.length !== k)
      throw new ParseError({
        file: input.path,
        code: 'ragged-row',
        line: i + 1,
        message: `row has ${f.length} field(s), the header names ${k}`,
        expected: `${k} numbers`,
        found: l.slice(0, 80),
      });
    const bad = f.find((v) => !isNum(v));
    if (bad !== undefined)
      throw new ParseError({
        file: input.path,
        code: 'bad-number',
        line: i + 1,
        message: 'text in a numeric column',
        expected: 'a number',
        found: bad.slice(0, 40),
      });
    const v = f.map(Number);
    const key = v.slice(0, k - 2);
    let g = groups[groups.length - 1];
    if (!g || g.key.some((x, j) => x !== key[j])) {
      g = { key, x: [], y: [] };
      groups.push(g);
    }
    g.x.push(v[k - 2]!);
    g.y.push(v[k - 1]!);
  }
  if (!groups.length)
    throw new ParseError({ file: input.path, code: 'no-data', line: 2, message: 'no data rows', expected: 'rows of numbers', found: 'end of file' });
  return groups.map((g, idx) => {
    const meta: Record<string, unknown> = { software: 'Renishaw WiRE', spectrumIndex: idx, spectra: groups.length };
    keys.forEach((name, j) => (meta[name] = g.key[j]));
    return buildSpectrum(input.path, g.x, g.y, 'counts', meta, [], 'raman', baseName(input.path));
  });
}

export const renishawWire: FormatParser = {
  id: 'renishaw-wire-txt',
  family: 'vibrational',
  kind: 'vibrational-spectrum',
  title: 'Renishaw WiRE Raman text export (#Wave #Intensity; maps and series: one record per spectrum)',
  version: '1.0.0',
  extensions: ['.txt'],
  sniff: wireSniff,
  parse: wireParse,
};

// ---- Horiba LabSpec --------------------------------------------------------------------------------

const LABSPEC_KEYS =
  /^#(acq\.? ?time|accumulations|laser|grating|objective|hole|spike filter|range \(cm|detector|instrument|delay time|binning|slit|ici|dark correction)/i;
const kv = (l: string): [string, string] | null => {
  const m = /^#([^=]{1,60})=\s*(.*)$/.exec(l);
  return m ? [m[1]!.trim(), m[2]!.trim()] : null;
};

function labspecSniff(s: SniffInput): number {
  const lines = splitLines(s.headText.slice(0, 8192)).map((l, i) => (i ? l : l.replace(/^\uFEFF|^\xEF\xBB\xBF/, '')));
  let hdr = 0;
  let known = 0;
  for (const l of lines.slice(0, 60)) {
    if (!l.startsWith('#')) break;
    if (kv(l)) hdr++;
    if (LABSPEC_KEYS.test(l) && kv(l)) known++;
  }
  return hdr >= 2 && known >= 1 ? 0.85 : 0;
}

function labspecParse(input: ParseInput): ParsedRecord[] {
  const lines = textOf(input);
  const header: Record<string, string> = {};
  let i = 0;
  for (; i < lines.length; i++) {
    const l = i ? lines[i]! : lines[i]!.replace(/^\uFEFF/, '');
    if (!l.startsWith('#')) break;
    const p = kv(l);
    if (p) header[p[0]] = p[1];
  }
  while (i < lines.length && !lines[i]!.trim()) i++;
  const first = fields(lines[i] ?? '');
  if (first.length !== 2) {
    throw new ParseError({
      file: input.path,
      code: first.length > 2 ? 'not-this-kind' : 'no-data',
      line: i + 1,
      message: first.length > 2 ? `LabSpec map/series export (${first.length} columns) is not read: export single spectra` : 'no data rows after the header',
      expected: 'shift<tab>intensity rows',
      found: (lines[i] ?? 'end of file').slice(0, 60),
    });
  }
  const { x, y } = readRows(input.path, lines, i, 0, 1, 2);
  const laser = Object.entries(header).find(([k]) => /^laser/i.test(k));
  const warnings: ParseWarning[] = [];
  const meta: Record<string, unknown> = { software: 'Horiba LabSpec', header };
  if (laser) meta.laserNm = Number(laser[1]) || laser[1];
  const inst = Object.entries(header).find(([k]) => /^instrument/i.test(k));
  if (inst) meta.instrument = inst[1];
  const title = Object.entries(header).find(([k]) => /^title/i.test(k));
  if (title) meta.title = title[1];
  const date = Object.entries(header).find(([k]) => /^date/i.test(k));
  if (date) meta.startTime = date[1];
  return [buildSpectrum(input.path, x, y, 'counts', meta, warnings, 'raman', baseName(input.path))];
}

export const horibaLabspec: FormatParser = {
  id: 'horiba-labspec-txt',
  family: 'vibrational',
  kind: 'vibrational-spectrum',
  title: 'Horiba LabSpec Raman text export (#Key= header, shift/intensity rows)',
  version: '1.0.0',
  extensions: ['.txt'],
  sniff: labspecSniff,
  parse: labspecParse,
};

// ---- two-column tables: OPUS data point table and generic -----------------------------------------

const AXIS_HEADER = /wave ?number|raman ?shift|cm-1|cm\^-1|cm⁻¹|1\/cm|cm-¹/i;

/** Header row (or none) and the first data line, or null when the text is not a two-column numeric table. */
function twoColumn(text: string, allowHeader: boolean): { header: string | null; start: number; sample: number[] } | null {
  const lines = splitLines(text.slice(0, 16384));
  let i = 0;
  while (i < lines.length && !lines[i]!.trim()) i++;
  let header: string | null = null;
  const f0 = fields((lines[i] ?? '').replace(/^\uFEFF|^\xEF\xBB\xBF/, ''));
  if (f0.length === 2 && !(isNum(f0[0]) && isNum(f0[1]))) {
    if (!allowHeader || !AXIS_HEADER.test(f0[0]!)) return null;
    header = f0.join(' ');
    i++;
  }
  const xs: number[] = [];
  const end = Math.min(lines.length, i + 200);
  for (let j = i; j < end; j++) {
    const l = lines[j]!;
    if (!l.trim()) continue;
    const f = fields(l);
    if (f.length !== 2 || !isNum(f[0]) || !isNum(f[1])) {
      if (j === end - 1 || j === lines.length - 1) break; // a cut last line of the sniff window
      return null;
    }
    xs.push(Number(f[0]));
  }
  if (xs.length < 10 || !plausibleAxis(xs)) return null;
  return { header, start: i, sample: xs };
}

function genericSniff(s: SniffInput): number {
  const t = twoColumn(s.headText, true);
  if (!t) return 0;
  return t.header ? 0.6 : 0.5;
}

function tableParse(input: ParseInput, technique: 'ftir' | null, software: string | undefined): ParsedRecord[] {
  const lines = textOf(input);
  let i = 0;
  while (i < lines.length && !lines[i]!.trim()) i++;
  const f0 = fields((lines[i] ?? '').replace(/^\uFEFF/, ''));
  let header: string | null = null;
  if (f0.length >= 1 && !(isNum(f0[0]) && isNum(f0[1]))) {
    if (technique === 'ftir')
      throw new ParseError({
        file: input.path,
        code: 'bad-header',
        line: i + 1,
        message: 'a data point table has no header row',
        expected: 'wavenumber,value',
        found: (lines[i] ?? '').slice(0, 60),
      });
    header = f0.join(' ');
    i++;
  }
  const { x, y } = readRows(input.path, lines, i, 0, 1, 2);
  const meta: Record<string, unknown> = {};
  if (software) meta.software = software;
  if (header) meta.header = header;
  return [buildSpectrum(input.path, x, y, 'a.u.', meta, [], technique ?? techniqueFromText(header ?? undefined), baseName(input.path))];
}

export const genericTwoColumn: FormatParser = {
  id: 'vibrational-two-column',
  family: 'vibrational',
  kind: 'vibrational-spectrum',
  title: 'Two-column wavenumber/intensity text (optional header naming the axis)',
  version: '1.0.0',
  extensions: ['.txt', '.csv', '.dat', '.xy', '.asc'],
  sniff: genericSniff,
  parse: (input) => tableParse(input, null, undefined),
};

export const opusDpt: FormatParser = {
  id: 'opus-dpt',
  family: 'vibrational',
  kind: 'vibrational-spectrum',
  title: 'Bruker OPUS data point table (.dpt: headerless wavenumber,value rows)',
  version: '1.0.0',
  extensions: ['.dpt'],
  sniff: (s) => (twoColumn(s.headText, false) ? 0.5 : 0),
  parse: (input) => tableParse(input, 'ftir', 'Bruker OPUS'),
};
