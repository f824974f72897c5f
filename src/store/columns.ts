/** Typed column ↔ BLOB, little-endian (DuckDB BLOBs are bytes; x86/ARM are little-endian). */
import type { NumericArray } from '../records/record.js';

export function columnToBlob(values: NumericArray): Uint8Array {
  return new Uint8Array(values.buffer.slice(values.byteOffset, values.byteOffset + values.byteLength));
}

export function blobToColumn(blob: Uint8Array, dtype: string): NumericArray {
  const buf = blob.buffer.slice(blob.byteOffset, blob.byteOffset + blob.byteLength);
  return dtype === 'i32' ? new Int32Array(buf) : new Float64Array(buf);
}

export function dtypeOf(values: NumericArray): 'f64' | 'i32' {
  return values instanceof Int32Array ? 'i32' : 'f64';
}
