/** Sniff input built the way parsers/index.ts builds it (kept local so these suites do not load every family). */
import type { SniffInput } from '../../../../parsers/types.js';

export function sniffOf(name: string, bytes: Uint8Array): SniffInput {
  const head = bytes.subarray(0, 64 * 1024);
  let headText = '';
  for (let i = 0; i < head.length; i++) headText += String.fromCharCode(head[i]!);
  return { name, head, headText, size: bytes.length };
}
