/**
 * One FormatParser for cycler workbooks (.xlsx / .xls) that dispatches on the workbook's layout.
 *
 * Why one parser and not one per vendor: an .xlsx keeps its sheet names inside the compressed
 * xl/workbook.xml, so the sniff window cannot tell Arbin from Landt from Neware; per-vendor parsers
 * would all tie at the same confidence. The layout is decided after the (sandboxed) read, from sheet
 * names and header rows, and recorded in `meta.layout`.
 */
import type { ParsedRecord } from '../../../src/records/record.js';
import { ParseError } from '../../../src/records/errors.js';
import type { FormatParser, ParseInput, SniffInput } from '../../types.js';
import type { SpreadsheetLayout } from './layout.js';
import { arbinXlsxLayout } from './arbin-xlsx.js';
import { newareXlsLayout } from './neware-xls.js';
import { landtXlsxLayout } from './landt-xlsx.js';
import { cycleSheetLayout } from './cycle-sheet.js';
import { isOle2, readWorkbook, resolveReadWorkbookOptions } from './workbook.js';
import { cellText } from './columns.js';
import { isZip, zipNamesInHead } from './zip.js';

export const SPREADSHEET_LAYOUTS: readonly SpreadsheetLayout[] = [arbinXlsxLayout, newareXlsLayout, landtXlsxLayout, cycleSheetLayout];

/** Sheet names of the known layouts, as they appear (uncompressed) in a BIFF8 .xls head. */
const XLS_SHEET_HINTS = [/Detail_\d+_\d+/, /Statis_\d+_\d+/, /Cycle_\d+_\d+/, /Channel_\d+_\d+/, /Global_Info/, /Record-Tab/, /Cycle-Tab/, /Statistic/];
const OLE_WORKBOOK = 'W\x00o\x00r\x00k\x00b\x00o\x00o\x00k\x00';

export function sniffCyclerSpreadsheet(input: SniffInput): number {
  if (isZip(input.head)) {
    const names = zipNamesInHead(input.headText);
    if (names.some((n) => n.startsWith('xl/'))) return 0.6;
    return 0;
  }
  if (isOle2(input.head)) {
    if (XLS_SHEET_HINTS.some((re) => re.test(input.headText))) return 0.8;
    return input.headText.includes(OLE_WORKBOOK) ? 0.5 : 0.3;
  }
  return 0;
}

export async function parseCyclerSpreadsheet({ path, bytes, options }: ParseInput): Promise<ParsedRecord[]> {
  const wb = await readWorkbook(path, bytes, resolveReadWorkbookOptions(options));
  const scored = SPREADSHEET_LAYOUTS.map((l) => ({ l, s: l.match(wb) })).sort((a, b) => b.s - a.s);
  const best = scored[0];
  if (!best || best.s < 0.5) {
    const describe = wb.sheets.map((s) => `${s.name} [${(s.rows[0] ?? []).map(cellText).filter(Boolean).slice(0, 6).join(', ')}]`).join('; ');
    throw new ParseError({
      file: path,
      code: 'not-this-kind',
      message: 'workbook does not match a known cycler export layout',
      expected: SPREADSHEET_LAYOUTS.map((l) => l.title).join(' | '),
      found: `sheets: ${describe || '(none)'}`,
    });
  }
  return best.l.toRecords(path, wb);
}

export const cyclerSpreadsheet: FormatParser = {
  id: 'cycler-spreadsheet',
  family: 'cycler',
  kind: 'cycler',
  title: 'Cycler workbook export (Arbin MITS Pro XLSX, Neware BTSDA XLS/XLSX, Landt LANDdt XLSX; per-cycle/per-step sheets)',
  version: '1.1.0',
  extensions: ['.xlsx', '.xls'],
  sniff: sniffCyclerSpreadsheet,
  parse: parseCyclerSpreadsheet,
};
