import type { FormatParser } from '../types.js';
import { newareNda } from './neware-nda.js';
import { newareNdax } from './neware-ndax.js';
import { arbinRes } from './arbin-res.js';
import { cyclerSpreadsheet } from './spreadsheet/index.js';

/** Formats of this group, in sniffing order. Each entry is an imported FormatParser object. */
export const cyclerBinaryFormats: readonly FormatParser[] = [newareNda, newareNdax, arbinRes, cyclerSpreadsheet];
