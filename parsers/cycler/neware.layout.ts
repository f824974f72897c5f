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
  u8: 1,
  u16le: 2,
  i16le: 2,
  u32le: 4,
  i32le: 4,
  u64le: 8,
  i64le: 8,
  f32le: 4,
  f64le: 8,
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

/** Table-writing helpers: field, and the usual scales. */
const T = (name: string, offset: number, type: FieldType, scale?: number, unit?: string): Field =>
  scale === undefined ? { name, offset, type, ...(unit ? { unit } : {}) } : { name, offset, type, scale, ...(unit ? { unit } : {}) };
const V4 = 1e-4; //  0.1 mV → V
const MA = 1e-3; //  mA → A
const MAS = 1 / 3.6e6; // mA·s → Ah (and mW·s → Wh)

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

// ndc 2 and 5 (BTS 8.0 before ~2021): self-contained records like nda v29 — no runInfo/step members;
// integer voltage (0.1 mV), current and capacities scaled by a per-record current range, a Y/M/D h:m:s clock.
// ndc 2: 512-byte pages, rows from byte 5, no bitmask (a row is present when its index ≠ 0), 94-byte rows.
// ndc 5: 4096-byte pages with the usual bitmask (NDC_PAGE), 87-byte rows = the ndc 2 row minus its first 7 bytes.
// Source: fastnda (fastnda/_ndc/ndc_main.py, ndc_aux.py; both marked confirmed on real files there) and
// NewareNDA (NewareNDA/NewareNDAx.py `_read_ndc_2`, `_read_ndc_5`: identifiers 0x55 data, 0x65/0x74 aux).
// Aux members carry the channel number as the last number of their name (data_AUX_<n>.ndc …).
export interface NdcLegacyLayout {
  readonly page: { readonly size: number; readonly dataOffset: number; readonly endPad: number; readonly bitmaskOffset?: number };
  readonly main: RecordLayout;
  readonly aux: RecordLayout;
  readonly dataIds: readonly number[];
  readonly auxIds: readonly number[];
}

const ndcLegacyMain = (id: string, d: number): RecordLayout => ({
  id,
  length: 94 - d,
  fields: [
    T('identifier', 0, 'u8'),
    T('index', 8 - d, 'u32le'),
    T('cycle', 12 - d, 'u32le'),
    T('stepIndex', 16 - d, 'u8'),
    T('status', 17 - d, 'u8'),
    T('stepTime', 23 - d, 'u64le', 1e-3, 's'),
    T('voltage', 31 - d, 'i32le', V4, 'V'),
    T('current', 35 - d, 'i32le', MA, 'A'),
    T('chargeCapacity', 43 - d, 'i64le', MAS, 'Ah'),
    T('dischargeCapacity', 51 - d, 'i64le', MAS, 'Ah'),
    T('chargeEnergy', 59 - d, 'i64le', MAS, 'Wh'),
    T('dischargeEnergy', 67 - d, 'i64le', MAS, 'Wh'),
    T('year', 75 - d, 'u16le'),
    T('month', 77 - d, 'u8'),
    T('day', 78 - d, 'u8'),
    T('hour', 79 - d, 'u8'),
    T('minute', 80 - d, 'u8'),
    T('second', 81 - d, 'u8'),
    T('range', 82 - d, 'i32le'),
  ],
});
const ndcLegacyAux = (id: string, d: number): RecordLayout => ({
  id,
  length: 94 - d,
  fields: [
    T('identifier', 0, 'u8'),
    T('index', 8 - d, 'u32le'),
    T('auxVoltage', 31 - d, 'i32le', V4, 'V'),
    T('auxTemperature', 41 - d, 'i16le', 0.1, 'degC'),
    T('auxTemperatureSetpoint', 43 - d, 'i16le', 0.1, 'degC'),
  ],
});

export const NDC_LEGACY_LAYOUTS: Readonly<Record<number, NdcLegacyLayout>> = {
  2: {
    page: { size: 512, dataOffset: 5, endPad: 1 },
    main: ndcLegacyMain('ndc-main-2', 0),
    aux: ndcLegacyAux('ndc-aux-2', 0),
    dataIds: [0x55],
    auxIds: [0x65, 0x74],
  },
  5: {
    page: { size: NDC_PAGE.size, dataOffset: NDC_PAGE.dataOffset, endPad: NDC_PAGE.endPad, bitmaskOffset: NDC_PAGE.bitmaskOffset },
    main: ndcLegacyMain('ndc-main-5', 7),
    aux: ndcLegacyAux('ndc-aux-5', 7),
    dataIds: [0x55],
    auxIds: [0x65, 0x74],
  },
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
 * Current-range setting → multiplier from raw integer current (and capacity, energy) to mA (mA·s, mW·s), for
 * the integer layouts (nda ≤ 29, ndc 2/5); NewareNDA's `multiplier_dict`. The float layouts (nda 129/130,
 * ndc 14/17) do not need it. A code missing here falls back to `rangeRuleMultiplier` with a warning.
 */
export const CURRENT_RANGE_SCALE: Readonly<Record<number, number>> = {
  [-100000000]: 1e1,
  [-200000]: 1e-2,
  [-100000]: 1e-2,
  [-60000]: 1e-2,
  [-50000]: 1e-2,
  [-40000]: 1e-2,
  [-30000]: 1e-2,
  [-20000]: 1e-2,
  [-12000]: 1e-2,
  [-10000]: 1e-2,
  [-6000]: 1e-2,
  [-5000]: 1e-2,
  [-3000]: 1e-2,
  [-2000]: 1e-2,
  [-1000]: 1e-2,
  [-500]: 1e-3,
  [-100]: 1e-3,
  [-50]: 1e-4,
  [-25]: 1e-4,
  [-20]: 1e-4,
  [-10]: 1e-4,
  [-5]: 1e-5,
  [-2]: 1e-5,
  [-1]: 1e-5,
  1: 1e-4,
  2: 1e-4,
  5: 1e-4,
  10: 1e-3,
  20: 1e-3,
  25: 1e-3,
  50: 1e-3,
  100: 1e-2,
  200: 1e-2,
  250: 1e-2,
  500: 1e-2,
  1000: 1e-1,
  6000: 1e-1,
  10000: 1e-1,
  12000: 1e-1,
  20000: 1e-1,
  30000: 1e-1,
  40000: 1e-1,
  50000: 1e-1,
  60000: 1e-1,
  100000: 1e-1,
  200000: 1e-1,
};

// ---------------------------------------------------------------------------------------------
// .nda file versions 1–29 (BTS 5.x–8.x, headers dated up to ~2020), 129 and 130/BTS 9.0.
// Layouts as documented by the public readers fastnda (g-kimbell/fastnda, fastnda/nda.py: one struct per
// version family, "confirmed against real data" for families 5, 14, 29 and 130) and NewareNDA
// (Solid-Energy-Systems/NewareNDA, NewareNDA.py: v29 data + aux records, BTS 9.0/9.1). Not re-checked on
// a real file here (none in shared/real-data): the tests build files byte by byte from these tables.
//
// Field names are fixed; the decoder in neware-nda.ts assembles columns from them:
//   identifier, index, cycle, stepIndex, status, jump (step change counter), stepTime / stepTimeNs (s),
//   totalTime (s), voltage (V), current (A before the range multiplier), capacity / energy (signed or by
//   step type) or chargeCapacity … dischargeEnergy (Ah / Wh before the range multiplier), unixS (s) or
//   year … second (wall clock), range (current-range code).
// Integer current / capacity / energy × CURRENT_RANGE_SCALE[range] gives mA / mA·s / mW·s.
// ---------------------------------------------------------------------------------------------

/** Where the record block starts (all little-endian). */
export type NdaLocate =
  /** u32 begin, u32 length at `offset`, `offset+4` (`useLength: false`: read to the end of the file). */
  | { readonly kind: 'pointer32'; readonly offset: number; readonly useLength: boolean }
  /** u64 begin (and length) at `offset`, `offset+8`. */
  | { readonly kind: 'pointer64'; readonly offset: number; readonly useLength: boolean }
  /** First occurrence of `bytes` after the header; records run from there to the end of the file. */
  | { readonly kind: 'pattern'; readonly bytes: readonly number[] };

export type NdaCycleMode = 'zero-based' | 'one-based' | 'count-changes';

export interface NdaLayout {
  readonly record: RecordLayout;
  /** nda file versions (byte 14) that use this struct. */
  readonly versions: readonly number[];
  /** Approximate BTS generation (a label for people; nothing depends on it). */
  readonly software: string;
  /** Which public reader documents the layout. */
  readonly source: string;
  /** The public reader says it checked the struct against real files. */
  readonly verifiedUpstream: boolean;
  readonly locate: NdaLocate;
  /** Identifier values that mark data records (absent: no identifier, a record is data when index ≠ 0). */
  readonly dataIds?: readonly number[];
  /** Raw cycle field → 1-based Cycle Count; per file version when versions differ. Absent: no cycle field. */
  readonly cycle?: NdaCycleMode | Readonly<Record<number, NdaCycleMode>>;
  /** `split`: four separate fields; `by-step`: one |capacity| and one |energy| field, direction from step type (then current sign). */
  readonly capacity: 'split' | 'by-step';
  /** `record`: per-record range field (0 → the header's); `header`: one range for the file; `none`: floats in mA. */
  readonly range: 'record' | 'header' | 'none';
  /** Legacy status codes → STATUS_CODES numbering. */
  readonly statusRemap?: Readonly<Record<number, number>>;
  /** Aux channel records: in the data block itself (`inline`) or in their own block. */
  readonly aux?: { readonly ids: readonly number[]; readonly record: RecordLayout; readonly locate?: NdaLocate };
}

/** Header pieces shared by versions 1–29 (2048-byte header). */
export const NDA_LEGACY_HEADER = {
  /** u32 offset of the device block; the file's current range is the i32 at block + 26. */
  rangeBlockPointer: 16,
  rangeInBlock: 26,
  /** First byte after the fixed header (pattern searches start here). */
  size: 2048,
} as const;

const FASTNDA = 'fastnda (g-kimbell/fastnda, fastnda/nda.py)';
const BOTH = 'fastnda (fastnda/nda.py) and NewareNDA (NewareNDA/NewareNDA.py)';
const PTR64 = { kind: 'pointer32', offset: 64, useLength: true } as const;

export const NDA_LAYOUTS: readonly NdaLayout[] = [
  {
    record: {
      id: 'nda-1',
      length: 38,
      fields: [
        T('index', 0, 'u32le'),
        T('cycle', 4, 'u32le'),
        T('stepIndex', 8, 'u8'),
        T('status', 9, 'u8'),
        T('stepTime', 10, 'u32le', 1, 's'),
        T('voltage', 14, 'i32le', V4, 'V'),
        T('current', 18, 'i32le', MA, 'A'),
        T('capacity', 30, 'i64le', MAS, 'Ah'),
      ],
    },
    versions: [1],
    software: 'BTS 5.x',
    source: FASTNDA,
    verifiedUpstream: false,
    locate: PTR64,
    cycle: 'count-changes',
    capacity: 'by-step',
    range: 'header',
    statusRemap: { 2: 3, 4: 2, 5: 4 },
  },
  {
    record: {
      id: 'nda-2',
      length: 39,
      fields: [
        T('identifier', 0, 'u8'),
        T('cycle', 5, 'u32le'),
        T('status', 9, 'u8'),
        T('stepIndex', 10, 'u8'),
        T('stepTime', 11, 'u32le', 1, 's'),
        T('voltage', 15, 'i32le', V4, 'V'),
        T('current', 19, 'i32le', MA, 'A'),
        T('capacity', 31, 'i64le', MAS, 'Ah'),
      ],
    },
    versions: [2],
    software: 'BTS 5.x',
    source: FASTNDA,
    verifiedUpstream: false,
    locate: PTR64,
    dataIds: [0],
    cycle: 'one-based',
    capacity: 'by-step',
    range: 'header',
  },
  {
    record: {
      id: 'nda-3',
      length: 43,
      fields: [
        T('identifier', 0, 'u8'),
        T('index', 1, 'u32le'),
        T('cycle', 5, 'u32le'),
        T('stepIndex', 9, 'u8'),
        T('status', 10, 'u8'),
        T('stepTime', 11, 'u32le', 1, 's'),
        T('voltage', 15, 'i32le', V4, 'V'),
        T('current', 19, 'i32le', MA, 'A'),
        T('capacity', 31, 'i64le', MAS, 'Ah'),
      ],
    },
    versions: [3, 4],
    software: 'BTS 5.x/6.x',
    source: FASTNDA,
    verifiedUpstream: false,
    locate: PTR64,
    dataIds: [0, 85],
    cycle: 'count-changes',
    capacity: 'by-step',
    range: 'header',
  },
  {
    record: {
      id: 'nda-5',
      length: 59,
      fields: [
        T('identifier', 0, 'u8'),
        T('index', 1, 'u32le'),
        T('cycle', 5, 'u32le'),
        T('stepIndex', 9, 'u8'),
        T('status', 10, 'u8'),
        T('stepTime', 11, 'u32le', 1, 's'),
        T('voltage', 15, 'i32le', V4, 'V'),
        T('current', 19, 'i32le', MA, 'A'),
        T('capacity', 31, 'i64le', MAS, 'Ah'),
        T('energy', 39, 'i64le', MAS, 'Wh'),
        T('unixS', 47, 'u64le', 1, 's'),
      ],
    },
    versions: [5, 6, 7, 8],
    software: 'BTS 7.x',
    source: FASTNDA,
    verifiedUpstream: true,
    locate: PTR64,
    dataIds: [0, 85],
    cycle: { 5: 'zero-based', 6: 'one-based', 7: 'zero-based', 8: 'one-based' },
    capacity: 'by-step',
    range: 'header',
  },
  {
    record: {
      id: 'nda-9',
      length: 60,
      fields: [
        T('identifier', 0, 'u8'),
        T('index', 2, 'u32le'),
        T('cycle', 6, 'u32le'),
        T('stepIndex', 10, 'u8'),
        T('status', 11, 'u8'),
        T('stepTime', 12, 'u32le', 1, 's'),
        T('voltage', 16, 'i32le', V4, 'V'),
        T('current', 20, 'i32le', MA, 'A'),
        T('capacity', 32, 'i64le', MAS, 'Ah'),
        T('energy', 40, 'i64le', MAS, 'Wh'),
        T('unixS', 48, 'u64le', 1, 's'),
      ],
    },
    versions: [9],
    software: 'BTS 7.x',
    source: FASTNDA,
    verifiedUpstream: false,
    locate: PTR64,
    dataIds: [85],
    cycle: 'zero-based',
    capacity: 'by-step',
    range: 'header',
  },
  {
    record: {
      id: 'nda-10',
      length: 64,
      fields: [
        T('identifier', 0, 'u8'),
        T('index', 2, 'u32le'),
        T('cycle', 6, 'u32le'),
        T('stepIndex', 10, 'u8'),
        T('status', 11, 'u8'),
        T('stepTime', 12, 'u64le', 1, 's'),
        T('voltage', 20, 'i32le', V4, 'V'),
        T('current', 24, 'i32le', MA, 'A'),
        T('capacity', 36, 'i64le', MAS, 'Ah'),
        T('energy', 44, 'i64le', MAS, 'Wh'),
        T('unixS', 52, 'u64le', 1, 's'),
      ],
    },
    versions: [10],
    software: 'BTS 7.x',
    source: FASTNDA,
    verifiedUpstream: false,
    locate: PTR64,
    dataIds: [85],
    cycle: 'count-changes',
    capacity: 'by-step',
    range: 'header',
  },
  {
    record: {
      id: 'nda-11',
      length: 69,
      fields: [
        T('identifier', 0, 'u8'),
        T('index', 2, 'u32le'),
        T('cycle', 6, 'u32le'),
        T('stepIndex', 10, 'u16le'),
        T('status', 12, 'u8'),
        T('stepTime', 13, 'u64le', 1e-3, 's'),
        T('voltage', 21, 'i32le', V4, 'V'),
        T('current', 25, 'i32le', MA, 'A'),
        T('capacity', 37, 'i64le', MAS, 'Ah'),
        T('energy', 45, 'i64le', MAS, 'Wh'),
        T('unixS', 53, 'u64le', 1, 's'),
        T('range', 61, 'i32le'),
      ],
    },
    versions: [11, 12, 13, 15, 18],
    software: 'BTS 7.5/7.6',
    source: FASTNDA,
    verifiedUpstream: false,
    locate: PTR64,
    dataIds: [85],
    cycle: 'zero-based',
    capacity: 'by-step',
    range: 'record',
    aux: {
      ids: [101],
      locate: { kind: 'pointer32', offset: 72, useLength: true },
      record: {
        id: 'nda-11-aux',
        length: 69,
        fields: [
          T('identifier', 0, 'u8'),
          T('auxChannel', 1, 'u8'),
          T('index', 2, 'u32le'),
          T('auxVoltage', 21, 'i32le', V4, 'V'),
          T('auxTemperature', 33, 'i16le', 0.1, 'degC'),
        ],
      },
    },
  },
  {
    record: {
      id: 'nda-14',
      length: 86,
      fields: [
        T('identifier', 0, 'u8'),
        T('index', 2, 'u32le'),
        T('cycle', 6, 'u32le'),
        T('stepIndex', 10, 'u16le'),
        T('status', 12, 'u8'),
        T('jump', 13, 'u8'),
        T('stepTime', 14, 'u64le', 1e-3, 's'),
        T('voltage', 22, 'i32le', V4, 'V'),
        T('current', 26, 'i32le', MA, 'A'),
        T('chargeCapacity', 38, 'i64le', MAS, 'Ah'),
        T('dischargeCapacity', 46, 'i64le', MAS, 'Ah'),
        T('chargeEnergy', 54, 'i64le', MAS, 'Wh'),
        T('dischargeEnergy', 62, 'i64le', MAS, 'Wh'),
        T('unixS', 70, 'u64le', 1, 's'),
        T('range', 78, 'i32le'),
      ],
    },
    versions: [14, 16, 17, 20, 22, 23, 24],
    software: 'BTS 7.6/8.0',
    source: FASTNDA,
    verifiedUpstream: true,
    // The block begins with an 0xAA record of index 1 (fastnda locates it by these bytes); data records are 0x55.
    locate: { kind: 'pattern', bytes: [0xaa, 0x00, 0x01, 0x00, 0x00, 0x00] },
    dataIds: [85],
    cycle: 'zero-based',
    capacity: 'split',
    range: 'record',
  },
  {
    record: {
      id: 'nda-19',
      length: 68,
      fields: [
        T('identifier', 0, 'u8'),
        T('index', 8, 'u32le'),
        T('cycle', 12, 'u32le'),
        T('stepIndex', 16, 'u16le'),
        T('status', 18, 'u8'),
        T('jump', 20, 'u8'),
        T('stepTime', 24, 'u32le', 1, 's'),
        T('voltage', 28, 'i32le', V4, 'V'),
        T('current', 32, 'i32le', MA, 'A'),
        T('chargeCapacity', 44, 'i32le', MAS, 'Ah'),
        T('dischargeCapacity', 48, 'i32le', MAS, 'Ah'),
        T('chargeEnergy', 52, 'i32le', MAS, 'Wh'),
        T('dischargeEnergy', 56, 'i32le', MAS, 'Wh'),
        T('unixS', 60, 'u32le', 1, 's'),
      ],
    },
    versions: [19],
    software: 'BTS 7.x',
    source: FASTNDA,
    verifiedUpstream: false,
    locate: { kind: 'pointer32', offset: 64, useLength: false },
    dataIds: [85],
    cycle: 'zero-based',
    capacity: 'split',
    range: 'header',
  },
  {
    record: {
      id: 'nda-25',
      length: 70,
      fields: [
        T('identifier', 0, 'u8'),
        T('index', 2, 'u32le'),
        T('cycle', 6, 'u32le'),
        T('stepIndex', 10, 'u16le'),
        T('status', 12, 'u8'),
        T('stepTime', 13, 'u64le', 1e-3, 's'),
        T('voltage', 21, 'i32le', V4, 'V'),
        T('current', 25, 'i32le', MA, 'A'),
        T('capacity', 37, 'i64le', MAS, 'Ah'),
        T('energy', 45, 'i64le', MAS, 'Wh'),
        T('unixS', 53, 'u64le', 1, 's'),
        T('range', 61, 'i32le'),
        T('jump', 65, 'u8'),
      ],
    },
    versions: [25, 27],
    software: 'BTS 7.6/8.0',
    source: FASTNDA,
    verifiedUpstream: false,
    locate: PTR64,
    dataIds: [85],
    cycle: 'count-changes',
    capacity: 'by-step',
    range: 'record',
  },
  {
    record: {
      id: 'nda-29',
      length: 86,
      fields: [
        T('identifier', 0, 'u8'),
        T('index', 2, 'u32le'),
        T('cycle', 6, 'u32le'),
        T('stepIndex', 10, 'u16le'),
        T('status', 12, 'u8'),
        T('jump', 13, 'u8'),
        T('stepTime', 14, 'u64le', 1e-3, 's'),
        T('voltage', 22, 'i32le', V4, 'V'),
        T('current', 26, 'i32le', MA, 'A'),
        T('chargeCapacity', 38, 'i64le', MAS, 'Ah'),
        T('dischargeCapacity', 46, 'i64le', MAS, 'Ah'),
        T('chargeEnergy', 54, 'i64le', MAS, 'Wh'),
        T('dischargeEnergy', 62, 'i64le', MAS, 'Wh'),
        T('year', 70, 'u16le'),
        T('month', 72, 'u8'),
        T('day', 73, 'u8'),
        T('hour', 74, 'u8'),
        T('minute', 75, 'u8'),
        T('second', 76, 'u8'),
        T('range', 78, 'i32le'),
      ],
    },
    versions: [26, 28, 29],
    software: 'BTS 7.6/8.x',
    source: BOTH,
    verifiedUpstream: true,
    locate: { kind: 'pattern', bytes: [0x55, 0x00, 0x01, 0x00, 0x00, 0x00] },
    dataIds: [85],
    cycle: 'zero-based',
    capacity: 'split',
    range: 'record',
    aux: {
      ids: [101], //  0x65 records interleaved with the data records, same length
      record: {
        id: 'nda-29-aux',
        length: 86,
        fields: [
          T('identifier', 0, 'u8'),
          T('auxChannel', 1, 'u8'),
          T('index', 2, 'u32le'),
          T('auxVoltage', 22, 'i32le', V4, 'V'),
          T('auxTemperature', 34, 'i16le', 0.1, 'degC'),
        ],
      },
    },
  },
  {
    record: {
      id: 'nda-129',
      length: 88,
      fields: [
        T('identifier', 0, 'u8'),
        T('index', 12, 'u32le'),
        T('stepIndex', 20, 'u8'),
        T('status', 21, 'u8'),
        T('jump', 22, 'u8'),
        T('stepTime', 28, 'u32le', 1, 's'),
        T('stepTimeNs', 32, 'u32le', 1e-9, 's'),
        T('voltage', 36, 'f32le', 1, 'V'),
        T('current', 40, 'f32le', MA, 'A'),
        T('chargeCapacity', 52, 'f32le', MAS, 'Ah'),
        T('chargeEnergy', 56, 'f32le', MAS, 'Wh'),
        T('dischargeCapacity', 60, 'f32le', MAS, 'Ah'),
        T('dischargeEnergy', 64, 'f32le', MAS, 'Wh'),
        T('unixS', 68, 'u64le', 1e-6, 's'),
      ],
    },
    versions: [129],
    software: 'BTS 9.0 beta (withdrawn by Neware)',
    source: FASTNDA,
    verifiedUpstream: false,
    locate: { kind: 'pointer64', offset: 82, useLength: false },
    dataIds: [0, 85],
    capacity: 'split',
    range: 'none',
  },
];

/** v130 with sub-version 18 (byte 1024) = BTS 9.0: 88-byte records found by their fixed 8-byte prefix. */
export const NDA_V130_SUBVERSION_BTS90 = 18;
export const NDA_V130_BTS90: NdaLayout = {
  record: {
    id: 'nda-130-bts9.0',
    length: 88,
    fields: [
      T('identifier', 4, 'u8'),
      T('stepIndex', 9, 'u8'),
      T('status', 10, 'u8'),
      T('index', 16, 'u32le'),
      T('stepTime', 28, 'u64le', 1e-6, 's'),
      T('voltage', 36, 'f32le', 1, 'V'),
      T('current', 40, 'f32le', MA, 'A'),
      T('capacity', 60, 'f32le', MAS, 'Ah'),
      T('energy', 64, 'f32le', MAS, 'Wh'),
      T('unixS', 68, 'u64le', 1e-6, 's'),
    ],
  },
  versions: [130],
  software: 'BTS 9.0',
  source: BOTH,
  verifiedUpstream: true,
  locate: { kind: 'pattern', bytes: [0x12, 0x50, 0x00, 0x07, 0x55, 0x81, 0x01, 0x06] },
  dataIds: [85],
  capacity: 'by-step',
  range: 'none',
};

/** Layout for an nda file version, or undefined. */
export function ndaLayoutFor(version: number): NdaLayout | undefined {
  return NDA_LAYOUTS.find((l) => l.versions.includes(version));
}

/**
 * Multiplier for a current-range code that is not in CURRENT_RANGE_SCALE: the rule fastnda applies
 * (`_range_to_mult`, fastnda/utils.py). The decoder warns when it is used.
 */
export function rangeRuleMultiplier(range: number): number {
  const a = Math.abs(range);
  if (range === 0 || range < -2e9) return 1e-1;
  if (range < 0) return a < 10 ? 1e-5 : a < 100 ? 1e-4 : a < 1000 ? 1e-3 : a < 1e6 ? 1e-2 : a < 1e7 ? 1e-8 : a < 1e8 ? 1e-7 : 1e-6;
  return a < 10 ? 1e-4 : a < 100 ? 1e-3 : a < 1000 ? 1e-2 : 1e-1;
}

// ---------------------------------------------------------------------------------------------
// The one interpreter.
// ---------------------------------------------------------------------------------------------

/** Read one field of the record starting at `base`. Scale applied. */
export function readField(view: DataView, base: number, f: Field): number {
  const o = base + f.offset;
  let v: number;
  switch (f.type) {
    case 'u8':
      v = view.getUint8(o);
      break;
    case 'u16le':
      v = view.getUint16(o, true);
      break;
    case 'i16le':
      v = view.getInt16(o, true);
      break;
    case 'u32le':
      v = view.getUint32(o, true);
      break;
    case 'i32le':
      v = view.getInt32(o, true);
      break;
    case 'u64le':
      v = Number(view.getBigUint64(o, true));
      break;
    case 'i64le':
      v = Number(view.getBigInt64(o, true));
      break;
    case 'f32le':
      v = view.getFloat32(o, true);
      break;
    case 'f64le':
      v = view.getFloat64(o, true);
      break;
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
