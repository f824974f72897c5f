/**
 * Neware BTS 8 .ndax (zip of .ndc members + XML) → canonical cycler record.
 *
 * data.ndc holds voltage/current per row slot; data_runInfo.ndc holds times, capacities and energies
 * only every few rows (the logging interval in between is `dt`), so the rows in between are filled
 * forward: time += dt per row and capacity/energy += I·dt, V·I·dt — exactly what BTSDA shows.
 * data_step.ndc gives cycle, step index and status per step; data_AUX_*.ndc one float per row slot.
 */
import { lazyRequire } from '../../src/records/lazy.js';

/** fast-xml-parser is loaded when a file of this format is parsed, not when the registry is imported. */
const xmlParser = lazyRequire<typeof import('fast-xml-parser')>('fast-xml-parser');
import type { Column, ParsedRecord, ParseWarning, RecordMeta } from '../../src/records/record.js';
import { ParseError } from '../../src/records/errors.js';
import { CYCLER } from '../../src/records/names.js';
import type { FormatParser, ParseInput, SniffInput } from '../types.js';
import { cyclerRecord } from './record.js';
import { isoFromUnix, parseDateTime } from '../text/datetime.js';
import {
  AUX_CHANNEL_TYPES,
  NDC_FILE_TYPE,
  NDC_LAYOUTS,
  NDC_LEGACY_LAYOUTS,
  NDC_PAGE,
  NDC_SUPPORTED_VERSIONS,
  decodeRecords,
  type DecodedRecords,
  type NdcLegacyLayout,
  type RecordLayout,
} from './neware.layout.js';
import { assembleLayoutRecords, auxColumns, countChanges, stepTypeColumn } from './neware-nda.js';
import { checkZipLimits, extractZip, isZip, listZip, zipNamesInHead } from './spreadsheet/zip.js';

const MAIN = 'data.ndc';
const RUNINFO = 'data_runInfo.ndc';
const STEP = 'data_step.ndc';
const AUX_RE = /^data_AUX_(\d+)_(\d+)_(\d+)\.ndc$/;
/** Aux members of ndc 2/5 archives: any other .ndc whose name ends in _<channel>.ndc (as NewareNDA/fastnda match them). */
const LEGACY_AUX_RE = /^(?!data(?:_runInfo|_step)?\.ndc$).*_(\d+)\.ndc$/;

export function sniffNewareNdax(input: SniffInput): number {
  if (!isZip(input.head)) return 0;
  const names = zipNamesInHead(input.headText);
  if (names.includes(MAIN) || names.some((n) => n.endsWith('.ndc'))) return 0.95;
  if (names.includes('VersionInfo.xml') || names.includes('TestInfo.xml') || names.includes('Step.xml')) return 0.85;
  return 0;
}

interface NdcRows {
  readonly version: number;
  readonly fileType: number;
  /** 1-based row slot of each valid row (slots count empty rows too, so members line up). */
  readonly slots: Int32Array;
  readonly data: DecodedRecords;
}

/** Decode one .ndc member: version/type header, then the bitmask-selected rows of every page. */
function readNdc(file: string, bytes: Uint8Array, pick: (version: number) => RecordLayout | undefined): NdcRows | undefined {
  if (bytes.length < NDC_PAGE.size) {
    throw new ParseError({
      file,
      code: 'truncated',
      offset: bytes.length,
      message: '.ndc member is shorter than its header page',
      expected: `≥ ${NDC_PAGE.size} bytes`,
      found: `${bytes.length} bytes`,
    });
  }
  if (bytes.length % NDC_PAGE.size !== 0) {
    throw new ParseError({
      file,
      code: 'truncated',
      offset: bytes.length - (bytes.length % NDC_PAGE.size),
      message: '.ndc member ends inside a page',
      expected: `a multiple of ${NDC_PAGE.size} bytes`,
      found: `${bytes.length} bytes`,
    });
  }
  const fileType = bytes[0]!;
  const version = bytes[2]!;
  const layout = pick(version);
  if (!layout) return undefined;
  const perPage = Math.floor((NDC_PAGE.size - NDC_PAGE.dataOffset - NDC_PAGE.endPad) / layout.length);
  const starts: number[] = [];
  const slots: number[] = [];
  let slot = 0;
  for (let base = NDC_PAGE.size; base + NDC_PAGE.size <= bytes.length; base += NDC_PAGE.size) {
    for (let r = 0; r < perPage; r++) {
      slot++;
      if ((bytes[base + NDC_PAGE.bitmaskOffset + (r >> 3)]! >> (r & 7)) & 1) {
        starts.push(base + NDC_PAGE.dataOffset + r * layout.length);
        slots.push(slot);
      }
    }
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  return { version, fileType, slots: Int32Array.from(slots), data: decodeRecords(view, starts, layout) };
}

function unsupported(file: string, version: number): never {
  throw new ParseError({
    file,
    code: 'unsupported-version',
    offset: 2,
    message: `.ndc version ${version} is not supported`,
    expected: [...Object.keys(NDC_LEGACY_LAYOUTS), ...NDC_SUPPORTED_VERSIONS].join(', '),
    found: String(version),
  });
}

/**
 * Rows of an ndc 2/5 member (self-contained records): pages of `layout.page.size` after one header page;
 * a row is taken when its bitmask bit is set (ndc 5) or its index is non-zero (ndc 2), and its identifier is one of `ids`.
 */
function readLegacyNdc(
  file: string,
  bytes: Uint8Array,
  lay: NdcLegacyLayout,
  rec: RecordLayout,
  ids: readonly number[],
): { data: DecodedRecords; other: number } {
  const P = lay.page.size;
  if (bytes.length < P) {
    throw new ParseError({
      file,
      code: 'truncated',
      offset: bytes.length,
      message: '.ndc member is shorter than its header page',
      expected: `≥ ${P} bytes`,
      found: `${bytes.length} bytes`,
    });
  }
  if (bytes.length % P !== 0) {
    throw new ParseError({
      file,
      code: 'truncated',
      offset: bytes.length - (bytes.length % P),
      message: `.ndc member ends inside a ${P}-byte page`,
      expected: `a multiple of ${P} bytes`,
      found: `${bytes.length} bytes`,
    });
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const perPage = Math.floor((P - lay.page.dataOffset - lay.page.endPad) / rec.length);
  const idx = rec.fields.find((f) => f.name === 'index')!;
  const starts: number[] = [];
  let other = 0;
  for (let base = P; base + P <= bytes.length; base += P) {
    for (let r = 0; r < perPage; r++) {
      const o = base + lay.page.dataOffset + r * rec.length;
      const present =
        lay.page.bitmaskOffset !== undefined
          ? ((bytes[base + lay.page.bitmaskOffset + (r >> 3)]! >> (r & 7)) & 1) === 1
          : view.getUint32(o + idx.offset, true) !== 0;
      if (!present) continue;
      if (ids.includes(bytes[o]!)) starts.push(o);
      else other++;
    }
  }
  return { data: decodeRecords(view, starts, rec), other };
}

/** .ndax whose data.ndc is version 2 or 5: every quantity is in data.ndc; aux members are joined by record index. */
function parseLegacyNdax(
  path: string,
  names: readonly string[],
  files: Record<string, Uint8Array>,
  version: number,
  lay: NdcLegacyLayout,
): { columns: Column[]; unix: Float64Array | undefined; warnings: ParseWarning[]; auxMembers: number } {
  const member = (n: string): string => `${path}!${n}`;
  const warnings: ParseWarning[] = [];
  const main = readLegacyNdc(member(MAIN), files[MAIN]!, lay, lay.main, lay.dataIds);
  if (main.data.n === 0)
    throw new ParseError({ file: member(MAIN), code: 'no-data', offset: lay.page.size, message: `data.ndc (ndc ${version}) holds no data rows` });
  if (main.other)
    warnings.push({
      code: 'rows-skipped',
      message: `${main.other} rows of ${MAIN} have another identifier than 0x55 (aux or unknown) and were skipped`,
      rows: main.other,
    });
  const { columns, index, unix } = assembleLayoutRecords(main.data, { capacity: 'split', range: 'record', cycle: 'zero-based' }, warnings);
  let auxMembers = 0;
  for (const name of names.filter((x) => LEGACY_AUX_RE.test(x)).sort()) {
    const b = files[name]!;
    if (b[2] !== version) {
      warnings.push({ code: 'aux-unsupported', message: `${name}: ndc version ${b[2]} differs from data.ndc (${version}); aux channel skipped` });
      continue;
    }
    const ch = Number(LEGACY_AUX_RE.exec(name)![1]);
    const a = readLegacyNdc(member(name), b, lay, lay.aux, lay.auxIds);
    columns.push(...auxColumns(a.data, index, () => ch));
    auxMembers++;
  }
  return { columns, unix, warnings, auxMembers };
}

function decodeXml(bytes: Uint8Array | undefined): Record<string, unknown> | undefined {
  if (!bytes) return undefined;
  let text: string;
  try {
    text = new TextDecoder('gb18030').decode(bytes);
  } catch {
    text = new TextDecoder('latin1').decode(bytes);
  }
  const { XMLParser } = xmlParser();
  try {
    return new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '', processEntities: false }).parse(text) as Record<string, unknown>;
  } catch {
    return undefined;
  }
}

function obj(v: unknown, ...keys: string[]): Record<string, unknown> | undefined {
  let cur: unknown = v;
  for (const k of keys) {
    if (!cur || typeof cur !== 'object') return undefined;
    cur = (cur as Record<string, unknown>)[k];
  }
  return cur && typeof cur === 'object' ? (cur as Record<string, unknown>) : undefined;
}

function str(o: Record<string, unknown> | undefined, k: string): string | undefined {
  const v = o?.[k];
  return typeof v === 'string' && v.trim() !== '' ? v.trim() : typeof v === 'number' ? String(v) : undefined;
}

export function parseNewareNdax({ path, bytes }: ParseInput): ParsedRecord[] {
  if (bytes.length === 0) throw new ParseError({ file: path, code: 'empty-file', offset: 0, message: 'empty .ndax file' });
  const entries = listZip(path, bytes);
  const names = entries.map((e) => e.name);
  if (!names.includes(MAIN)) {
    throw new ParseError({
      file: path,
      code: 'no-data',
      message: `.ndax archive has no ${MAIN} member`,
      expected: MAIN,
      found: names.join(', ') || '(empty archive)',
    });
  }
  const wanted = new Set([MAIN, RUNINFO, STEP, 'TestInfo.xml', 'VersionInfo.xml', ...names.filter((n) => AUX_RE.test(n) || LEGACY_AUX_RE.test(n))]);
  checkZipLimits(
    path,
    entries.filter((e) => wanted.has(e.name)),
  );
  const files = extractZip(path, bytes, wanted);
  const member = (n: string): string => `${path}!${n}`;
  const warnings: ParseWarning[] = [];

  const legacy = files[MAIN] && files[MAIN].length > 2 ? NDC_LEGACY_LAYOUTS[files[MAIN][2]!] : undefined;
  if (legacy) {
    const version = files[MAIN]![2]!;
    const r = parseLegacyNdax(path, names, files, version, legacy);
    const versionInfo = obj(decodeXml(files['VersionInfo.xml']), 'root', 'config', 'ZwjVersion');
    const testInfo = obj(decodeXml(files['TestInfo.xml']), 'root', 'config', 'TestInfo');
    const start = str(testInfo, 'StartTime');
    const meta: RecordMeta = {
      instrument: 'Neware BTS',
      software: 'BTS',
      ...(str(versionInfo, 'SvrVer') ? { softwareVersion: str(versionInfo, 'SvrVer') } : {}),
      ...(start && Number.isFinite(parseDateTime(start, 'ymd'))
        ? { startTime: start.replace(' ', 'T') }
        : r.unix && Number.isFinite(r.unix[0])
          ? { startTime: isoFromUnix(r.unix[0]!) }
          : {}),
      ...(str(testInfo, 'Barcode') ? { cellId: str(testInfo, 'Barcode') } : {}),
      ndcVersion: version,
      layout: legacy.main.id,
      auxMembers: r.auxMembers,
      capacityScope: 'step',
    };
    return [cyclerRecord(path, r.columns, meta, r.warnings)];
  }

  const main = readNdc(member(MAIN), files[MAIN]!, (v) => NDC_LAYOUTS[v]?.main) ?? unsupported(member(MAIN), files[MAIN]![2]!);
  if (main.fileType !== NDC_FILE_TYPE.main) {
    throw new ParseError({
      file: member(MAIN),
      code: 'invalid',
      offset: 0,
      message: `${MAIN} has file type ${main.fileType}`,
      expected: String(NDC_FILE_TYPE.main),
      found: String(main.fileType),
    });
  }
  const n = main.data.n;
  if (n === 0) throw new ParseError({ file: member(MAIN), code: 'no-data', offset: NDC_PAGE.size, message: 'data.ndc holds no valid rows' });
  const layouts = NDC_LAYOUTS[main.version]!;
  if (!files[RUNINFO]) {
    throw new ParseError({
      file: path,
      code: 'missing-column',
      message: `.ndax ndc ${main.version} keeps time in ${RUNINFO}, which is missing`,
      expected: RUNINFO,
      found: names.join(', '),
    });
  }
  const run =
    readNdc(member(RUNINFO), files[RUNINFO], (v) => (v === main.version ? layouts.runInfo : undefined)) ?? unsupported(member(RUNINFO), files[RUNINFO][2]!);

  // runInfo row for each main row index (first one wins: the writer repeats the first index).
  const runAt = new Map<number, number>();
  const rIndex = run.data.fields.index!;
  for (let k = 0; k < run.data.n; k++) if (!runAt.has(rIndex[k]!)) runAt.set(rIndex[k]!, k);

  const V = main.data.fields.voltage!;
  const I = main.data.fields.current!;
  const stepTime = new Float64Array(n).fill(NaN);
  const unix = new Float64Array(n).fill(NaN);
  const rawStep = new Float64Array(n).fill(NaN);
  const cap = [new Float64Array(n), new Float64Array(n), new Float64Array(n), new Float64Array(n)].map((a) => a.fill(NaN));
  const rf = run.data.fields;
  let k = -1;
  let j = 0;
  let dq = 0;
  let de = 0;
  let before = 0;
  for (let i = 0; i < n; i++) {
    const hit = runAt.get(main.slots[i]!);
    if (hit !== undefined) {
      k = hit;
      j = 0;
      dq = 0;
      de = 0;
    } else if (k >= 0) {
      j++;
      const dt = rf.dt![k]!;
      dq += (dt * I[i]!) / 3600;
      de += (dt * I[i]! * V[i]!) / 3600;
    }
    if (k < 0) {
      before++;
      continue;
    }
    const dt = rf.dt![k]!;
    stepTime[i] = rf.stepTime![k]! + j * dt;
    unix[i] = rf.unixS![k]! + rf.unixMs![k]! + j * dt;
    rawStep[i] = rf.stepCount![k]!;
    cap[0]![i] = Math.abs(rf.chargeCapacity![k]!) + Math.max(dq, 0);
    cap[1]![i] = Math.abs(rf.dischargeCapacity![k]!) - Math.min(dq, 0);
    cap[2]![i] = Math.abs(rf.chargeEnergy![k]!) + Math.max(de, 0);
    cap[3]![i] = Math.abs(rf.dischargeEnergy![k]!) - Math.min(de, 0);
  }
  if (before)
    warnings.push({ code: 'rows-before-runinfo', message: `${before} rows precede the first runInfo entry; their time and capacity are NaN`, rows: before });

  const stepCount = countChanges(rawStep);
  // Test time = running sum of step times (BTSDA "Total Time").
  const testTime = new Float64Array(n);
  let base = 0;
  for (let i = 0; i < n; i++) {
    if (i > 0 && stepCount[i] !== stepCount[i - 1]) base += Number.isFinite(stepTime[i - 1]!) ? stepTime[i - 1]! : 0;
    testTime[i] = base + stepTime[i]!;
  }

  const columns: Column[] = [
    { ...CYCLER.testTime, values: testTime },
    { ...CYCLER.unixTime, values: unix },
    { ...CYCLER.stepTime, values: stepTime },
    { ...CYCLER.voltage, values: Float64Array.from(V) },
    { ...CYCLER.current, values: Float64Array.from(I) },
    { ...CYCLER.step, values: stepCount },
    { ...CYCLER.recordIndex, values: main.slots },
    { ...CYCLER.chargeCapacity, values: cap[0]! },
    { ...CYCLER.dischargeCapacity, values: cap[1]! },
    { ...CYCLER.chargeEnergy, values: cap[2]! },
    { ...CYCLER.dischargeEnergy, values: cap[3]! },
  ];

  // Steps: row k of data_step.ndc is step count k+1.
  if (files[STEP]) {
    const steps = readNdc(member(STEP), files[STEP], (v) => (v === main.version ? layouts.step : undefined)) ?? unsupported(member(STEP), files[STEP][2]!);
    const cycle = new Int32Array(n);
    const stepIndex = new Int32Array(n);
    const status = new Float64Array(n);
    let missing = 0;
    for (let i = 0; i < n; i++) {
      const s = stepCount[i]! - 1;
      if (s < steps.data.n) {
        cycle[i] = steps.data.fields.cycle![s]! + 1;
        stepIndex[i] = steps.data.fields.stepIndex![s]!;
        status[i] = steps.data.fields.status![s]!;
      } else {
        missing++;
        status[i] = -1;
      }
    }
    if (missing)
      warnings.push({
        code: 'steps-missing',
        message: `${missing} rows belong to steps not listed in ${STEP}; cycle/step index 0, step type 'status -1'`,
        rows: missing,
      });
    columns.push({ ...CYCLER.cycle, values: cycle }, { ...CYCLER.stepIndex, values: stepIndex }, stepTypeColumn(status, warnings));
  } else {
    warnings.push({ code: 'member-missing', message: `${STEP} is missing: no cycle, step index or step type columns` });
  }

  // Aux channels: file name data_AUX_<RealChlID>_<ChlType-100>_<n>.ndc, described in TestInfo.xml.
  const testInfoXml = decodeXml(files['TestInfo.xml']);
  const testInfo = obj(testInfoXml, 'root', 'config', 'TestInfo');
  const auxDefs = Object.entries(testInfo ?? {})
    .filter(([key, v]) => /^Aux\d+$/.test(key) && v && typeof v === 'object')
    .map(([, v]) => v as Record<string, unknown>);
  const used = new Set<string>();
  for (const name of names.filter((x) => AUX_RE.test(x)).sort()) {
    const m = AUX_RE.exec(name)!;
    const chl = Number(m[1]);
    const type = Number(m[2]) + 100;
    const def = auxDefs.find((a) => Number(a.RealChlID) === chl && Number(a.ChlType) === type);
    const rows = readNdc(member(name), files[name]!, (v) => (v === main.version ? layouts.aux : undefined));
    if (!rows) {
      warnings.push({ code: 'aux-unsupported', message: `${name}: ndc version ${files[name]![2]} not supported; aux channel skipped` });
      continue;
    }
    const bySlot = new Map<number, number>();
    for (let r = 0; r < rows.data.n; r++) bySlot.set(rows.slots[r]!, rows.data.fields.value![r]!);
    const q = AUX_CHANNEL_TYPES[type];
    if (!q) warnings.push({ code: 'unknown-aux-type', message: `${name}: aux channel type ${type} is not in AUX_CHANNEL_TYPES; kept without unit` });
    let col = `${q?.name ?? `Aux Type ${type}`} ${def ? String(def.AuxID) : chl}`;
    if (used.has(col)) col = `${col} (chl ${chl})`;
    used.add(col);
    columns.push({ name: col, unit: q?.unit ?? '', values: Float64Array.from(main.slots, (s) => bySlot.get(s) ?? NaN) });
  }

  const versionInfo = obj(decodeXml(files['VersionInfo.xml']), 'root', 'config', 'ZwjVersion');
  const start = str(testInfo, 'StartTime');
  const startUnix = start ? parseDateTime(start, 'ymd') : NaN;
  const meta: RecordMeta = {
    instrument: 'Neware BTS',
    software: 'BTS',
    ...(str(versionInfo, 'SvrVer') ? { softwareVersion: str(versionInfo, 'SvrVer') } : {}),
    ...(str(testInfo, 'ChlID') ? { channel: `${str(testInfo, 'DevID') ?? '?'}-${str(testInfo, 'UnitID') ?? '?'}-${str(testInfo, 'ChlID')}` } : {}),
    ...(Number.isFinite(startUnix) ? { startTime: start!.replace(' ', 'T') } : Number.isFinite(unix[0]) ? { startTime: isoFromUnix(unix[0]!) } : {}),
    ...(str(testInfo, 'Barcode') ? { cellId: str(testInfo, 'Barcode') } : {}),
    ...(str(testInfo, 'StepName') ? { schedule: str(testInfo, 'StepName') } : {}),
    ...(str(versionInfo, 'CurrClientVer') ? { clientVersion: str(versionInfo, 'CurrClientVer') } : {}),
    ndcVersion: main.version,
    /** Capacities and energies restart at every step (BTSDA convention). */
    capacityScope: 'step',
  };
  return [cyclerRecord(path, columns, meta, warnings)];
}

export const newareNdax: FormatParser = {
  id: 'neware-ndax',
  family: 'cycler',
  kind: 'cycler',
  title: 'Neware BTS 8 .ndax archive (ndc 2, 5, 14, 17)',
  version: '1.1.0',
  extensions: ['.ndax'],
  sniff: sniffNewareNdax,
  parse: parseNewareNdax,
};
