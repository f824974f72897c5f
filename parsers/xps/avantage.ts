/**
 * Thermo Scientific Avantage exports: the Excel workbook (`.xlsx`, and `.xls` from older Avantage)
 * and one spectrum sheet (or the peak table) saved as delimited text (`.csv` / `.txt`).
 *
 * Layout and sources: `avantage.layout.ts` declares the layout as data and says which source shows
 * what. The sources are public code that reads real Avantage exports, and fixtures built to mimic them:
 *   - CINF/PyExpLabSys: PyExpLabSys/file_parsers/avantage_xlsx_export.py
 *   - gkerherve/KherveFitting: libraries/Open.py; KherveFitting/KherveFitting: libraries/FileMenu/Open.py
 *   - gkerherve/KherveNoise: khervenoise/vendors/avantage.py, tests/test_vendors_thermo.py
 *   - an "xpsfig" parser + test, an "xpsfit" importer test, a notebook and an XPSDataSet script, found
 *     through the code index without a repository name (details in the layout file).
 * No public sample workbook could be read, so the reader has been checked on hand-made files only.
 * Nothing here is copied from those readers.
 *
 * What is read
 *  - every spectrum sheet (H1 `Acquisition Parameters :`, or a `Binding Energy (E)` block in
 *    column A): binding energy from column A, intensities from column C (and D, E … when D8 says
 *    the sheet holds several spectra), the unit from the units row (`Counts / s` → counts/s);
 *  - the parameter block (column H / I), kept verbatim per sheet, with pass energy, scans, source
 *    and dwell picked out when stated;
 *  - the `Peak Table` sheet (names, peak BE, FWHM, areas, atomic %) as `meta.peakTable` — the
 *    canonical record has no table slot, and our fitter computes its own quantification;
 *  - the `Titles` sheet(s), verbatim.
 *
 * Depth profiles. A sheet with D8 = k > 1 holds k spectra; they are read as successive etch levels
 * (with a warning: the export does not say whether they are levels, positions or angles). A sputter
 * time is recorded only when the file states it (a column label with a unit, an `Etch Time`
 * parameter) or the manifest does (`options.etchTimesS`); a depth only when the manifest states a
 * sputter rate (`options.sputterRateNmPerS`). Nothing is invented.
 *
 * The workbook is read by the sandboxed reader (`readWorkbook`: worker thread, size/time/heap limits).
 */
import { basename, extname } from 'node:path';
import type { FormatParser, ParseInput, SniffInput } from '../types.js';
import type { ParsedRecord, ParseWarning, RecordMeta } from '../../src/records/record.js';
import { ParseError, type ParseErrorCode } from '../../src/records/errors.js';
import { coreLevelPrefix } from '../../src/records/names.js';
import { isOle2, readWorkbook, resolveReadWorkbookOptions, type Cell } from '../cycler/spreadsheet/workbook.js';
import { extractZip, isZip, listZip, memberFromHead } from '../cycler/spreadsheet/zip.js';
import { decodeText, looksLikeText } from '../text/decode.js';
import { splitLines } from '../text/lines.js';
import { splitFields } from '../text/table.js';
import { detectDecimalComma, parseNumber } from '../text/numbers.js';
import { buildQuantRecord, buildXpsRecord, sourceLabel, type XpsSpectrumIn } from './assemble.js';

import {
  AVANTAGE_LEVEL_LABELS,
  AVANTAGE_PARAMETERS,
  AVANTAGE_PEAK_TABLE,
  AVANTAGE_SHEET_NAME,
  AVANTAGE_SHEETS,
  AVANTAGE_SPECTRUM_SHEET,
  AVANTAGE_TEXT,
  DURATION_PART,
  PASS_ENERGY,
  type PeakColumnKey,
} from './avantage.layout.js';

type Row = readonly Cell[];
interface GridSheet {
  readonly name: string;
  readonly rows: readonly Row[];
}

/** Where we are, for error messages: a workbook sheet, or a text file (rows = lines). */
interface Ctx {
  readonly path: string;
  readonly sheet: string;
  readonly text: boolean;
  readonly decimalComma: boolean;
}

// ---------------------------------------------------------------------------------------------
// cells
// ---------------------------------------------------------------------------------------------

export function columnName(c: number): string {
  let s = '';
  let n = c + 1;
  while (n > 0) {
    const m = (n - 1) % 26;
    s = String.fromCharCode(65 + m) + s;
    n = Math.floor((n - 1) / 26);
  }
  return s;
}

function cellAt(rows: readonly Row[], r: number, c: number): Cell {
  const row = rows[r];
  return row && c < row.length ? (row[c] ?? null) : null;
}

function text(c: Cell | undefined): string {
  return c === null || c === undefined ? '' : String(c).trim();
}

function num(c: Cell | undefined, decimalComma: boolean): number {
  if (typeof c === 'number') return c;
  if (typeof c === 'string') return parseNumber(c, decimalComma);
  return NaN;
}

function norm(s: string): string {
  return s.trim().toLowerCase().replace(/\s+/g, ' ');
}

function shown(c: Cell | undefined): string {
  const t = text(c);
  return t === '' ? '(empty cell)' : t;
}

function fail(ctx: Ctx, code: ParseErrorCode, r: number, c: number, message: string, expected?: string, found?: string, header?: string): never {
  throw new ParseError({
    file: ctx.path,
    code,
    line: r + 1,
    column: `${ctx.sheet}:${header || columnName(c)}`,
    message: `${ctx.text ? '' : `sheet '${ctx.sheet}', `}cell ${columnName(c)}${r + 1}: ${message}`,
    expected,
    found,
  });
}

// ---------------------------------------------------------------------------------------------
// sheet names → regions
// ---------------------------------------------------------------------------------------------

export interface SheetName {
  readonly region: string;
  /** Trailing sample letter (`C1s Scan B` → `B`); undefined for the first sample. */
  readonly sample?: string;
  /** `C1s Scan (2)` → 2. */
  readonly repeat?: number;
}

export function regionFromSheetName(name: string): SheetName {
  const L = AVANTAGE_SHEET_NAME;
  let s = name.trim();
  let repeat: number | undefined;
  let sample: string | undefined;
  const takeRepeat = (): void => {
    const m = L.repeat.exec(s);
    if (m) {
      repeat = Number(m[1]);
      s = s.slice(0, m.index).trim();
    }
  };
  takeRepeat();
  const sm = L.sample.exec(s);
  if (sm && AVANTAGE_SHEETS.spectrumLike.test(sm[1]!)) {
    sample = sm[2]!.toUpperCase();
    s = sm[1]!.trim();
  }
  if (repeat === undefined) takeRepeat();
  if (L.survey.test(s)) s = 'Survey';
  else {
    const m = L.scan.exec(s);
    if (m) s = m[1]!.trim();
  }
  return { region: s || name.trim(), sample, repeat };
}

// ---------------------------------------------------------------------------------------------
// spectrum sheets
// ---------------------------------------------------------------------------------------------

interface SpectrumColumn {
  readonly col: number;
  readonly label: string;
  readonly energy: Float64Array;
  readonly intensity: Float64Array;
  /** Stated by the column label. */
  readonly level?: number;
  readonly timeS?: number;
}

interface SpectrumSheet {
  readonly sheet: string;
  readonly name: SheetName;
  readonly axis: 'binding' | 'kinetic';
  readonly excitationEnergyEv?: number;
  readonly unit: 'counts' | 'counts/s';
  readonly columns: SpectrumColumn[];
  readonly parameters: Record<string, string | number>;
  readonly headerRow: number;
  readonly meta: Record<string, unknown>;
}

function isBlankSheet(rows: readonly Row[]): boolean {
  return rows.every((r) => r.every((c) => text(c) === ''));
}

function findAxisRow(rows: readonly Row[]): { row: number; axis: 'binding' | 'kinetic' } | undefined {
  const A = AVANTAGE_SPECTRUM_SHEET.axis;
  const bind = A.binding.map(norm);
  const kin = A.kinetic.map(norm);
  for (let r = 0; r < Math.min(rows.length, A.searchRows); r++) {
    const t = norm(text(cellAt(rows, r, A.col)));
    if (bind.includes(t)) return { row: r, axis: 'binding' };
    if (kin.includes(t)) return { row: r, axis: 'kinetic' };
  }
  return undefined;
}

function hasSignature(rows: readonly Row[]): boolean {
  const s = AVANTAGE_SPECTRUM_SHEET.signature;
  return s.text.test(text(cellAt(rows, s.at.row, s.at.col)));
}

function readParameters(rows: readonly Row[]): Record<string, string | number> {
  const P = AVANTAGE_SPECTRUM_SHEET.parameters;
  const out: Record<string, string | number> = {};
  for (let r = P.firstRow; r <= Math.min(P.lastRow, rows.length - 1); r++) {
    const name = text(cellAt(rows, r, P.nameCol));
    if (!name || P.skipNames.test(name)) continue;
    const vals = P.valueCols.map((c) => cellAt(rows, r, c)).filter((v) => text(v) !== '');
    if (vals.length === 0) continue;
    out[name] = vals.length === 1 && typeof vals[0] === 'number' ? vals[0] : vals.map(text).join(' ');
  }
  return out;
}

function parameter(params: Record<string, string | number>, key: keyof typeof AVANTAGE_PARAMETERS): { name: string; value: string | number } | undefined {
  const want = AVANTAGE_PARAMETERS[key].names.map(norm);
  for (const [k, v] of Object.entries(params)) if (want.includes(norm(k))) return { name: k, value: v };
  return undefined;
}

/** `8 mins 22.5 secs` → 502.5; a bare number → undefined (unit unstated). */
export function durationSeconds(s: string): number | undefined {
  let total = 0;
  let any = false;
  let rest = s;
  for (const m of s.matchAll(DURATION_PART)) {
    const v = Number(m[1]);
    const u = m[2]!.toLowerCase();
    total += u.startsWith('h') ? v * 3600 : u.startsWith('m') ? v * 60 : v;
    any = true;
    rest = rest.replace(m[0], '');
  }
  return any && rest.trim() === '' ? total : undefined;
}

/** Time in s and level stated by a multi-spectrum column label (assumed forms, see the layout). */
export function levelFromLabel(label: string): { timeS?: number; level?: number } {
  const L = AVANTAGE_LEVEL_LABELS;
  const t = label.trim();
  const out: { timeS?: number; level?: number } = {};
  const a = L.time[0].exec(t);
  if (a) out.timeS = Number(a[1]) * (/^m/i.test(a[2]!) ? 60 : 1);
  const b = L.time[1].exec(t);
  if (b) out.timeS = Number(b[2]) * (/^m/i.test(b[1]!) ? 60 : 1);
  const l = L.level.exec(t);
  if (l) out.level = Number(l[1]);
  return out;
}

function intensityUnit(u: string): 'counts' | 'counts/s' | undefined {
  for (const x of AVANTAGE_SPECTRUM_SHEET.intensityUnits) if (x.match.test(u.trim())) return x.unit;
  return undefined;
}

function readSpectrumSheet(ctx: Ctx, rows: readonly Row[], regionSource: string, warnings: ParseWarning[]): SpectrumSheet {
  const S = AVANTAGE_SPECTRUM_SHEET;
  const found = findAxisRow(rows);
  if (!found) {
    const colA = rows
      .slice(0, S.axis.searchRows)
      .map((r) => text(r[0]))
      .filter(Boolean)
      .slice(0, 8);
    throw new ParseError({
      file: ctx.path,
      code: 'missing-column',
      column: `${ctx.sheet}:A`,
      message: `${ctx.text ? '' : `sheet '${ctx.sheet}': `}no '${S.axis.binding[0]}' header in column A of the first ${S.axis.searchRows} rows`,
      expected: S.axis.binding[0],
      found: colA.join(' | ') || '(column A empty)',
    });
  }
  const h = found.row;
  const u = h + 1;
  const unitA = text(cellAt(rows, u, S.axis.col));
  if (!S.axis.unit.test(unitA))
    fail(ctx, 'bad-header', u, S.axis.col, 'energy unit row must say eV under the energy header', 'eV', shown(cellAt(rows, u, S.axis.col)));

  const params = readParameters(rows);
  const meta: Record<string, unknown> = {};

  // How many spectra (D8), how many points (D7).
  let k = 1;
  const d8 = cellAt(rows, S.spectrumCount.row, S.spectrumCount.col);
  if (text(d8) !== '') {
    const v = num(d8, ctx.decimalComma);
    if (Number.isNaN(v) && typeof d8 === 'string') {
      warnings.push({ code: 'spectrum-count-unread', message: `${ctx.sheet}: D8 holds '${text(d8)}', not a spectrum count; one spectrum (column C) read` });
    } else if (!Number.isInteger(v) || v < 1) {
      fail(
        ctx,
        'bad-number',
        S.spectrumCount.row,
        S.spectrumCount.col,
        'number of spectra in the sheet is not a positive integer',
        'an integer ≥ 1',
        shown(d8),
      );
    } else k = v;
  }
  const d7 = cellAt(rows, S.pointCount.row, S.pointCount.col);
  const statedPoints = typeof d7 === 'number' || (typeof d7 === 'string' && d7.trim() !== '') ? num(d7, ctx.decimalComma) : NaN;

  // Intensity columns and their unit.
  let unit: 'counts' | 'counts/s' | undefined;
  const cols: { col: number; label: string }[] = [];
  for (let j = 0; j < k; j++) {
    const c = S.firstIntensityCol + j;
    const ut = text(cellAt(rows, u, c));
    if (ut === '' && j > 0 && unit) {
      cols.push({ col: c, label: text(cellAt(rows, h, c)) });
      continue;
    }
    const iu = intensityUnit(ut);
    if (!iu) fail(ctx, 'bad-header', u, c, 'intensity unit is missing or unknown', "'Counts / s' or 'Counts'", shown(cellAt(rows, u, c)));
    if (unit && iu !== unit) fail(ctx, 'bad-header', u, c, `intensity unit differs from column ${columnName(S.firstIntensityCol)}`, unit, ut);
    unit = iu;
    cols.push({ col: c, label: text(cellAt(rows, h, c)) });
  }

  // Data rows: from the row after the units to the first empty cell in column A.
  const first = u + 1;
  let end = first;
  while (end < rows.length && text(cellAt(rows, end, S.axis.col)) !== '') end++;
  for (let r = end + 1; r < rows.length; r++) {
    if (Number.isFinite(num(cellAt(rows, r, S.axis.col), ctx.decimalComma))) {
      fail(
        ctx,
        'invalid',
        end,
        S.axis.col,
        `the data block stops at an empty energy cell but more rows follow (row ${r + 1})`,
        'one contiguous data block',
        '(empty cell)',
      );
    }
  }
  const n = end - first;
  if (n === 0) {
    throw new ParseError({
      file: ctx.path,
      code: 'no-data',
      line: first + 1,
      column: `${ctx.sheet}:A`,
      message: `${ctx.text ? '' : `sheet '${ctx.sheet}': `}spectrum sheet has no data rows under the header`,
      expected: 'energy / intensity rows',
      found: 'none',
    });
  }
  if (Number.isInteger(statedPoints) && statedPoints > 0 && statedPoints !== n) {
    fail(
      ctx,
      'truncated',
      S.pointCount.row,
      S.pointCount.col,
      `the sheet states ${statedPoints} data points but ${n} rows are present`,
      String(statedPoints),
      String(n),
    );
  }
  const energy = new Float64Array(n);
  const energyHeader = text(cellAt(rows, h, S.axis.col));
  for (let i = 0; i < n; i++) {
    const r = first + i;
    const e = num(cellAt(rows, r, S.axis.col), ctx.decimalComma);
    if (!Number.isFinite(e)) fail(ctx, 'bad-number', r, S.axis.col, 'energy is not a number', 'eV', shown(cellAt(rows, r, S.axis.col)), energyHeader);
    energy[i] = e;
  }
  if (n > 1) {
    const dir = Math.sign(energy[1]! - energy[0]!);
    for (let i = 1; i < n; i++) {
      if (dir === 0 || Math.sign(energy[i]! - energy[i - 1]!) !== dir) {
        fail(
          ctx,
          'invalid',
          first + i,
          S.axis.col,
          'energy axis is not strictly monotonic',
          dir >= 0 ? `> ${energy[i - 1]}` : `< ${energy[i - 1]}`,
          String(energy[i]),
          energyHeader,
        );
      }
    }
  }
  const columns: SpectrumColumn[] = cols.map(({ col, label }) => {
    const y = new Float64Array(n);
    const header = label || text(cellAt(rows, u, col));
    for (let i = 0; i < n; i++) {
      const r = first + i;
      const v = num(cellAt(rows, r, col), ctx.decimalComma);
      if (!Number.isFinite(v)) fail(ctx, 'bad-number', r, col, 'intensity is not a number', unit, shown(cellAt(rows, r, col)), header);
      y[i] = v;
    }
    return { col, label, energy, intensity: y, ...(k > 1 ? levelFromLabel(label) : {}) };
  });

  // Avantage's own fit (components, background, envelope, residuals) is listed, never imported.
  const fitSeries: string[] = [];
  const headerRow = rows[h] ?? [];
  for (let c = S.firstIntensityCol + k; c < headerRow.length; c++) {
    const t = text(headerRow[c]);
    if (t) fitSeries.push(t);
  }

  let excitationEnergyEv: number | undefined;
  if (found.axis === 'kinetic') {
    const p = parameter(params, 'excitationEnergy');
    excitationEnergyEv = p ? num(typeof p.value === 'number' ? p.value : p.value.replace(/\s*ev\s*$/i, ''), ctx.decimalComma) : NaN;
    if (!Number.isFinite(excitationEnergyEv)) {
      fail(
        ctx,
        'bad-header',
        h,
        S.axis.col,
        'kinetic-energy axis but no excitation energy among the acquisition parameters',
        AVANTAGE_PARAMETERS.excitationEnergy.names.join(' | '),
        p ? String(p.value) : 'none',
      );
    }
  }

  // Metadata the sheet states.
  for (let r = 0; r <= Math.min(S.sourceFile.lastRow, rows.length - 1); r++) {
    const t = text(cellAt(rows, r, S.sourceFile.col));
    if (S.sourceFile.pattern.test(t)) {
      meta.sourceFile = t;
      break;
    }
  }
  const descRow = rows[S.experimentDescription.row] ?? [];
  for (let c = 0; c < descRow.length; c++) {
    if (S.experimentDescription.title.test(text(descRow[c]))) {
      const d = text(cellAt(rows, S.experimentDescription.row + S.experimentDescription.below, c));
      if (d) meta.experimentDescription = d;
      break;
    }
  }
  const mode = parameter(params, 'analyserMode');
  const pe = mode ? PASS_ENERGY.exec(String(mode.value)) : null;
  if (pe) meta.passEnergyEv = Number(pe[1]);
  const scans = parameter(params, 'scans');
  if (scans && Number.isFinite(num(scans.value, ctx.decimalComma))) meta.scans = num(scans.value, ctx.decimalComma);
  const gun = parameter(params, 'sourceGun');
  if (gun) meta.source = String(gun.value);
  const total = parameter(params, 'totalAcquisitionTime');
  if (total) {
    const s = typeof total.value === 'number' ? undefined : durationSeconds(total.value);
    if (s !== undefined) meta.totalAcquisitionTimeS = s;
  }
  const dwell = parameter(params, 'dwellTime');
  if (dwell) {
    const s = typeof dwell.value === 'string' ? (durationSeconds(dwell.value) ?? msDwell(dwell.value)) : undefined;
    if (s !== undefined) meta.dwellTimeS = s;
    else meta.dwellTimeStated = dwell.value; // kept as written: the unit is not stated
  }
  if (fitSeries.length) meta.avantageFitSeries = fitSeries;
  if (Number.isInteger(statedPoints)) meta.statedPoints = statedPoints;

  return {
    sheet: ctx.sheet,
    name: regionFromSheetName(regionSource),
    axis: found.axis,
    excitationEnergyEv,
    unit: unit!,
    columns,
    parameters: params,
    headerRow: h,
    meta,
  };
}

function msDwell(s: string): number | undefined {
  const m = /^\s*([+-]?\d+(?:\.\d*)?)\s*ms\s*$/i.exec(s);
  return m ? Number(m[1]) / 1000 : undefined;
}

// ---------------------------------------------------------------------------------------------
// peak table
// ---------------------------------------------------------------------------------------------

export type PeakRow = { table: string; sheet: string; row: number; name: string; region?: string; ref?: string } & {
  [K in Exclude<PeakColumnKey, 'name'>]?: string | number;
} & { other?: Record<string, string | number> };

function headerColumns(row: Row): Map<PeakColumnKey, number> | undefined {
  const T = AVANTAGE_PEAK_TABLE;
  const h = row.map((c) => norm(text(c)));
  if (!T.headerNeeds.every((n) => h.includes(n))) return undefined;
  const out = new Map<PeakColumnKey, number>();
  const used = new Set<number>();
  for (const [key, spec] of Object.entries(T.columns) as [PeakColumnKey, (typeof T.columns)[PeakColumnKey]][]) {
    for (const m of spec.names as readonly (string | RegExp)[]) {
      const i = h.findIndex((x, j) => !used.has(j) && x !== '' && (typeof m === 'string' ? x === m : m.test(x)));
      if (i >= 0) {
        out.set(key, i);
        used.add(i);
        break;
      }
    }
  }
  return out;
}

function readPeakTables(ctx: Ctx, rows: readonly Row[], warnings: ParseWarning[]): PeakRow[] {
  const T = AVANTAGE_PEAK_TABLE;
  const out: PeakRow[] = [];
  let title: string | undefined;
  let titleRow = -1;
  let r = 0;
  const unreadTitle = (): void => {
    if (title !== undefined && titleRow >= 0) {
      warnings.push({
        code: 'peak-table-unread',
        message: `${ctx.sheet}: block '${title}' (row ${titleRow + 1}) has no header row with 'Name' and 'Peak BE'; not read`,
        line: titleRow + 1,
      });
    }
  };
  while (r < rows.length) {
    const row = rows[r] ?? [];
    const a = text(row[0]);
    const tm = T.title.exec(a);
    if (tm) {
      unreadTitle();
      title = tm[1]!.trim() || a.replace(/\s*:\s*$/, '');
      titleRow = r;
      r++;
      continue;
    }
    const cols = headerColumns(row);
    if (!cols) {
      r++;
      continue;
    }
    titleRow = -1;
    const headerTexts = row.map(text);
    const nameCol = cols.get('name')!;
    const claimed = new Set(cols.values());
    r++;
    for (; r < rows.length; r++) {
      const b = rows[r] ?? [];
      const ba = text(b[0]);
      if (T.title.test(ba) || T.endOfBlock.test(ba) || headerColumns(b)) break;
      if (ba && !T.refLetter.test(ba)) break;
      const name = text(b[nameCol]);
      if (!name) continue; // blank rows, and the constraint row under each fitted peak [KF]
      const p: PeakRow = { table: title ?? ctx.sheet, sheet: ctx.sheet, row: r + 1, name };
      if (ba) p.ref = ba;
      for (const [key, c] of cols) {
        if (key === 'name') continue;
        const cell = b[c] ?? null;
        const t = text(cell);
        const spec = T.columns[key];
        if (!spec.numeric) {
          if (t) (p as Record<string, unknown>)[key] = t;
          continue;
        }
        if (cell === null || (typeof cell === 'string' && T.empty.test(cell))) continue;
        const v = num(cell, ctx.decimalComma);
        if (!Number.isFinite(v))
          fail(ctx, 'bad-number', r, c, `peak '${name}': ${headerTexts[c] || key} is not a number`, 'a number', shown(cell), headerTexts[c] || key);
        (p as Record<string, unknown>)[key] = v;
      }
      const other: Record<string, string | number> = {};
      b.forEach((cell, c) => {
        if (claimed.has(c) || c === 0 || text(cell) === '' || !headerTexts[c]) return;
        other[headerTexts[c]!] = typeof cell === 'number' ? cell : text(cell);
      });
      if (Object.keys(other).length) p.other = other;
      const src = typeof p.title === 'string' ? p.title : title && !/^peak table/i.test(title) ? title : undefined;
      if (src) p.region = regionFromSheetName(src).region;
      out.push(p);
    }
    title = undefined;
  }
  unreadTitle();
  return out;
}

// ---------------------------------------------------------------------------------------------
// options (from the campaign manifest)
// ---------------------------------------------------------------------------------------------

interface AvantageOptions {
  readonly etchTimesS?: readonly number[];
  readonly sputterRateNmPerS?: number;
}

function readOptions(path: string, o: Readonly<Record<string, unknown>> | undefined): AvantageOptions {
  const out: { etchTimesS?: number[]; sputterRateNmPerS?: number } = {};
  const t = o?.etchTimesS;
  if (t !== undefined) {
    if (!Array.isArray(t) || t.some((v) => typeof v !== 'number' || !Number.isFinite(v) || v < 0)) {
      throw new ParseError({
        file: path,
        code: 'invalid',
        message: "format option 'etchTimesS' must be a list of sputter times in s (numbers ≥ 0), one per etch level",
        expected: '[0, 30, 60, …]',
        found: JSON.stringify(t),
      });
    }
    out.etchTimesS = t as number[];
  }
  const s = o?.sputterRateNmPerS;
  if (s !== undefined) {
    if (typeof s !== 'number' || !Number.isFinite(s) || s <= 0) {
      throw new ParseError({
        file: path,
        code: 'invalid',
        message: "format option 'sputterRateNmPerS' must be a positive number (nm/s)",
        expected: 'a number > 0',
        found: JSON.stringify(s),
      });
    }
    out.sputterRateNmPerS = s;
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// sheets → one record
// ---------------------------------------------------------------------------------------------

export function avantageRecords(
  path: string,
  sheets: readonly GridSheet[],
  options: Readonly<Record<string, unknown>> | undefined,
  decimalComma: boolean,
  fromText: boolean,
): ParsedRecord[] {
  const opts = readOptions(path, options);
  const warnings: ParseWarning[] = [];
  const spectra: SpectrumSheet[] = [];
  const peaks: PeakRow[] = [];
  const titles: { sample?: string; lines: string[] }[] = [];
  const ignored: string[] = [];

  for (const sh of sheets) {
    const ctx: Ctx = { path, sheet: sh.name, text: fromText, decimalComma };
    const tm = AVANTAGE_SHEETS.titles.exec(sh.name);
    if (tm && !fromText) {
      titles.push({
        ...(tm[1] ? { sample: tm[1].toUpperCase() } : {}),
        lines: sh.rows
          .slice(0, 30)
          .map((r) => text(r[0]))
          .filter(Boolean),
      });
      continue;
    }
    if (AVANTAGE_SHEETS.peakTable.test(sh.name) || AVANTAGE_PEAK_TABLE.title.test(text(cellAt(sh.rows, 0, 0)))) {
      peaks.push(...readPeakTables(ctx, sh.rows, warnings));
      continue;
    }
    if (hasSignature(sh.rows) || findAxisRow(sh.rows)) {
      spectra.push(readSpectrumSheet(ctx, sh.rows, sh.name, warnings));
      continue;
    }
    if (isBlankSheet(sh.rows)) {
      ignored.push(sh.name);
      continue;
    }
    ignored.push(sh.name);
    warnings.push({
      code: 'sheet-skipped',
      message: AVANTAGE_SHEETS.spectrumLike.test(sh.name)
        ? `sheet '${sh.name}' is named like a spectrum but has no '${AVANTAGE_SPECTRUM_SHEET.axis.binding[0]}' block; skipped (missing region)`
        : `sheet '${sh.name}' is not an Avantage spectrum, peak table or titles sheet; skipped`,
    });
  }

  if (spectra.length === 0) {
    if (peaks.length) return [quantificationRecord(path, peaks, sheets, opts, titles, warnings)];
    throw new ParseError({
      file: path,
      code: 'not-this-kind',
      message: "no Avantage spectrum sheet (H1 'Acquisition Parameters :' or a 'Binding Energy (E)' block in column A)",
      expected: 'Avantage spectrum sheets',
      found: `sheets: ${sheets.map((s) => s.name).join(', ') || '(none)'}`,
    });
  }

  // One intensity unit per record.
  const unit = spectra[0]!.unit;
  const other = spectra.find((s) => s.unit !== unit);
  if (other) {
    throw new ParseError({
      file: path,
      code: 'invalid',
      column: `${other.sheet}:${columnName(AVANTAGE_SPECTRUM_SHEET.firstIntensityCol)}`,
      message: `sheet '${other.sheet}' is in ${other.unit} but sheet '${spectra[0]!.sheet}' in ${unit}; a record holds one intensity unit (no conversion without dwell and scans)`,
      expected: unit,
      found: other.unit,
    });
  }

  // Several samples in one workbook (`C1s Scan B` with `Titles B`) [KF].
  const samples = [...new Set(spectra.map((s) => s.name.sample ?? ''))];
  const multiSample = samples.length > 1;
  if (multiSample) {
    warnings.push({
      code: 'several-samples',
      message: `spectra of ${samples.length} samples (sheets without a letter suffix are 'sample 1', 'C1s Scan B' is 'sample B'); region names are prefixed with the sample`,
    });
  }
  const sampleLabel = (s: string | undefined): string => (s ? `sample ${s}` : 'sample 1');

  // Levels and sputter times.
  const inputs: XpsSpectrumIn[] = [];
  let fileTimes = false;
  let manifestTimes = false;
  const multi = spectra.filter((s) => s.columns.length > 1);
  if (multi.length) {
    warnings.push({
      code: 'columns-as-etch-levels',
      message: `${multi.map((s) => `'${s.sheet}' (${s.columns.length} spectra)`).join(', ')}: the spectra of a multi-spectrum sheet are read as successive etch levels; the export does not say whether they are etch levels, analysis positions or angles`,
    });
  }
  for (const s of spectra) {
    const region = multiSample ? `${sampleLabel(s.name.sample)}: ${s.name.region}` : s.name.region;
    const single = s.columns.length === 1;
    const allLevels = !single && s.columns.every((c) => c.level !== undefined);
    let paramLevel: number | undefined;
    let paramTime: number | undefined;
    if (single) {
      const lp = parameter(s.parameters, 'etchLevel');
      const lv = lp ? num(lp.value, decimalComma) : NaN;
      if (Number.isInteger(lv) && lv >= 0) paramLevel = lv;
      const tp = parameter(s.parameters, 'etchTime');
      if (tp) {
        const bare = num(tp.value, decimalComma);
        const t = Number.isFinite(bare) ? (/\(s\)/i.test(tp.name) ? bare : undefined) : durationSeconds(String(tp.value));
        if (t !== undefined) paramTime = t;
        else
          warnings.push({
            code: 'etch-time-unit-unstated',
            message: `sheet '${s.sheet}': parameter '${tp.name}' = '${tp.value}' has no unit; not used as a sputter time`,
          });
      }
    }
    s.columns.forEach((c, j) => {
      const level = single ? (paramLevel ?? 0) : allLevels ? c.level! : j;
      let t = single ? paramTime : c.timeS;
      if (t !== undefined) fileTimes = true;
      const fromOpt = opts.etchTimesS;
      if (fromOpt) {
        if (level >= fromOpt.length) {
          throw new ParseError({
            file: path,
            code: 'invalid',
            column: s.sheet,
            message: `format option 'etchTimesS' has ${fromOpt.length} values but sheet '${s.sheet}' has etch level ${level}`,
            expected: `≥ ${level + 1} values`,
            found: String(fromOpt.length),
          });
        }
        if (t === undefined) {
          t = fromOpt[level]!;
          manifestTimes = true;
        } else if (Math.abs(t - fromOpt[level]!) > 1e-9) {
          warnings.push({
            code: 'etch-time-conflict',
            message: `sheet '${s.sheet}' level ${level}: the file states ${t} s, the manifest ${fromOpt[level]} s; the file's value is kept`,
          });
        }
      }
      inputs.push({
        region,
        etchLevel: level,
        ...(t !== undefined ? { sputterTimeS: t } : {}),
        energy: c.energy,
        intensity: c.intensity,
        axis: s.axis,
        ...(s.excitationEnergyEv !== undefined ? { excitationEnergyEv: s.excitationEnergyEv } : {}),
        ...(fromText ? { line: s.headerRow + 1 } : {}),
      });
    });
  }
  if (multi.length && !fileTimes && !manifestTimes) {
    warnings.push({
      code: 'etch-time-unstated',
      message: "the export states no sputter times; levels are numbered only (give them with the manifest option 'etchTimesS')",
    });
  }
  if (opts.sputterRateNmPerS !== undefined && !fileTimes && !manifestTimes) {
    warnings.push({ code: 'depth-unavailable', message: 'a sputter rate is given but no sputter times are known; no depth column' });
  }

  // Peak rows naming a spectrum sheet that is not in the workbook.
  const have = new Set(spectra.map((s) => s.name.region));
  const missing = [...new Set(peaks.map((p) => p.region).filter((r): r is string => !!r && r !== 'Survey' && !have.has(r)))];
  if (missing.length) {
    warnings.push({
      code: 'region-missing',
      message: `the peak table refers to ${missing.map((m) => `'${m}'`).join(', ')} but the export has no spectrum sheet for ${missing.length > 1 ? 'them' : 'it'}`,
    });
  }

  const pe = [...new Set(spectra.map((s) => s.meta.passEnergyEv).filter((v): v is number => typeof v === 'number'))];
  const gun = [...new Set(spectra.map((s) => s.meta.source).filter((v): v is string => typeof v === 'string'))];
  const meta: RecordMeta = {
    software: 'Thermo Avantage',
    source: gun.length === 1 ? sourceLabel(gun[0], spectra[0]!.excitationEnergyEv) : gun.length ? gun : undefined,
    passEnergyEv: pe.length === 1 ? pe[0] : pe.length ? pe : undefined,
    sheets: spectra.map((s) => ({
      sheet: s.sheet,
      region: s.name.region,
      ...(s.name.sample ? { sample: s.name.sample } : {}),
      ...(s.name.repeat !== undefined ? { repeat: s.name.repeat } : {}),
      spectra: s.columns.length,
      points: s.columns[0]!.energy.length,
      intensityUnit: s.unit,
      ...(s.columns.length > 1 ? { columnLabels: s.columns.map((c) => c.label) } : {}),
      ...s.meta,
      parameters: s.parameters,
    })),
    titles: titles.length ? titles : undefined,
    peakTable: peaks.length ? peaks : undefined,
    ignoredSheets: ignored.length ? ignored : undefined,
    intensityNote: `intensities as exported by Avantage (${unit}); Avantage's fitted components, background and envelope are not imported`,
    etchTimeSource: fileTimes && manifestTimes ? 'file and manifest' : fileTimes ? 'file' : manifestTimes ? 'manifest' : undefined,
    sputter: opts.sputterRateNmPerS !== undefined ? { rateNmPerS: opts.sputterRateNmPerS, source: 'manifest' } : undefined,
  };
  for (const key of Object.keys(meta)) if (meta[key] === undefined) delete meta[key];
  return [buildXpsRecord({ path, spectra: inputs, meta, warnings, intensityUnit: unit, sputterRateNmPerS: opts.sputterRateNmPerS })];
}

/**
 * An export that holds only Avantage's peak / atomic-% table: an `xps-quantification` record, one row
 * per peak (per etch level when the table has etch columns). Avantage's own quantification is kept as
 * it is (its backgrounds, sensitivity factors and fits are not ours); the quant-table fitter maps the
 * peaks to the species library and derives the SEI inorganic fraction from their atomic %.
 */
function quantificationRecord(
  path: string,
  peaks: readonly PeakRow[],
  sheets: readonly GridSheet[],
  opts: ReturnType<typeof readOptions>,
  titles: readonly { sample?: string; lines: string[] }[],
  warnings: ParseWarning[],
): ParsedRecord {
  const quantified = (p: PeakRow): boolean => [p.atomicPercent, p.areaCpsEv, p.peakHeightAtomicPercent].some((v) => typeof v === 'number');
  const rows = peaks.filter(quantified);
  if (rows.length === 0) {
    throw new ParseError({
      file: path,
      code: 'no-data',
      message: `Avantage peak table (${peaks.length} peaks) has no atomic %, area or peak-height atomic % column, and the export no spectrum sheet: nothing to quantify`,
      expected: "an 'Atomic %' or 'Area (P) CPS.eV' column, or spectrum sheets",
      found: `sheets: ${sheets.map((x) => x.name).join(', ')}`,
    });
  }
  const numOr = (v: unknown): number => (typeof v === 'number' ? v : NaN);
  const level = (p: PeakRow): number => (typeof p.etchLevel === 'number' ? p.etchLevel : 0);
  const time = (p: PeakRow): number => {
    if (typeof p.etchTimeS === 'number') return p.etchTimeS;
    const fromOpt = opts.etchTimesS?.[level(p)];
    return fromOpt ?? NaN;
  };
  const regionOf = (p: PeakRow): string => (p.region ?? (coreLevelPrefix(p.name) || coreLevelPrefix(String(p.title ?? '')))).replace(/\s+/g, '');
  const noRegion = rows.filter((p) => !regionOf(p));
  if (noRegion.length)
    warnings.push({
      code: 'peak-region-unknown',
      message: `${noRegion.length} peak(s) name no core level (e.g. '${noRegion[0]!.name}'); kept, but no species can be assigned to them`,
      rows: noRegion.length,
    });
  if (!rows.some((p) => typeof p.etchTimeS === 'number') && !opts.etchTimesS && new Set(rows.map(level)).size > 1) {
    warnings.push({
      code: 'etch-time-unstated',
      message: "the table states no sputter times; levels are numbered only (give them with the manifest option 'etchTimesS')",
    });
  }
  const meta: RecordMeta = {
    software: 'Thermo Avantage',
    quantification: "Avantage's own (its backgrounds, sensitivity factors and fits); not refitted",
    peakTable: peaks,
    ...(titles.length ? { titles } : {}),
  };
  return buildQuantRecord(
    rows.map((p) => ({
      etchLevel: level(p),
      sputterTimeS: time(p),
      region: regionOf(p),
      peak: p.name,
      bindingEnergy: numOr(p.peakBeEv),
      area: numOr(p.areaCpsEv),
      atomicPercent: numOr(p.atomicPercent),
      ...(typeof p.peakHeightAtomicPercent === 'number' ? { peakHeightAtomicPercent: p.peakHeightAtomicPercent } : {}),
    })),
    meta,
    warnings,
  );
}

// ---------------------------------------------------------------------------------------------
// workbook: sniff and parse
// ---------------------------------------------------------------------------------------------

const MAX_WORKBOOK_XML = 4 * 1024 * 1024;

function sheetNamesFromWorkbookXml(xml: string): string[] {
  const out: string[] = [];
  for (const m of xml.matchAll(/<(?:\w+:)?sheet\b[^>]*?\bname="([^"]*)"/g)) {
    out.push(
      m[1]!.replace(/&(amp|lt|gt|quot|apos|#\d+|#x[0-9a-f]+);/gi, (e, k: string) => {
        const map: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };
        if (k[0] === '#') return String.fromCodePoint(k[1] === 'x' || k[1] === 'X' ? parseInt(k.slice(2), 16) : Number(k.slice(1)));
        return map[k.toLowerCase()] ?? e;
      }),
    );
  }
  return out;
}

/**
 * Sheet names of an .xlsx from the sniff window: `xl/workbook.xml` is inflated when its local entry
 * lies wholly in the head (Excel writes it near the start), or from the central directory when the
 * whole file is in the head. Undefined when it cannot be seen (the sniff then says 0).
 */
export function xlsxSheetNamesFromHead(input: SniffInput): string[] | undefined {
  const h = input.head;
  try {
    const xml = memberFromHead(h, 'xl/workbook.xml', MAX_WORKBOOK_XML);
    if (xml !== undefined) return xml ? sheetNamesFromWorkbookXml(new TextDecoder().decode(xml)) : undefined;
    if (input.size <= h.length) {
      // Declared size checked before anything is allocated (a crafted entry may claim gigabytes).
      const entry = listZip(input.name, h).find((x) => x.name === 'xl/workbook.xml');
      if (!entry || entry.originalSize > MAX_WORKBOOK_XML) return undefined;
      const got = extractZip(input.name, h, new Set(['xl/workbook.xml']))['xl/workbook.xml'];
      if (got && got.length <= MAX_WORKBOOK_XML) return sheetNamesFromWorkbookXml(new TextDecoder().decode(got));
    }
  } catch {
    return undefined;
  }
  return undefined;
}

/** Below MIN_CONFIDENCE: never chosen on its own, only tried after a better candidate refused the file. */
const FALLBACK_CONFIDENCE = 0.2;

/** Confidence from sheet names alone. */
export function scoreAvantageSheetNames(names: readonly string[]): number {
  const S = AVANTAGE_SHEETS;
  const titles = names.some((n) => S.titles.test(n));
  const peak = names.some((n) => S.peakTable.test(n));
  const scanOrSurvey = (n: string): boolean => /\bscan\b/i.test(n) || regionFromSheetName(n).region === 'Survey';
  const spectrumLike = names.filter((n) => S.spectrumLike.test(n)).length;
  if (titles && (spectrumLike || peak)) return 0.92;
  if (titles) return 0.7;
  if (peak && spectrumLike) return 0.8;
  // No Titles sheet: only a workbook made of nothing but `… Scan` / `Survey` sheets (and empty `Sheet1`).
  if (names.some(scanOrSurvey) && names.every((n) => scanOrSurvey(n) || S.blank.test(n))) return 0.65;
  return 0;
}

export function sniffAvantageWorkbook(input: SniffInput): number {
  if (isZip(input.head)) {
    const names = xlsxSheetNamesFromHead(input);
    // Sheet names out of sight (a writer that puts xl/workbook.xml late): a fallback candidate only, tried
    // when the workbook formats above it say the file is not theirs (src/io/load.ts).
    if (!names) return input.headText.includes('xl/') ? FALLBACK_CONFIDENCE : 0;
    return scoreAvantageSheetNames(names);
  }
  if (isOle2(input.head)) {
    // BIFF8 sheet names sit uncompressed in the Workbook stream (8-bit or UTF-16LE).
    const t = input.headText.replace(/\x00/g, '');
    const titles = /Titles/.test(t);
    const spectra = /[A-Z][a-z]?\s?\d[spdf]\d?(?:\/\d)? Scan|Survey|Peak Table/.test(t);
    return titles && spectra ? 0.85 : 0;
  }
  return 0;
}

export async function parseAvantageWorkbook({ path, bytes, options }: ParseInput): Promise<ParsedRecord[]> {
  const wb = await readWorkbook(path, bytes, resolveReadWorkbookOptions(options));
  return avantageRecords(path, wb.sheets, options, false, false);
}

// ---------------------------------------------------------------------------------------------
// delimited text: sniff and parse
// ---------------------------------------------------------------------------------------------

export function sniffAvantageText(input: SniffInput): number {
  if (isZip(input.head) || isOle2(input.head) || !looksLikeText(input.head)) return 0;
  const t = input.headText.replace(/\x00/g, '');
  const T = AVANTAGE_TEXT;
  const lines = t.split(/\r\n|\n|\r/, 200);
  const i = lines.findIndex((l) => T.axisLine.test(l));
  if (i >= 0) {
    // The Avantage grid: a units row (`eV`, `Counts / s`) right under the header; a flat table is not it.
    const units = lines[i + 1] ?? '';
    if (!T.unitsLine.test(units)) return 0.4;
    if (T.signature.test(t)) return 0.95;
    return T.unitWord.test(units) ? 0.9 : 0.4;
  }
  if (T.peakTitle.test(t) && T.peakHeader.test(t)) return 0.85;
  return 0;
}

/** The delimiter that splits the header, units and first data line into the most fields (all three ≥ 2). */
function pickDelimiter(lines: readonly string[]): string {
  let best: string = AVANTAGE_TEXT.delimiters[0];
  let bestScore = 1;
  for (const d of AVANTAGE_TEXT.delimiters) {
    const counts = lines.map((l) => splitFields(l, d).length);
    const score = counts.length ? Math.min(...counts) : 0;
    if (score > bestScore) {
      bestScore = score;
      best = d;
    }
  }
  return best;
}

export function parseAvantageText({ path, bytes, options }: ParseInput): ParsedRecord[] {
  const lines = splitLines(decodeText(bytes).text);
  if (lines.length === 0) throw new ParseError({ file: path, code: 'empty-file', offset: 0, message: 'empty file' });
  const axisRe = /^\s*"?(?:binding|kinetic) energy(?: \(e\))?"?\s*(?:[,;\t]|$)/i;
  let h = lines.findIndex((l) => axisRe.test(l));
  if (h < 0) h = lines.findIndex((l) => /(^|[,;\t])\s*"?name\s*"?\s*([,;\t])/i.test(l) && /peak be/i.test(l));
  const probe = h >= 0 ? lines.slice(h, h + 3).filter((l) => l.trim() !== '') : lines.slice(0, 5);
  const delimiter = pickDelimiter(probe);
  const sample = h >= 0 ? lines.slice(h + 2, h + 40) : lines.slice(0, 40);
  const decimalComma = detectDecimalComma(sample, delimiter);
  const rows: Cell[][] = lines.map((l) => splitFields(l, delimiter).map((f) => (f === '' ? null : f)));
  const stem = basename(path, extname(path));
  return avantageRecords(path, [{ name: stem, rows }], options, decimalComma, true);
}

// ---------------------------------------------------------------------------------------------

export const avantageXlsxFormat: FormatParser = {
  id: 'avantage-xlsx',
  family: 'xps',
  kind: 'xps-spectrum',
  title: 'Thermo Avantage Excel export (.xlsx / .xls: spectrum sheets, peak table, titles)',
  version: '1.0.0',
  extensions: ['.xlsx', '.xls'],
  sniff: sniffAvantageWorkbook,
  parse: parseAvantageWorkbook,
};

export const avantageTextFormat: FormatParser = {
  id: 'avantage-csv',
  family: 'xps',
  kind: 'xps-spectrum',
  title: 'Thermo Avantage spectrum sheet saved as delimited text (.csv / .txt)',
  version: '1.0.0',
  extensions: ['.csv', '.txt'],
  sniff: sniffAvantageText,
  parse: parseAvantageText,
};
