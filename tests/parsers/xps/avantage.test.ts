/**
 * Thermo Avantage exports, on hand-made workbooks and text files that follow the layout documented
 * in `parsers/xps/avantage.layout.ts` (PyExpLabSys, KherveFitting, KherveNoise and the other public
 * readers named there): spectrum sheets with the parameter block in H/I, D7 point count, D8 spectrum
 * count, `Binding Energy (E)` / `eV` / `Counts / s` header rows, binding energy falling down the
 * sheet, Avantage's fit columns after the counts; a `Peak Table` sheet; `Titles`; an empty `Sheet1`.
 * No real Avantage export is public, so every fixture is built here.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { Zip, ZipDeflate, unzipSync, zipSync } from 'fflate';
import * as XLSX from 'xlsx';
import { detectFormat, sniffInput } from '../../../parsers/index.js';
import { xpsFormats } from '../../../parsers/xps/index.js';
import {
  avantageTextFormat,
  avantageXlsxFormat,
  columnName,
  durationSeconds,
  levelFromLabel,
  regionFromSheetName,
  scoreAvantageSheetNames,
} from '../../../parsers/xps/avantage.js';
import { cyclerSpreadsheet } from '../../../parsers/cycler/spreadsheet/index.js';
import { ParseError } from '../../../src/records/errors.js';
import { findColumn, rowCount, type ParsedRecord } from '../../../src/records/record.js';
import { HAVE_REAL_DATA, readReal, realFiles } from '../../helpers/realData.js';
import { at, region } from './helpers.js';
import { failures, planArb, runCase, type Seed } from '../../fuzz/harness.js';

// ------------------------------------------------------------------------------------------------
// fixtures
// ------------------------------------------------------------------------------------------------

type Grid = unknown[][];
const put = (g: Grid, r: number, c: number, v: unknown): void => {
  (g[r] ??= [])[c] = v;
};

/** Synthetic counts/s: Gaussian peaks on a flat background (deterministic). */
function peaks(be: number, list: readonly [number, number, number][], bg: number): number {
  let y = bg;
  for (const [c, h, w] of list) y += h * Math.exp(-4 * Math.LN2 * ((be - c) / w) ** 2);
  return Math.round(y * 100) / 100;
}

interface SheetSpec {
  /** Highest binding energy (first data row) and step (BE falls down the sheet, as Avantage writes it). */
  be0: number;
  step?: number;
  n: number;
  /** One function per spectrum column (C, D, E …). */
  y: ((be: number, i: number) => number)[];
  params?: [string, unknown][];
  unit?: string;
  /** Row-15 labels over the intensity columns (multi-spectrum sheets). */
  labels?: string[];
  /** D7 / D8 as written; D7 defaults to n, D8 to the column count when > 1. */
  d7?: unknown;
  d8?: unknown;
  fit?: boolean;
  vgd?: string;
  /** Rows of blank lines before the header (real files put it on row 14 or 15). */
  headerRow?: number;
  experimentDescription?: string;
}

const PARAMS: [string, unknown][] = [
  ['Total acquisition time', '1 mins 4.3 secs'],
  ['Number of Scans', 10],
  ['Source Gun Type', 'Al K Alpha'],
  ['Analyser Mode', 'CAE : Pass Energy 20.0 eV'],
];

function spectrumSheet(s: SheetSpec): Grid {
  const g: Grid = [];
  const k = s.y.length;
  const h = s.headerRow ?? 14;
  put(g, 0, 7, 'Acquisition Parameters :');
  put(g, 2, 7, 'Parameter');
  put(g, 2, 8, ' ');
  (s.params ?? PARAMS).forEach(([n, v], i) => {
    put(g, 3 + i, 7, n);
    put(g, 3 + i, 8, v);
  });
  if (s.experimentDescription) {
    put(g, 0, 10, 'Experiment Descriptions :');
    put(g, 2, 10, s.experimentDescription);
  }
  put(g, 6, 3, s.d7 === undefined ? s.n : s.d7);
  if (s.d8 !== undefined) put(g, 7, 3, s.d8);
  else if (k > 1) put(g, 7, 3, k);
  put(g, 8, 0, s.vgd ?? 'E:\\data\\LiCu_cycled.DATA\\region.VGD');
  put(g, h, 0, 'Binding Energy (E)');
  put(g, h + 1, 0, 'eV');
  for (let j = 0; j < k; j++) {
    if (s.labels) put(g, h, 2 + j, s.labels[j]);
    put(g, h + 1, 2 + j, s.unit ?? 'Counts / s');
  }
  const fitCols = s.fit ? ['Backgnd.', 'Envelope', 'Residuals'] : [];
  fitCols.forEach((name, f) => {
    put(g, h, 2 + k + f, name);
    put(g, h + 1, 2 + k + f, 'Counts / s');
  });
  const step = s.step ?? 0.1;
  for (let i = 0; i < s.n; i++) {
    const be = Math.round((s.be0 - i * step) * 1000) / 1000;
    put(g, h + 2 + i, 0, be);
    for (let j = 0; j < k; j++) put(g, h + 2 + i, 2 + j, s.y[j]!(be, i));
    // Avantage writes a literal 0 in the first row of its fitted channels.
    fitCols.forEach((_, f) => put(g, h + 2 + i, 2 + k + f, i === 0 ? 0 : 100 + f));
  }
  return g;
}

const PEAK_HEADERS = [
  ' ',
  'Name ',
  'Start BE',
  'Peak BE',
  'End BE',
  'Height CPS',
  'FWHM eV',
  'Area (P) CPS.eV',
  'Area (N) TPP-2M',
  'Weight %',
  'Peak Type',
  'Q ',
  'SF ALTHERMO1',
  'TXFN ',
  'Backgnd ',
  'PP Height CPS',
  'PP Hgt (N) ',
  'PP At. % ',
  'Title ',
  'File Name ',
];

/** `Peak Table` sheet as [XF] describes it: A1 title, header on row 2, then the chemical-state block. */
function peakTable(rows: { name: string; be: number; fwhm: number; height: number; area: number; at: unknown; title: string }[]): Grid {
  const g: Grid = [];
  put(g, 0, 0, 'Peak Table : ');
  PEAK_HEADERS.forEach((t, j) => put(g, 1, j, t));
  rows.forEach((p, i) => {
    const r = 2 + i;
    put(g, r, 1, p.name);
    put(g, r, 2, p.be + 3);
    put(g, r, 3, p.be);
    put(g, r, 4, p.be - 3);
    put(g, r, 5, p.height);
    put(g, r, 6, p.fwhm);
    put(g, r, 7, p.area);
    put(g, r, 12, 1.0);
    put(g, r, 17, p.at);
    put(g, r, 18, p.title);
  });
  const base = 2 + rows.length + 2;
  put(g, base, 0, 'Chemical State Assessment :');
  put(g, base + 1, 0, 'Chemical Composition of Sample ');
  put(g, base + 1, 1, 'Spectral Region ');
  put(g, base + 2, 0, ' carbonate');
  put(g, base + 2, 1, 'C1s');
  put(g, base + 3, 1, 'O1s');
  return g;
}

const TITLES: Grid = [['15:35:32  Wednesday, January 29, 2025'], [], ['C:\\exports\\LiCu_cycled.xlsx'], [], ['LiCu cycled 50x'], [], ['Data Files :']];

function workbook(sheets: Record<string, Grid>, bookType: 'xlsx' | 'xls' = 'xlsx'): Uint8Array {
  const wb = XLSX.utils.book_new();
  for (const [name, g] of Object.entries(sheets)) XLSX.utils.book_append_sheet(wb, XLSX.utils.aoa_to_sheet(g), name);
  return new Uint8Array(XLSX.write(wb, { type: 'buffer', bookType, compression: true }) as Buffer);
}

/** Rewrite a SheetJS .xlsx so the zip members come in Excel's order ([Content_Types].xml, _rels, xl/workbook.xml first). */
function excelOrdered(bytes: Uint8Array): Uint8Array {
  const files = unzipSync(bytes);
  const first = ['[Content_Types].xml', '_rels/.rels', 'xl/workbook.xml', 'xl/_rels/workbook.xml.rels'];
  const ordered: Record<string, Uint8Array> = {};
  for (const n of first) if (files[n]) ordered[n] = files[n]!;
  for (const [n, b] of Object.entries(files)) if (!(n in ordered)) ordered[n] = b;
  return zipSync(ordered, { level: 6 });
}

/** Re-zip as a streaming writer does: sizes in data descriptors (flag bit 3), so local headers cannot be walked. */
function streamZipped(bytes: Uint8Array): Uint8Array {
  const chunks: Uint8Array[] = [];
  const z = new Zip((err, dat) => {
    if (err) throw err;
    chunks.push(dat);
  });
  for (const [n, b] of Object.entries(unzipSync(bytes))) {
    const e = new ZipDeflate(n, { level: 6 });
    z.add(e);
    e.push(b, true);
  }
  z.end();
  const out = new Uint8Array(chunks.reduce((a, c) => a + c.length, 0));
  let o = 0;
  for (const c of chunks) {
    out.set(c, o);
    o += c.length;
  }
  return out;
}

function csv(g: Grid, d = ',', decimalComma = false): Uint8Array {
  const width = Math.max(...Array.from(g, (r) => (r ? r.length : 0)));
  const lines: string[] = [];
  for (let r = 0; r < g.length; r++) {
    const row = g[r] ?? [];
    const cells: string[] = [];
    for (let c = 0; c < width; c++) {
      const v = row[c];
      let t = v === undefined || v === null ? '' : typeof v === 'number' && decimalComma ? String(v).replace('.', ',') : String(v);
      if (t.includes(d) || t.includes('"')) t = `"${t.replace(/"/g, '""')}"`;
      cells.push(t);
    }
    lines.push(cells.join(d));
  }
  return new TextEncoder().encode(lines.join('\r\n') + '\r\n');
}

const sniffOf = (name: string, bytes: Uint8Array) => sniffInput(name, bytes.subarray(0, 64 * 1024), bytes.length);
const conf = (r: number | { confidence: number }): number => (typeof r === 'number' ? r : r.confidence);

async function thrown(p: Promise<unknown> | (() => unknown)): Promise<ParseError> {
  try {
    await (typeof p === 'function' ? p() : p);
  } catch (e) {
    if (e instanceof ParseError) return e;
    throw e;
  }
  throw new Error('expected a ParseError');
}

const parseXlsx = async (bytes: Uint8Array, options?: Record<string, unknown>, path = 'LiCu_cycled.xlsx'): Promise<ParsedRecord> => {
  const out = await avantageXlsxFormat.parse({ path, bytes, options });
  expect(out).toHaveLength(1);
  return out[0]!;
};
const parseText = async (bytes: Uint8Array, path: string, options?: Record<string, unknown>): Promise<ParsedRecord> =>
  (await avantageTextFormat.parse({ path, bytes, options }))[0]!;

// The spectra of a cycled Li‖Cu electrode (positions from the species library's windows).
const C1S = (be: number): number =>
  peaks(
    be,
    [
      [284.8, 1800, 1.3],
      [286.6, 600, 1.4],
      [290.0, 900, 1.2],
    ],
    400,
  );
const F1S = (be: number): number =>
  peaks(
    be,
    [
      [685.0, 5200, 1.7],
      [687.2, 1400, 1.9],
    ],
    900,
  );
const LI1S = (be: number): number =>
  peaks(
    be,
    [
      [55.6, 700, 1.6],
      [52.6, 250, 0.9],
    ],
    120,
  );
const SURVEY = (be: number): number =>
  peaks(
    be,
    [
      [685, 30000, 3],
      [531.5, 18000, 3],
      [284.8, 12000, 3],
      [55.6, 4000, 3],
    ],
    2000,
  );

function cycledWorkbookSheets(): Record<string, Grid> {
  return {
    Survey: spectrumSheet({
      be0: 1350,
      step: 1,
      n: 1361,
      y: [SURVEY],
      params: [
        ['Analyser Mode', 'CAE : Pass Energy 200.0 eV'],
        ['Number of Scans', 2],
        ['Source Gun Type', 'Al K Alpha'],
      ],
    }),
    'C1s Scan': spectrumSheet({ be0: 298.0, n: 201, y: [C1S], fit: true, experimentDescription: 'LiCu cell 7, 50 cycles' }),
    'F1s Scan': spectrumSheet({ be0: 695.0, n: 151, y: [F1S], fit: true }),
    'Li1s Scan': spectrumSheet({ be0: 62.0, n: 141, y: [LI1S], params: [...PARAMS, ['Dwell Time', '50 ms']] }),
    'Peak Table': peakTable([
      { name: 'C1s', be: 284.8, fwhm: 1.31, height: 1812.4, area: 4188.77, at: 38.21, title: 'C1s Scan' },
      { name: 'F1s', be: 685.02, fwhm: 1.72, height: 5230.1, area: 15010.5, at: 44.9, title: 'F1s Scan' },
      { name: 'Li1s', be: 55.61, fwhm: 1.6, height: 702.3, area: 1221.0, at: 16.89, title: 'Li1s Scan' },
    ]),
    Titles: TITLES,
    Sheet1: [],
  };
}

// ------------------------------------------------------------------------------------------------

describe('layout helpers', () => {
  it('sheet names → regions, samples and repeats', () => {
    expect(regionFromSheetName('C1s Scan')).toEqual({ region: 'C1s', sample: undefined, repeat: undefined });
    expect(regionFromSheetName('Survey')).toMatchObject({ region: 'Survey' });
    expect(regionFromSheetName('XPS Survey')).toMatchObject({ region: 'Survey' });
    expect(regionFromSheetName('C1s Scan (2)')).toMatchObject({ region: 'C1s', repeat: 2 });
    expect(regionFromSheetName('C1s Scan B')).toMatchObject({ region: 'C1s', sample: 'B' });
    expect(regionFromSheetName('Zn2p Scan_0')).toMatchObject({ region: 'Zn2p' });
    expect(regionFromSheetName('Valence Band')).toMatchObject({ region: 'Valence Band', sample: undefined });
  });
  it('durations, level labels, column letters', () => {
    expect(durationSeconds('8 mins 22.5 secs')).toBe(502.5);
    expect(durationSeconds('30')).toBeUndefined();
    expect(levelFromLabel('Etch Time 30 s')).toEqual({ timeS: 30 });
    expect(levelFromLabel('Etch Time (s) 90')).toEqual({ timeS: 90 });
    expect(levelFromLabel('0.5 min')).toEqual({ timeS: 30 });
    expect(levelFromLabel('Level 3')).toEqual({ level: 3 });
    expect(levelFromLabel('Counts')).toEqual({});
    expect([0, 2, 25, 26, 27].map(columnName)).toEqual(['A', 'C', 'Z', 'AA', 'AB']);
  });
  it('sheet-name scores', () => {
    expect(scoreAvantageSheetNames(['Survey', 'C1s Scan', 'Peak Table', 'Titles', 'Sheet1'])).toBeGreaterThanOrEqual(0.9);
    expect(scoreAvantageSheetNames(['C1s Scan', 'O1s Scan'])).toBe(0.65);
    expect(scoreAvantageSheetNames(['Global_Info', 'Channel_11_1'])).toBe(0);
    expect(scoreAvantageSheetNames(['Record-Tab', 'Cycle-Tab', 'Step-Tab'])).toBe(0);
    expect(scoreAvantageSheetNames(['cells', 'groups'])).toBe(0);
  });
});

describe('Avantage workbook (.xlsx): one level, several regions', () => {
  const bytes = workbook(cycledWorkbookSheets());

  it('is detected as avantage-xlsx (not as a cycler workbook)', () => {
    const si = sniffOf('LiCu_cycled.xlsx', bytes);
    expect(conf(avantageXlsxFormat.sniff(si))).toBe(0.92);
    expect(conf(cyclerSpreadsheet.sniff(si))).toBe(0.6);
    expect(conf(avantageTextFormat.sniff(si))).toBe(0);
    expect(detectFormat(si).best?.format.id).toBe('avantage-xlsx');
  });

  it('regions, point counts, ascending binding energy, counts/s, pinned values', async () => {
    const r = await parseXlsx(bytes);
    expect(r.kind).toBe('xps-spectrum');
    expect(r.meta.regions).toEqual(['Survey', 'C1s', 'F1s', 'Li1s']);
    expect(r.meta.etchLevels).toBe(1);
    expect(findColumn(r, 'Intensity')!.unit).toBe('counts/s');
    expect(findColumn(r, 'Sputter Time')).toBeUndefined();
    expect(rowCount(r)).toBe(1361 + 201 + 151 + 141);

    const c = region(r, 'C1s');
    expect(c.be).toHaveLength(201);
    expect(c.be[0]).toBeCloseTo(278.0, 9);
    expect(c.be[200]).toBeCloseTo(298.0, 9);
    for (let i = 1; i < c.be.length; i++) expect(c.be[i]!).toBeGreaterThan(c.be[i - 1]!);
    expect(at(c, 284.8)).toBe(C1S(284.8));
    expect(at(c, 284.8)).toBe(2206.13); // 400 + 1800 + the tail of the 286.6 eV peak
    expect(at(c, 298.0)).toBe(400); // first data row of the sheet = last point after sorting
    const f = region(r, 'F1s');
    expect(f.be[0]).toBeCloseTo(680.0, 9);
    expect(f.be[150]).toBeCloseTo(695.0, 9);
    expect(at(f, 685.0)).toBe(F1S(685.0));
    const li = region(r, 'Li1s');
    expect([li.be[0], li.be[140]]).toEqual([48, 62]);
    expect(at(li, 55.6)).toBe(LI1S(55.6));
    const s = region(r, 'Survey');
    expect([s.be.length, s.be[0], s.be[1360]]).toEqual([1361, -10, 1350]);
  });

  it('metadata: parameters, pass energies, source, dwell, titles, VGD, fit series listed not imported', async () => {
    const r = await parseXlsx(bytes);
    expect(r.meta.software).toBe('Thermo Avantage');
    expect(r.meta.source).toBe('Al K Alpha');
    expect(r.meta.passEnergyEv).toEqual([200, 20]);
    const sheets = r.meta.sheets as Record<string, unknown>[];
    expect(sheets.map((s) => s.sheet)).toEqual(['Survey', 'C1s Scan', 'F1s Scan', 'Li1s Scan']);
    const c1s = sheets[1]!;
    expect(c1s).toMatchObject({
      region: 'C1s',
      points: 201,
      spectra: 1,
      intensityUnit: 'counts/s',
      scans: 10,
      passEnergyEv: 20,
      totalAcquisitionTimeS: 64.3,
      statedPoints: 201,
    });
    expect(c1s.sourceFile).toBe('E:\\data\\LiCu_cycled.DATA\\region.VGD');
    expect(c1s.experimentDescription).toBe('LiCu cell 7, 50 cycles');
    expect(c1s.avantageFitSeries).toEqual(['Backgnd.', 'Envelope', 'Residuals']);
    expect((c1s.parameters as Record<string, unknown>)['Number of Scans']).toBe(10);
    expect(sheets[3]!.dwellTimeS).toBeCloseTo(0.05, 12);
    expect(r.meta.titles).toEqual([{ lines: ['15:35:32  Wednesday, January 29, 2025', 'C:\\exports\\LiCu_cycled.xlsx', 'LiCu cycled 50x', 'Data Files :'] }]);
    expect(r.meta.ignoredSheets).toEqual(['Sheet1']);
    expect(r.warnings.map((w) => w.code)).toEqual([]);
  });

  it('peak table: names, peak BE, FWHM, areas, atomic % (chemical-state block not read as peaks)', async () => {
    const r = await parseXlsx(bytes);
    const pt = r.meta.peakTable as Record<string, unknown>[];
    expect(pt.map((p) => p.name)).toEqual(['C1s', 'F1s', 'Li1s']);
    expect(pt[1]).toMatchObject({
      table: 'Peak Table',
      sheet: 'Peak Table',
      row: 4,
      region: 'F1s',
      title: 'F1s Scan',
      peakBeEv: 685.02,
      fwhmEv: 1.72,
      heightCps: 5230.1,
      areaCpsEv: 15010.5,
      peakHeightAtomicPercent: 44.9,
      sensitivityFactor: 1,
      startBeEv: 688.02,
      endBeEv: 682.02,
    });
    const sum = pt.reduce((a, p) => a + (p.peakHeightAtomicPercent as number), 0);
    expect(sum).toBeCloseTo(100, 6);
  });

  it('the same workbook as legacy .xls (BIFF8)', async () => {
    const xls = workbook(cycledWorkbookSheets(), 'xls');
    const si = sniffOf('LiCu_cycled.xls', xls);
    expect(conf(avantageXlsxFormat.sniff(si))).toBe(0.85);
    expect(detectFormat(si).best?.format.id).toBe('avantage-xlsx');
    const r = await parseXlsx(xls, undefined, 'LiCu_cycled.xls');
    expect(r.meta.regions).toEqual(['Survey', 'C1s', 'F1s', 'Li1s']);
    expect(at(region(r, 'C1s'), 284.8)).toBe(C1S(284.8));
  });

  it('a small workbook written with data descriptors is sniffed through its central directory', async () => {
    const streamed = streamZipped(bytes);
    expect(streamed[6]! & 8).toBe(8);
    expect(streamed.length).toBeLessThan(64 * 1024);
    expect(conf(avantageXlsxFormat.sniff(sniffOf('LiCu_cycled.xlsx', streamed)))).toBe(0.92);
    expect((await parseXlsx(streamed)).meta.regions).toEqual(['Survey', 'C1s', 'F1s', 'Li1s']);
  });

  it('an Excel-ordered zip is sniffed from its head even when the file is far larger than the window', () => {
    // Counting noise (a fixed LCG) so that the sheet does not compress away.
    let seed = 12345;
    const noise = (): number => ((seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648) * 50;
    const big = {
      ...cycledWorkbookSheets(),
      'O1s Scan': spectrumSheet({ be0: 545, step: 0.01, n: 3001, y: [(be) => Math.round((peaks(be, [[531.5, 3000, 1.5]], 700) + noise()) * 100) / 100] }),
    };
    const sheetjs = workbook(big);
    const ordered = excelOrdered(sheetjs);
    expect(ordered.length).toBeGreaterThan(64 * 1024);
    expect(conf(avantageXlsxFormat.sniff(sniffOf('big.xlsx', ordered)))).toBe(0.92);
    // SheetJS writes xl/workbook.xml after the worksheets: beyond the window the sheet names cannot be
    // seen, so the sniff only makes it a fallback candidate (below MIN_CONFIDENCE)…
    expect(sheetjs.length).toBeGreaterThan(64 * 1024);
    expect(conf(avantageXlsxFormat.sniff(sniffOf('big.xlsx', sheetjs)))).toBe(0.2);
  });

  it('a workbook whose sheet names are out of sight is still read: the cycler reader refuses it, Avantage takes it', async () => {
    const { parseBytes } = await import('../../../src/io/load.js');
    let seed = 777;
    const noise = (): number => ((seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648) * 50;
    const big = {
      ...cycledWorkbookSheets(),
      'O1s Scan': spectrumSheet({ be0: 545, step: 0.01, n: 3001, y: [(be) => Math.round((peaks(be, [[531.5, 3000, 1.5]], 700) + noise()) * 100) / 100] }),
    };
    const sheetjs = workbook(big);
    const det = detectFormat(sniffOf('big.xlsx', sheetjs));
    expect(det.best?.format.id).toBe('cycler-spreadsheet');
    const loaded = await parseBytes('big.xlsx', sheetjs);
    expect(loaded.format.id).toBe('avantage-xlsx');
    expect(loaded.records[0]!.meta.regions).toEqual(expect.arrayContaining(['C1s', 'F1s', 'O1s']));
    // A workbook that is neither keeps the first, most telling error.
    const other = workbook({
      Data: [
        ['a', 'b'],
        [1, 2],
      ],
    });
    await expect(parseBytes('other.xlsx', other)).rejects.toMatchObject({ code: 'not-this-kind', message: expect.stringMatching(/cycler export layout/) });
  });
});

describe('depth profiles (several spectra per sheet, D8 > 1)', () => {
  const times = [0, 30, 60, 90];
  // SEI → Li metal: F 1s falls and Li⁰ (52.6 eV) grows with sputtering.
  const f1s = times.map((_, l) => (be: number) => peaks(be, [[685.0, 5200 / (1 + l), 1.7]], 900));
  const li1s = times.map(
    (_, l) => (be: number) =>
      peaks(
        be,
        [
          [55.6, 700 - 100 * l, 1.6],
          [52.6, 250 + 600 * l, 0.9],
        ],
        120,
      ),
  );
  const labelled = (labels: string[] | undefined) => ({
    'F1s Scan': spectrumSheet({ be0: 695.0, n: 151, y: f1s, labels }),
    'Li1s Scan': spectrumSheet({ be0: 62.0, n: 141, y: li1s, labels }),
    Titles: TITLES,
  });

  it('labelled columns: one spectrum per etch level with its etch time in s', async () => {
    const r = await parseXlsx(workbook(labelled(times.map((t) => `Etch Time ${t} s`))));
    expect(r.kind).toBe('xps-depth-profile');
    expect(r.meta.etchLevels).toBe(4);
    expect(r.meta.regions).toEqual(['F1s', 'Li1s']);
    expect(r.meta.etchTimeSource).toBe('file');
    expect(rowCount(r)).toBe(4 * (151 + 141));
    for (let l = 0; l < 4; l++) {
      const li = region(r, 'Li1s', l);
      expect(li.be).toHaveLength(141);
      expect(new Set(li.t)).toEqual(new Set([times[l]]));
      expect(at(li, 52.6)).toBe(li1s[l]!(52.6));
      expect(at(region(r, 'F1s', l), 685.0)).toBe(f1s[l]!(685.0));
    }
    expect(at(region(r, 'Li1s', 3), 52.6)).toBeCloseTo(120 + 2050 + peaks(52.6, [[55.6, 400, 1.6]], 0), 1);
    expect(findColumn(r, 'Depth')).toBeUndefined(); // no sputter rate stated: no depth
    expect(r.warnings.map((w) => w.code)).toEqual(['columns-as-etch-levels']);
    expect((r.meta.sheets as Record<string, unknown>[])[0]!.columnLabels).toEqual(['Etch Time 0 s', 'Etch Time 30 s', 'Etch Time 60 s', 'Etch Time 90 s']);
  });

  it('depth in nm only with a stated sputter rate (manifest option)', async () => {
    const r = await parseXlsx(workbook(labelled(times.map((t) => `${t} s`))), { sputterRateNmPerS: 0.05 });
    const depth = findColumn(r, 'Depth')!;
    expect(depth.unit).toBe('nm');
    const t = findColumn(r, 'Sputter Time')!.values;
    for (let i = 0; i < t.length; i += 50) expect(depth.values[i]).toBeCloseTo(t[i]! * 0.05, 12);
    expect(Math.max(...depth.values)).toBeCloseTo(4.5, 12);
    expect(r.meta.sputter).toEqual({ rateNmPerS: 0.05, source: 'manifest' });
  });

  it('unlabelled columns: levels numbered, no sputter time invented; times from the manifest when given', async () => {
    const bytes = workbook(labelled(undefined));
    const r = await parseXlsx(bytes);
    expect(r.kind).toBe('xps-depth-profile');
    expect(findColumn(r, 'Sputter Time')).toBeUndefined();
    expect(r.warnings.map((w) => w.code)).toEqual(['columns-as-etch-levels', 'etch-time-unstated']);
    expect(at(region(r, 'Li1s', 2), 52.6)).toBe(li1s[2]!(52.6));

    const m = await parseXlsx(bytes, { etchTimesS: [0, 20, 40, 60] });
    expect(region(m, 'F1s', 3).t[0]).toBe(60);
    expect(m.meta.etchTimeSource).toBe('manifest');

    const short = await thrown(parseXlsx(bytes, { etchTimesS: [0, 20] }));
    expect(short.code).toBe('invalid');
    expect(short.message).toMatch(/etchTimesS.*2 values.*etch level 2/);
    const wrong = await thrown(parseXlsx(bytes, { etchTimesS: 'fast' }));
    expect(wrong.code).toBe('invalid');
    const rate = await thrown(parseXlsx(bytes, { sputterRateNmPerS: -1 }));
    expect(rate.code).toBe('invalid');
  });

  it('a file-stated time wins over a different manifest time, with a warning', async () => {
    const r = await parseXlsx(workbook(labelled(times.map((t) => `Etch Time ${t} s`))), { etchTimesS: [0, 30, 60, 100] });
    expect(region(r, 'Li1s', 3).t[0]).toBe(90);
    expect(r.warnings.filter((w) => w.code === 'etch-time-conflict')).toHaveLength(2);
  });

  it('level labels (`Level n`) order the columns', async () => {
    const r = await parseXlsx(
      workbook({ 'Li1s Scan': spectrumSheet({ be0: 62.0, n: 141, y: [li1s[0]!, li1s[1]!], labels: ['Level 1', 'Level 0'] }), Titles: TITLES }),
    );
    expect(at(region(r, 'Li1s', 0), 52.6)).toBe(li1s[1]!(52.6));
    expect(at(region(r, 'Li1s', 1), 52.6)).toBe(li1s[0]!(52.6));
  });
});

describe('several samples, repeats, counts', () => {
  it('`C1s Scan B` with `Titles B` is a second sample; `C1s Scan (2)` a repeat of the same region', async () => {
    const r = await parseXlsx(
      workbook({
        'C1s Scan': spectrumSheet({ be0: 298, n: 201, y: [C1S] }),
        'C1s Scan (2)': spectrumSheet({ be0: 298, n: 201, y: [(be) => C1S(be) + 1] }),
        'C1s Scan B': spectrumSheet({ be0: 298, n: 201, y: [(be) => 2 * C1S(be)] }),
        Titles: TITLES,
        'Titles B': [['second electrode']],
      }),
    );
    expect(r.meta.regions).toEqual(['sample 1: C1s', 'sample 1: C1s #2', 'sample B: C1s']);
    expect(at(region(r, 'sample B: C1s'), 284.8)).toBe(2 * C1S(284.8));
    expect(at(region(r, 'sample 1: C1s #2'), 284.8)).toBe(C1S(284.8) + 1);
    expect(r.warnings.map((w) => w.code).sort()).toEqual(['duplicate-region', 'several-samples']);
    expect(r.meta.titles).toEqual([{ lines: TITLES.filter((x) => x.length).map((x) => x[0]) }, { sample: 'B', lines: ['second electrode'] }]);
  });

  it('`Counts` in the units row gives intensities in counts', async () => {
    const r = await parseXlsx(workbook({ 'C1s Scan': spectrumSheet({ be0: 298, n: 201, y: [C1S], unit: 'Counts' }), Titles: TITLES }));
    expect(findColumn(r, 'Intensity')!.unit).toBe('counts');
  });

  it('the header row is found wherever it is (row 14 in some exports)', async () => {
    const r = await parseXlsx(workbook({ 'C1s Scan': spectrumSheet({ be0: 298, n: 201, y: [C1S], headerRow: 13 }), Titles: TITLES }));
    expect(region(r, 'C1s').be).toHaveLength(201);
  });

  it('a sheet named like a region without a spectrum, and a peak row for it, are reported (missing region)', async () => {
    const r = await parseXlsx(
      workbook({
        'C1s Scan': spectrumSheet({ be0: 298, n: 201, y: [C1S] }),
        'N1s Scan': [['acquisition aborted']],
        'Peak Table': peakTable([
          { name: 'C1s', be: 284.8, fwhm: 1.3, height: 1800, area: 4000, at: 90, title: 'C1s Scan' },
          { name: 'N1s', be: 399.5, fwhm: 1.5, height: 90, area: 200, at: 10, title: 'N1s Scan' },
        ]),
        Titles: TITLES,
      }),
    );
    expect(r.meta.regions).toEqual(['C1s']);
    const w = r.warnings.map((x) => `${x.code}: ${x.message}`);
    expect(w.some((m) => /^sheet-skipped: sheet 'N1s Scan' is named like a spectrum/.test(m))).toBe(true);
    expect(w.some((m) => /^region-missing: .*'N1s'/.test(m))).toBe(true);
  });
});

describe('delimited text (one sheet saved as CSV / TXT)', () => {
  const grid = spectrumSheet({ be0: 298, n: 201, y: [C1S], fit: true });

  it('CSV: sniffed, region from the file name, same values as the workbook', async () => {
    const bytes = csv(grid);
    const si = sniffOf('C1s Scan.csv', bytes);
    expect(conf(avantageTextFormat.sniff(si))).toBe(0.95);
    expect(conf(avantageXlsxFormat.sniff(si))).toBe(0);
    expect(detectFormat(si).best?.format.id).toBe('avantage-csv');
    const r = await parseText(bytes, 'exports/C1s Scan.csv');
    expect(r.meta.regions).toEqual(['C1s']);
    const c = region(r, 'C1s');
    expect([c.be.length, c.be[0], c.be[200]]).toEqual([201, 278, 298]);
    expect(at(c, 284.8)).toBe(C1S(284.8));
  });

  it('semicolon with decimal commas, and tab-separated TXT', async () => {
    const a = await parseText(csv(grid, ';', true), 'C1s Scan.csv');
    expect(at(region(a, 'C1s'), 284.8)).toBe(C1S(284.8));
    const b = await parseText(csv(grid, '\t'), 'C1s Scan.txt');
    expect(at(region(b, 'C1s'), 290.0)).toBe(C1S(290.0));
  });

  it('bad number in a CSV: the line and column are named', async () => {
    const g = spectrumSheet({ be0: 298, n: 201, y: [C1S] });
    g[14 + 2 + 40]![2] = '12O5.3';
    const e = await thrown(parseText(csv(g), 'C1s Scan.csv'));
    expect(e.code).toBe('bad-number');
    expect(e.line).toBe(57);
    expect(e.message).toBe("C1s Scan.csv:57: cell C57: intensity is not a number [column 'C1s Scan:Counts / s'] (expected counts/s, found 12O5.3)");
  });

  it('a peak-table-only export is read as a quantification record', async () => {
    const pt = peakTable([
      { name: 'C1s C-C', be: 284.8, fwhm: 1.3, height: 1800, area: 4000, at: 60, title: 'C1s Scan' },
      { name: 'F1s LiF', be: 685.1, fwhm: 1.7, height: 5200, area: 9000, at: 40, title: 'F1s Scan' },
    ]);
    const bytes = csv(pt);
    expect(conf(avantageTextFormat.sniff(sniffOf('peaks.csv', bytes)))).toBe(0.85);
    const r = await parseText(bytes, 'peaks.csv');
    expect(r.kind).toBe('xps-quantification');
    expect(rowCount(r)).toBe(2);
    expect(Array.from(findColumn(r, 'Peak Binding Energy')!.values)).toEqual([284.8, 685.1]);
    expect(Array.from(findColumn(r, 'Peak Area')!.values)).toEqual([4000, 9000]);
    expect(findColumn(r, 'Region')!.levels).toEqual(['C1s', 'F1s']);
    expect(findColumn(r, 'Peak')!.levels).toEqual(['C1s C-C', 'F1s LiF']);
    // The fixture's table has peak-height atomic % only (PP At. %), no 'Atomic %' column.
    expect(Array.from(findColumn(r, 'Atomic Percent')!.values).every(Number.isNaN)).toBe(true);
    expect(Array.from(findColumn(r, 'Peak-Height Atomic Percent')!.values)).toEqual([60, 40]);
  });
});

describe('a table-only export through detection and fitting', () => {
  it('gives the SEI inorganic fraction from the peak areas (Scofield RSFs), flagged as not refitted', async () => {
    const { parseBytes } = await import('../../../src/io/load.js');
    const { fitRecord } = await import('../../../src/fit/index.js');
    const bytes = workbook({
      'Peak Table': peakTable([
        { name: 'C1s C-C', be: 284.8, fwhm: 1.3, height: 1800, area: 4000, at: 50, title: 'C1s Scan' },
        { name: 'F1s LiF', be: 685.1, fwhm: 1.7, height: 5200, area: 8860, at: 30, title: 'F1s Scan' },
        { name: 'O1s Li2O', be: 528.5, fwhm: 1.2, height: 900, area: 2930, at: 20, title: 'O1s Scan' },
      ]),
      Titles: TITLES,
    });
    const loaded = await parseBytes('LiCu_quant.xlsx', excelOrdered(bytes));
    expect(loaded.format.id).toBe('avantage-xlsx');
    const rec = loaded.records[0]!;
    expect(rec.kind).toBe('xps-quantification');
    const out = fitRecord(rec, {});
    expect(out.map((o) => o.fitter)).toEqual(['xps-quant-table']);
    // atoms: 4000/1, 8860/4.43, 2930/2.93 → inorganic (LiF + Li2O) 3000 of 7000.
    expect(out[0]!.parameters.find((p) => p.name === 'sei_inorganic_fraction' && !p.scope)!.value).toBeCloseTo(3 / 7, 12);
    expect(out[0]!.quality.ok).toBe(true);
    expect(out[0]!.quality.messages.join(' ')).toMatch(/areas \/ Scofield RSF/);
  });
});

describe('bad input → ParseError naming file, sheet, cell and problem', () => {
  const base = (): Record<string, Grid> => ({ 'C1s Scan': spectrumSheet({ be0: 298, n: 201, y: [C1S] }), Titles: TITLES });
  const edit = (f: (g: Grid) => void): Uint8Array => {
    const s = base();
    f(s['C1s Scan']!);
    return workbook(s);
  };

  it('text in the energy column', async () => {
    const e = await thrown(
      parseXlsx(
        edit((g) => {
          g[22]![0] = '291.4 eV?';
        }),
      ),
    );
    expect(e.code).toBe('bad-number');
    expect(e.file).toBe('LiCu_cycled.xlsx');
    expect(e.line).toBe(23);
    expect(e.column).toBe('C1s Scan:Binding Energy (E)');
    expect(e.message).toMatch(/sheet 'C1s Scan', cell A23: energy is not a number/);
    expect(e.found).toBe('291.4 eV?');
  });

  it('an empty intensity cell', async () => {
    const e = await thrown(
      parseXlsx(
        edit((g) => {
          g[40]![2] = null;
        }),
      ),
    );
    expect(e.code).toBe('bad-number');
    expect(e.message).toMatch(/sheet 'C1s Scan', cell C41: intensity is not a number/);
    expect(e.found).toBe('(empty cell)');
  });

  it('energy axis not monotonic', async () => {
    const e = await thrown(
      parseXlsx(
        edit((g) => {
          g[30]![0] = 297.0;
        }),
      ),
    );
    expect(e.code).toBe('invalid');
    expect(e.message).toMatch(/cell A31: energy axis is not strictly monotonic/);
    expect(e.line).toBe(31);
  });

  it('D7 point count disagrees with the rows (truncated export)', async () => {
    const e = await thrown(
      parseXlsx(
        edit((g) => {
          g.length = 16 + 150;
        }),
      ),
    );
    expect(e.code).toBe('truncated');
    expect(e.message).toMatch(/cell D7: the sheet states 201 data points but 150 rows are present/);
  });

  it('missing or unknown intensity unit; energy unit not eV', async () => {
    const a = await thrown(
      parseXlsx(
        edit((g) => {
          g[15]![2] = null;
        }),
      ),
    );
    expect([a.code, a.message]).toEqual(['bad-header', expect.stringMatching(/cell C16: intensity unit is missing or unknown/)]);
    const b = await thrown(
      parseXlsx(
        edit((g) => {
          g[15]![2] = 'a.u.';
        }),
      ),
    );
    expect(b.found).toBe('a.u.');
    const c = await thrown(
      parseXlsx(
        edit((g) => {
          g[15]![0] = 'keV';
        }),
      ),
    );
    expect([c.code, c.message]).toEqual(['bad-header', expect.stringMatching(/cell A16: energy unit row must say eV/)]);
  });

  it('D8 that is not a spectrum count', async () => {
    const e = await thrown(
      parseXlsx(
        edit((g) => {
          put(g, 7, 3, 2.5);
        }),
      ),
    );
    expect([e.code, e.message]).toEqual(['bad-number', expect.stringMatching(/cell D8: number of spectra in the sheet is not a positive integer/)]);
  });

  it('a gap in the data block followed by more rows', async () => {
    const e = await thrown(
      parseXlsx(
        edit((g) => {
          g[100] = [];
        }),
      ),
    );
    expect(e.code).toBe('invalid');
    expect(e.message).toMatch(/cell A101: the data block stops at an empty energy cell but more rows follow/);
  });

  it('a spectrum sheet without the Binding Energy (E) block', async () => {
    const e = await thrown(
      parseXlsx(
        edit((g) => {
          g[14]![0] = 'Energy';
        }),
      ),
    );
    expect(e.code).toBe('missing-column');
    expect(e.message).toMatch(/sheet 'C1s Scan': no 'Binding Energy \(E\)' header in column A/);
  });

  it('header but no data rows', async () => {
    const e = await thrown(
      parseXlsx(
        edit((g) => {
          g.length = 16;
          put(g, 6, 3, null);
        }),
      ),
    );
    expect(e.code).toBe('no-data');
  });

  it('sheets in counts/s and in counts cannot share a record', async () => {
    const s = base();
    s['F1s Scan'] = spectrumSheet({ be0: 695, n: 151, y: [F1S], unit: 'Counts' });
    const e = await thrown(parseXlsx(workbook(s)));
    expect(e.code).toBe('invalid');
    expect(e.message).toMatch(/sheet 'F1s Scan' is in counts but sheet 'C1s Scan' in counts\/s/);
  });

  it('a bad number in the peak table', async () => {
    const s = base();
    s['Peak Table'] = peakTable([{ name: 'C1s', be: 284.8, fwhm: 1.3, height: 1800, area: 4000, at: '38,2x', title: 'C1s Scan' }]);
    const e = await thrown(parseXlsx(workbook(s)));
    expect(e.code).toBe('bad-number');
    expect(e.column).toBe('Peak Table:PP At. %');
    expect(e.message).toMatch(/sheet 'Peak Table', cell R3: peak 'C1s': PP At. % is not a number/);
  });

  it('a workbook with only a peak table, and one with no Avantage sheet at all', async () => {
    const pt = await parseXlsx(
      workbook({ 'Peak Table': peakTable([{ name: 'C1s', be: 284.8, fwhm: 1.3, height: 1800, area: 4000, at: 100, title: 'C1s Scan' }]), Titles: TITLES }),
    );
    expect(pt.kind).toBe('xps-quantification');
    // A peak table with no quantity at all (no area, no atomic %) and no spectra: nothing to read.
    const bare = peakTable([{ name: 'C1s', be: 284.8, fwhm: 1.3, height: 1800, area: 4000, at: 100, title: 'C1s Scan' }]).map((row, i) =>
      i >= 2 && row ? row.map((v, c) => (c === 7 || c === 17 ? null : v)) : row,
    );
    const nothing = await thrown(parseXlsx(workbook({ 'Peak Table': bare, Titles: TITLES })));
    expect(nothing.code).toBe('no-data');
    expect(nothing.message).toMatch(/no atomic %, area or peak-height atomic % column/);
    const none = await thrown(parseXlsx(workbook({ Titles: TITLES, Notes: [['hello']] })));
    expect(none.code).toBe('not-this-kind');
    expect(none.found).toBe('sheets: Titles, Notes');
  });

  it('a broken workbook is a typed error from the sandboxed reader', async () => {
    const good = workbook(base());
    const e = await thrown(parseXlsx(good.subarray(0, good.length - 200)));
    expect(['invalid', 'truncated']).toContain(e.code);
  });
});

describe('sniffers do not steal other formats', () => {
  it('plain CSV, other XPS text exports and a cycler workbook score 0', () => {
    const plain = new TextEncoder().encode('Time,Voltage,Current\n0,3.1,0.001\n1,3.2,0.001\n');
    expect(conf(avantageTextFormat.sniff(sniffOf('a.csv', plain)))).toBe(0);
    // A flat table with Avantage's column names but without its units row is not the Avantage grid.
    const flat = new TextEncoder().encode('Binding Energy (E),Counts / s,Backgnd.\n290.0,1200,900\n289.9,1210,900\n');
    expect(conf(avantageTextFormat.sniff(sniffOf('flat.csv', flat)))).toBeLessThan(0.5);
    const casa = new TextEncoder().encode('1:s1:C 1s\n\tCharacteristic Energy eV\t1486.61\tAcquisition Time s\t1\nK.E.\tCounts\t\tB.E.\tCPS\n');
    expect(conf(avantageTextFormat.sniff(sniffOf('casa.txt', casa)))).toBe(0);
    const cycler = workbook({ 'Record-Tab': [['Record ID', 'Time', 'Voltage/V']], 'Cycle-Tab': [['Cycle']] });
    expect(conf(avantageXlsxFormat.sniff(sniffOf('landt.xlsx', cycler)))).toBe(0);
    expect(detectFormat(sniffOf('landt.xlsx', cycler)).best?.format.id).toBe('cycler-spreadsheet');
  });

  it.skipIf(!HAVE_REAL_DATA)('neither Avantage sniffer reaches 0.5 on any real file of any family', () => {
    const files = realFiles();
    expect(files.length).toBeGreaterThan(50);
    for (const f of files) {
      const bytes = readReal(f);
      const si = sniffOf(f.split('/').pop()!, bytes);
      for (const fmt of xpsFormats.filter((x) => x.id.startsWith('avantage'))) expect(conf(fmt.sniff(si)), `${fmt.id} on ${f}`).toBeLessThan(0.5);
    }
  });
});

describe('fuzz sample (the shared harness): mutated Avantage files give valid records or a ParseError', () => {
  const grid = spectrumSheet({ be0: 298, n: 201, y: [C1S], fit: true });
  const depth = {
    'Li1s Scan': spectrumSheet({ be0: 62, n: 141, y: [LI1S, (be) => 2 * LI1S(be)], labels: ['Etch Time 0 s', 'Etch Time 30 s'] }),
    'Peak Table': peakTable([{ name: 'Li1s', be: 55.6, fwhm: 1.6, height: 700, area: 1200, at: 100, title: 'Li1s Scan' }]),
    Titles: TITLES,
  };
  const text: Seed[] = [
    { id: 'synthetic:avantage.csv', name: 'C1s Scan.csv', bytes: csv(grid), format: avantageTextFormat },
    { id: 'synthetic:avantage-semicolon.csv', name: 'C1s Scan.csv', bytes: csv(grid, ';', true), format: avantageTextFormat },
  ];
  const books: Seed[] = [{ id: 'synthetic:avantage.xlsx', name: 'profile.xlsx', bytes: workbook(depth), format: avantageXlsxFormat }];

  it('avantage-csv', async () => {
    await fc.assert(
      fc.asyncProperty(planArb({ growWeight: 1 }), async (plan) => {
        const c = await runCase(text, plan);
        expect(failures(c), `${c.seed} ${JSON.stringify(plan)}`).toEqual([]);
      }),
      { seed: 20261205, numRuns: 16, endOnFailure: true },
    );
  });

  it('avantage-xlsx', async () => {
    await fc.assert(
      fc.asyncProperty(planArb({ growWeight: 1 }), async (plan) => {
        const c = await runCase(books, plan);
        expect(failures(c), `${c.seed} ${JSON.stringify(plan)}`).toEqual([]);
      }),
      { seed: 20261206, numRuns: 6, endOnFailure: true },
    );
  }, 60_000);
});
