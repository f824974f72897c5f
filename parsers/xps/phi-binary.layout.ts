/**
 * PHI SmartSoft / MultiPak `.spe` and `.pro` binary part, as data. After the ASCII header
 * (`SOFH` … `EOFH` + newline) comes a little-endian block: a u32 (always 1 in our fixtures), then one
 * 96-byte descriptor per data table, the first starting at byte 4 (so descriptor 0 shares its first
 * words with the table count), then the tables themselves at the offsets the descriptors give
 * (relative to the start of the binary block).
 *
 * Offsets proven on the fixtures (bytes within a descriptor):
 * - `pynxtools__SnO2_10nm.spe`: 1 table, 1751 points, 'f4', length 7004 at offset 112, y unit 'c/s'.
 * - `yadg__test0.spe` (PHI Quantum 2000, Compass V6.4): 2 tables, 3401 and 161 points, 'f8'.
 * - `pynxtools__SnO2_10nm_1.pro`: 4 spectra × 21 cycles ('pnt'), then a 'cyc'×'reg' table in 's'
 *   (sputter time per cycle per region: 0, 30, …, 600 s) and one in 'c/s * eV' (peak areas).
 * The descriptor order and fields 8, 9, 22, 23 agree with pynxtools-xps `parsers/phi/parser.py`.
 */
export type FieldType = 'u32' | 'char4' | 'char16';

export interface BinaryField {
  readonly name: 'count' | 'index' | 'nPoints' | 'nCycles' | 'xUnit' | 'yUnit' | 'dtype' | 'byteLength' | 'byteOffset';
  readonly offset: number;
  readonly type: FieldType;
}

export const PHI_BLOCK = {
  /** Byte offset of the table count inside the binary block. */
  countOffset: 4,
  firstDescriptor: 4,
  descriptorSize: 96,
} as const;

export const PHI_DESCRIPTOR: readonly BinaryField[] = [
  { name: 'index', offset: 12, type: 'u32' }, //       1-based table number
  { name: 'nPoints', offset: 32, type: 'u32' }, //     values per curve
  { name: 'nCycles', offset: 36, type: 'u32' }, //     curves (depth-profile cycles; 1 in a .spe)
  { name: 'xUnit', offset: 44, type: 'char4' }, //     'pnt' for spectra, 'cyc' for per-cycle tables
  { name: 'yUnit', offset: 68, type: 'char16' }, //    'c/s', 's', 'c/s * eV'
  { name: 'dtype', offset: 84, type: 'char4' }, //     'f4' | 'f8'
  { name: 'byteLength', offset: 88, type: 'u32' },
  { name: 'byteOffset', offset: 92, type: 'u32' },
];

export const PHI_DTYPES: Readonly<Record<string, 4 | 8>> = { f4: 4, f8: 8 };
