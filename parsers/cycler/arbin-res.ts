/**
 * Arbin MITS Pro .res (a Microsoft Access Jet 4 database) → canonical cycler records, one per Test_ID.
 * Tables: Global_Table (test metadata), Channel_Normal_Table (the time series),
 * Channel_Statistic_Table (per-cycle marks), Auxiliary_Table (aux channels).
 * Arbin's sign convention already matches ours (charge current positive); DateTime is an OLE date.
 */
import type MDBReader from 'mdb-reader';
import { lazyRequire } from '../../src/records/lazy.js';
import type { Column, ParsedRecord, ParseWarning, RecordMeta } from '../../src/records/record.js';
import { ParseError } from '../../src/records/errors.js';
import { CYCLER } from '../../src/records/names.js';
import type { FormatParser, ParseInput, SniffInput } from '../types.js';
import { cyclerRecord } from './record.js';
import { isoFromUnix } from '../text/datetime.js';

/** mdb-reader is loaded when a .res is parsed, not when the registry is imported. */
const mdbReader = lazyRequire<typeof import('mdb-reader')>('mdb-reader');

const JET_MAGIC = ['Standard Jet DB', 'Standard ACE DB'];
const MAGIC_OFFSET = 4;
const ARBIN_TABLES = ['Channel_Normal_Table', 'Global_Table', 'Channel_Statistic_Table'];

/** Days between the OLE/Excel epoch (1899-12-30) and the Unix epoch. */
export const OLE_UNIX_EPOCH_DAYS = 25569;

/** Channel_Normal_Table column → canonical quantity (units as Arbin stores them). */
const NORMAL_COLUMNS: readonly { readonly source: string; readonly to: { name: string; unit: string }; readonly int?: boolean }[] = [
  { source: 'Test_Time', to: CYCLER.testTime },
  { source: 'Step_Time', to: CYCLER.stepTime },
  { source: 'Voltage', to: CYCLER.voltage },
  { source: 'Current', to: CYCLER.current },
  { source: 'Cycle_Index', to: CYCLER.cycle, int: true },
  { source: 'Step_Index', to: CYCLER.stepIndex, int: true },
  { source: 'Data_Point', to: CYCLER.recordIndex, int: true },
  { source: 'Charge_Capacity', to: CYCLER.chargeCapacity },
  { source: 'Discharge_Capacity', to: CYCLER.dischargeCapacity },
  { source: 'Charge_Energy', to: CYCLER.chargeEnergy },
  { source: 'Discharge_Energy', to: CYCLER.dischargeEnergy },
  { source: 'Internal_Resistance', to: CYCLER.internalResistance },
  { source: 'dV/dt', to: { name: 'dV/dt', unit: 'V/s' } },
  { source: 'AC_Impedance', to: { name: 'AC Impedance', unit: 'ohm' } },
  { source: 'ACI_Phase_Angle', to: { name: 'ACI Phase Angle', unit: 'deg' } },
  { source: 'Is_FC_Data', to: { name: 'Is FC Data', unit: '1' }, int: true },
];

export function sniffArbinRes(input: SniffInput): number {
  const magic = input.headText.slice(MAGIC_OFFSET, MAGIC_OFFSET + 15);
  if (!JET_MAGIC.includes(magic)) return 0;
  const text = input.headText;
  const utf16 = (s: string): string => s.split('').join('\x00');
  const seen = ARBIN_TABLES.some((t) => text.includes(t) || text.includes(utf16(t)));
  return seen ? 0.95 : 0.55;
}

function num(v: unknown): number {
  if (typeof v === 'number') return v;
  if (typeof v === 'bigint') return Number(v);
  if (typeof v === 'boolean') return v ? 1 : 0;
  if (v instanceof Date) return v.getTime() / 86400000 + OLE_UNIX_EPOCH_DAYS;
  return NaN;
}

function openDb(path: string, bytes: Uint8Array): MDBReader {
  const magic = String.fromCharCode(...bytes.subarray(MAGIC_OFFSET, MAGIC_OFFSET + 15));
  if (!JET_MAGIC.includes(magic)) {
    throw new ParseError({
      file: path,
      code: 'bad-magic',
      offset: MAGIC_OFFSET,
      message: 'not an Access (Jet/ACE) database, so not an Arbin .res',
      expected: JET_MAGIC.join(' | '),
      found: magic,
    });
  }
  const Reader = mdbReader().default;
  try {
    return new Reader(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength));
  } catch (e) {
    throw new ParseError({
      file: path,
      code: 'invalid',
      offset: 0,
      message: `Access database cannot be opened: ${(e as Error).message}`,
      expected: 'a readable Jet 4 database',
      found: `${bytes.length} bytes`,
    });
  }
}

function readTable(path: string, db: MDBReader, name: string): Record<string, unknown>[] {
  try {
    return db.getTable(name).getData() as Record<string, unknown>[];
  } catch (e) {
    throw new ParseError({
      file: path,
      code: 'invalid',
      message: `table ${name} cannot be read: ${(e as Error).message}`,
      expected: `a readable ${name}`,
      found: 'unreadable table pages',
    });
  }
}

export function parseArbinRes({ path, bytes }: ParseInput): ParsedRecord[] {
  if (bytes.length === 0) throw new ParseError({ file: path, code: 'empty-file', offset: 0, message: 'empty .res file' });
  const db = openDb(path, bytes);
  let tables: string[];
  try {
    tables = db.getTableNames();
  } catch (e) {
    throw new ParseError({ file: path, code: 'invalid', message: `table catalogue cannot be read: ${(e as Error).message}` });
  }
  if (!tables.includes('Channel_Normal_Table')) {
    throw new ParseError({
      file: path,
      code: 'not-this-kind',
      message: 'Access database without Channel_Normal_Table: not an Arbin .res',
      expected: 'Channel_Normal_Table',
      found: tables.join(', '),
    });
  }
  const normal = readTable(path, db, 'Channel_Normal_Table');
  const global = tables.includes('Global_Table') ? readTable(path, db, 'Global_Table') : [];
  let aux = 0;
  try {
    aux = tables.includes('Auxiliary_Table') ? db.getTable('Auxiliary_Table').rowCount : 0;
  } catch {
    aux = 0; // only counted for a warning; a damaged aux table does not stop the channel data
  }
  if (normal.length === 0) throw new ParseError({ file: path, code: 'no-data', message: 'Channel_Normal_Table is empty' });

  const byTest = new Map<number, Record<string, unknown>[]>();
  let noTestId = 0;
  for (const row of normal) {
    const id = num(row.Test_ID);
    // A row without a test id is a damaged page (fuzz regression): skipped and reported, never its own record.
    if (!Number.isFinite(id)) {
      noTestId++;
      continue;
    }
    let list = byTest.get(id);
    if (!list) byTest.set(id, (list = []));
    list.push(row);
  }
  if (byTest.size === 0)
    throw new ParseError({
      file: path,
      code: 'no-data',
      message: `Channel_Normal_Table: none of its ${normal.length} rows has a Test_ID`,
      expected: 'rows with a Test_ID',
      found: 'none',
    });
  const present = new Set(Object.keys(normal[0]!));
  const out: ParsedRecord[] = [];
  for (const [testId, rows] of [...byTest].sort((a, b) => a[0] - b[0])) {
    rows.sort((a, b) => num(a.Data_Point) - num(b.Data_Point));
    const warnings: ParseWarning[] = [];
    const columns: Column[] = [];
    for (const c of NORMAL_COLUMNS) {
      if (!present.has(c.source)) continue;
      const values = c.int ? Int32Array.from(rows, (r) => num(r[c.source])) : Float64Array.from(rows, (r) => num(r[c.source]));
      columns.push({ ...c.to, values });
    }
    if (present.has('DateTime')) {
      columns.push({ ...CYCLER.unixTime, values: Float64Array.from(rows, (r) => Math.round((num(r.DateTime) - OLE_UNIX_EPOCH_DAYS) * 86400 * 1000) / 1000) });
    }
    // Keep any column this table has that the list above does not know.
    const known = new Set(['Test_ID', 'DateTime', ...NORMAL_COLUMNS.map((c) => c.source)]);
    for (const k of present) {
      if (known.has(k)) continue;
      const v = Float64Array.from(rows, (r) => num(r[k]));
      if (v.some((x) => !Number.isNaN(x))) columns.push({ name: k.replace(/_/g, ' '), unit: '', values: v });
    }
    if (noTestId > 0)
      warnings.push({
        code: 'rows-skipped',
        message: `${noTestId} rows of Channel_Normal_Table have no Test_ID (damaged database pages?) and were skipped`,
        rows: noTestId,
      });
    for (const c of columns) {
      if ((c.name === CYCLER.voltage.name || c.name === CYCLER.current.name || c.name === CYCLER.testTime.name) && c.values.every((x) => Number.isNaN(x))) {
        warnings.push({ code: 'column-empty', message: `${c.name}: no readable value in ${rows.length} rows (damaged database pages?)`, rows: rows.length });
      }
    }
    if (aux > 0) warnings.push({ code: 'aux-not-read', message: `Auxiliary_Table has ${aux} rows; aux channels are not read yet`, rows: aux });
    const g = global.find((r) => num(r.Test_ID) === testId) ?? global[0];
    const start = g ? num(g.Start_DateTime) : NaN;
    const text = (k: string): string | undefined => (g && typeof g[k] === 'string' && (g[k] as string).trim() ? (g[k] as string).trim() : undefined);
    const meta: RecordMeta = {
      instrument: 'Arbin',
      software: 'MITS Pro',
      ...(text('Software_Version') ? { softwareVersion: text('Software_Version') } : {}),
      ...(g && Number.isFinite(num(g.Channel_Index)) ? { channel: String(num(g.Channel_Index)) } : {}),
      ...(Number.isFinite(start) ? { startTime: isoFromUnix(Math.round((start - OLE_UNIX_EPOCH_DAYS) * 86400)).replace(/\.000Z$/, '') } : {}),
      ...(text('Test_Name') ? { cellId: text('Test_Name') } : {}),
      ...(text('Schedule_File_Name') ? { schedule: text('Schedule_File_Name') } : {}),
      ...(text('Creator') ? { creator: text('Creator') } : {}),
      ...(g && Number.isFinite(num(g.MASS)) && num(g.MASS) > 0 ? { massG: num(g.MASS) } : {}),
      testId,
      /** Arbin capacities/energies restart at every cycle (checked on the cellpy .res fixture). */
      capacityScope: 'cycle',
    };
    out.push(cyclerRecord(path, columns, meta, warnings));
  }
  return out;
}

export const arbinRes: FormatParser = {
  id: 'arbin-res',
  family: 'cycler',
  kind: 'cycler',
  title: 'Arbin MITS Pro .res (Access database)',
  version: '1.0.0',
  extensions: ['.res'],
  sniff: sniffArbinRes,
  parse: parseArbinRes,
};
