/**
 * Neware binary layouts (.nda and the .ndc members of .ndax), declared as data, plus the ONE generic
 * decoder that reads them. When a firmware changes a layout the diff is one new table here.
 *
 * Sources for the layouts: the public readers NewareNDA (Solid-Energy-Systems) and fastnda
 * (g-kimbell / EmpaEconversion) describe these structs; every offset below was re-checked by hand on
 * the fixture named in its comment (files under shared/real-data/cycler/). No code was copied.
 */

export type FieldType = 'u8' | 'u16le' | 'i16le' | 'u32le' | 'i32le' | 'u64le' | 'i64le' | 'f32le' | 'f64le';

export const FIELD_SIZE: Readonly<Record<FieldType, number>> = {
  u8: 1, u16le: 2, i16le: 2, u32le: 4, i32le: 4, u64le: 8, i64le: 8, f32le: 4, f64le: 8,
};

/** One field of a fixed-length record. `scale` multiplies the raw value; `unit` is the unit AFTER scaling. */
export interface Field {
  readonly name: string;
  readonly offset: number;
  readonly type: FieldType;
  readonly scale?: number;
  readonly unit?: string;
}

export interface RecordLayout {
  readonly id: string;
  /** Bytes per record (fields must lie inside). */
  readonly length: number;
  readonly fields: readonly Field[];
}

// ---------------------------------------------------------------------------------------------
// .nda, file version 130 (BTS 9.1; the byte at 1024 is the record identifier 0x55).
// Header: a directory of {u64 begin, u64 length} pairs; the main data block's pair is at 82/90.
// Proved on newarenda__TestFile.nda: begin=1024, length=373520 = 6670 x 56-byte records, and the
// next block (at 18) begins exactly at 1024+373520.
// ---------------------------------------------------------------------------------------------
export const NDA_HEADER = {
  magic: 'NEWARE',
  /** u8 file version. */
  versionOffset: 14,
  /** u64 begin / u64 length of the main data block (v130). */
  mainBeginOffset: 82,
  mainLengthOffset: 90,
  /** v130 sub-version byte = first byte of the first record (85 = BTS 9.1). */
  subVersionOffset: 1024,
} as const;

export const NDA_V130_SUBVERSION_BTS91 = 85;

/**
 * v130/BTS 9.1 record. 52 bytes of fields; records of 56+ bytes carry an aux temperature at 52
 * (TestFile.nda: stride 56, first record 23.03 degC). Stride is found from the next identifier.
 */
export const NDA_V130_RECORD: RecordLayout = {
  id: 'nda-130-bts9.1',
  length: 52,
  fields: [
    { name: 'identifier', offset: 0, type: 'u16le' },
    { name: 'stepIndex', offset: 2, type: 'u8' },
    { name: 'status', offset: 3, type: 'u8' }, //             TestFile.nda: 4 (Rest) at record 1
    { name: 'index', offset: 8, type: 'u32le' }, //            TestFile.nda: 1, 2, 3, ...
    { name: 'totalTimeS', offset: 12, type: 'u32le', unit: 's' },
    { name: 'totalTimeNs', offset: 16, type: 'u32le', scale: 1e-9, unit: 's' }, // TestFile.nda: 1e7 ns
    { name: 'current', offset: 20, type: 'f32le', scale: 1e-3, unit: 'A' }, //    stored mA
    { name: 'voltage', offset: 24, type: 'f32le', unit: 'V' }, //                 TestFile.nda: 3.882 V
    { name: 'capacity', offset: 28, type: 'f32le', scale: 1 / 3.6e6, unit: 'Ah' }, // stored mA·s, signed
    { name: 'energy', offset: 32, type: 'f32le', scale: 1 / 3.6e6, unit: 'Wh' }, //   stored mW·s, signed
    { name: 'cycle', offset: 36, type: 'u32le' }, //                             0-based
    { name: 'unixS', offset: 44, type: 'u32le', unit: 's' }, //                   TestFile.nda: 2024-05-27
    { name: 'unixNs', offset: 48, type: 'u32le', scale: 1e-9, unit: 's' },
  ],
};

export const NDA_V130_AUX_TEMPERATURE: Field = { name: 'auxTemperature', offset: 52, type: 'f32le', unit: 'degC' };

// ---------------------------------------------------------------------------------------------
// .ndc (members of .ndax). Every .ndc is pages of 4096 bytes; page 0 is the file header
// (byte 0 = file type, byte 2 = ndc version). In each data page, a validity bitmask starts at byte 4
// and rows start at byte 132; one byte at the page end is never data.
// Proved on both .ndax fixtures: data.ndc pages hold 495 8-byte rows, aux pages 990 4-byte rows,
// and the number of set bits equals the number of rows the runInfo indexes refer to.
// ---------------------------------------------------------------------------------------------
export const NDC_PAGE = { size: 4096, bitmaskOffset: 4, dataOffset: 132, endPad: 1 } as const;

export const NDC_FILE_TYPE = { main: 1, aux: 5, step: 7, runInfo: 18 } as const;

/** ndc versions whose layouts are declared here (14: BTS 8.0 2023 fixture, 17: BTS 8.0 2025 fixture). */
export const NDC_SUPPORTED_VERSIONS = [14, 17] as const;

/** Main data, ndc 14 and 17: voltage and current as float32, current stored in A. */
export const NDC_MAIN_V14: RecordLayout = {
  id: 'ndc-main-14',
  length: 8,
  fields: [
    { name: 'voltage', offset: 0, type: 'f32le', unit: 'V' }, //  Unit27 fixture: 2.98299 V at row 1
    { name: 'current', offset: 4, type: 'f32le', unit: 'A' },
  ],
};

/** runInfo rows: times and cumulative step capacities/energies, written sparsely (e.g. every 61 rows). */
const RUNINFO_FIELDS: readonly Field[] = [
  { name: 'stepTime', offset: 0, type: 'u32le', scale: 1e-3, unit: 's' },
  { name: 'chargeCapacity', offset: 5, type: 'f32le', unit: 'Ah' },
  { name: 'dischargeCapacity', offset: 9, type: 'f32le', unit: 'Ah' },
  { name: 'chargeEnergy', offset: 13, type: 'f32le', unit: 'Wh' },
  { name: 'dischargeEnergy', offset: 17, type: 'f32le', unit: 'Wh' },
  { name: 'dt', offset: 29, type: 'i32le', scale: 1e-3, unit: 's' }, //        Unit27: 1000 ms logging
  { name: 'unixS', offset: 33, type: 'u32le', unit: 's' }, //                  Unit27: 1731933825 = 2024-11-18
  { name: 'stepCount', offset: 37, type: 'u32le' },
  { name: 'index', offset: 41, type: 'u32le' }, //                             Unit27: 1, 2, 63, 124, ...
  { name: 'unixMs', offset: 45, type: 'u16le', scale: 1e-3, unit: 's' },
];
export const NDC_RUNINFO_V14: RecordLayout = { id: 'ndc-runinfo-14', length: 55, fields: RUNINFO_FIELDS };
export const NDC_RUNINFO_V17: RecordLayout = { id: 'ndc-runinfo-17', length: 100, fields: RUNINFO_FIELDS };

const STEP_FIELDS: readonly Field[] = [
  { name: 'cycle', offset: 0, type: 'u32le' }, //      0-based
  { name: 'stepIndex', offset: 4, type: 'u32le' },
  { name: 'status', offset: 24, type: 'u8' }, //       BTS85 fixture: 21 (Control), 1 (CC_Chg), 3 (CV_Chg)
];
export const NDC_STEP_V14: RecordLayout = { id: 'ndc-step-14', length: 37, fields: STEP_FIELDS };
export const NDC_STEP_V17: RecordLayout = {
  id: 'ndc-step-17',
  length: 100,
  // BTS85 fixture: firstIndex 1, 3602, 3623, ... = where the runInfo step count changes
  fields: [...STEP_FIELDS, { name: 'firstIndex', offset: 33, type: 'u32le' }],
};

/** Aux channel files (data_AUX_<chl>_<type-100>_<n>.ndc): one float32 per main row slot. */
export const NDC_AUX_V14: RecordLayout = { id: 'ndc-aux-14', length: 4, fields: [{ name: 'value', offset: 0, type: 'f32le' }] };

export const NDC_LAYOUTS: Readonly<Record<number, { main: RecordLayout; runInfo: RecordLayout; step: RecordLayout; aux: RecordLayout }>> = {
  14: { main: NDC_MAIN_V14, runInfo: NDC_RUNINFO_V14, step: NDC_STEP_V14, aux: NDC_AUX_V14 },
  17: { main: NDC_MAIN_V14, runInfo: NDC_RUNINFO_V17, step: NDC_STEP_V17, aux: NDC_AUX_V14 },
};

/** Aux channel type (TestInfo.xml `ChlType`) → canonical-ish column. Unknown types are kept raw with a warning. */
export const AUX_CHANNEL_TYPES: Readonly<Record<number, { name: string; unit: string }>> = {
  102: { name: 'Aux Voltage', unit: 'V' },
  103: { name: 'Aux Temperature', unit: 'degC' },
  335: { name: 'Aux Temperature Setpoint', unit: 'degC' },
  345: { name: 'Aux Humidity', unit: '%' },
};

/** Neware status (step type) codes, as BTSDA names them. */
export const STATUS_CODES: Readonly<Record<number, string>> = {
  1: 'CC_Chg',
  2: 'CC_DChg',
  3: 'CV_Chg',
  4: 'Rest',
  5: 'Cycle',
  7: 'CCCV_Chg',
  8: 'CP_DChg',
  9: 'CP_Chg',
  10: 'CR_DChg',
  13: 'Pause',
  16: 'Pulse',
  17: 'SIM',
  19: 'CV_DChg',
  20: 'CCCV_DChg',
  21: 'Control',
  22: 'OCV',
  26: 'CPCV_DChg',
  27: 'CPCV_Chg',
};

/**
 * Current-range setting → multiplier from raw integer current to mA, for the integer layouts
 * (nda ≤ 29, ndc ≤ 5). The float layouts read here (nda 130, ndc 14/17) do not need it; it is kept
 * so that an integer layout added later reports an unknown range by value instead of failing.
 */
export const CURRENT_RANGE_SCALE: Readonly<Record<number, number>> = {
  [-100000000]: 1e1,
  [-200000]: 1e-2, [-100000]: 1e-2, [-60000]: 1e-2, [-50000]: 1e-2, [-40000]: 1e-2, [-30000]: 1e-2,
  [-20000]: 1e-2, [-12000]: 1e-2, [-10000]: 1e-2, [-6000]: 1e-2, [-5000]: 1e-2, [-3000]: 1e-2,
  [-2000]: 1e-2, [-1000]: 1e-2,
  [-500]: 1e-3, [-100]: 1e-3,
  [-50]: 1e-4, [-25]: 1e-4, [-20]: 1e-4, [-10]: 1e-4,
  [-5]: 1e-5, [-2]: 1e-5, [-1]: 1e-5,
  1: 1e-4, 2: 1e-4, 5: 1e-4,
  10: 1e-3, 20: 1e-3, 25: 1e-3, 50: 1e-3,
  100: 1e-2, 200: 1e-2, 250: 1e-2, 500: 1e-2,
  1000: 1e-1, 6000: 1e-1, 10000: 1e-1, 12000: 1e-1, 20000: 1e-1, 30000: 1e-1, 40000: 1e-1,
  50000: 1e-1, 60000: 1e-1, 100000: 1e-1, 200000: 1e-1,
};

// ---------------------------------------------------------------------------------------------
// The one interpreter.
// ---------------------------------------------------------------------------------------------

/** Read one field of the record starting at `base`. Scale applied. */
export function readField(view: DataView, base: number, f: Field): number {
  const o = base + f.offset;
  let v: number;
  switch (f.type) {
    case 'u8': v = view.getUint8(o); break;
    case 'u16le': v = view.getUint16(o, true); break;
    case 'i16le': v = view.getInt16(o, true); break;
    case 'u32le': v = view.getUint32(o, true); break;
    case 'i32le': v = view.getInt32(o, true); break;
    case 'u64le': v = Number(view.getBigUint64(o, true)); break;
    case 'i64le': v = Number(view.getBigInt64(o, true)); break;
    case 'f32le': v = view.getFloat32(o, true); break;
    case 'f64le': v = view.getFloat64(o, true); break;
  }
  return f.scale !== undefined ? v * f.scale : v;
}

/** Decoded columns: one Float64Array per field name, `n` rows. */
export interface DecodedRecords {
  readonly n: number;
  readonly fields: Readonly<Record<string, Float64Array>>;
}

/**
 * Decode `starts.length` records whose byte offsets are given (fixed stride, or rows of ndc pages).
 * The caller guarantees every start + layout.length lies inside the view (checked by the callers
 * against the file size, which is where a ParseError can name the offset).
 */
export function decodeRecords(view: DataView, starts: ArrayLike<number>, layout: RecordLayout, extra: readonly Field[] = []): DecodedRecords {
  const n = starts.length;
  const all = [...layout.fields, ...extra];
  const fields: Record<string, Float64Array> = {};
  for (const f of all) {
    const out = new Float64Array(n);
    for (let i = 0; i < n; i++) out[i] = readField(view, starts[i]!, f);
    fields[f.name] = out;
  }
  return { n, fields };
}

/** Problems with a layout table itself (used by the table test); empty when the table is sound. */
export function layoutProblems(layout: RecordLayout, extra: readonly Field[] = []): string[] {
  const problems: string[] = [];
  const all = [...layout.fields, ...extra];
  const names = new Set<string>();
  const length = Math.max(layout.length, ...extra.map((f) => f.offset + FIELD_SIZE[f.type]));
  for (const f of all) {
    if (names.has(f.name)) problems.push(`${layout.id}: duplicate field name '${f.name}'`);
    names.add(f.name);
    if (f.offset < 0 || f.offset + FIELD_SIZE[f.type] > length) problems.push(`${layout.id}: field '${f.name}' outside the ${length}-byte record`);
  }
  const sorted = [...all].sort((a, b) => a.offset - b.offset);
  for (let i = 1; i < sorted.length; i++) {
    const p = sorted[i - 1]!;
    const c = sorted[i]!;
    if (p.offset + FIELD_SIZE[p.type] > c.offset) problems.push(`${layout.id}: fields '${p.name}' and '${c.name}' overlap`);
  }
  return problems;
}
