/**
 * Neware BTS .nda binary (file version 130, BTS 9.1) → canonical cycler record.
 * Layout tables live in `neware.layout.ts`; this file only finds the data block and assembles columns.
 */
import type { Column, ParsedRecord, ParseWarning, RecordMeta } from '../../src/model/record.js';
import { ParseError } from '../../src/model/errors.js';
import { CYCLER } from '../../src/model/names.js';
import type { FormatParser, ParseInput, SniffInput } from '../types.js';
import { cyclerRecord } from './record.js';
import { isoFromUnix } from '../text/datetime.js';
import {
  NDA_HEADER, NDA_V130_AUX_TEMPERATURE, NDA_V130_RECORD, NDA_V130_SUBVERSION_BTS91, STATUS_CODES,
  decodeRecords, type Field,
} from './neware.layout.js';

const SUPPORTED_VERSIONS = '130 (BTS 9.1, sub-version 85)';

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
    throw new ParseError({ file: path, code: 'truncated', offset: bytes.length, message: '.nda header is incomplete', expected: `at least ${headerEnd} bytes`, found: `${bytes.length} bytes` });
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const version = bytes[NDA_HEADER.versionOffset]!;
  if (version !== 130) {
    throw new ParseError({
      file: path, code: 'unsupported-version', offset: NDA_HEADER.versionOffset,
      message: `.nda file version ${version} is not supported`, expected: SUPPORTED_VERSIONS, found: String(version),
    });
  }
  const sub = bytes[NDA_HEADER.subVersionOffset]!;
  if (sub !== NDA_V130_SUBVERSION_BTS91) {
    throw new ParseError({
      file: path, code: 'unsupported-version', offset: NDA_HEADER.subVersionOffset,
      message: `.nda v130 sub-version ${sub} is not supported (18 = BTS 9.0 is not implemented)`, expected: SUPPORTED_VERSIONS, found: String(sub),
    });
  }
  const begin = u64(view, NDA_HEADER.mainBeginOffset);
  const length = u64(view, NDA_HEADER.mainLengthOffset);
  if (begin !== NDA_HEADER.subVersionOffset || length <= 0) {
    throw new ParseError({ file: path, code: 'invalid', offset: NDA_HEADER.mainBeginOffset, message: 'main data block pointer is not usable', expected: `begin ${NDA_HEADER.subVersionOffset}, length > 0`, found: `begin ${begin}, length ${length}` });
  }
  if (begin + length > bytes.length) {
    throw new ParseError({
      file: path, code: 'truncated', offset: bytes.length,
      message: 'file ends inside the main data block (cut copy, or still being written)',
      expected: `${begin + length} bytes`, found: `${bytes.length} bytes`,
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
    throw new ParseError({ file: path, code: 'invalid', offset: begin, message: 'cannot determine the record length of the data block', expected: `a stride ≥ ${NDA_V130_RECORD.length} dividing ${length}`, found: String(stride) });
  }
  const warnings: ParseWarning[] = [];
  const starts: number[] = [];
  let skipped = 0;
  for (let o = begin; o + stride <= begin + length; o += stride) {
    if (bytes[o] === id0 && bytes[o + 1] === id1) starts.push(o);
    else skipped++;
  }
  if (skipped) warnings.push({ code: 'rows-skipped', message: `${skipped} records with another identifier than 0x${((id1 << 8) | id0).toString(16)} were skipped`, rows: skipped });
  const extra: Field[] = stride >= NDA_V130_AUX_TEMPERATURE.offset + 4 ? [NDA_V130_AUX_TEMPERATURE] : [];
  const d = decodeRecords(view, starts, NDA_V130_RECORD, extra);
  if (d.n === 0) throw new ParseError({ file: path, code: 'no-data', offset: begin, message: 'the data block holds no records' });

  // Records are written in index order; a resumed test may repeat some. Keep the first of each index.
  const order = [...Array(d.n).keys()].sort((a, b) => d.fields.index![a]! - d.fields.index![b]! || a - b);
  const keep: number[] = [];
  for (const i of order) if (!keep.length || d.fields.index![keep[keep.length - 1]!] !== d.fields.index![i]) keep.push(i);
  if (keep.length < d.n) warnings.push({ code: 'duplicate-records', message: `${d.n - keep.length} records repeat an earlier record index and were dropped`, rows: d.n - keep.length });
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

export const newareNda: FormatParser = {
  id: 'neware-nda',
  family: 'cycler',
  kind: 'cycler',
  title: 'Neware BTS 9.1 .nda binary',
  version: '1.0.0',
  extensions: ['.nda'],
  sniff: sniffNewareNda,
  parse: parseNewareNda,
};
