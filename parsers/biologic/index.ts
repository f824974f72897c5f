import type { FormatParser } from '../types.js';

/** Formats of this group, in sniffing order. Each entry is an imported FormatParser object. */
export const biologicFormats: readonly FormatParser[] = [];
