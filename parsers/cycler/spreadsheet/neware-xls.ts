/**
 * Neware BTSDA 7 XLS/XLSX export: `Info`, `Cycle_<u>_<d>_<ch>`, `Statis_…` and `Detail_…` sheets
 * (tested on a BIFF8 .xls). The time series is `Detail_*` (long tests continue on further Detail
 * sheets): `Cur(mA)` signed (discharge negative), `CapaCity(mAh)`/`Energy(mWh)` restart every step,
 * `Relative Time(h:min:s.ms)` is the step time, `Absolute Time` the wall clock.
 * Test Time is taken from Absolute Time (the Detail rows are sparse, so summing step times would lose
 * the time between a step's last logged row and its end).
 */
import type { RecordMeta } from '../../../src/records/record.js';
import { ParseError } from '../../../src/records/errors.js';
import type { ColumnRule } from '../../text/columns.js';
import { cyclerRecord } from '../record.js';
import { CYCLER, STEP_ENERGY, countChangesOf, splitByStepType, type SpreadsheetLayout, type StepDirection } from './layout.js';
import { cellText, findHeaderRow, getColumn, readSheetTable, setColumn } from './columns.js';
import type { Sheet, Workbook } from './workbook.js';

const HEADER_NEEDLES = ['Status', 'Voltage(V)'];

export const NEWARE_XLS_RULES: readonly ColumnRule[] = [
  { match: ['Record Index', 'Record ID', 'DataPoint'], to: CYCLER.recordIndex },
  { match: ['Status', 'Step Type'], to: CYCLER.stepType, parse: 'category', required: true },
  { match: ['Cycle', 'Cycle Index', 'Cycle ID'], to: CYCLER.cycle },
  { match: ['Step', 'Step Index', 'Step ID'], to: CYCLER.stepIndex },
  { match: ['Cur', 'Current'], to: CYCLER.current, unit: 'mA', required: true },
  { match: ['Voltage'], to: CYCLER.voltage, unit: 'V', required: true },
  { match: ['CapaCity', 'Capacity'], to: CYCLER.stepCapacity, unit: 'mAh' },
  { match: ['Energy'], to: STEP_ENERGY, unit: 'mWh' },
  { match: ['Relative Time', 'Time'], to: CYCLER.stepTime, parse: 'duration' },
  { match: ['Absolute Time', 'Realtime', 'Date'], to: CYCLER.unixTime, parse: 'datetime', required: true },
];

/** BTSDA status names → direction; the names come from the same STATUS_CODES family as .nda. */
export function newareDirection(status: string): StepDirection | undefined {
  const s = status.toLowerCase();
  if (/dchg|discharge/.test(s)) return 'discharge';
  if (/chg|charge/.test(s)) return 'charge';
  if (/^(rest|pause|ocv|control|cycle|end|stop)$/.test(s)) return 'rest';
  return undefined;
}

function detailSheets(wb: Workbook): Sheet[] {
  return wb.sheets.filter((s) => /^Detail(_\d+)+$/.test(s.name) || /^record$/i.test(s.name));
}

function info(wb: Workbook): Record<string, string> {
  const s = wb.sheets.find((x) => x.name === 'Info');
  const out: Record<string, string> = {};
  if (!s) return out;
  for (const row of s.rows.slice(0, 6)) {
    const t = cellText(row[0]);
    const m = /^Cycle Mode:(.*)$/.exec(t);
    if (m) out['Cycle Mode'] = m[1]!.trim();
    if (/^Process Name:?$/.test(t)) out['Process Name'] = cellText(row[1]);
  }
  const h = findHeaderRow(s.rows, ['Equipment', 'Channel']);
  if (h >= 0) {
    const labels = s.rows[h]!.map(cellText);
    const vals = s.rows[h + 1] ?? [];
    labels.forEach((l, i) => l && cellText(vals[i]) && (out[l] = cellText(vals[i])));
  }
  return out;
}

export const newareXlsLayout: SpreadsheetLayout = {
  id: 'neware-xls',
  title: 'Neware BTSDA 7 XLS/XLSX export',
  match(wb) {
    const d = detailSheets(wb);
    if (!d.length) return 0;
    return d.some((s) => findHeaderRow(s.rows, HEADER_NEEDLES, 3) >= 0) ? 0.95 : 0.3;
  },
  toRecords(path, wb) {
    const sheets = detailSheets(wb);
    const first = sheets[0]!;
    const h = findHeaderRow(first.rows, HEADER_NEEDLES, 3);
    if (h < 0) {
      throw new ParseError({
        file: path,
        code: 'bad-header',
        line: 1,
        column: first.name,
        message: `sheet '${first.name}' has no Neware detail header`,
        expected: HEADER_NEEDLES.join(', '),
        found: (first.rows[0] ?? []).map(cellText).join(', '),
      });
    }
    const t = readSheetTable({
      path,
      sheet: first,
      headerRow: h,
      rules: NEWARE_XLS_RULES,
      continuation: sheets.slice(1),
      date1904: wb.date1904,
      dateOrder: 'ymd',
    });
    if (t.rows === 0) throw new ParseError({ file: path, code: 'no-data', column: first.name, message: `sheet '${first.name}' has a header but no rows` });
    const cols = t.columns;
    const unix = getColumn(cols, CYCLER.unixTime.name)!.values;
    const t0 = unix[0]!;
    setColumn(cols, { ...CYCLER.testTime, values: Float64Array.from(unix, (u) => Math.round((u - t0) * 1000) / 1000) });
    const stepType = getColumn(cols, CYCLER.stepType.name)!;
    const stepCap = getColumn(cols, CYCLER.stepCapacity.name);
    if (stepCap) {
      const [c, d] = splitByStepType(Float64Array.from(stepCap.values), stepType, newareDirection, t.warnings);
      setColumn(cols, { ...CYCLER.chargeCapacity, values: c });
      setColumn(cols, { ...CYCLER.dischargeCapacity, values: d });
    }
    const stepEn = getColumn(cols, STEP_ENERGY.name);
    if (stepEn) {
      const [c, d] = splitByStepType(Float64Array.from(stepEn.values), stepType, newareDirection, []);
      setColumn(cols, { ...CYCLER.chargeEnergy, values: c });
      setColumn(cols, { ...CYCLER.dischargeEnergy, values: d });
    }
    const cyc = getColumn(cols, CYCLER.cycle.name);
    const si = getColumn(cols, CYCLER.stepIndex.name);
    if (si) setColumn(cols, { ...CYCLER.step, values: cyc ? countChangesOf(cyc.values, si.values) : countChangesOf(si.values) });
    const i = info(wb);
    const channel = [i.Equipment, i.Unit, i.Channel].every(Boolean) ? `${i.Equipment}-${i.Unit}-${i.Channel}` : undefined;
    const meta: RecordMeta = {
      instrument: 'Neware BTS',
      software: 'BTSDA',
      ...(channel ? { channel } : {}),
      ...(i['Start time'] ? { startTime: i['Start time'].replace(' ', 'T') } : {}),
      ...(i['Battery of Number(P/N)'] ? { cellId: i['Battery of Number(P/N)'] } : {}),
      ...(i['Process Name'] ? { schedule: i['Process Name'] } : {}),
      ...(i.Remark ? { remark: i.Remark } : {}),
      ...(i['Cycle Mode'] ? { cycleMode: i['Cycle Mode'] } : {}),
      sheets: sheets.map((s) => s.name),
      layout: 'neware-xls',
      /** Capacities and energies restart at every step (BTSDA convention). */
      capacityScope: 'step',
    };
    return [cyclerRecord(path, cols, meta, t.warnings)];
  },
};
