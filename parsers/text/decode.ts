/**
 * Text decoding at the parser boundary. Instrument software writes UTF-8 (with or without BOM),
 * UTF-16 (Windows "Unicode" exports) or a legacy 8-bit code page (latin-1 / windows-1252, GB2312 for
 * Chinese Neware builds). We decode once here; parsers work on the resulting string.
 */
export type TextEncoding = 'utf-8' | 'utf-16le' | 'utf-16be' | 'windows-1252' | 'gbk';

export interface DecodedText {
  readonly text: string;
  readonly encoding: TextEncoding;
  /** Bytes of BOM skipped at the start (byte offsets in errors add this). */
  readonly bomLength: number;
  /** True if the file was not valid UTF-8 and fell back to a legacy code page. */
  readonly fellBack: boolean;
}

export function detectBom(b: Uint8Array): { encoding: TextEncoding; length: number } | null {
  if (b.length >= 3 && b[0] === 0xef && b[1] === 0xbb && b[2] === 0xbf) return { encoding: 'utf-8', length: 3 };
  if (b.length >= 2 && b[0] === 0xff && b[1] === 0xfe) return { encoding: 'utf-16le', length: 2 };
  if (b.length >= 2 && b[0] === 0xfe && b[1] === 0xff) return { encoding: 'utf-16be', length: 2 };
  return null;
}

/** UTF-16 without BOM: many NUL bytes at alternate positions in the head. */
function guessUtf16(b: Uint8Array): TextEncoding | null {
  const n = Math.min(b.length, 512) & ~1;
  if (n < 8) return null;
  let evenNul = 0;
  let oddNul = 0;
  for (let i = 0; i < n; i += 2) {
    if (b[i] === 0) evenNul++;
    if (b[i + 1] === 0) oddNul++;
  }
  const half = n / 2;
  if (oddNul > 0.4 * half && evenNul < 0.05 * half) return 'utf-16le';
  if (evenNul > 0.4 * half && oddNul < 0.05 * half) return 'utf-16be';
  return null;
}

/**
 * Decode bytes to text. `fallback` is the legacy code page used when the bytes are not valid UTF-8
 * (default windows-1252, which also covers latin-1 files such as EC-Lab's `°C`).
 */
export function decodeText(bytes: Uint8Array, fallback: TextEncoding = 'windows-1252'): DecodedText {
  const bom = detectBom(bytes);
  if (bom) {
    const body = bytes.subarray(bom.length);
    return { text: new TextDecoder(bom.encoding).decode(body), encoding: bom.encoding, bomLength: bom.length, fellBack: false };
  }
  const u16 = guessUtf16(bytes);
  if (u16) return { text: new TextDecoder(u16).decode(bytes), encoding: u16, bomLength: 0, fellBack: false };
  try {
    return { text: new TextDecoder('utf-8', { fatal: true }).decode(bytes), encoding: 'utf-8', bomLength: 0, fellBack: false };
  } catch {
    return { text: new TextDecoder(fallback).decode(bytes), encoding: fallback, bomLength: 0, fellBack: true };
  }
}

/** Latin-1 view of bytes: one char per byte, for sniffing and keyword search. */
export function latin1(bytes: Uint8Array): string {
  let s = '';
  const CHUNK = 8192;
  for (let i = 0; i < bytes.length; i += CHUNK) {
    s += String.fromCharCode.apply(null, bytes.subarray(i, i + CHUNK) as unknown as number[]);
  }
  return s;
}

/** True if the head looks like text (few control bytes other than tab/CR/LF). */
export function looksLikeText(head: Uint8Array): boolean {
  if (head.length === 0) return false;
  if (detectBom(head) || guessUtf16(head)) return true;
  const n = Math.min(head.length, 4096);
  let bad = 0;
  for (let i = 0; i < n; i++) {
    const c = head[i]!;
    if (c < 9 || (c > 13 && c < 32 && c !== 26) || c === 127) bad++;
  }
  return bad / n < 0.01;
}
