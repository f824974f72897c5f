/**
 * Thermo Scientific Avantage spreadsheet exports (K-Alpha, Nexsa, ESCALAB, Theta Probe), declared as
 * data: sheet names, where things sit on a spectrum sheet, header names and their synonyms. The
 * reader (`avantage.ts`) holds no header text of its own.
 *
 * Where the layout comes from. Thermo publishes no description of the export and no public sample
 * workbook could be read (KherveFitting's `DATA/UKSAF/Hard_carbon_Thermo.xlsx` exists but is stored
 * as binary only). Every fact below is taken from public code that reads real Avantage exports, or
 * from test fixtures their authors built to mimic real files:
 *
 *  [PEL] CINF/PyExpLabSys, PyExpLabSys/file_parsers/avantage_xlsx_export.py — a spectrum sheet has
 *        `Acquisition Parameters :` in H1; D7 holds the number of data points; row 16 holds units,
 *        row 15 series names (column C unnamed = the counts); the peak-table sheet has
 *        `Peak Table : ` in A1.
 *  [KF]  gkerherve/KherveFitting libraries/Open.py and KherveFitting/KherveFitting
 *        libraries/FileMenu/Open.py (`import_avantage_file_direct`, `_xls`,
 *        `extract_peak_fitting_from_peak_table`) — an Avantage workbook has a `Titles` sheet
 *        (`Titles B` … for further samples, whose spectrum sheets end in ` B`); spectrum sheets are
 *        named `<core> Scan`, `Survey`, `<core> Scan (2)`, valence / Fermi / cut-off scans; the data
 *        start on the row after the `eV` cell in column A; column A is binding energy, column C the
 *        counts; D8 > 1 means the sheet holds that many spectra in columns C, D, E …; `Peak Fit Table :
 *        <sheet>` blocks list Ref, Name, Peak BE, Height CPS, Area (P) CPS.eV, FWHM, L/G Mix with a
 *        constraint row under each peak; .xls exports exist besides .xlsx.
 *  [KN]  gkerherve/KherveNoise khervenoise/vendors/avantage.py and tests/test_vendors_thermo.py —
 *        fixture "a minimal Avantage spectrum sheet": H1 `Acquisition Parameters :`, H3/I3
 *        `Parameter`, H4.. name / I4.. value (`Number of Scans`, `Analyser Mode` = `CAE : Pass Energy
 *        20.0 eV`), D8 = number of spectra, A15 `Binding Energy (E)`, A16 `eV`, C16 `Counts / s`,
 *        data from row 17 with binding energy falling; the real files it is checked against have
 *        sheets `Survey`, `O1s Scan`, …, `Peak Table`, `Titles`, `Sheet1` and `Source Gun Type` =
 *        `Al K Alpha`.
 *  [XF]  an "xpsfig" package (parser.py and its test; found through the code index, repository not
 *        named there) — rows 1–14 metadata (H/I parameter pairs), row 15 names: A `Binding Energy (E)`,
 *        C raw counts, then one column per fitted component, `Backgnd.`, `Envelope`, `Residuals`;
 *        row 16 units; row 17 on data; B and D empty; A9 the source `.VGD` path; fitted channels start
 *        with a literal 0; peak table header row 2 with ` `, `Name `, `Start BE`, `Peak BE`, `End BE`,
 *        `Height CPS`, `FWHM eV`, `Area (P) CPS.eV`, `Area (N) TPP-2M`, `Weight %`, `Peak Type`, `Q `,
 *        `SF ALTHERMO1`, `TXFN `, `Backgnd `, `PP Height CPS`, `PP Hgt (N) `, `PP At. % `, `Title `,
 *        `File Name ` (note the trailing spaces), followed by a `Chemical State Assessment :` block;
 *        `Titles` A1 time stamp, A3 workbook path, A5 title, A7 `Data Files :`.
 *  [XT]  an "xpsfit" test (importer, code index, repository not named) — H1 `Acquisition Parameters`,
 *        H4 `Total acquisition time` = `8 mins 22.5 secs`, H5 `Number of Scans`, A15/A16/C16 as [KN],
 *        E15 `Backgnd.`; the same layout in legacy .xls.
 *  [NB]  a Jupyter notebook reading Avantage .xls exports (code index, repository not named) —
 *        `Experiment Descriptions :` in row 1 with the description two rows below; the header row is
 *        found by searching column A for `Binding Energy (E)`.
 *  [DS]  an XPSDataSet script (code index, repository not named) — header row 14 in its files (so the
 *        row is searched for, never fixed); `Peak Table` parsed with the header on row 2, `Peak BE`.
 *
 * Not documented anywhere we could find, and therefore ASSUMED (each marked `assumed` below): how a
 * multi-spectrum sheet labels its columns (etch time or level), parameter names other than those
 * quoted above, a kinetic-energy axis header, and any column of the peak table naming an etch level.
 */

/** 0-based cell position. */
export interface CellPos {
  readonly row: number;
  readonly col: number;
}

/** Sheets of a workbook, by name. */
export const AVANTAGE_SHEETS = {
  /** `Titles`, `Titles B` … [KF][XF]. Group 1 = sample suffix. */
  titles: /^Titles(?:\s+([A-Za-z]))?$/,
  /** `Peak Table` [PEL][KN][DS]. */
  peakTable: /^Peak Table(?:\s+([A-Za-z]))?$/i,
  /** Excel's default empty sheet, present in real exports [KN]. */
  blank: /^Sheet\d*$/i,
  /** Names of sheets that should hold a spectrum [KF]: used only to warn when such a sheet holds none. */
  spectrumLike: /\bscan\b|survey|valence|\bvb\b|fermi|cut-?\s?off/i,
} as const;

/** A spectrum sheet. */
export const AVANTAGE_SPECTRUM_SHEET = {
  /** H1 [PEL][KN][XF][XT] (the colon is absent in [XT]). */
  signature: { at: { row: 0, col: 7 } as CellPos, text: /^acquisition parameters\s*:?$/i },
  /** Parameter name in column H, value in I (and sometimes J) [KF][KN][XF]; rows 3–16 are searched. */
  parameters: { nameCol: 7, valueCols: [8, 9] as const, firstRow: 1, lastRow: 15, skipNames: /^(parameters?|acquisition parameters\s*:?)$/i },
  /** D7: number of data points [PEL]. Checked against the rows read when it is a positive integer. */
  pointCount: { row: 6, col: 3 } as CellPos,
  /** D8: number of spectra in the sheet, columns C, D, E … [KF][KN]. Absent or 1 for one spectrum. */
  spectrumCount: { row: 7, col: 3 } as CellPos,
  /** The `.VGD` file the spectrum came from, in column A of the metadata rows [XF]. */
  sourceFile: { col: 0, lastRow: 13, pattern: /\.vgd\s*$/i },
  /** `Experiment Descriptions :` somewhere in row 1, the text two rows below [NB]. */
  experimentDescription: { row: 0, below: 2, title: /^experiment descriptions?\s*:?$/i },
  /** Column A header of the data block, searched in the first rows [NB][KF][DS]. */
  axis: {
    col: 0,
    searchRows: 80,
    binding: ['Binding Energy (E)', 'Binding Energy'],
    /** assumed: no public export with a kinetic axis was found. */
    kinetic: ['Kinetic Energy (E)', 'Kinetic Energy'],
    /** The units row (next row) says `eV` in column A [KN][XT]; KherveFitting finds the data by it [KF]. */
    unit: /^ev$/i,
  },
  /** First intensity column: C [PEL][KF][KN][XF]. */
  firstIntensityCol: 2,
  /** Units-row text of an intensity column → canonical intensity unit. */
  intensityUnits: [
    { match: /^counts\s*\/\s*s$/i, unit: 'counts/s' }, // [KN][XT][XF]
    { match: /^(cps|c\/s|counts per second)$/i, unit: 'counts/s' }, // assumed synonyms
    { match: /^counts$/i, unit: 'counts' }, // assumed (Avantage can display counts)
  ] as const,
  /** Series after the raw counts that are Avantage's own fit: never read as data [XF]. */
  fitSeries: [/^backgnd\.?$/i, /^background$/i, /^envelope$/i, /^residuals?$/i],
  /** Cell texts that mean "no value" in an otherwise numeric cell (Avantage writes ` ` in empty cells [KN][XF]). */
  blank: /^\s*$/,
} as const;

/**
 * Labels of the columns of a multi-spectrum sheet (row of `Binding Energy (E)`). ASSUMED: no public
 * export shows them. A label is read only when it states a time with its unit or a level number;
 * anything else leaves the time unstated (never guessed).
 */
export const AVANTAGE_LEVEL_LABELS = {
  /** `Etch Time 30 s`, `Etch Time = 30.0 s`, `30 s`, `0.5 min`, `Etch Time (s) 30`. */
  time: [
    /^(?:(?:total\s+)?etch\s*time\s*[:=]?\s*)?(\d+(?:\.\d*)?)\s*(s|sec|secs|seconds?|min|mins|minutes?)\s*$/i,
    /^(?:total\s+)?etch\s*time\s*\((s|min)\)\s*[:=]?\s*(\d+(?:\.\d*)?)\s*$/i,
  ],
  /** `Level 3`, `Etch Level 3`, `Level: 3`. */
  level: /^(?:etch\s*)?level\s*[:#=]?\s*(\d+)\s*$/i,
} as const;

/**
 * Parameter names (column H) → meta keys. `documented` names appear in the sources above; the others
 * are assumed synonyms and are read only if a file has them. Every parameter is also kept verbatim.
 */
export const AVANTAGE_PARAMETERS = {
  scans: { names: ['Number of Scans'], documented: true }, // [KN][XT][XF]
  sourceGun: { names: ['Source Gun Type'], documented: true }, // [KN][XF]
  analyserMode: { names: ['Analyser Mode', 'Analyzer Mode'], documented: true }, // [KN]
  totalAcquisitionTime: { names: ['Total acquisition time', 'Total Acquisition Time'], documented: true }, // [XT]
  dwellTime: { names: ['Dwell Time', 'Dwell time', 'Dwell'], documented: false },
  stepSize: { names: ['Energy Step Size', 'Step Size'], documented: false },
  spotSize: { names: ['Spot Size'], documented: false },
  lensMode: { names: ['Lens Mode'], documented: false },
  excitationEnergy: { names: ['Source Energy', 'Excitation Energy', 'Photon Energy'], documented: false },
  etchTime: { names: ['Etch Time', 'Etch Time (s)', 'Total Etch Time'], documented: false },
  etchLevel: { names: ['Etch Level'], documented: false },
} as const;

/** `CAE : Pass Energy 20.0 eV` [KN]. */
export const PASS_ENERGY = /pass\s*energy\s*[:=]?\s*([+-]?\d+(?:\.\d*)?)\s*ev/i;
/** `8 mins 22.5 secs` [XT]: hours / minutes / seconds parts. */
export const DURATION_PART = /([+-]?\d+(?:\.\d*)?)\s*(h|hrs?|hours?|m|mins?|minutes?|s|secs?|seconds?)\b/gi;

/** Sheet name → region. Applied in order; the raw sheet name is kept in meta. */
export const AVANTAGE_SHEET_NAME = {
  /** `C1s Scan (2)`: a repeated acquisition [KF]. Read as the same region (assemble names it `C1s #2`). */
  repeat: /\s*\((\d+)\)\s*$/,
  /** `C1s Scan B`: spectra of a further sample [KF]; only on names that look like spectra. */
  sample: /^(.*\S)\s+([A-Za-z])$/,
  /** `XPS Survey`, `Survey Scan`, `Survey` [KF][XF]. */
  survey: /^(?:xps\s+)?survey(?:\s+scan)?$/i,
  /** `C1s Scan`, `Zn2p Scan_0` [KF][XF] → `C1s`, `Zn2p`. */
  scan: /^(.*?\S)\s+scan(?:_\d+)?$/i,
} as const;

/** Peak table: the block title in column A, the header row, the columns. */
export const AVANTAGE_PEAK_TABLE = {
  /** `Peak Table : ` [PEL][XF]; `Peak Fit Table : O1s Scan` [KF]. Group 1 = what follows the colon. */
  title: /^peak(?:\s+fit)?\s+table\s*:\s*(.*)$/i,
  /** The header row has both of these (normalised: trimmed, single spaces, lower case) [XF][DS]. */
  headerNeeds: ['name', 'peak be'],
  /** Column-A text that ends a block: the chemical-state block [XF] or anything but a Ref letter [KF]. */
  endOfBlock: /^chemical state/i,
  refLetter: /^[A-Z]{1,2}$/,
  /** Cell texts read as "no value" in a numeric column (blank, dashes). */
  empty: /^\s*(?:-+|–|—)?\s*$/,
  /** key → header names (normalised) or patterns; `numeric` columns must hold numbers. */
  columns: {
    name: { names: ['name'], numeric: false }, // [XF][KF][DS]
    startBeEv: { names: ['start be'], numeric: true }, // [XF]
    peakBeEv: { names: ['peak be'], numeric: true }, // [XF][KF][DS]
    endBeEv: { names: ['end be'], numeric: true }, // [XF]
    heightCps: { names: ['height cps'], numeric: true }, // [XF][KF]
    fwhmEv: { names: ['fwhm ev', 'fwhm'], numeric: true }, // [XF][KF]
    areaCpsEv: { names: ['area (p) cps.ev'], numeric: true }, // [XF][KF]
    areaNormalised: { names: [/^area \(n\)/], numeric: true }, // [XF] `Area (N) TPP-2M`
    weightPercent: { names: ['weight %'], numeric: true }, // [XF]
    atomicPercent: { names: ['atomic %', 'at. %', 'at %'], numeric: true }, // [XF parser synonyms]
    peakHeightAtomicPercent: { names: ['pp at. %', 'pp at %'], numeric: true }, // [XF] peak-height quantification
    sensitivityFactor: { names: [/^sf\b/], numeric: true }, // [XF] `SF ALTHERMO1`
    lgMixPercent: { names: [/^l\/g mix/], numeric: true }, // [KF]
    peakType: { names: ['peak type'], numeric: false }, // [XF]
    title: { names: ['title'], numeric: false }, // [XF] the spectrum sheet the peak belongs to
    fileName: { names: ['file name'], numeric: false }, // [XF]
    etchLevel: { names: ['etch level', 'level'], numeric: true }, // assumed
    etchTimeS: { names: ['etch time', 'etch time (s)'], numeric: true }, // assumed
  },
} as const;

export type PeakColumnKey = keyof typeof AVANTAGE_PEAK_TABLE.columns;

/** Delimited-text variant: one spectrum sheet (or the peak table) saved as CSV / TXT. */
export const AVANTAGE_TEXT = {
  delimiters: ['\t', ',', ';'],
  /** Column A of the header row, possibly quoted (one line). */
  axisLine: /^[ \t]*"?(?:binding|kinetic) energy \(e\)"?[ \t]*(?:[,;\t]|$)/i,
  /** The units row under it: `eV` in column A. */
  unitsLine: /^[ \t]*"?ev"?[ \t]*(?:[,;\t]|$)/i,
  unitWord: /counts \/ s/i,
  signature: /acquisition parameters\s*:/i,
  peakTitle: /(^|[\r\n])[ \t]*"?peak(?: fit)? table\s*:/i,
  peakHeader: /peak be/i,
} as const;
