/**
 * Neware BTS .nda binary → canonical cycler record. File version 130/BTS 9.1 (variable stride, float
 * fields) has its own path, checked on a real file; versions 1–29, 129 and 130/BTS 9.0 are read from the
 * layout tables in `neware.layout.ts` (`NDA_LAYOUTS`), as the public readers fastnda and NewareNDA document them.
 * This file only finds the record block, picks data/aux records by identifier and assembles columns.
 */
import type { Column, ParsedRecord, ParseWarning, RecordMeta } from '../../src/records/record.js';
import { ParseError } from '../../src/records/errors.js';
import { CYCLER } from '../../src/records/names.js';
import type { FormatParser, ParseInput, SniffInput } from '../types.js';
import { cyclerRecord } from './record.js';
import { isoFromUnix } from '../text/datetime.js';
import {
  CURRENT_RANGE_SCALE,
  NDA_HEADER,
  NDA_LAYOUTS,
  NDA_LEGACY_HEADER,
  NDA_V130_AUX_TEMPERATURE,
  NDA_V130_BTS90,
  NDA_V130_RECORD,
  NDA_V130_SUBVERSION_BTS90,
  NDA_V130_SUBVERSION_BTS91,
  STATUS_CODES,
  decodeRecords,
  ndaLayoutFor,
  rangeRuleMultiplier,
  type DecodedRecords,
  type Field,
  type NdaCycleMode,
  type NdaLayout,
  type NdaLocate,
  type RecordLayout,
} from './neware.layout.js';

const SUPPORTED_VERSIONS = `${[...new Set(NDA_LAYOUTS.flatMap((l) => l.versions))].sort((a, b) => a - b).join(', ')}, 129, 130 (BTS 9.0 sub-version 18, BTS 9.1 sub-version 85)`;

export function sniffNewareNda(input: SniffInput): number {
  const h = input.headText;
  if (!h.startsWith(NDA_HEADER.magic)) return 0;
  return h.length > NDA_HEADER.versionOffset ? 0.95 : 0.7;
}

/** Status codes → categorical Step Type; an unknown code becomes `status <n>` and one warning naming it. */
export function stepTypeColumn(codes: Float64Array, warnings: ParseWarning[]): Column {
  const levels: string[] = [];
  const index = new Map<number, number>();
  const out = new Int32Array(codes.length);
  const unknown = new Map<number, number>();
  for (let i = 0; i < codes.length; i++) {
    const c = codes[i]!;
    let k = index.get(c);
    if (k === undefined) {
      const name = STATUS_CODES[c];
      if (name === undefined) unknown.set(c, 0);
      k = levels.length;
      levels.push(name ?? `status ${c}`);
      index.set(c, k);
    }
    if (unknown.has(c)) unknown.set(c, unknown.get(c)! + 1);
    out[i] = k;
  }
  for (const [c, rows] of unknown) {
    warnings.push({ code: 'unknown-status-code', message: `Neware status code ${c} is not in STATUS_CODES; kept as step type 'status ${c}'`, rows });
  }
  return { ...CYCLER.stepType, values: out, levels };
}

/** 1-based counter that increments whenever `key` changes (BTSDA's step numbering). */
export function countChanges(key: Float64Array): Int32Array {
  const out = new Int32Array(key.length);
  let n = 0;
  for (let i = 0; i < key.length; i++) {
    if (i === 0 || key[i] !== key[i - 1]) n++;
    out[i] = n;
  }
  return out;
}

/** Split a signed step quantity into the charge (≥0) and discharge (≥0) parts. */
export function splitSigned(v: Float64Array): [Float64Array, Float64Array] {
  const pos = new Float64Array(v.length);
  const neg = new Float64Array(v.length);
  for (let i = 0; i < v.length; i++) {
    const x = v[i]!;
    if (x >= 0) pos[i] = x;
    else neg[i] = -x;
  }
  return [pos, neg];
}

/** Step time from test time: time since the end of the previous step. */
export function stepTimeFrom(testTime: Float64Array, stepCount: Int32Array): Float64Array {
  const out = new Float64Array(testTime.length);
  let base = 0;
  let last = 0;
  for (let i = 0; i < testTime.length; i++) {
    if (i > 0 && stepCount[i] !== stepCount[i - 1]) base = last;
    last = Math.max(last, testTime[i]!);
    out[i] = testTime[i]! - base;
  }
  return out;
}

function u64(view: DataView, offset: number): number {
  return Number(view.getBigUint64(offset, true));
}

export function parseNewareNda({ path, bytes }: ParseInput): ParsedRecord[] {
  if (bytes.length === 0) throw new ParseError({ file: path, code: 'empty-file', offset: 0, message: 'empty .nda file' });
  const magic = String.fromCharCode(...bytes.subarray(0, 6));
  if (magic !== NDA_HEADER.magic) {
    throw new ParseError({ file: path, code: 'bad-magic', offset: 0, message: 'not a Neware .nda file', expected: NDA_HEADER.magic, found: magic });
  }
  const headerEnd = NDA_HEADER.subVersionOffset + 2;
  if (bytes.length < headerEnd) {
    throw new ParseError({
      file: path,
      code: 'truncated',
      offset: bytes.length,
      message: '.nda header is incomplete',
      expected: `at least ${headerEnd} bytes`,
      found: `${bytes.length} bytes`,
    });
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const version = bytes[NDA_HEADER.versionOffset]!;
  if (version !== 130) {
    const layout = ndaLayoutFor(version);
    if (!layout) {
      throw new ParseError({
        file: path,
        code: 'unsupported-version',
        offset: NDA_HEADER.versionOffset,
        message: `.nda file version ${version} is not supported`,
        expected: SUPPORTED_VERSIONS,
        found: String(version),
      });
    }
    return parseLayoutNda(path, bytes, view, version, layout);
  }
  const sub = bytes[NDA_HEADER.subVersionOffset]!;
  if (sub === NDA_V130_SUBVERSION_BTS90) return parseLayoutNda(path, bytes, view, version, NDA_V130_BTS90, sub);
  if (sub !== NDA_V130_SUBVERSION_BTS91) {
    throw new ParseError({
      file: path,
      code: 'unsupported-version',
      offset: NDA_HEADER.subVersionOffset,
      message: `.nda v130 sub-version ${sub} is not supported (known: 18 = BTS 9.0, 85 = BTS 9.1)`,
      expected: SUPPORTED_VERSIONS,
      found: String(sub),
    });
  }
  const begin = u64(view, NDA_HEADER.mainBeginOffset);
  const length = u64(view, NDA_HEADER.mainLengthOffset);
  if (begin !== NDA_HEADER.subVersionOffset || length <= 0) {
    throw new ParseError({
      file: path,
      code: 'invalid',
      offset: NDA_HEADER.mainBeginOffset,
      message: 'main data block pointer is not usable',
      expected: `begin ${NDA_HEADER.subVersionOffset}, length > 0`,
      found: `begin ${begin}, length ${length}`,
    });
  }
  if (begin + length > bytes.length) {
    throw new ParseError({
      file: path,
      code: 'truncated',
      offset: bytes.length,
      message: 'file ends inside the main data block (cut copy, or still being written)',
      expected: `${begin + length} bytes`,
      found: `${bytes.length} bytes`,
    });
  }
  // Stride: distance to the next record identifier (56 for TestFile.nda).
  const id0 = bytes[begin]!;
  const id1 = bytes[begin + 1]!;
  let stride = -1;
  for (let o = begin + NDA_V130_RECORD.length; o < Math.min(begin + 512, begin + length - 1); o++) {
    if (bytes[o] === id0 && bytes[o + 1] === id1) {
      stride = o - begin;
      break;
    }
  }
  if (stride < 0 && length === NDA_V130_RECORD.length) stride = length;
  if (stride < NDA_V130_RECORD.length || length % stride !== 0) {
    throw new ParseError({
      file: path,
      code: 'invalid',
      offset: begin,
      message: 'cannot determine the record length of the data block',
      expected: `a stride ≥ ${NDA_V130_RECORD.length} dividing ${length}`,
      found: String(stride),
    });
  }
  const warnings: ParseWarning[] = [];
  const starts: number[] = [];
  let skipped = 0;
  for (let o = begin; o + stride <= begin + length; o += stride) {
    if (bytes[o] === id0 && bytes[o + 1] === id1) starts.push(o);
    else skipped++;
  }
  if (skipped)
    warnings.push({
      code: 'rows-skipped',
      message: `${skipped} records with another identifier than 0x${((id1 << 8) | id0).toString(16)} were skipped`,
      rows: skipped,
    });
  const extra: Field[] = stride >= NDA_V130_AUX_TEMPERATURE.offset + 4 ? [NDA_V130_AUX_TEMPERATURE] : [];
  const d = decodeRecords(view, starts, NDA_V130_RECORD, extra);
  if (d.n === 0) throw new ParseError({ file: path, code: 'no-data', offset: begin, message: 'the data block holds no records' });

  // Records are written in index order; a resumed test may repeat some. Keep the first of each index.
  const order = [...Array(d.n).keys()].sort((a, b) => d.fields.index![a]! - d.fields.index![b]! || a - b);
  const keep: number[] = [];
  for (const i of order) if (!keep.length || d.fields.index![keep[keep.length - 1]!] !== d.fields.index![i]) keep.push(i);
  if (keep.length < d.n)
    warnings.push({
      code: 'duplicate-records',
      message: `${d.n - keep.length} records repeat an earlier record index and were dropped`,
      rows: d.n - keep.length,
    });
  const pick = (name: string): Float64Array => Float64Array.from(keep, (i) => d.fields[name]![i]!);

  const testTime = pick('totalTimeS');
  const ns = pick('totalTimeNs');
  for (let i = 0; i < testTime.length; i++) testTime[i]! += ns[i]!;
  const unix = pick('unixS');
  const uns = pick('unixNs');
  for (let i = 0; i < unix.length; i++) unix[i]! += uns[i]!;
  const stepIndex = pick('stepIndex');
  const stepCount = countChanges(stepIndex);
  const cycle = pick('cycle');
  for (let i = 0; i < cycle.length; i++) cycle[i]! += 1;
  const [chgCap, dchgCap] = splitSigned(pick('capacity'));
  const [chgEn, dchgEn] = splitSigned(pick('energy'));

  const columns: Column[] = [
    { ...CYCLER.testTime, values: testTime },
    { ...CYCLER.unixTime, values: unix },
    { ...CYCLER.stepTime, values: stepTimeFrom(testTime, stepCount) },
    { ...CYCLER.voltage, values: pick('voltage') },
    { ...CYCLER.current, values: pick('current') },
    { ...CYCLER.cycle, values: Int32Array.from(cycle) },
    { ...CYCLER.step, values: stepCount },
    { ...CYCLER.stepIndex, values: Int32Array.from(stepIndex) },
    stepTypeColumn(pick('status'), warnings),
    { ...CYCLER.recordIndex, values: Int32Array.from(pick('index')) },
    { ...CYCLER.chargeCapacity, values: chgCap },
    { ...CYCLER.dischargeCapacity, values: dchgCap },
    { ...CYCLER.chargeEnergy, values: chgEn },
    { ...CYCLER.dischargeEnergy, values: dchgEn },
  ];
  if (extra.length) columns.push({ name: 'Aux Temperature', unit: 'degC', values: pick('auxTemperature') });

  const head = String.fromCharCode(...bytes.subarray(0, 1024));
  const sw = /\d+(?:\.[\dA-Za-z]+){4,}/.exec(head)?.[0];
  const meta: RecordMeta = {
    instrument: 'Neware BTS',
    software: 'BTS',
    ...(sw ? { softwareVersion: sw } : {}),
    startTime: isoFromUnix(unix[0]!),
    ndaVersion: version,
    ndaSubVersion: sub,
    recordLength: stride,
    /** Capacities and energies restart at every step (BTSDA convention). */
    capacityScope: 'step',
  };
  return [cyclerRecord(path, columns, meta, warnings)];
}

// ---------------------------------------------------------------------------------------------
// Table-driven versions (1–29, 129, 130/BTS 9.0): locate the block, pick data/aux records by identifier,
// decode with the layout table, then assemble the canonical columns.
// ---------------------------------------------------------------------------------------------

function truncated(path: string, offset: number, message: string, expected: string, found: string): ParseError {
  return new ParseError({ file: path, code: 'truncated', offset, message, expected, found });
}

/** [begin, end) of a record block; errors name the header offset they come from. */
function locateBlock(path: string, bytes: Uint8Array, view: DataView, loc: NdaLocate, rec: RecordLayout, validIds: readonly number[]): [number, number] {
  const recordLength = rec.length;
  const idOffset = rec.fields.find((f) => f.name === 'identifier')?.offset ?? 0;
  if (loc.kind === 'pattern') {
    let p = -1;
    for (let from = 0; ; from = p + 1) {
      p = indexOfBytes(bytes, loc.bytes, from);
      if (p < 0) break;
      // The record after the candidate must start with a known identifier (or the file ends): a header
      // byte run that happens to match is skipped.
      const next = p + recordLength;
      if (next + idOffset >= bytes.length || validIds.includes(bytes[next + idOffset]!)) break;
    }
    if (p < 0) {
      throw new ParseError({
        file: path,
        code: 'no-data',
        offset: 0,
        message: 'the start of the record block was not found',
        expected: `bytes ${loc.bytes.map((b) => b.toString(16).padStart(2, '0')).join(' ')}`,
        found: 'no match',
      });
    }
    return [p, bytes.length];
  }
  const w = loc.kind === 'pointer32' ? 4 : 8;
  if (bytes.length < loc.offset + 2 * w) {
    throw truncated(path, bytes.length, '.nda header is incomplete', `at least ${loc.offset + 2 * w} bytes`, `${bytes.length} bytes`);
  }
  const rd = (o: number): number => (w === 4 ? view.getUint32(o, true) : Number(view.getBigUint64(o, true)));
  const begin = rd(loc.offset);
  const length = loc.useLength ? rd(loc.offset + w) : 0;
  if (begin < loc.offset + 2 * w) {
    throw new ParseError({
      file: path,
      code: 'invalid',
      offset: loc.offset,
      message: 'record block pointer is not usable',
      expected: `begin after byte ${loc.offset + 2 * w}`,
      found: `begin ${begin}`,
    });
  }
  if (begin >= bytes.length) {
    throw truncated(path, bytes.length, 'file ends before the record block the header points to', `more than ${begin} bytes`, `${bytes.length} bytes`);
  }
  if (length && begin + length > bytes.length) {
    throw truncated(
      path,
      bytes.length,
      'file ends inside the record block (cut copy, or still being written)',
      `${begin + length} bytes`,
      `${bytes.length} bytes`,
    );
  }
  return [begin, length ? begin + length : bytes.length];
}

function indexOfBytes(hay: Uint8Array, needle: readonly number[], from: number): number {
  outer: for (let i = from; i + needle.length <= hay.length; i++) {
    for (let k = 0; k < needle.length; k++) if (hay[i + k] !== needle[k]) continue outer;
    return i;
  }
  return -1;
}

/** Record starts in [begin, end) of one identifier class; a cut last record that looks like a record is an error. */
function recordStarts(
  path: string,
  bytes: Uint8Array,
  begin: number,
  end: number,
  layout: RecordLayout,
  ids: readonly number[],
  auxIds: readonly number[],
): { data: number[]; aux: number[]; other: number } {
  const L = layout.length;
  const idField = layout.fields.find((f) => f.name === 'identifier');
  const data: number[] = [];
  const aux: number[] = [];
  let other = 0;
  let o = begin;
  for (; o + L <= end; o += L) {
    if (!idField) {
      data.push(o);
      continue;
    }
    const id = bytes[o + idField.offset]!;
    if (ids.includes(id)) data.push(o);
    else if (auxIds.includes(id)) aux.push(o);
    else other++;
  }
  if (o < end && (!idField || [...ids, ...auxIds].includes(bytes[o + idField.offset] ?? -1))) {
    throw truncated(path, o, `the last ${L}-byte record is cut after ${end - o} bytes`, `${L} bytes from offset ${o}`, `${end - o} bytes`);
  }
  return { data, aux, other };
}

/** Options for `assembleLayoutRecords`: how the raw fields of one layout become canonical columns. */
export interface AssembleOptions {
  readonly cycle?: NdaCycleMode;
  readonly capacity: 'split' | 'by-step';
  readonly range: 'record' | 'header' | 'none';
  /** The file's own range (header), used for `header` and for record ranges of 0. */
  readonly headerRange?: number;
  readonly statusRemap?: Readonly<Record<number, number>>;
}

function multiplierFor(range: number, unknown: Map<number, number>): number {
  const m = CURRENT_RANGE_SCALE[range];
  if (m !== undefined) return m;
  unknown.set(range, (unknown.get(range) ?? 0) + 1);
  return rangeRuleMultiplier(range);
}

/**
 * Decoded integer/float records (field names as in neware.layout.ts) → canonical cycler columns.
 * Shared by the table-driven .nda versions and the self-contained .ndc 2/5 members of old .ndax files.
 */
export function assembleLayoutRecords(
  d: DecodedRecords,
  o: AssembleOptions,
  warnings: ParseWarning[],
): { columns: Column[]; index: Float64Array; unix: Float64Array | undefined } {
  const f = d.fields;
  // Written in index order; a resumed test may repeat some records. Keep the first of each index.
  let keep = [...Array(d.n).keys()];
  if (f.index) {
    keep = keep.filter((i) => f.index![i]! !== 0).sort((a, b) => f.index![a]! - f.index![b]! || a - b);
    const k2: number[] = [];
    for (const i of keep) if (!k2.length || f.index[k2[k2.length - 1]!] !== f.index[i]) k2.push(i);
    if (k2.length < keep.length)
      warnings.push({
        code: 'duplicate-records',
        message: `${keep.length - k2.length} records repeat an earlier record index and were dropped`,
        rows: keep.length - k2.length,
      });
    keep = k2;
  }
  const n = keep.length;
  const pick = (name: string): Float64Array | undefined => (f[name] ? Float64Array.from(keep, (i) => f[name]![i]!) : undefined);
  const index = pick('index') ?? Float64Array.from({ length: n }, (_, i) => i + 1);

  // Current range → multiplier per row.
  const mult = new Float64Array(n).fill(1);
  if (o.range !== 'none') {
    const unknown = new Map<number, number>();
    const rr = o.range === 'record' ? pick('range') : undefined;
    for (let i = 0; i < n; i++) {
      const r = rr && rr[i] !== 0 ? rr[i]! : (o.headerRange ?? 0);
      mult[i] = multiplierFor(r, unknown);
    }
    for (const [r, rows] of unknown) {
      warnings.push({
        code: 'unknown-current-range',
        message: `current range ${r} is not in CURRENT_RANGE_SCALE; used fastnda's rule (× ${rangeRuleMultiplier(r)} mA per unit)`,
        rows,
      });
    }
  }
  const scaled = (name: string): Float64Array | undefined => {
    const v = pick(name);
    if (v) for (let i = 0; i < n; i++) v[i]! *= mult[i]!;
    return v;
  };
  const current = scaled('current')!;
  const status = pick('status') ?? new Float64Array(n).fill(-1);
  if (o.statusRemap) for (let i = 0; i < n; i++) status[i] = o.statusRemap[status[i]!] ?? status[i]!;

  // Step Count: +1 whenever the program step or the step-change counter changes.
  const si = pick('stepIndex') ?? new Float64Array(n);
  const jump = pick('jump');
  const key = Float64Array.from(si, (x, i) => x * 256 + (jump ? jump[i]! : 0));
  const stepCount = countChanges(key);

  // Step time (stored) and Test Time = running sum of step times (BTSDA "Total Time").
  const stepTime = pick('stepTime') ?? new Float64Array(n).fill(NaN);
  const ns = pick('stepTimeNs');
  if (ns) for (let i = 0; i < n; i++) stepTime[i]! += ns[i]!;
  for (let i = 0; i < n; i++) if (!(Math.abs(stepTime[i]!) < 4e12)) stepTime[i] = NaN; // corrupt: no real duration
  const testTime = new Float64Array(n);
  let base = 0;
  for (let i = 0; i < n; i++) {
    if (i > 0 && stepCount[i] !== stepCount[i - 1] && Number.isFinite(stepTime[i - 1])) base += stepTime[i - 1]!;
    testTime[i] = base + stepTime[i]!;
  }

  // Wall clock: unix seconds, or Y/M/D h:m:s read as UTC wall-clock (no zone in the file).
  let unix = pick('unixS');
  const year = pick('year');
  if (!unix && year) {
    const [mo, da, h, mi, se] = ['month', 'day', 'hour', 'minute', 'second'].map((k) => pick(k)!);
    unix = Float64Array.from(year, (y, i) => (y > 0 && mo![i]! >= 1 ? Date.UTC(y, mo![i]! - 1, da![i]!, h![i]!, mi![i]!, se![i]!) / 1000 : NaN));
  }
  // A value no Date can hold (a corrupt record) is not a time (bounds keep unix − test time a valid Date too).
  if (unix) for (let i = 0; i < n; i++) if (!(Math.abs(unix[i]!) < 4e12)) unix[i] = NaN;
  for (let i = 0; i < n; i++) if (!(Math.abs(testTime[i]!) < 4e12)) testTime[i] = NaN;

  // Capacities / energies.
  let chg: Float64Array;
  let dchg: Float64Array;
  let chgE: Float64Array;
  let dchgE: Float64Array;
  const abs = (v: Float64Array | undefined): Float64Array => (v ? v.map(Math.abs) : new Float64Array(n));
  if (o.capacity === 'split') {
    chg = abs(scaled('chargeCapacity'));
    dchg = abs(scaled('dischargeCapacity'));
    chgE = abs(scaled('chargeEnergy'));
    dchgE = abs(scaled('dischargeEnergy'));
  } else {
    const cap = abs(scaled('capacity'));
    const en = f.energy ? abs(scaled('energy')) : undefined;
    chg = new Float64Array(n);
    dchg = new Float64Array(n);
    chgE = new Float64Array(n);
    dchgE = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      const name = STATUS_CODES[status[i]!] ?? '';
      const isD = name.endsWith('_DChg') || (!name.endsWith('_Chg') && current[i]! < 0);
      (isD ? dchg : chg)[i] = cap[i]!;
      if (en) (isD ? dchgE : chgE)[i] = en[i]!;
    }
  }

  const columns: Column[] = [
    { ...CYCLER.testTime, values: testTime },
    ...(unix ? [{ ...CYCLER.unixTime, values: unix }] : []),
    { ...CYCLER.stepTime, values: stepTime },
    { ...CYCLER.voltage, values: pick('voltage')! },
    { ...CYCLER.current, values: current },
    { ...CYCLER.step, values: stepCount },
    { ...CYCLER.stepIndex, values: Int32Array.from(si) },
    stepTypeColumn(status, warnings),
    { ...CYCLER.recordIndex, values: Int32Array.from(index) },
    { ...CYCLER.chargeCapacity, values: chg },
    { ...CYCLER.dischargeCapacity, values: dchg },
    ...(f.energy || f.chargeEnergy
      ? [
          { ...CYCLER.chargeEnergy, values: chgE },
          { ...CYCLER.dischargeEnergy, values: dchgE },
        ]
      : []),
  ];
  const cyc = pick('cycle');
  if (cyc && o.cycle) {
    const out = o.cycle === 'count-changes' ? countChanges(cyc) : Int32Array.from(cyc, (c) => (o.cycle === 'zero-based' ? c + 1 : c));
    columns.push({ ...CYCLER.cycle, values: out });
  }
  return { columns, index, unix };
}

/** Aux records (by record index) → one column per channel and quantity that has any non-zero value. */
export function auxColumns(d: DecodedRecords, index: Float64Array, channelOf: (row: number) => number): Column[] {
  const quantities: [string, string, string][] = [
    ['auxVoltage', 'Aux Voltage', 'V'],
    ['auxTemperature', 'Aux Temperature', 'degC'],
    ['auxTemperatureSetpoint', 'Aux Temperature Setpoint', 'degC'],
  ];
  const pos = new Map<number, number>();
  for (let i = 0; i < index.length; i++) pos.set(index[i]!, i);
  const channels = [...new Set(Array.from({ length: d.n }, (_, r) => channelOf(r)))].sort((a, b) => a - b);
  const out: Column[] = [];
  for (const ch of channels) {
    for (const [field, name, unit] of quantities) {
      const src = d.fields[field];
      if (!src) continue;
      const values = new Float64Array(index.length).fill(NaN);
      let any = false;
      for (let r = 0; r < d.n; r++) {
        if (channelOf(r) !== ch) continue;
        const i = pos.get(d.fields.index![r]!);
        if (i === undefined) continue;
        values[i] = src[r]!;
        if (src[r] !== 0) any = true;
      }
      if (any) out.push({ name: `${name} ${ch}`, unit, values });
    }
  }
  return out;
}

function cycleMode(layout: NdaLayout, version: number): NdaCycleMode | undefined {
  const c = layout.cycle;
  return c === undefined || typeof c === 'string' ? c : c[version];
}

function parseLayoutNda(path: string, bytes: Uint8Array, view: DataView, version: number, layout: NdaLayout, sub?: number): ParsedRecord[] {
  const rec = layout.record;
  const dataIds = layout.dataIds ?? [];
  const auxIds = layout.aux?.ids ?? [];
  const inlineAux = layout.aux && !layout.aux.locate ? auxIds : [];
  const [begin, end] = locateBlock(path, bytes, view, layout.locate, rec, [...dataIds, ...inlineAux, 0xaa]);
  const { data, aux, other } = recordStarts(path, bytes, begin, end, rec, dataIds, inlineAux);
  const d = decodeRecords(view, data, rec);
  const warnings: ParseWarning[] = [];
  if (!layout.verifiedUpstream) {
    warnings.push({
      code: 'layout-unverified',
      message: `.nda version ${version} is read with layout ${rec.id} as ${layout.source} documents it; no real file of this version has confirmed it (there or here)`,
    });
  }
  let headerRange: number | undefined;
  if (layout.range !== 'none') {
    const p = NDA_LEGACY_HEADER.rangeBlockPointer;
    const blk = bytes.length >= p + 4 ? view.getUint32(p, true) : 0;
    if (blk && blk + NDA_LEGACY_HEADER.rangeInBlock + 4 <= bytes.length) headerRange = view.getInt32(blk + NDA_LEGACY_HEADER.rangeInBlock, true);
  }
  const opts: AssembleOptions = {
    capacity: layout.capacity,
    range: layout.range,
    ...(cycleMode(layout, version) ? { cycle: cycleMode(layout, version)! } : {}),
    ...(headerRange !== undefined ? { headerRange } : {}),
    ...(layout.statusRemap ? { statusRemap: layout.statusRemap } : {}),
  };
  const { columns, index, unix } = assembleLayoutRecords(d, opts, warnings);
  if (index.length === 0)
    throw new ParseError({ file: path, code: 'no-data', offset: begin, message: `the record block holds no data records (layout ${rec.id})` });

  // Aux channel records: inline (same block) or in their own block.
  if (layout.aux) {
    let auxStarts = aux;
    if (layout.aux.locate && layout.aux.locate.kind !== 'pattern') {
      const w = layout.aux.locate.kind === 'pointer32' ? 4 : 8;
      const at = layout.aux.locate.offset;
      const len = bytes.length >= at + 2 * w ? (w === 4 ? view.getUint32(at + 4, true) : Number(view.getBigUint64(at + 8, true))) : 0;
      if (len) {
        const [ab, ae] = locateBlock(path, bytes, view, layout.aux.locate, layout.aux.record, auxIds);
        auxStarts = recordStarts(path, bytes, ab, ae, layout.aux.record, auxIds, []).data;
      }
    }
    if (auxStarts.length) {
      const a = decodeRecords(view, auxStarts, layout.aux.record);
      columns.push(...auxColumns(a, index, (r) => a.fields.auxChannel?.[r] ?? 0));
    }
  }

  const head = String.fromCharCode(...bytes.subarray(0, Math.min(bytes.length, 2048)));
  const sw = /\d+(?:\.[\dA-Za-z]+){4,}/.exec(head)?.[0] ?? /BTS_XWJ[\x20-\x7e]*/.exec(head)?.[0];
  const meta: RecordMeta = {
    instrument: 'Neware BTS',
    software: 'BTS',
    ...(sw ? { softwareVersion: sw } : {}),
    ...(unix && Number.isFinite(unix[0]) ? { startTime: isoFromUnix(unix[0]!) } : {}),
    ndaVersion: version,
    ...(sub !== undefined ? { ndaSubVersion: sub } : {}),
    layout: rec.id,
    layoutSource: layout.source,
    recordLength: rec.length,
    ...(other ? { otherRecords: other } : {}),
    capacityScope: 'step',
  };
  return [cyclerRecord(path, columns, meta, warnings)];
}

export const newareNda: FormatParser = {
  id: 'neware-nda',
  family: 'cycler',
  kind: 'cycler',
  title: 'Neware BTS .nda binary (file versions 1–29, 129, 130)',
  version: '1.1.0',
  extensions: ['.nda'],
  sniff: sniffNewareNda,
  parse: parseNewareNda,
};
