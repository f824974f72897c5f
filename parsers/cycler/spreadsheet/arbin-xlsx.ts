/**
 * Arbin MITS Pro XLSX export (tested on PV7.0 Build 180508): a `Global_Info` sheet and one or more
 * `Channel_<ch>_<n>` sheets per channel (long tests continue on `_2`, `_3`, ...). Units in headers
 * (`Test_Time(s)`, `Current(A)`); charge current is positive as in our convention.
 */
import type { ParsedRecord, RecordMeta } from '../../../src/records/record.js';
import { ParseError } from '../../../src/records/errors.js';
import type { ColumnRule } from '../../text/columns.js';
import { cyclerRecord } from '../record.js';
import { isoFromUnix } from '../../text/datetime.js';
import { CYCLER, type SpreadsheetLayout } from './layout.js';
import { cellText, findHeaderRow, readSheetTable } from './columns.js';
import { excelSerialToUnix, type Sheet, type Workbook } from './workbook.js';

const CHANNEL_SHEET = /^Channel_(\d+)_(\d+)$/;
const HEADER_NEEDLES = ['Test_Time(s)', 'Voltage(V)', 'Current(A)'];

export const ARBIN_XLSX_RULES: readonly ColumnRule[] = [
  { match: ['Test_Time'], to: CYCLER.testTime, unit: 's', required: true },
  { match: ['Date_Time'], to: CYCLER.unixTime, parse: 'datetime' },
  { match: ['Step_Time'], to: CYCLER.stepTime, unit: 's' },
  { match: ['Voltage'], to: CYCLER.voltage, unit: 'V', required: true },
  { match: ['Current'], to: CYCLER.current, unit: 'A', required: true },
  { match: ['Cycle_Index'], to: CYCLER.cycle },
  { match: ['Step_Index'], to: CYCLER.stepIndex },
  { match: ['Data_Point'], to: CYCLER.recordIndex },
  { match: ['Charge_Capacity'], to: CYCLER.chargeCapacity, unit: 'Ah' },
  { match: ['Discharge_Capacity'], to: CYCLER.dischargeCapacity, unit: 'Ah' },
  { match: ['Charge_Energy'], to: CYCLER.chargeEnergy, unit: 'Wh' },
  { match: ['Discharge_Energy'], to: CYCLER.dischargeEnergy, unit: 'Wh' },
  { match: ['Internal Resistance', 'Internal_Resistance'], to: CYCLER.internalResistance, unit: 'ohm' },
];

function channelSheets(wb: Workbook): Map<number, Sheet[]> {
  const out = new Map<number, Sheet[]>();
  for (const s of wb.sheets) {
    const m = CHANNEL_SHEET.exec(s.name);
    if (!m) continue;
    const ch = Number(m[1]);
    const list = out.get(ch) ?? [];
    list.push(s);
    out.set(ch, list);
  }
  for (const list of out.values()) list.sort((a, b) => Number(CHANNEL_SHEET.exec(a.name)![2]) - Number(CHANNEL_SHEET.exec(b.name)![2]));
  return out;
}

/** Global_Info: a label row ("Channel", "Start DateTime", ...) followed by one row per channel. */
function globalInfo(wb: Workbook): Map<number, Record<string, unknown>> {
  const out = new Map<number, Record<string, unknown>>();
  const g = wb.sheets.find((s) => s.name === 'Global_Info');
  if (!g) return out;
  const h = findHeaderRow(g.rows, ['Channel', 'Start DateTime']);
  if (h < 0) return out;
  const labels = g.rows[h]!.map(cellText);
  for (const row of g.rows.slice(h + 1)) {
    const rec: Record<string, unknown> = {};
    labels.forEach((l, i) => l && (rec[l] = row[i]));
    if (typeof rec.Channel === 'number') out.set(rec.Channel, rec);
  }
  return out;
}

export const arbinXlsxLayout: SpreadsheetLayout = {
  id: 'arbin-xlsx',
  title: 'Arbin MITS Pro XLSX export',
  match(wb) {
    const ch = wb.sheets.filter((s) => CHANNEL_SHEET.test(s.name));
    if (!ch.length) return 0;
    return ch.some((s) => findHeaderRow(s.rows, HEADER_NEEDLES, 3) >= 0) ? 0.95 : 0.3;
  },
  toRecords(path, wb) {
    const info = globalInfo(wb);
    const out: ParsedRecord[] = [];
    for (const [ch, sheets] of [...channelSheets(wb)].sort((a, b) => a[0] - b[0])) {
      const first = sheets[0]!;
      const h = findHeaderRow(first.rows, HEADER_NEEDLES, 3);
      if (h < 0) {
        throw new ParseError({
          file: path,
          code: 'bad-header',
          line: 1,
          column: first.name,
          message: `sheet '${first.name}' has no Arbin data header`,
          expected: HEADER_NEEDLES.join(', '),
          found: (first.rows[0] ?? []).map(cellText).join(', '),
        });
      }
      const t = readSheetTable({ path, sheet: first, headerRow: h, rules: ARBIN_XLSX_RULES, continuation: sheets.slice(1), date1904: wb.date1904 });
      if (t.rows === 0) throw new ParseError({ file: path, code: 'no-data', column: first.name, message: `sheet '${first.name}' has a header but no rows` });
      const g = info.get(ch);
      const start =
        typeof g?.['Start DateTime'] === 'number' ? isoFromUnix(excelSerialToUnix(g['Start DateTime'] as number, wb.date1904)).replace(/Z$/, '') : undefined;
      const text = (k: string): string | undefined => (typeof g?.[k] === 'string' && (g[k] as string).trim() ? (g[k] as string).trim() : undefined);
      const meta: RecordMeta = {
        instrument: 'Arbin',
        software: 'MITS Pro',
        ...(text('Software Version') ? { softwareVersion: text('Software Version') } : {}),
        channel: String(ch),
        ...(start ? { startTime: start } : {}),
        ...(text('Schedule File Name') ? { schedule: text('Schedule File Name') } : {}),
        ...(text('Creator') ? { creator: text('Creator') } : {}),
        ...(text('Item ID') ? { cellId: text('Item ID') } : {}),
        sheets: sheets.map((s) => s.name),
        layout: 'arbin-xlsx',
      };
      out.push(cyclerRecord(path, t.columns, meta, t.warnings));
    }
    return out;
  },
};
