/**
 * EC-Lab binary (.mpr): the one interpreter of the tables in `mpr-layout.ts`. Modules are walked and
 * bounds-checked before any row is read; rows are decoded in one pass per column with a DataView into
 * Float64Arrays. Output goes through the same `ecLabRecords` as the .mpt reader, under EC-Lab's own labels.
 */
import type { ParsedRecord, ParseWarning, RecordMeta } from '../../src/records/record.js';
import type { SniffInput, SniffResult } from '../types.js';
import { ParseError } from '../../src/records/errors.js';
import { ecLabRecords, type EcLabColumn, type EcLabTable } from './records.js';
import { techniqueByMprId } from './techniques.js';
import {
  COLUMN_IDS,
  COLUMN_SIZE,
  DATA_LAYOUTS,
  FIELD_SIZE,
  FLAG_COLUMNS,
  LOG_FIELDS,
  MAGIC,
  MODULE_HEADER_V1,
  MODULE_HEADER_V2,
  MODULE_TAG,
  MODULES,
  SETTINGS_FIELDS,
  V2_SENTINEL,
  type ColumnType,
  type DataLayout,
  type FieldDecl,
  type ModuleHeaderDecl,
} from './mpr-layout.js';

type FieldValue = number | string;

export interface MprModule {
  readonly shortName: string;
  readonly longName: string;
  readonly header: ModuleHeaderDecl;
  /** Byte offset of the `MODULE` tag. */
  readonly offset: number;
  /** Byte offset of the module data. */
  readonly dataStart: number;
  readonly length: number;
  readonly version: number;
  readonly date: string;
}

function ascii(bytes: Uint8Array, start: number, end: number): string {
  let s = '';
  for (let i = start; i < end; i++) s += String.fromCharCode(bytes[i]!);
  return s;
}

/** Read declared fields at `base`; every read is bounds-checked against `limit` (end of the region). */
function readFields(
  path: string,
  bytes: Uint8Array,
  view: DataView,
  base: number,
  limit: number,
  fields: readonly FieldDecl[],
  what: string,
): Record<string, FieldValue> {
  const out: Record<string, FieldValue> = {};
  for (const f of fields) {
    const at = base + f.offset;
    let size: number;
    if (f.type === 'ascii') size = f.size ?? 0;
    else if (f.type === 'pascal') size = at < limit ? 1 + bytes[at]! : 1;
    else size = FIELD_SIZE[f.type];
    if (at + size > limit) {
      throw new ParseError({
        file: path,
        code: 'truncated',
        offset: at,
        message: `${what} ends before field '${f.name}'`,
        expected: `${size} bytes at offset ${at}`,
        found: `${Math.max(0, limit - at)} bytes`,
      });
    }
    switch (f.type) {
      case 'u8':
        out[f.name] = view.getUint8(at);
        break;
      case 'u16':
        out[f.name] = view.getUint16(at, true);
        break;
      case 'u32':
        out[f.name] = view.getUint32(at, true);
        break;
      case 'f32':
        out[f.name] = view.getFloat32(at, true);
        break;
      case 'f64':
        out[f.name] = view.getFloat64(at, true);
        break;
      case 'ascii':
        out[f.name] = ascii(bytes, at, at + size).replace(/[\0 ]+$/, '');
        break;
      case 'pascal':
        out[f.name] = ascii(bytes, at + 1, at + size);
        break;
    }
  }
  return out;
}

function checkMagic(path: string, bytes: Uint8Array): void {
  for (let i = 0; i < MAGIC.length; i++) {
    if (i >= bytes.length) {
      throw new ParseError({
        file: path,
        code: i === 0 ? 'empty-file' : 'truncated',
        offset: i,
        message: 'file ends inside the BioLogic magic',
        expected: `${MAGIC.length} bytes of magic`,
        found: `${bytes.length} bytes`,
      });
    }
    if (bytes[i] !== MAGIC[i]) {
      throw new ParseError({
        file: path,
        code: 'bad-magic',
        offset: i,
        message: 'not a BioLogic modular file',
        expected: 'BIO-LOGIC MODULAR FILE',
        found: ascii(bytes, 0, Math.min(bytes.length, 24)),
      });
    }
  }
}

export function readModules(path: string, bytes: Uint8Array): MprModule[] {
  checkMagic(path, bytes);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const modules: MprModule[] = [];
  let pos = MAGIC.length;
  while (pos < bytes.length) {
    const tag = ascii(bytes, pos, Math.min(bytes.length, pos + MODULE_TAG.length));
    if (tag !== MODULE_TAG) {
      throw new ParseError({
        file: path,
        code: tag.length < MODULE_TAG.length ? 'truncated' : 'bad-header',
        offset: pos,
        message: 'expected the start of a module',
        expected: MODULE_TAG,
        found: tag,
      });
    }
    const h = pos + MODULE_TAG.length;
    const sentinelAt = h + V2_SENTINEL.offset;
    const isV2 = sentinelAt + 4 <= bytes.length && view.getUint32(sentinelAt, true) === V2_SENTINEL.value;
    const header = isV2 ? MODULE_HEADER_V2 : MODULE_HEADER_V1;
    const f = readFields(path, bytes, view, h, bytes.length, header.fields, `module header at ${pos}`);
    const dataStart = h + header.size;
    const length = f.length as number;
    const shortName = f.shortName as string;
    if (dataStart + length > bytes.length) {
      throw new ParseError({
        file: path,
        code: 'truncated',
        offset: dataStart,
        message: `module '${shortName}' is cut short`,
        expected: `${length} bytes of module data`,
        found: `${bytes.length - dataStart} bytes`,
      });
    }
    modules.push({ shortName, longName: f.longName as string, header, offset: pos, dataStart, length, version: f.version as number, date: f.date as string });
    pos = dataStart + length;
  }
  return modules;
}

interface Slot {
  readonly type: ColumnType;
  readonly size: number;
  /** Output label; null = bytes skipped (an unknown id). */
  readonly label: string | null;
  readonly flags?: readonly { readonly label: string; readonly mask: number }[];
}

function layoutFor(m: MprModule): DataLayout | undefined {
  return DATA_LAYOUTS.find((l) => l.header === m.header.id && l.version === m.version);
}

function ecLabLabel(name: string, unit: string): string {
  return unit ? `${name}/${unit}` : name;
}

function trailingZeros(mask: number): number {
  let s = 0;
  while (((mask >> s) & 1) === 0 && s < 8) s++;
  return s;
}

/** Decode the data module into EC-Lab columns. */
function readData(path: string, bytes: Uint8Array, m: MprModule, warnings: ParseWarning[]): { columns: EcLabColumn[]; rows: number } {
  const layout = layoutFor(m);
  if (!layout) {
    throw new ParseError({
      file: path,
      code: 'unsupported-version',
      offset: m.offset,
      message: `data module version ${m.version} with a ${m.header.id} header is not known`,
      expected: DATA_LAYOUTS.map((l) => `${l.header}/${l.version}`).join(', '),
      found: `${m.header.id}/${m.version}`,
    });
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const base = m.dataStart;
  const end = m.dataStart + m.length;
  const head = readFields(
    path,
    bytes,
    view,
    base,
    end,
    [
      { name: 'points', offset: layout.pointsOffset, type: 'u32' },
      { name: 'columns', offset: layout.columnCount.offset, type: layout.columnCount.type },
    ],
    'data module',
  );
  const points = head.points as number;
  const ncol = head.columns as number;
  const idSize = layout.idType === 'u8' ? 1 : 2;
  const ids = readFields(
    path,
    bytes,
    view,
    base + layout.idsOffset,
    end,
    Array.from({ length: ncol }, (_, k) => ({ name: String(k), offset: k * idSize, type: layout.idType })),
    'data module column list',
  );

  const slots: Slot[] = [];
  let flagSlot: { label: string; mask: number }[] | null = null;
  const unknown: { id: number; at: number; prev: string; slot: number }[] = [];
  let prev = '(first column)';
  for (let k = 0; k < ncol; k++) {
    const id = ids[String(k)] as number;
    const flag = FLAG_COLUMNS[id];
    if (flag) {
      if (!flagSlot) {
        flagSlot = [];
        slots.push({ type: 'u8', size: 1, label: null, flags: flagSlot });
      }
      flagSlot.push({ label: flag.name, mask: flag.mask });
      prev = flag.name;
      continue;
    }
    const c = COLUMN_IDS[id];
    if (c) {
      const label = ecLabLabel(c.name, c.unit);
      slots.push({ type: c.type, size: COLUMN_SIZE[c.type], label });
      prev = label;
    } else {
      unknown.push({ id, at: base + layout.idsOffset + k * idSize, prev, slot: slots.length });
      slots.push({ type: 'u8', size: 0, label: null });
      prev = `unknown id ${id}`;
    }
  }
  let rowSize = slots.reduce((s, x) => s + x.size, 0);
  const available = m.length - layout.rowsOffset;
  if (unknown.length > 0) {
    // One unknown column: its width is what the module length leaves per row, if that is a plain width.
    const perRow = points > 0 && available > 0 && available % points === 0 ? available / points : NaN;
    const width = perRow - rowSize;
    const u = unknown[0]!;
    if (unknown.length > 1 || ![1, 2, 4, 8].includes(width)) {
      throw new ParseError({
        file: path,
        code: 'bad-header',
        offset: u.at,
        column: String(u.id),
        message: `column id ${u.id} after column '${u.prev}' is unknown and the row size cannot be inferred${unknown.length > 1 ? ` (${unknown.length} unknown ids: ${unknown.map((x) => x.id).join(', ')})` : ''}`,
        expected: 'a column id listed in mpr-layout.ts',
        found: String(u.id),
      });
    }
    slots[u.slot] = { type: 'u8', size: width, label: null };
    rowSize += width;
    warnings.push({
      code: 'unknown-column-id',
      offset: u.at,
      message: `column id ${u.id} after column '${u.prev}' is unknown; its ${width} bytes per row were skipped, the other columns are read`,
      rows: points,
    });
  }
  const rowsStart = base + layout.rowsOffset;
  const need = points * rowSize;
  if (layout.rowsOffset > m.length || need > available) {
    const whole = rowSize > 0 ? Math.max(0, Math.floor(available / rowSize)) : 0;
    throw new ParseError({
      file: path,
      code: 'truncated',
      offset: rowsStart + whole * rowSize,
      message: `data module holds ${whole} of ${points} rows`,
      expected: `${points} rows of ${rowSize} bytes`,
      found: `${Math.max(0, available)} bytes`,
    });
  }
  if (need < available)
    warnings.push({
      code: 'trailing-bytes',
      offset: rowsStart + need,
      message: `${available - need} bytes after the last row of the data module were not read`,
    });

  // Column-major decoding: one tight loop per column over the rows.
  const columns: EcLabColumn[] = [];
  let off = 0;
  for (const s of slots) {
    if (s.flags) {
      const outs = s.flags.map((f) => ({ f, shift: trailingZeros(f.mask), v: new Float64Array(points) }));
      for (let r = 0, p = rowsStart + off; r < points; r++, p += rowSize) {
        const b = bytes[p]!;
        for (const o of outs) o.v[r] = (b & o.f.mask) >> o.shift;
      }
      for (const o of outs) columns.push({ label: o.f.label, values: o.v });
    } else if (s.label) {
      const v = new Float64Array(points);
      let p = rowsStart + off;
      switch (s.type) {
        case 'f64':
          for (let r = 0; r < points; r++, p += rowSize) v[r] = view.getFloat64(p, true);
          break;
        case 'f32':
          for (let r = 0; r < points; r++, p += rowSize) v[r] = view.getFloat32(p, true);
          break;
        case 'u32':
          for (let r = 0; r < points; r++, p += rowSize) v[r] = view.getUint32(p, true);
          break;
        case 'u16':
          for (let r = 0; r < points; r++, p += rowSize) v[r] = view.getUint16(p, true);
          break;
        case 'u8':
          for (let r = 0; r < points; r++, p += rowSize) v[r] = bytes[p]!;
          break;
      }
      columns.push({ label: s.label, values: v });
    }
    off += s.size;
  }
  return { columns, rows: points };
}

/** OLE automation date (days since 1899-12-30) → ISO 8601 without zone, as EC-Lab's wall clock. */
export function oleToIso(days: number): string {
  const ms = Math.round(days * 86400000) + Date.UTC(1899, 11, 30);
  return new Date(ms).toISOString().replace(/Z$/, '');
}

/** Module date `MM/DD/YY` (or `MM-DD-YY`) → Unix ms, NaN if not a date. */
function moduleDateMs(s: string): number {
  const m = /^(\d{2})[/-](\d{2})[/-](\d{2})$/.exec(s);
  if (!m) return NaN;
  return Date.UTC(2000 + +m[3]!, +m[1]! - 1, +m[2]!);
}

function logMeta(path: string, bytes: Uint8Array, m: MprModule, warnings: ParseWarning[]): RecordMeta {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const meta: RecordMeta = {};
  let f: Record<string, FieldValue>;
  try {
    f = readFields(path, bytes, view, m.dataStart, m.dataStart + m.length, LOG_FIELDS, 'LOG module');
  } catch (e) {
    if (!(e instanceof ParseError)) throw e;
    warnings.push({ code: 'short-log-module', offset: e.offset, message: `LOG module too short for its known fields; no run metadata read (${e.message})` });
    return meta;
  }
  meta.channel = String((f.channelIndex as number) + 1);
  meta.channelSerial = String(f.channelSerial);
  const str = (k: string): string | undefined => {
    const v = String(f[k] ?? '').trim();
    return v && /^[\x20-\x7e]+$/.test(v) ? v : undefined;
  };
  if (str('softwareVersion')) meta.softwareVersion = str('softwareVersion');
  if (str('deviceSerial')) meta.deviceSerial = str('deviceSerial');
  if (str('serverVersion')) meta.firmwareVersion = str('serverVersion');
  if (str('host')) meta.host = str('host');
  if (str('savedFile')) meta.savedFile = str('savedFile');
  // The start time is trusted only if it falls within 20 years before the day the module was written.
  const ole = f.startOle as number;
  const saved = moduleDateMs(m.date);
  const startMs = ole * 86400000 + Date.UTC(1899, 11, 30);
  const plausible =
    Number.isFinite(ole) &&
    (Number.isFinite(saved) ? startMs <= saved + 2 * 86400000 && startMs >= saved - 20 * 365.25 * 86400000 : ole > 32874 && ole < 73051);
  if (plausible) meta.startTime = oleToIso(ole);
  else
    warnings.push({
      code: 'no-start-time',
      offset: m.dataStart + 0x249,
      message: `LOG module holds no plausible acquisition start (value ${ole} at offset 0x249, module date '${m.date}')`,
    });
  return meta;
}

export function readMpr(path: string, bytes: Uint8Array): EcLabTable {
  const modules = readModules(path, bytes);
  const warnings: ParseWarning[] = [];
  const find = (name: string): MprModule | undefined => {
    const all = modules.filter((x) => x.shortName === name);
    if (all.length > 1) warnings.push({ code: 'duplicate-module', offset: all[1]!.offset, message: `${all.length} '${name}' modules; the first is read` });
    return all[0];
  };
  const dataModule = find(MODULES.data);
  if (!dataModule) {
    throw new ParseError({
      file: path,
      code: 'no-data',
      offset: bytes.length,
      message: 'no data module in the file',
      expected: `a '${MODULES.data}' module`,
      found: modules.map((x) => `'${x.shortName}'`).join(', ') || 'no modules',
    });
  }
  const meta: RecordMeta = { mprHeader: dataModule.header.id, mprDataVersion: dataModule.version, modules: modules.map((x) => x.shortName) };
  const settings = find(MODULES.settings);
  let technique;
  if (settings) {
    const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    const s = readFields(path, bytes, view, settings.dataStart, settings.dataStart + settings.length, SETTINGS_FIELDS, 'settings module');
    technique = techniqueByMprId(s.techniqueId as number);
    if (technique) {
      meta.technique = technique.code;
      meta.techniqueName = technique.name;
    } else {
      meta.techniqueId = s.techniqueId;
      warnings.push({
        code: 'unknown-technique',
        offset: settings.dataStart,
        message: `technique byte 0x${(s.techniqueId as number).toString(16)} is not in the technique table; record kind decided from the columns`,
      });
    }
  }
  const log = find(MODULES.log);
  if (log) Object.assign(meta, logMeta(path, bytes, log, warnings));
  const { columns, rows } = readData(path, bytes, dataModule, warnings);
  return { path, columns, rows, technique, meta, warnings };
}

export function parseMpr(path: string, bytes: Uint8Array): ParsedRecord[] {
  return ecLabRecords(readMpr(path, bytes));
}

const MAGIC_TEXT = 'BIO-LOGIC MODULAR FILE';

export function sniffMpr(input: SniffInput): SniffResult {
  if (!input.headText.startsWith(MAGIC_TEXT)) return { confidence: 0 };
  // The settings module comes first; its first data byte is the technique.
  const h = input.head;
  const at = MAGIC.length + MODULE_TAG.length;
  let kind: 'eis' | 'cycler' | 'chronoamperometry' = 'cycler';
  if (h.length > at + MODULE_HEADER_V2.size) {
    const view = new DataView(h.buffer, h.byteOffset, h.byteLength);
    const v2 = view.getUint32(at + V2_SENTINEL.offset, true) === V2_SENTINEL.value;
    const t = techniqueByMprId(h[at + (v2 ? MODULE_HEADER_V2.size : MODULE_HEADER_V1.size)]!);
    if (t) kind = t.kind === 'eis' || t.kind === 'chronoamperometry' ? t.kind : 'cycler';
  }
  return { confidence: 1, kind };
}
