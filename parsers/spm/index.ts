import type { FormatParser } from '../types.js';
import { gwyddionGwy } from './gwy.js';
import { spmAsciiMatrix } from './ascii-matrix.js';

/** Scanning-probe (AFM / PFM) image formats, in sniffing order. */
export const spmFormats: readonly FormatParser[] = [gwyddionGwy, spmAsciiMatrix];
