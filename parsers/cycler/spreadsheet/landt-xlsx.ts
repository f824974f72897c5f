/**
 * Landt / LANHE LANDdt XLSX export: `Cycle-Tab` (per-cycle summary) and `Record-Tab` (time series).
 * Headers put the unit after the FIRST slash (`TestTime/Sec`, `SpeCap/mAh/g`, `AuxTemp/dC.`);
 * discharge current is negative; `Capacity/mAh` restarts every step; `Step-State` is R / RateC / RateD
 * (rest, charge, discharge) or CC/CV variants ending in C or D.
 */
import type { RecordMeta } from '../../../src/records/record.js';
import { ParseError } from '../../../src/records/errors.js';
import type { ColumnRule } from '../../text/columns.js';
import { cyclerRecord } from '../record.js';
import { isoFromUnix } from '../../text/datetime.js';
import { CYCLER, STEP_ENERGY, countChangesOf, splitByStepType, type SpreadsheetLayout, type StepDirection } from './layout.js';
import { findHeaderRow, getColumn, readSheetTable, setColumn } from './columns.js';
import type { Sheet, Workbook } from './workbook.js';

const HEADER_NEEDLES = ['TestTime/Sec', 'Voltage/V'];

/** Landt units: unit after the first slash; `dC.` is LANHE's spelling of °C, `Sec` of seconds. */
export function splitLandtHeader(h: string): { name: string; unit: string } {
  const i = h.indexOf('/');
  if (i < 0) return { name: h.trim(), unit: '' };
  const name = h.slice(0, i).trim();
  let unit = h.slice(i + 1).trim();
  if (/^dC\.?$/.test(unit)) unit = 'degC';
  if (/^sec$/i.test(unit)) unit = 's';
  return { name, unit };
}

export const LANDT_RULES: readonly ColumnRule[] = [
  { match: ['Record'], to: CYCLER.recordIndex },
  { match: ['TestTime'], to: CYCLER.testTime, unit: 's', required: true },
  { match: ['StepTime'], to: CYCLER.stepTime, unit: 's' },
  { match: ['Current'], to: CYCLER.current, unit: 'mA', required: true },
  { match: ['Capacity'], to: CYCLER.stepCapacity, unit: 'mAh' },
  { match: ['Voltage'], to: CYCLER.voltage, unit: 'V', required: true },
  { match: ['Energy'], to: STEP_ENERGY, unit: 'mWh' },
  { match: ['AuxTemp'], to: { name: 'Aux Temperature', unit: 'degC' } },
  { match: ['AuxVolt'], to: { name: 'Aux Voltage', unit: 'V' } },
  { match: ['SysTime'], to: CYCLER.unixTime, parse: 'datetime' },
  { match: ['Cycle-Index', 'Cycle'], to: CYCLER.cycle },
  { match: ['Step-Index', 'Step'], to: CYCLER.stepIndex },
  { match: ['Step-State', 'State'], to: CYCLER.stepType, parse: 'category' },
];

export function landtDirection(state: string): StepDirection | undefined {
  const s = state.trim();
  if (/^(R|Rest|Pause|Stop|End)$/i.test(s)) return 'rest';
  if (/D(chg)?$/i.test(s) || /discharge/i.test(s)) return 'discharge';
  if (/C(hg)?$/i.test(s) || /charge/i.test(s)) return 'charge';
  return undefined;
}

function recordSheet(wb: Workbook): Sheet | undefined {
  return wb.sheets.find((s) => /^Record(-Tab)?$/i.test(s.name) && findHeaderRow(s.rows, HEADER_NEEDLES, 3) >= 0);
}

export const landtXlsxLayout: SpreadsheetLayout = {
  id: 'landt-xlsx',
  title: 'Landt/LANHE LANDdt XLSX export',
  match(wb) {
    if (recordSheet(wb)) return 0.95;
    return wb.sheets.some((s) => /^Record-Tab$/i.test(s.name)) ? 0.4 : 0;
  },
  toRecords(path, wb) {
    const sheet = recordSheet(wb);
    if (!sheet) {
      throw new ParseError({
        file: path,
        code: 'bad-header',
        message: 'Landt workbook without a Record-Tab header',
        expected: HEADER_NEEDLES.join(', '),
        found: wb.sheets.map((s) => s.name).join(', '),
      });
    }
    const h = findHeaderRow(sheet.rows, HEADER_NEEDLES, 3);
    const t = readSheetTable({ path, sheet, headerRow: h, rules: LANDT_RULES, splitUnit: splitLandtHeader, date1904: wb.date1904 });
    if (t.rows === 0) throw new ParseError({ file: path, code: 'no-data', column: sheet.name, message: `sheet '${sheet.name}' has a header but no rows` });
    const cols = t.columns;
    const stepType = getColumn(cols, CYCLER.stepType.name);
    if (stepType) {
      const cap = getColumn(cols, CYCLER.stepCapacity.name);
      if (cap) {
        const [c, d] = splitByStepType(Float64Array.from(cap.values), stepType, landtDirection, t.warnings);
        setColumn(cols, { ...CYCLER.chargeCapacity, values: c });
        setColumn(cols, { ...CYCLER.dischargeCapacity, values: d });
      }
      const en = getColumn(cols, STEP_ENERGY.name);
      if (en) {
        const [c, d] = splitByStepType(Float64Array.from(en.values), stepType, landtDirection, []);
        setColumn(cols, { ...CYCLER.chargeEnergy, values: c });
        setColumn(cols, { ...CYCLER.dischargeEnergy, values: d });
      }
    }
    const cyc = getColumn(cols, CYCLER.cycle.name);
    const si = getColumn(cols, CYCLER.stepIndex.name);
    if (si) setColumn(cols, { ...CYCLER.step, values: cyc ? countChangesOf(cyc.values, si.values) : countChangesOf(si.values) });
    // Aux columns that are all '-' carry nothing: drop them (kept would be all-NaN).
    const kept = cols.filter((c) => !(c.name.startsWith('Aux ') && c.values.every((v) => Number.isNaN(v))));
    const warnings = t.warnings.filter((w) => !(w.code === 'non-numeric-cells' && /'Aux(Temp|Volt)/.test(w.message)));
    const unix = getColumn(kept, CYCLER.unixTime.name)?.values;
    const meta: RecordMeta = {
      instrument: 'Landt/LANHE',
      software: 'LANDdt',
      ...(unix && Number.isFinite(unix[0]) ? { startTime: isoFromUnix(unix[0]!).replace(/\.000Z$|Z$/, '') } : {}),
      sheets: wb.sheets.map((s) => s.name),
      layout: 'landt-xlsx',
      /** Capacities and energies restart at every step. */
      capacityScope: 'step',
    };
    return [cyclerRecord(path, kept, meta, warnings)];
  },
};
