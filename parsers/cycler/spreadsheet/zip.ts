/**
 * The project's one zip reader (Neware .ndax, .xlsx workbooks, Thermo Avantage exports): list entries from
 * the central directory WITHOUT inflating, check declared sizes against limits (zip bombs), then inflate
 * only the members asked for; for sniffing, the member names in the head and one member whose local entry
 * lies wholly in the head.
 */
import { lazyRequire } from '../../../src/records/lazy.js';

/** fflate is loaded when a member is inflated, not when the registry is imported. */
const fflate = lazyRequire<typeof import('fflate')>('fflate');
import { ParseError } from '../../../src/records/errors.js';

export interface ZipEntry {
  readonly name: string;
  readonly size: number;
  readonly originalSize: number;
  readonly compression: number;
}

export interface ZipLimits {
  /** Largest declared uncompressed size of one member. @default 1 GiB */
  readonly maxEntryBytes?: number;
  /** Largest declared uncompressed total of the members to be inflated. @default 2 GiB */
  readonly maxTotalBytes?: number;
  /** Largest declared compression ratio of one member (deflate tops out near 1032:1). @default 1100 */
  readonly maxRatio?: number;
}

export const DEFAULT_ZIP_LIMITS: Required<ZipLimits> = {
  maxEntryBytes: 1024 ** 3,
  maxTotalBytes: 2 * 1024 ** 3,
  maxRatio: 1100,
};

export function isZip(head: Uint8Array): boolean {
  return head.length >= 4 && head[0] === 0x50 && head[1] === 0x4b && head[2] === 0x03 && head[3] === 0x04;
}

/** Member names visible in the local file headers inside `headText` (the sniff window). */
export function zipNamesInHead(headText: string): string[] {
  const names: string[] = [];
  let i = headText.indexOf('PK\x03\x04');
  while (i >= 0 && i + 30 <= headText.length) {
    const nameLen = headText.charCodeAt(i + 26) | (headText.charCodeAt(i + 27) << 8);
    names.push(headText.slice(i + 30, i + 30 + nameLen));
    i = headText.indexOf('PK\x03\x04', i + 30 + nameLen);
  }
  return names;
}

/**
 * One member read from the local entries at the start of `head` (a sniff window: the central directory is
 * usually out of sight), walking header to header from offset 0. The member as stored (0) or inflated (8);
 * `null` when it is there but refused (declared size above `maxBytes`, another compression method);
 * `undefined` when the walk does not reach it (sizes in a data descriptor, an entry running past the head,
 * not a local header). Throws when the deflate data are corrupt.
 */
export function memberFromHead(head: Uint8Array, name: string, maxBytes: number): Uint8Array | null | undefined {
  const view = new DataView(head.buffer, head.byteOffset, head.byteLength);
  let o = 0;
  while (o + 30 <= head.length && view.getUint32(o, true) === LFH) {
    const flags = view.getUint16(o + 6, true);
    const method = view.getUint16(o + 8, true);
    const csize = view.getUint32(o + 18, true);
    const usize = view.getUint32(o + 22, true);
    const n = view.getUint16(o + 26, true);
    const e = view.getUint16(o + 28, true);
    const entryName = latin1(head.subarray(o + 30, o + 30 + n));
    const start = o + 30 + n + e;
    if (flags & 8) return undefined; // sizes are after the data: cannot walk on
    const end = start + csize;
    if (end > head.length) return undefined;
    if (entryName === name) {
      if (usize > maxBytes) return null;
      const raw = head.subarray(start, end);
      return method === 0 ? raw : method === 8 ? fflate().inflateSync(raw, { out: new Uint8Array(usize) }) : null;
    }
    o = end;
  }
  return undefined;
}

const latin1 = (b: Uint8Array): string => {
  let s = '';
  for (let i = 0; i < b.length; i++) s += String.fromCharCode(b[i]!);
  return s;
};

interface CdEntry extends ZipEntry {
  readonly localOffset: number;
}

const EOCD = 0x06054b50;
const EOCD64_LOCATOR = 0x07064b50;
const EOCD64 = 0x06064b50;
const CDH = 0x02014b50;
const LFH = 0x04034b50;
const MAX32 = 0xffffffff;

/**
 * Central directory, read directly (not through fflate's listing): Neware writes zip64 size fields per
 * entry (0xFFFFFFFF + a 0x0001 extra) without a zip64 end record, which fflate reports as 4 GiB members.
 * Both .ndax fixtures are written that way.
 */
function readCentralDirectory(path: string, bytes: Uint8Array): CdEntry[] {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const bad = (message: string, offset?: number): ParseError =>
    new ParseError({
      file: path,
      code: 'invalid',
      offset,
      message: `zip directory cannot be read: ${message}`,
      expected: 'a complete zip archive',
      found: `${bytes.length} bytes`,
    });
  let eocd = -1;
  for (let o = bytes.length - 22; o >= Math.max(0, bytes.length - 22 - 0xffff); o--) {
    if (view.getUint32(o, true) === EOCD) {
      eocd = o;
      break;
    }
  }
  if (eocd < 0) throw bad('no end-of-central-directory record (truncated or not a zip)', bytes.length);
  let count = view.getUint16(eocd + 10, true);
  let cdOffset = view.getUint32(eocd + 16, true);
  if ((count === 0xffff || cdOffset === MAX32) && eocd >= 20 && view.getUint32(eocd - 20, true) === EOCD64_LOCATOR) {
    const e64 = Number(view.getBigUint64(eocd - 12, true));
    if (e64 + 56 > bytes.length || view.getUint32(e64, true) !== EOCD64) throw bad('broken zip64 end record', e64);
    count = Number(view.getBigUint64(e64 + 32, true));
    cdOffset = Number(view.getBigUint64(e64 + 48, true));
  }
  const entries: CdEntry[] = [];
  let o = cdOffset;
  for (let k = 0; k < count; k++) {
    if (o + 46 > bytes.length || view.getUint32(o, true) !== CDH) throw bad(`central directory entry ${k} missing`, o);
    const compression = view.getUint16(o + 10, true);
    let size = view.getUint32(o + 20, true);
    let originalSize = view.getUint32(o + 24, true);
    const nameLen = view.getUint16(o + 28, true);
    const extraLen = view.getUint16(o + 30, true);
    const commentLen = view.getUint16(o + 32, true);
    let localOffset = view.getUint32(o + 42, true);
    if (o + 46 + nameLen + extraLen > bytes.length) throw bad(`central directory entry ${k} runs past the end`, o);
    const name = new TextDecoder().decode(bytes.subarray(o + 46, o + 46 + nameLen));
    // zip64 extra (0x0001): the 8-byte values present are those whose 32-bit field is 0xFFFFFFFF, in order.
    for (let x = o + 46 + nameLen; x + 4 <= o + 46 + nameLen + extraLen; ) {
      const id = view.getUint16(x, true);
      const len = view.getUint16(x + 2, true);
      if (id === 0x0001) {
        let p = x + 4;
        const next = (): number => {
          const v = p + 8 <= x + 4 + len ? Number(view.getBigUint64(p, true)) : NaN;
          p += 8;
          return v;
        };
        if (originalSize === MAX32) originalSize = next();
        if (size === MAX32) size = next();
        if (localOffset === MAX32) localOffset = next();
      }
      x += 4 + len;
    }
    if (![size, originalSize, localOffset].every(Number.isFinite)) throw bad(`entry '${name}' has unreadable zip64 sizes`, o);
    entries.push({ name, size, originalSize, compression, localOffset });
    o += 46 + nameLen + extraLen + commentLen;
  }
  return entries;
}

/** Central-directory listing; throws ParseError 'bad-magic' / 'invalid' for non-zips and broken zips. */
export function listZip(path: string, bytes: Uint8Array): ZipEntry[] {
  if (!isZip(bytes)) {
    throw new ParseError({
      file: path,
      code: 'bad-magic',
      offset: 0,
      message: 'not a zip container',
      expected: 'PK\\x03\\x04',
      found: String.fromCharCode(...bytes.subarray(0, 4)),
    });
  }
  return readCentralDirectory(path, bytes).map(({ name, size, originalSize, compression }) => ({ name, size, originalSize, compression }));
}

/** Throws ParseError 'too-large' when a listed member breaks a limit. */
export function checkZipLimits(path: string, entries: readonly ZipEntry[], limits: ZipLimits = {}): void {
  const l = { ...DEFAULT_ZIP_LIMITS, ...limits };
  let total = 0;
  for (const e of entries) {
    total += e.originalSize;
    const ratio = e.size > 0 ? e.originalSize / e.size : e.originalSize > 0 ? Infinity : 1;
    if (e.originalSize > l.maxEntryBytes || ratio > l.maxRatio) {
      throw new ParseError({
        file: path,
        code: 'too-large',
        message: `zip member '${e.name}' declares ${e.originalSize} bytes uncompressed from ${e.size} (possible zip bomb)`,
        expected: `≤ ${l.maxEntryBytes} bytes and ratio ≤ ${l.maxRatio}`,
        found: `${e.originalSize} bytes, ratio ${ratio.toFixed(0)}`,
      });
    }
  }
  if (total > l.maxTotalBytes) {
    throw new ParseError({
      file: path,
      code: 'too-large',
      message: 'zip members declare too many bytes uncompressed',
      expected: `≤ ${l.maxTotalBytes} bytes`,
      found: `${total} bytes`,
    });
  }
}

/** Inflate the named members (after `checkZipLimits`), into buffers of their declared size. Missing names are absent. */
export function extractZip(path: string, bytes: Uint8Array, names: ReadonlySet<string>): Record<string, Uint8Array> {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const out: Record<string, Uint8Array> = {};
  for (const e of readCentralDirectory(path, bytes)) {
    if (!names.has(e.name)) continue;
    const o = e.localOffset;
    if (o + 30 > bytes.length || view.getUint32(o, true) !== LFH) {
      throw new ParseError({
        file: path,
        code: 'invalid',
        offset: o,
        message: `zip member '${e.name}': local header missing`,
        expected: 'PK\\x03\\x04',
        found: 'other bytes',
      });
    }
    const start = o + 30 + view.getUint16(o + 26, true) + view.getUint16(o + 28, true);
    if (start + e.size > bytes.length) {
      throw new ParseError({
        file: path,
        code: 'truncated',
        offset: bytes.length,
        message: `zip member '${e.name}' runs past the end of the file`,
        expected: `${start + e.size} bytes`,
        found: `${bytes.length} bytes`,
      });
    }
    const raw = bytes.subarray(start, start + e.size);
    if (e.compression === 0) out[e.name] = raw.slice();
    else if (e.compression === 8) {
      try {
        const buf = fflate().inflateSync(raw, { out: new Uint8Array(e.originalSize) });
        if (buf.length !== e.originalSize) throw new Error(`inflated ${buf.length} bytes, declared ${e.originalSize}`);
        out[e.name] = buf;
      } catch (err) {
        throw new ParseError({
          file: path,
          code: 'invalid',
          offset: start,
          message: `zip member '${e.name}' cannot be inflated: ${(err as Error).message}`,
          expected: 'valid deflate data',
          found: `${e.size} compressed bytes`,
        });
      }
    } else {
      throw new ParseError({
        file: path,
        code: 'invalid',
        offset: o,
        message: `zip member '${e.name}' uses compression method ${e.compression}`,
        expected: '0 (stored) or 8 (deflate)',
        found: String(e.compression),
      });
    }
  }
  return out;
}
