/**
 * Maccor text exports: the raw tab-separated `.001`…`.999` files, MIMS "export to text" (`Name:/Channel:`
 * block, possibly with decimal commas) and the comma-separated CSV variant. One reader: they share the
 * table (`Rec#, Cyc#, Step, Test (Min|Sec)|TestTime, …, Amp-hr, Watt-hr, Amps, Volts, State, ES, DPt Time`).
 *
 * Maccor writes current UNSIGNED (a few firmware write it signed) with the direction in `State`/`Md`
 * (C charge, D discharge, R rest, …): the sign is rebuilt from the state (positive = charge). `Amp-hr`
 * and `Watt-hr` count within a step; per-cycle Charging/Discharging Capacity and Energy are derived
 * from them and the state.
 */
import type { FormatParser, ParseInput, SniffInput } from '../types.js';
import type { ColumnRule } from '../text/columns.js';
import type { Column, ParsedRecord, ParseWarning, RecordMeta } from '../../src/records/record.js';
import { CYCLER } from '../../src/records/names.js';
import { ParseError } from '../../src/records/errors.js';
import { splitFields } from '../text/table.js';
import { splitHeaderUnit } from '../text/units.js';
import { parseDateTime, isoFromUnix, type DateOrder } from '../text/datetime.js';
import { cyclerRecord } from './record.js';
import { commonUnitSpelling, headLines, looksDecimalComma, readTable, respellHeader, textSource, type HeadLine } from './text-source.js';
import { findCol, numbers, setCol } from './column-ops.js';
import { directionFromLevels, signFromDirection, splitStepCounter } from './cumulative.js';

const STEP_ENERGY = { name: 'Step Energy', unit: 'Wh' } as const;
/** Seconds since midnight, when DPt Time has no date (src/derived/stitch.ts TIME_OF_DAY). */
const TIME_OF_DAY = { name: 'Time of Day', unit: 's' } as const;
const TIME_OF_DAY_CELL = /^\d{1,2}:\d{2}(:\d{2}([.,]\d+)?)?$/;

const RULES: readonly ColumnRule[] = [
  { match: [/^Rec#?$/i], to: CYCLER.recordIndex },
  { match: ['Cyc#', 'Cycle C'], to: CYCLER.cycle },
  { match: [/^Step$/i], to: CYCLER.stepIndex },
  { match: ['Test', 'Test Time', 'TestTime'], to: CYCLER.testTime, required: true },
  { match: [/^Step\s*[([]/i, 'Step Time', 'StepTime'], to: CYCLER.stepTime },
  { match: ['Amp-hr', 'Cap.', 'Capacity'], to: CYCLER.stepCapacity, unit: 'Ah' },
  { match: ['Watt-hr', 'Ener.', 'Energy'], to: STEP_ENERGY, unit: 'Wh' },
  { match: ['Amps', 'Current'], to: CYCLER.current, unit: 'A', required: true },
  { match: ['Volts', 'Voltage'], to: CYCLER.voltage, unit: 'V', required: true },
  { match: ['State', 'Md'], to: CYCLER.stepType, parse: 'category' },
  { match: ['DPt Time', 'DPT Time'], to: CYCLER.unixTime, parse: 'datetime' },
  { match: ['DCIR'], to: CYCLER.internalResistance, unit: 'ohm' },
];

function maccorSpelling(field: string): string {
  const f = field.trim();
  const ohms = /^(.*)\/\s*Ohms?$/i.exec(f);
  if (ohms) return `${ohms[1]} (ohm)`;
  if (/^Temp\s*\d+$/i.test(f)) return `${f} (degC)`;
  return commonUnitSpelling(f);
}

function isHeaderFields(fields: readonly string[]): boolean {
  return fields.some((f) => /^Rec#?$/i.test(f)) && fields.some((f) => /^(Cyc#|Cycle [CP])$/i.test(f));
}

function findHeader(lines: readonly HeadLine[]): { index: number; delimiter: string } | null {
  for (let i = 0; i < Math.min(lines.length, 80); i++) {
    const t = lines[i]!.text;
    for (const d of ['\t', ',', ';']) {
      if (t.includes(d) && isHeaderFields(splitFields(t, d))) return { index: i, delimiter: d };
    }
  }
  return null;
}

function sniffMaccor(input: SniffInput): number {
  const t = input.headText.slice(0, 16384);
  const header = /(^|\n)\s*Rec#?[\t,;]+(Cyc#|Cycle [CP])[\t,;]/.test(t);
  if (!header) return 0;
  let score = 0.7;
  if (/Today's Date|Date of Test|Procedure|Tester/.test(t)) score += 0.15;
  if (/\b(Amp-hr|Amps|Volts|Cap\. \[Ah\]|DPt Time|DPT Time)\b/.test(t)) score += 0.1;
  return Math.min(score, 0.95);
}

/** Header block → meta. Only what the file states. */
function readMeta(lines: readonly HeadLine[], headerIndex: number, order: DateOrder): RecordMeta {
  const meta: RecordMeta = { instrument: 'Maccor' };
  const block = lines.slice(0, headerIndex).map((l) => l.text);
  const all = block.join('\n');
  const grab = (re: RegExp): string | undefined => re.exec(all)?.[1]?.trim() || undefined;
  const started = grab(/Date of Test:[\t ,]*([^\t,\n]+)/) ?? grab(/^Started[:\t ,]+([^\n]+)/m);
  if (started) {
    const u = parseDateTime(started, order);
    if (Number.isFinite(u)) meta.startTime = /\d:\d/.test(started) ? isoFromUnix(u).replace(/\.000Z$/, '') : isoFromUnix(u).slice(0, 10);
  }
  const proc = grab(/Procedure:?[\t ]*([^\t\n]+)/);
  if (proc) meta.procedure = proc;
  const file = grab(/Filename:[\t ]*([^\t\n]+?)\s*(?:Procedure:|\t|$)/);
  if (file) meta.originalFile = file;
  const comment = grab(/Comment\/Barcode:[\t ]*([^\t\n]*)/);
  if (comment) meta.comment = comment;
  const name = grab(/^Name:[\t ,]*([^\n]+)/m);
  if (name) meta.cellId = name;
  const channel = grab(/^Channel:[\t ,]*([^\n]+)/m);
  if (channel) meta.channel = channel;
  const tester = grab(/^Tester[:\t ,]+([^\n]+)/m);
  if (tester) meta.instrument = tester.startsWith('Maccor') ? tester : `Maccor ${tester}`;
  const description = grab(/^Description[:\t ,]+([^\n]+)/m);
  if (description) meta.description = description;
  return meta;
}

/**
 * A bare numeric `TestTime` (MIMS text export) states no unit. The file's own clock decides: the
 * elapsed DPt Time over the elapsed test time must be 1, 60 or 3600 — anything else is an error.
 */
function inferTimeFactor(path: string, t: Float64Array, unix: Float64Array | undefined, line: number, header: string): number {
  let a = -1;
  let b = -1;
  for (let i = 0; i < t.length; i++)
    if (Number.isFinite(t[i]!) && unix && Number.isFinite(unix[i]!)) {
      if (a < 0) a = i;
      b = i;
    }
  if (unix && a >= 0 && b > a && t[b]! > t[a]!) {
    const ratio = (unix[b]! - unix[a]!) / (t[b]! - t[a]!);
    for (const f of [1, 60, 3600]) if (Math.abs(ratio / f - 1) < 0.02) return f;
  }
  throw new ParseError({
    file: path,
    code: 'bad-header',
    line,
    column: header,
    message: 'the test-time column states no unit and the DPt Time clock does not settle it (s, min or h)',
    expected: 'Test (Sec) / Test (Min) or a DPt Time column',
    found: header,
  });
}

function parseMaccor({ path, bytes, source }: ParseInput): ParsedRecord[] {
  const src = textSource(path, bytes, undefined, source);
  const lines = headLines(src, 120);
  const found = findHeader(lines);
  if (!found) {
    throw new ParseError({
      file: path,
      code: 'bad-header',
      line: 1,
      message: 'no Maccor table header (Rec#, Cyc#/Cycle C, Step, …) in the first 80 lines',
      expected: 'Rec#\tCyc#\tStep\t…',
      found: lines[0]?.text ?? '',
    });
  }
  const { index, delimiter } = found;
  const sample = lines
    .slice(index + 1, index + 30)
    .map((l) => l.text)
    .filter((l) => l.trim());
  const decimalComma = looksDecimalComma(sample, delimiter);
  const dateOrder: DateOrder = decimalComma ? 'dmy' : 'mdy';
  const headerFields = splitFields(lines[index]!.text, delimiter);
  const testIdx = headerFields.findIndex((f) => /^Test\b|^TestTime$/i.test(f));
  const firstCells = sample[0] ? splitFields(sample[0], delimiter) : [];
  const durationTime = /\d+d\s+\d+:\d+|^\s*\d+:\d\d:\d\d/.test(firstCells[testIdx] ?? '');
  // Continuation files (`.002`, `.003`, …) write DPt Time as a time of day without a date: read it as
  // seconds since midnight under its own name, never as an absolute clock (stitching carries the date over).
  const dptIdx = headerFields.findIndex((f) => /^DPt Time$/i.test(f.trim()));
  const timeOfDayOnly = dptIdx >= 0 && sample.length > 0 && sample.every((l) => TIME_OF_DAY_CELL.test((splitFields(l, delimiter)[dptIdx] ?? '').trim()));
  const rules = RULES.map((r) =>
    durationTime && (r.to === CYCLER.testTime || r.to === CYCLER.stepTime)
      ? { ...r, parse: 'duration' as const }
      : timeOfDayOnly && r.to === CYCLER.unixTime
        ? { ...r, to: TIME_OF_DAY, parse: 'duration' as const }
        : r,
  );
  const table = readTable(src, lines, index, {
    delimiter,
    rules,
    decimalComma,
    dateOrder,
    what: 'Maccor export',
    header: respellHeader(lines[index]!.text, delimiter, maccorSpelling),
  });
  const columns: Column[] = [...table.columns];
  const warnings: ParseWarning[] = [...table.warnings];
  const meta = readMeta(lines, index, dateOrder);
  meta.software = delimiter === ',' ? 'Maccor CSV export' : 'Maccor text export';
  if (timeOfDayOnly) {
    // The header's test date is the test's first day, not this file's: kept, but not as this file's start.
    if (meta.startTime) {
      meta.testStartDate = meta.startTime;
      delete meta.startTime;
    }
    meta.timeOfDayOnly = true;
    warnings.push({
      code: 'dates-relative',
      message:
        "DPt Time is a time of day without a date (a Maccor continuation file): its times are relative, with no date; assign it to the same cell as the test's first file to have the date carried over and rolled at midnight",
    });
  }
  if (decimalComma) meta.decimalComma = true;

  // Unit-less numeric time columns (MIMS `TestTime`): settle the unit from the DPt Time clock.
  const testHeader = headerFields.find((f) => /^Test\b|^TestTime$/i.test(f));
  if (!durationTime && testHeader !== undefined && !splitHeaderUnit(maccorSpelling(testHeader)).unit) {
    const t = numbers(findCol(columns, CYCLER.testTime.name))!;
    const factor = inferTimeFactor(path, t, numbers(findCol(columns, CYCLER.unixTime.name)), index + 1, testHeader);
    const stepHeader = headerFields.find((f) => /^Step\s*Time$/i.test(f));
    const stepTime = stepHeader ? numbers(findCol(columns, CYCLER.stepTime.name)) : undefined;
    for (const v of stepTime ? [t, stepTime] : [t]) for (let k = 0; k < v.length; k++) v[k]! *= factor;
    meta.timeUnitFromClock = factor === 1 ? 's' : factor === 60 ? 'min' : 'h';
  }

  const state = findCol(columns, CYCLER.stepType.name);
  const current = numbers(findCol(columns, CYCLER.current.name))!;
  if (state?.levels) {
    const dir = directionFromLevels(state.values, state.levels, (s) => {
      const c = s.trim().toUpperCase()[0];
      return c === 'C' ? 1 : c === 'D' ? -1 : 0;
    });
    signFromDirection(current, dir);
    const cycle = findCol(columns, CYCLER.cycle.name)?.values;
    const step = findCol(columns, CYCLER.stepIndex.name)?.values;
    const cap = numbers(findCol(columns, CYCLER.stepCapacity.name));
    if (cap) {
      const s = splitStepCounter(cap, dir, cycle, step);
      setCol(columns, CYCLER.chargeCapacity.name, { ...CYCLER.chargeCapacity, values: s.charge });
      setCol(columns, CYCLER.dischargeCapacity.name, { ...CYCLER.dischargeCapacity, values: s.discharge });
    }
    const energy = numbers(findCol(columns, STEP_ENERGY.name));
    if (energy) {
      const s = splitStepCounter(energy, dir, cycle, step);
      setCol(columns, CYCLER.chargeEnergy.name, { ...CYCLER.chargeEnergy, values: s.charge });
      setCol(columns, CYCLER.dischargeEnergy.name, { ...CYCLER.dischargeEnergy, values: s.discharge });
    }
  } else {
    warnings.push({
      code: 'current-sign-unknown',
      message: 'no State/Md column: the current is kept as written (Maccor usually writes it unsigned), so discharge may read as positive',
      rows: current.length,
    });
  }
  return [cyclerRecord(path, columns, meta, warnings)];
}

export const maccorText: FormatParser = {
  id: 'maccor-text',
  family: 'cycler',
  kind: 'cycler',
  title: 'Maccor text/CSV export (raw .0xx, MIMS text, CSV)',
  version: '1.1.0',
  extensions: ['.txt', '.csv', '.001', '.002', '.003', '.041', '.052'],
  sniff: sniffMaccor,
  parse: parseMaccor,
  streams: true,
};
