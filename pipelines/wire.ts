/**
 * Work units and results as plain JSON for a queue: typed-array columns become
 * `{ "$typed": "f64" | "i32", "b64": … }` (little-endian bytes, base64). Exact round trip.
 */
export function toWire(value: unknown): string {
  return JSON.stringify(value, (_k, v: unknown) => {
    if (v instanceof Float64Array || v instanceof Int32Array) {
      const b = Buffer.from(v.buffer, v.byteOffset, v.byteLength);
      return { $typed: v instanceof Float64Array ? 'f64' : 'i32', b64: b.toString('base64') };
    }
    if (typeof v === 'number' && !Number.isFinite(v)) return { $num: String(v) };
    return v;
  });
}

export function fromWire<T>(text: string): T {
  return JSON.parse(text, (_k, v: unknown) => {
    if (v && typeof v === 'object' && '$typed' in v && 'b64' in v) {
      const o = v as { $typed: string; b64: string };
      const b = Buffer.from(o.b64, 'base64');
      const copy = new Uint8Array(b.byteLength);
      copy.set(b);
      return o.$typed === 'i32' ? new Int32Array(copy.buffer) : new Float64Array(copy.buffer);
    }
    if (v && typeof v === 'object' && '$num' in v && Object.keys(v).length === 1) return Number((v as { $num: string }).$num);
    return v;
  }) as T;
}
