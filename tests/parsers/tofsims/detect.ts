/**
 * Detection over this family's formats only. The shared registry (parsers/index.ts) imports every
 * family, so a peer's unfinished parser must not break these tests; the ranking logic is the same
 * (content sniff, extension as a tie-breaker).
 */
import type { FormatParser, SniffInput } from '../../../parsers/types.js';
import { SNIFF_BYTES } from '../../../parsers/types.js';
import { latin1 } from '../../../parsers/text/decode.js';

export function sniffOf(name: string, bytes: Uint8Array): SniffInput {
  const head = bytes.subarray(0, SNIFF_BYTES);
  return { name, head, headText: latin1(head), size: bytes.length };
}

export function rank(formats: readonly FormatParser[], name: string, bytes: Uint8Array): { id: string; confidence: number }[] {
  const s = sniffOf(name, bytes);
  const ext = name.includes('.') ? name.slice(name.lastIndexOf('.')).toLowerCase() : '';
  return formats
    .map((f) => {
      const r = f.sniff(s);
      const c = typeof r === 'number' ? r : r.confidence;
      return { id: f.id, confidence: c > 0 ? Math.min(1, c + (f.extensions.includes(ext) ? 0.01 : 0)) : 0 };
    })
    .filter((x) => x.confidence > 0)
    .sort((a, b) => b.confidence - a.confidence);
}
