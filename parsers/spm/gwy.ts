/**
 * Gwyddion native `.gwy` files (AFM / PFM images), read from the documented open format:
 * https://gwyddion.net/documentation/user-guide-en/gwyfile-format.html, byte layout checked against
 * the Python reader https://github.com/tuxu/gwyfile (gwyfile/objects.py); summary in
 * shared/domain/MECHANISMS.md §8.
 *
 * Physical layer (§8.1): 4-byte magic `GWYP`, then one serialised object (the top GwyContainer).
 * Object = type name (UTF-8, NUL-terminated), uint32 LE size of the component block, components.
 * Component = name (NUL-terminated), 1-byte type code, value: `b` bool (1 byte), `c` char (1 byte),
 * `i` int32, `q` int64, `d` double, `s` NUL-terminated string, `o` object; arrays `C I Q D S O` are a
 * uint32 LE count then the items. Everything little-endian.
 * SPM conventions (§8.2): channel n's image is the GwyDataField at `/n/data` with its title at
 * `/n/data/title`; a GwyDataField has `xres`, `yres` (int32), `xreal`, `yreal`, `xoff`, `yoff` (double,
 * base SI units: m), `si_unit_xy`, `si_unit_z` (GwySIUnit objects with `unitstr`) and `data`, xres·yres
 * doubles row-major (yres rows of xres).
 *
 * Output: one 'pfm-image' record per pixel grid (channels of the same xres × yres share one record):
 * columns `Column`, `Row` (pixel indices) and one column per channel, named from its title (Phase,
 * Amplitude, Height, else the title) with its unit from `si_unit_z`; phase in rad is converted to deg
 * (§8.3: phase may be deg, rad or V: never assumed). Masks (`/n/mask`) set the masked pixels of the
 * channel to NaN (so they leave N_valid).
 */
import type { FormatParser, ParseInput, SniffInput } from '../types.js';
import type { ParsedRecord, ParseWarning } from '../../src/records/record.js';
import { ParseError } from '../../src/records/errors.js';
import { buildImageRecord, type ImageChannel, type ImageGrid } from './image.js';

export type GwyValue = boolean | number | bigint | string | GwyObject | Float64Array | Int32Array | readonly (string | GwyObject | number | bigint)[];

export interface GwyObject {
  readonly type: string;
  readonly components: Map<string, GwyValue>;
}

const MAX_DEPTH = 64;

class Reader {
  private readonly dv: DataView;
  constructor(
    readonly bytes: Uint8Array,
    readonly file: string,
  ) {
    this.dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  }
  fail(offset: number, message: string, code: 'truncated' | 'invalid' = 'invalid'): never {
    throw new ParseError({ file: this.file, code, offset, message });
  }
  need(pos: number, n: number, end: number, what: string): void {
    if (pos + n > end) this.fail(pos, `${what} runs past the end of its block (${n} bytes at ${pos}, block ends at ${end})`, 'truncated');
  }
  cstring(pos: number, end: number, what: string): [string, number] {
    let i = pos;
    while (i < end && this.bytes[i] !== 0) i++;
    if (i >= end) this.fail(pos, `${what}: no NUL terminator before the end of its block`, 'truncated');
    return [new TextDecoder('utf-8', { fatal: false }).decode(this.bytes.subarray(pos, i)), i + 1];
  }
  u32(pos: number): number {
    return this.dv.getUint32(pos, true);
  }
  object(pos: number, end: number, depth: number): [GwyObject, number] {
    if (depth > MAX_DEPTH) this.fail(pos, `objects nested deeper than ${MAX_DEPTH}`);
    const [type, p1] = this.cstring(pos, end, 'object type name');
    this.need(p1, 4, end, `object '${type}' size`);
    const size = this.u32(p1);
    const start = p1 + 4;
    this.need(start, size, end, `object '${type}' components (${size} bytes)`);
    const stop = start + size;
    const components = new Map<string, GwyValue>();
    let p = start;
    while (p < stop) {
      const [name, q] = this.cstring(p, stop, `component name in '${type}'`);
      this.need(q, 1, stop, `type code of component '${name}'`);
      const code = String.fromCharCode(this.bytes[q]!);
      const [value, next] = this.value(code, q + 1, stop, depth, name);
      components.set(name, value);
      p = next;
    }
    return [{ type, components }, stop];
  }
  value(code: string, p: number, end: number, depth: number, name: string): [GwyValue, number] {
    switch (code) {
      case 'b':
        this.need(p, 1, end, name);
        return [this.bytes[p] !== 0, p + 1];
      case 'c':
        this.need(p, 1, end, name);
        return [this.bytes[p]!, p + 1];
      case 'i':
        this.need(p, 4, end, name);
        return [this.dv.getInt32(p, true), p + 4];
      case 'q':
        this.need(p, 8, end, name);
        return [this.dv.getBigInt64(p, true), p + 8];
      case 'd':
        this.need(p, 8, end, name);
        return [this.dv.getFloat64(p, true), p + 8];
      case 's':
        return this.cstring(p, end, `string component '${name}'`);
      case 'o':
        return this.object(p, end, depth + 1);
      case 'C':
      case 'I':
      case 'Q':
      case 'D':
      case 'S':
      case 'O': {
        this.need(p, 4, end, `array count of '${name}'`);
        const n = this.u32(p);
        let q = p + 4;
        const item = code === 'C' ? 1 : code === 'I' ? 4 : code === 'Q' || code === 'D' ? 8 : 0;
        if (item) {
          this.need(q, n * item, end, `array '${name}' (${n} items)`);
          if (code === 'D') {
            const out = new Float64Array(n);
            for (let i = 0; i < n; i++) out[i] = this.dv.getFloat64(q + 8 * i, true);
            return [out, q + 8 * n];
          }
          if (code === 'I') {
            const out = new Int32Array(n);
            for (let i = 0; i < n; i++) out[i] = this.dv.getInt32(q + 4 * i, true);
            return [out, q + 4 * n];
          }
          if (code === 'Q') {
            const out: bigint[] = [];
            for (let i = 0; i < n; i++) out.push(this.dv.getBigInt64(q + 8 * i, true));
            return [out, q + 8 * n];
          }
          return [Array.from(this.bytes.subarray(q, q + n)), q + n];
        }
        // S and O: items of variable length; each needs at least one byte, so a huge count is truncation
        if (n > end - q) this.fail(p, `array '${name}' claims ${n} items in ${end - q} bytes`, 'truncated');
        const out: (string | GwyObject)[] = [];
        for (let i = 0; i < n; i++) {
          const [v, next] = code === 'S' ? this.cstring(q, end, `string ${i} of '${name}'`) : this.object(q, end, depth + 1);
          out.push(v);
          q = next;
        }
        return [out, q];
      }
      default:
        return this.fail(p - 1, `component '${name}': unknown type code '${code}' (0x${code.charCodeAt(0).toString(16)})`);
    }
  }
}

/** Parse the bytes of a `.gwy` file into its top-level object tree. */
export function readGwyTree(bytes: Uint8Array, file = 'file.gwy'): GwyObject {
  if (bytes.length < 4 || String.fromCharCode(...bytes.subarray(0, 4)) !== 'GWYP') {
    throw new ParseError({
      file,
      code: 'bad-magic',
      offset: 0,
      message: "not a Gwyddion .gwy file (expected magic 'GWYP')",
      expected: 'GWYP',
      found: String.fromCharCode(...bytes.subarray(0, 4)),
    });
  }
  const r = new Reader(bytes, file);
  const [top] = r.object(4, bytes.length, 0);
  return top;
}

const num = (v: GwyValue | undefined): number | undefined => (typeof v === 'number' ? v : typeof v === 'bigint' ? Number(v) : undefined);
const unitOf = (v: GwyValue | undefined): string =>
  v && typeof v === 'object' && 'components' in v ? String((v as GwyObject).components.get('unitstr') ?? '') : '';

/** One GwyDataField as plain values (validated: data length = xres·yres). */
export type GwyDataField = ImageGrid;

export function dataFieldOf(o: GwyObject, file: string, key: string): GwyDataField {
  const c = o.components;
  const xres = num(c.get('xres'));
  const yres = num(c.get('yres'));
  const data = c.get('data');
  if (!(xres! > 0 && yres! > 0 && Number.isInteger(xres) && Number.isInteger(yres)))
    throw new ParseError({
      file,
      code: 'invalid',
      message: `${key}: GwyDataField needs positive integer xres and yres (found ${String(c.get('xres'))} × ${String(c.get('yres'))})`,
    });
  if (!(data instanceof Float64Array)) throw new ParseError({ file, code: 'missing-column', message: `${key}: GwyDataField has no 'data' array of doubles` });
  if (data.length !== xres! * yres!)
    throw new ParseError({
      file,
      code: 'invalid',
      message: `${key}: 'data' has ${data.length} values, xres × yres = ${xres! * yres!}`,
      expected: String(xres! * yres!),
      found: String(data.length),
    });
  return {
    xres: xres!,
    yres: yres!,
    xreal: num(c.get('xreal')) ?? NaN,
    yreal: num(c.get('yreal')) ?? NaN,
    xoff: num(c.get('xoff')) ?? 0,
    yoff: num(c.get('yoff')) ?? 0,
    unitXY: unitOf(c.get('si_unit_xy')),
    unitZ: unitOf(c.get('si_unit_z')),
    data,
  };
}

function sniff(s: SniffInput): number {
  if (s.head.length < 4) return 0;
  if (s.headText.slice(0, 4) !== 'GWYP') return 0;
  // GWYP then the container's type name
  return s.headText.startsWith('GWYPGwyContainer\0') ? 0.99 : 0.9;
}

function parse(input: ParseInput): ParsedRecord[] {
  const top = readGwyTree(input.bytes, input.path);
  const warnings: ParseWarning[] = [];
  if (top.type !== 'GwyContainer') warnings.push({ code: 'not-a-container', message: `top-level object is '${top.type}', not GwyContainer` });
  const channels: ImageChannel[] = [];
  const ids = [...top.components.keys()]
    .map((k) => /^\/(\d+)\/data$/.exec(k))
    .filter((m): m is RegExpExecArray => !!m)
    .map((m) => Number(m[1]))
    .sort((a, b) => a - b);
  for (const id of ids) {
    const v = top.components.get(`/${id}/data`);
    if (!v || typeof v !== 'object' || !('components' in v) || (v as GwyObject).type !== 'GwyDataField') {
      warnings.push({ code: 'not-a-data-field', message: `/${id}/data is not a GwyDataField; skipped` });
      continue;
    }
    const f = dataFieldOf(v as GwyObject, input.path, `/${id}/data`);
    const title = top.components.get(`/${id}/data/title`);
    const mask = top.components.get(`/${id}/mask`);
    let values = f.data;
    if (mask && typeof mask === 'object' && 'components' in mask && (mask as GwyObject).type === 'GwyDataField') {
      const m = dataFieldOf(mask as GwyObject, input.path, `/${id}/mask`);
      if (m.xres === f.xres && m.yres === f.yres) {
        values = Float64Array.from(f.data, (x, i) => (m.data[i]! > 0 ? NaN : x));
        warnings.push({ code: 'mask-applied', message: `channel ${id}: ${m.data.filter((x) => x > 0).length} masked pixels set to NaN` });
      } else warnings.push({ code: 'mask-size', message: `channel ${id}: mask ${m.xres}×${m.yres} does not match the image ${f.xres}×${f.yres}; ignored` });
    }
    channels.push({
      id,
      title: typeof title === 'string' ? title : `channel ${id}`,
      xres: f.xres,
      yres: f.yres,
      xreal: f.xreal,
      yreal: f.yreal,
      xoff: f.xoff,
      yoff: f.yoff,
      unitXY: f.unitXY,
      unitZ: f.unitZ,
      data: values,
    });
  }
  if (!channels.length) throw new ParseError({ file: input.path, code: 'no-data', message: 'no GwyDataField image at /n/data in the container' });
  return buildImageRecord(channels, { software: 'Gwyddion', technique: 'scanning probe image (.gwy)' }, warnings);
}

export const gwyddionGwy: FormatParser = {
  id: 'gwyddion-gwy',
  family: 'spm',
  kind: 'pfm-image',
  title: 'Gwyddion native .gwy file (AFM / PFM image channels)',
  version: '1.0.0',
  extensions: ['.gwy'],
  sniff,
  parse,
};

// ---------------------------------------------------------------------------------------------------
// Writer (tests, fuzz seeds and the virtual lab): the same layout, byte for byte.

export type GwyWriteValue =
  | { readonly t: 'b'; readonly v: boolean }
  | { readonly t: 'i'; readonly v: number }
  | { readonly t: 'd'; readonly v: number }
  | { readonly t: 's'; readonly v: string }
  | { readonly t: 'o'; readonly v: GwyWriteObject }
  | { readonly t: 'D'; readonly v: ArrayLike<number> };
export interface GwyWriteObject {
  readonly type: string;
  readonly components: readonly (readonly [string, GwyWriteValue])[];
}

const enc = new TextEncoder();
function concat(parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((a, p) => a + p.length, 0));
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}
const cstr = (s: string): Uint8Array => concat([enc.encode(s), new Uint8Array([0])]);

export function serialiseGwyObject(o: GwyWriteObject): Uint8Array {
  const comps = o.components.map(([name, val]) => {
    let body: Uint8Array;
    switch (val.t) {
      case 'b':
        body = new Uint8Array([val.v ? 1 : 0]);
        break;
      case 'i': {
        body = new Uint8Array(4);
        new DataView(body.buffer).setInt32(0, val.v, true);
        break;
      }
      case 'd': {
        body = new Uint8Array(8);
        new DataView(body.buffer).setFloat64(0, val.v, true);
        break;
      }
      case 's':
        body = cstr(val.v);
        break;
      case 'o':
        body = serialiseGwyObject(val.v);
        break;
      case 'D': {
        body = new Uint8Array(4 + 8 * val.v.length);
        const dv = new DataView(body.buffer);
        dv.setUint32(0, val.v.length, true);
        for (let i = 0; i < val.v.length; i++) dv.setFloat64(4 + 8 * i, val.v[i]!, true);
        break;
      }
    }
    return concat([cstr(name), enc.encode(val.t), body]);
  });
  const block = concat(comps);
  const size = new Uint8Array(4);
  new DataView(size.buffer).setUint32(0, block.length, true);
  return concat([cstr(o.type), size, block]);
}

export interface GwyChannelToWrite {
  readonly title: string;
  readonly xres: number;
  readonly yres: number;
  /** Physical size, m. */
  readonly xreal: number;
  readonly yreal: number;
  readonly unitZ: string;
  readonly data: ArrayLike<number>;
}

/** A `.gwy` file with the given channels at /0/data, /1/data, … (titles at /n/data/title). */
export function writeGwy(channels: readonly GwyChannelToWrite[]): Uint8Array {
  const unit = (u: string): GwyWriteValue => ({ t: 'o', v: { type: 'GwySIUnit', components: [['unitstr', { t: 's', v: u }]] } });
  const comps: [string, GwyWriteValue][] = [];
  channels.forEach((c, i) => {
    comps.push([
      `/${i}/data`,
      {
        t: 'o',
        v: {
          type: 'GwyDataField',
          components: [
            ['xres', { t: 'i', v: c.xres }],
            ['yres', { t: 'i', v: c.yres }],
            ['xreal', { t: 'd', v: c.xreal }],
            ['yreal', { t: 'd', v: c.yreal }],
            ['si_unit_xy', unit('m')],
            ['si_unit_z', unit(c.unitZ)],
            ['data', { t: 'D', v: c.data }],
          ],
        },
      },
    ]);
    comps.push([`/${i}/data/title`, { t: 's', v: c.title }]);
  });
  return concat([enc.encode('GWYP'), serialiseGwyObject({ type: 'GwyContainer', components: comps })]);
}
