import type { FormatParser } from '../types.js';
import { aixacctDat } from './aixacct-dat.js';
import { aixacctTsv } from './aixacct-tsv.js';
import { genericPe } from './generic-pe.js';

/** Formats of this group, in sniffing order. Each entry is an imported FormatParser object. */
export const ferroFormats: readonly FormatParser[] = [aixacctDat, aixacctTsv, genericPe];
