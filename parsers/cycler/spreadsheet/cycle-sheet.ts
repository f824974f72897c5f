/**
 * Workbooks that hold only a cycler's per-cycle or per-step sheet (no record/detail sheet): the Neware
 * BTSDA `Cycle_<u>_<d>_<ch>` sheet (or its `Statis_…` step sheet), Landt/LANHE `Cycle-Tab` (or
 * `Step-Tab`), Arbin `Statistics…` / `StatisticByCycle…` sheets. Read as a `cycle-summary` record.
 * Scored below every time-series layout, so a workbook with a record sheet is still read as a time series.
 */
import type { ParsedRecord, RecordMeta } from '../../../src/records/record.js';
import { ParseError } from '../../../src/records/errors.js';
import { cycleSummaryRecord, isCycleHeader, isStepHeader, stepTableToCycleSummary } from '../cycle-table.js';
import type { SpreadsheetLayout } from './layout.js';
import { cellText } from './columns.js';
import { newareDirection } from './neware-xls.js';
import { landtDirection } from './landt-xlsx.js';
import type { Sheet, Workbook } from './workbook.js';

const CYCLE_SHEET = /^(Cycle(_\d+)+|Cycle-Tab|Cycle|Statistics?.*|StatisticByCycle.*)$/i;
const STEP_SHEET = /^(Statis(_\d+)+|Step-Tab|Step)$/i;

function headerRow(s: Sheet, test: (h: string[]) => boolean): number {
  for (let i = 0; i < Math.min(6, s.rows.length); i++) if (test((s.rows[i] ?? []).map(cellText).filter(Boolean))) return i;
  return -1;
}

function vendor(s: Sheet): { instrument: string; software: string } {
  if (/^(Cycle|Statis)_\d/i.test(s.name)) return { instrument: 'Neware BTS', software: 'BTSDA' };
  if (/-Tab$/i.test(s.name)) return { instrument: 'Landt/LANHE', software: 'LANDdt' };
  if (/^Statistic/i.test(s.name)) return { instrument: 'Arbin', software: 'MITS Pro' };
  return { instrument: 'cycler', software: 'workbook export' };
}

/** Every per-cycle (else per-step) sheet of the workbook as cycle-summary records. */
export function cycleSheetRecords(path: string, wb: Workbook): ParsedRecord[] {
  const out: ParsedRecord[] = [];
  for (const s of wb.sheets.filter((x) => CYCLE_SHEET.test(x.name))) {
    const h = headerRow(s, isCycleHeader);
    if (h < 0) continue;
    const meta: RecordMeta = { ...vendor(s), sheets: [s.name], layout: 'cycle-sheet' };
    out.push(
      cycleSummaryRecord({
        path,
        headers: s.rows[h]!.map(cellText),
        rows: s.rows.slice(h + 1),
        firstLine: h + 2,
        meta,
        layer: `${meta.instrument} per-cycle sheet '${s.name}'`,
      }),
    );
  }
  if (out.length) return out;
  for (const s of wb.sheets.filter((x) => STEP_SHEET.test(x.name))) {
    const h = headerRow(s, isStepHeader);
    if (h < 0) continue;
    const v = vendor(s);
    const meta: RecordMeta = { ...v, sheets: [s.name], layout: 'cycle-sheet' };
    out.push(
      stepTableToCycleSummary({
        path,
        headers: s.rows[h]!.map(cellText),
        rows: s.rows.slice(h + 1),
        firstLine: h + 2,
        meta,
        direction: v.software === 'LANDdt' ? landtDirection : newareDirection,
        layer: `${v.instrument} per-step sheet '${s.name}'`,
      }),
    );
  }
  return out;
}

export const cycleSheetLayout: SpreadsheetLayout = {
  id: 'cycle-sheet',
  title: 'Per-cycle / per-step sheet only (Neware Cycle_/Statis_, Landt Cycle-Tab/Step-Tab, Arbin Statistics)',
  match(wb) {
    const c = wb.sheets.some((s) => CYCLE_SHEET.test(s.name) && headerRow(s, isCycleHeader) >= 0);
    const st = wb.sheets.some((s) => STEP_SHEET.test(s.name) && headerRow(s, isStepHeader) >= 0);
    return c ? 0.6 : st ? 0.55 : 0;
  },
  toRecords(path, wb) {
    const recs = cycleSheetRecords(path, wb);
    if (!recs.length)
      throw new ParseError({
        file: path,
        code: 'not-this-kind',
        message: 'no per-cycle or per-step sheet with a cycle and capacity header',
        found: wb.sheets.map((s) => s.name).join(', '),
      });
    return recs;
  },
};
