/**
 * The format registry: every supported format as an imported object (never a string table), and
 * content sniffing over them. The extension is a tie-breaker only.
 */
import type { FormatParser, SniffInput } from './types.js';
import type { Family, RecordKind } from '../src/records/record.js';
import { cyclerTextFormats } from './cycler/text-formats.js';
import { cyclerBinaryFormats } from './cycler/binary-formats.js';
import { biologicFormats } from './biologic/index.js';
import { eisFormats } from './eis/index.js';
import { xpsFormats } from './xps/index.js';
import { simsFormats } from './tofsims/index.js';
import { ferroFormats } from './ferro/index.js';
import { vibrationalFormats } from './vibrational/index.js';
import { spmFormats } from './spm/index.js';
import { latin1 } from './text/decode.js';
import { SNIFF_BYTES } from './types.js';

export const FORMATS: readonly FormatParser[] = [
  ...biologicFormats,
  ...cyclerBinaryFormats,
  ...cyclerTextFormats,
  ...eisFormats,
  ...xpsFormats,
  ...simsFormats,
  ...ferroFormats,
  ...spmFormats,
  ...vibrationalFormats,
];

/** Below this confidence a sniff is not a detection. */
export const MIN_CONFIDENCE = 0.5;

export interface Detection {
  readonly format: FormatParser;
  readonly kind: RecordKind;
  readonly confidence: number;
}

export interface DetectOutcome {
  readonly best: Detection | null;
  /** Every format that scored above 0, best first (for diagnostics). */
  readonly candidates: readonly Detection[];
  /** Why nothing was detected, when `best` is null. */
  readonly reason?: string;
}

export function sniffInput(name: string, head: Uint8Array, size: number): SniffInput {
  const h = head.length > SNIFF_BYTES ? head.subarray(0, SNIFF_BYTES) : head;
  return { name, head: h, headText: latin1(h), size };
}

function extOf(name: string): string {
  const i = name.lastIndexOf('.');
  return i >= 0 ? name.slice(i).toLowerCase() : '';
}

export function detectFormat(input: SniffInput, formats: readonly FormatParser[] = FORMATS): DetectOutcome {
  if (input.size === 0) return { best: null, candidates: [], reason: 'empty file (0 bytes)' };
  const ext = extOf(input.name);
  const candidates: Detection[] = [];
  for (const f of formats) {
    let r: ReturnType<FormatParser['sniff']>;
    try {
      r = f.sniff(input);
    } catch {
      continue; // a sniffer must never take detection down
    }
    const confidence = typeof r === 'number' ? r : r.confidence;
    const kind = typeof r === 'number' ? f.kind : (r.kind ?? f.kind);
    if (!(confidence > 0)) continue;
    // Extension agreement breaks ties without ever creating a detection on its own.
    const bonus = f.extensions.includes(ext) ? 0.01 : 0;
    candidates.push({ format: f, kind, confidence: Math.min(1, confidence + bonus) });
  }
  candidates.sort((a, b) => b.confidence - a.confidence);
  const top = candidates[0];
  if (top && top.confidence >= MIN_CONFIDENCE) return { best: top, candidates };
  return { best: null, candidates, reason: unrecognisedReason(formats, { ext, candidates, headText: input.headText }) };
}

/**
 * Why a file is not recognised: "not a recognised instrument file", and the 3 closest formats with why
 * each did not match — a content score below MIN_CONFIDENCE (its sniff found part of what it looks for),
 * else the extension fits but the content check found nothing — never the whole list of format ids.
 */
export function unrecognisedReason(
  formats: readonly FormatParser[] = FORMATS,
  seen?: { ext: string; candidates: readonly Detection[]; headText?: string },
): string {
  const close: string[] = [];
  const used = new Set<string>();
  for (const c of seen?.candidates ?? []) {
    if (close.length >= 3) break;
    used.add(c.format.id);
    close.push(
      `${c.format.id} (${c.format.title}): content score ${c.confidence.toFixed(2)}, below the ${MIN_CONFIDENCE} it needs — only part of its header or layout is there`,
    );
  }
  for (const f of formats) {
    if (close.length >= 3) break;
    if (used.has(f.id) || !seen?.ext || !f.extensions.includes(seen.ext)) continue;
    used.add(f.id);
    close.push(`${f.id} (${f.title}): the extension ${seen.ext} fits, but none of its header words or magic bytes are in the first bytes`);
  }
  // Still fewer than 3: a text table can be mapped by hand (the generic readers); a binary file is named as such.
  const text = seen?.headText !== undefined && !/[\x00-\x08\x0e-\x1a]/.test(seen.headText.slice(0, 4096));
  for (const f of formats) {
    if (close.length >= 3 || !seen) break;
    if (used.has(f.id)) continue;
    if (text && /generic/.test(f.id)) {
      used.add(f.id);
      close.push(`${f.id} (${f.title}): a text table, but its columns are not ones it recognises by name — map them in the manifest's \`formats:\` block`);
    } else if (
      !text &&
      f.extensions.length &&
      f.extensions.every((e) => ['.mpr', '.res', '.nda', '.ndax', '.ism', '.spe', '.pro', '.xlsx', '.xls'].includes(e))
    ) {
      used.add(f.id);
      close.push(`${f.id} (${f.title}): a binary file, but not its magic bytes or container`);
    }
  }
  const list = close.length ? `; closest: ${close.map((c, i) => `${i + 1}. ${c}`).join('; ')}` : `; no format's content check or extension comes close`;
  return `not a recognised instrument file (unrecognised format: no content check matched)${list} — \`interphase formats\` lists all ${formats.length}`;
}

export function formatById(id: string): FormatParser | undefined {
  return FORMATS.find((f) => f.id === id);
}

export function formatsOfFamily(family: Family): FormatParser[] {
  return FORMATS.filter((f) => f.family === family);
}
