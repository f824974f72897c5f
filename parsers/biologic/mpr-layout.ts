/**
 * The EC-Lab binary (.mpr) layout, declared as data. `mpr.ts` is the one interpreter of these tables.
 * Facts come from galvani (BioLogic.py), yadg (eclab/mpr_columns.py) and were checked against the nine
 * fixtures in shared/real-data (each row-size and value against the .mpt EC-Lab exported from the same run).
 *
 * File: MAGIC, then modules back to back, each `MODULE` + header + `length` bytes of module data.
 */

/** "BIO-LOGIC MODULAR FILE\x1a" padded with spaces to 48 bytes, then four zero bytes. */
export const MAGIC: Uint8Array = (() => {
  const b = new Uint8Array(52).fill(0x20);
  const text = 'BIO-LOGIC MODULAR FILE\x1a';
  for (let i = 0; i < text.length; i++) b[i] = text.charCodeAt(i);
  b.fill(0, 48, 52);
  return b;
})();

export const MODULE_TAG = 'MODULE';

export type FieldType = 'u8' | 'u16' | 'u32' | 'f32' | 'f64' | 'ascii' | 'pascal';

export interface FieldDecl {
  readonly name: string;
  readonly offset: number;
  readonly type: FieldType;
  /** Bytes for 'ascii' (fixed, space/NUL padded). 'pascal' = length byte + text. */
  readonly size?: number;
}

export const FIELD_SIZE: Readonly<Record<Exclude<FieldType, 'ascii' | 'pascal'>, number>> = { u8: 1, u16: 2, u32: 4, f32: 4, f64: 8 };

export interface ModuleHeaderDecl {
  readonly id: 'v1' | 'v2';
  readonly size: number;
  readonly fields: readonly FieldDecl[];
}

/** Module header before EC-Lab 11.50 (offsets after the `MODULE` tag). Fixtures: cp, ocv, peis, mb.issue_95. */
export const MODULE_HEADER_V1: ModuleHeaderDecl = {
  id: 'v1',
  size: 51,
  fields: [
    { name: 'shortName', offset: 0, type: 'ascii', size: 10 },
    { name: 'longName', offset: 10, type: 'ascii', size: 25 },
    { name: 'length', offset: 35, type: 'u32' },
    { name: 'version', offset: 39, type: 'u32' },
    { name: 'date', offset: 43, type: 'ascii', size: 8 },
  ],
};

/**
 * Module header from EC-Lab 11.50 on: a `maxLength` field of 0xFFFFFFFF sits where v1 has `length`,
 * which is how the two are told apart. Fixtures: gcpl.issue_149, geis.issue_149, mb.issue_223,
 * peis.issue_225.with_ece, navani 00_test_02_MB.
 */
export const MODULE_HEADER_V2: ModuleHeaderDecl = {
  id: 'v2',
  size: 59,
  fields: [
    { name: 'shortName', offset: 0, type: 'ascii', size: 10 },
    { name: 'longName', offset: 10, type: 'ascii', size: 25 },
    { name: 'maxLength', offset: 35, type: 'u32' },
    { name: 'length', offset: 39, type: 'u32' },
    { name: 'version', offset: 43, type: 'u32' },
    { name: 'newVersion', offset: 47, type: 'u32' },
    { name: 'date', offset: 51, type: 'ascii', size: 8 },
  ],
};

export const V2_SENTINEL = { offset: 35, value: 0xffffffff } as const;

/** Module short names (10 bytes, space padded in the file). */
export const MODULES = { settings: 'VMP Set', data: 'VMP data', log: 'VMP LOG', loop: 'VMP loop', extdev: 'VMP ExtDev' } as const;

/** Where the data module keeps its point count, column-id list and first row, per header kind and version. */
export interface DataLayout {
  readonly header: 'v1' | 'v2';
  readonly version: number;
  readonly pointsOffset: number;
  readonly columnCount: { readonly offset: number; readonly type: 'u8' | 'u16' };
  readonly idsOffset: number;
  readonly idType: 'u8' | 'u16';
  readonly rowsOffset: number;
  /** Fixture proving the offsets (a guessed offset names the file that shows it). */
  readonly provenBy: string;
}

export const DATA_LAYOUTS: readonly DataLayout[] = [
  // Old EC-Lab (galvani's version 0): one-byte ids, rows at 100. No fixture here: untested.
  {
    header: 'v1',
    version: 0,
    pointsOffset: 0,
    columnCount: { offset: 4, type: 'u8' },
    idsOffset: 5,
    idType: 'u8',
    rowsOffset: 100,
    provenBy: 'none (galvani only)',
  },
  {
    header: 'v1',
    version: 2,
    pointsOffset: 0,
    columnCount: { offset: 4, type: 'u8' },
    idsOffset: 5,
    idType: 'u16',
    rowsOffset: 0x195,
    provenBy: 'none (galvani, yadg)',
  },
  {
    header: 'v1',
    version: 3,
    pointsOffset: 0,
    columnCount: { offset: 4, type: 'u8' },
    idsOffset: 5,
    idType: 'u16',
    rowsOffset: 0x196,
    provenBy: 'yadg__cp.mpr, yadg__ocv.mpr, yadg__peis.mpr, yadg__mb.issue_95.mpr',
  },
  // EC-Lab ≥ 11.50: the column count is two bytes, so the ids start one byte later; rows at 0x3EF.
  {
    header: 'v2',
    version: 0,
    pointsOffset: 0,
    columnCount: { offset: 4, type: 'u16' },
    idsOffset: 6,
    idType: 'u16',
    rowsOffset: 0x3ef,
    provenBy: 'yadg__gcpl.issue_149.mpr, yadg__mb.issue_223.mpr, yadg__geis.issue_149.mpr, yadg__peis.issue_225.with_ece.mpr, navani__00_test_02_MB_C01.mpr',
  },
];

export type ColumnType = 'u8' | 'u16' | 'u32' | 'f32' | 'f64';

export interface ColumnDecl {
  /** EC-Lab's quantity name as the .mpt column line writes it. */
  readonly name: string;
  readonly type: ColumnType;
  /** Unit as EC-Lab writes it ('' = none). */
  readonly unit: string;
}

/**
 * Bit-packed flags: all flag ids share ONE byte, placed where the first flag id appears in the id list.
 * Bit 0x40 has no id; it is set on some last rows (a stop bit, per yadg) and is ignored.
 */
export const FLAG_COLUMNS: Readonly<Record<number, { readonly name: string; readonly mask: number }>> = {
  1: { name: 'mode', mask: 0x03 },
  2: { name: 'ox/red', mask: 0x04 },
  3: { name: 'error', mask: 0x08 },
  21: { name: 'control changes', mask: 0x10 },
  31: { name: 'Ns changes', mask: 0x20 },
  65: { name: 'counter inc.', mask: 0x80 },
};

/**
 * Column id → EC-Lab name, stored type, unit. Ids seen in the fixtures are verified value by value
 * against the paired .mpt; the rest come from galvani / yadg tables and are marked `// lit`.
 */
export const COLUMN_IDS: Readonly<Record<number, ColumnDecl>> = {
  4: { name: 'time', type: 'f64', unit: 's' },
  5: { name: 'control', type: 'f32', unit: 'V/mA' },
  6: { name: 'Ewe', type: 'f32', unit: 'V' },
  7: { name: 'dq', type: 'f64', unit: 'mA.h' },
  8: { name: 'I', type: 'f32', unit: 'mA' },
  9: { name: 'Ece', type: 'f32', unit: 'V' }, // lit
  11: { name: '<I>', type: 'f64', unit: 'mA' }, // lit
  13: { name: '(Q-Qo)', type: 'f64', unit: 'mA.h' },
  16: { name: 'Analog IN 1', type: 'f32', unit: 'V' }, // lit
  17: { name: 'Analog IN 2', type: 'f32', unit: 'V' }, // lit
  19: { name: 'control', type: 'f32', unit: 'V' },
  20: { name: 'control', type: 'f32', unit: 'mA' },
  23: { name: 'dQ', type: 'f64', unit: 'mA.h' }, // lit
  24: { name: 'cycle number', type: 'f64', unit: '' },
  32: { name: 'freq', type: 'f32', unit: 'Hz' },
  33: { name: '|Ewe|', type: 'f32', unit: 'V' },
  34: { name: '|I|', type: 'f32', unit: 'A' },
  35: { name: 'Phase(Z)', type: 'f32', unit: 'deg' },
  36: { name: '|Z|', type: 'f32', unit: 'Ohm' },
  37: { name: 'Re(Z)', type: 'f32', unit: 'Ohm' },
  38: { name: '-Im(Z)', type: 'f32', unit: 'Ohm' },
  39: { name: 'I Range', type: 'u16', unit: '' },
  69: { name: 'R', type: 'f32', unit: 'Ohm' }, // lit
  70: { name: 'P', type: 'f32', unit: 'W' },
  74: { name: '|Energy|', type: 'f64', unit: 'W.h' },
  75: { name: 'Analog OUT', type: 'f32', unit: 'V' }, // lit
  76: { name: '<I>', type: 'f32', unit: 'mA' },
  77: { name: '<Ewe>', type: 'f32', unit: 'V' },
  78: { name: 'Cs-2', type: 'f32', unit: 'µF-2' }, // lit
  96: { name: '|Ece|', type: 'f32', unit: 'V' },
  98: { name: 'Phase(Zce)', type: 'f32', unit: 'deg' },
  99: { name: '|Zce|', type: 'f32', unit: 'Ohm' },
  100: { name: 'Re(Zce)', type: 'f32', unit: 'Ohm' },
  101: { name: '-Im(Zce)', type: 'f32', unit: 'Ohm' },
  123: { name: 'Energy charge', type: 'f64', unit: 'W.h' },
  124: { name: 'Energy discharge', type: 'f64', unit: 'W.h' },
  125: { name: 'Capacitance charge', type: 'f64', unit: 'µF' },
  126: { name: 'Capacitance discharge', type: 'f64', unit: 'µF' },
  131: { name: 'Ns', type: 'u16', unit: '' },
  163: { name: '|Estack|', type: 'f32', unit: 'V' }, // lit
  168: { name: 'Rcmp', type: 'f32', unit: 'Ohm' }, // lit
  169: { name: 'Cs', type: 'f32', unit: 'µF' },
  172: { name: 'Cp', type: 'f32', unit: 'µF' },
  173: { name: 'Cp-2', type: 'f32', unit: 'µF-2' }, // lit
  174: { name: '<Ewe>', type: 'f32', unit: 'V' },
  178: { name: '(Q-Qo)', type: 'f32', unit: 'C' }, // lit
  179: { name: 'dQ', type: 'f32', unit: 'C' }, // lit
  182: { name: 'step time', type: 'f64', unit: 's' }, // lit
  211: { name: 'Q charge/discharge', type: 'f64', unit: 'C' }, // lit
  326: { name: 'P', type: 'f32', unit: 'W' }, // lit
  430: { name: 'Phase(Zwe-ce)', type: 'f32', unit: 'deg' },
  431: { name: '|Zwe-ce|', type: 'f32', unit: 'Ohm' },
  432: { name: 'Re(Zwe-ce)', type: 'f32', unit: 'Ohm' },
  433: { name: '-Im(Zwe-ce)', type: 'f32', unit: 'Ohm' },
  434: { name: '(Q-Qo)', type: 'f32', unit: 'C' },
  435: { name: 'dQ', type: 'f32', unit: 'C' },
  441: { name: '<Ece>', type: 'f32', unit: 'V' },
  462: { name: 'Temperature', type: 'f32', unit: '°C' }, // lit
  467: { name: 'Q charge/discharge', type: 'f64', unit: 'mA.h' },
  468: { name: 'half cycle', type: 'u32', unit: '' },
  469: { name: 'z cycle', type: 'u32', unit: '' },
  471: { name: '<Ece>', type: 'f32', unit: 'V' },
  473: { name: 'THD Ewe', type: 'f32', unit: '%' },
  474: { name: 'THD I', type: 'f32', unit: '%' },
  475: { name: 'THD Ece', type: 'f32', unit: '%' }, // lit
  476: { name: 'NSD Ewe', type: 'f32', unit: '%' },
  477: { name: 'NSD I', type: 'f32', unit: '%' },
  478: { name: 'NSD Ece', type: 'f32', unit: '%' }, // lit
  479: { name: 'NSR Ewe', type: 'f32', unit: '%' },
  480: { name: 'NSR I', type: 'f32', unit: '%' },
  481: { name: 'NSR Ece', type: 'f32', unit: '%' }, // lit
  486: { name: '|Ewe h2|', type: 'f32', unit: 'V' },
  487: { name: '|Ewe h3|', type: 'f32', unit: 'V' },
  488: { name: '|Ewe h4|', type: 'f32', unit: 'V' },
  489: { name: '|Ewe h5|', type: 'f32', unit: 'V' },
  490: { name: '|Ewe h6|', type: 'f32', unit: 'V' },
  491: { name: '|Ewe h7|', type: 'f32', unit: 'V' },
  492: { name: '|I h2|', type: 'f32', unit: 'A' },
  493: { name: '|I h3|', type: 'f32', unit: 'A' },
  494: { name: '|I h4|', type: 'f32', unit: 'A' },
  495: { name: '|I h5|', type: 'f32', unit: 'A' },
  496: { name: '|I h6|', type: 'f32', unit: 'A' },
  497: { name: '|I h7|', type: 'f32', unit: 'A' },
  498: { name: '|Ece h2|', type: 'f32', unit: 'V' }, // lit
  499: { name: '|Ece h3|', type: 'f32', unit: 'V' }, // lit
  500: { name: '|Ece h4|', type: 'f32', unit: 'V' }, // lit
  501: { name: '|Ece h5|', type: 'f32', unit: 'V' }, // lit
  502: { name: '|Ece h6|', type: 'f32', unit: 'V' }, // lit
  503: { name: '|Ece h7|', type: 'f32', unit: 'V' }, // lit
  // mb.issue_223 (EC-Lab 11.61): 8 bytes by row size, equals the .mpt `Energy we/W.h` column.
  880: { name: 'Energy we', type: 'f64', unit: 'W.h' },
};

/** Settings module: the technique byte, then cell characteristics (only fields stable across fixtures). */
export const SETTINGS_FIELDS: readonly FieldDecl[] = [
  { name: 'techniqueId', offset: 0x0000, type: 'u8' },
  { name: 'comments', offset: 0x0007, type: 'pascal' },
];

/**
 * LOG module fields. Every fixture (v1 and v2 headers, EC-Lab 11.30–11.61) has them at these offsets;
 * `startOle` is checked for plausibility against the module date before it is used (galvani's other
 * candidate offsets 465/469/473 hold no date in any fixture).
 */
export const LOG_FIELDS: readonly FieldDecl[] = [
  { name: 'channelIndex', offset: 0x0009, type: 'u8' },
  // u32: mb.issue_223 has channel SN 69651 (> 65535) here.
  { name: 'channelSerial', offset: 0x00ab, type: 'u32' },
  { name: 'startOle', offset: 0x0249, type: 'f64' },
  { name: 'savedFile', offset: 0x0251, type: 'pascal' },
  { name: 'host', offset: 0x0351, type: 'pascal' },
  { name: 'address', offset: 0x0384, type: 'pascal' },
  { name: 'softwareVersion', offset: 0x03b7, type: 'pascal' },
  { name: 'serverVersion', offset: 0x03be, type: 'pascal' },
  { name: 'interpreterVersion', offset: 0x03c5, type: 'pascal' },
  { name: 'deviceSerial', offset: 0x03cf, type: 'pascal' },
];

export const COLUMN_SIZE: Readonly<Record<ColumnType, number>> = { u8: 1, u16: 2, u32: 4, f32: 4, f64: 8 };
