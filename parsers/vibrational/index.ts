import type { FormatParser } from '../types.js';
import { jcampDx } from './jcamp.js';
import { genericTwoColumn, horibaLabspec, opusDpt, renishawWire } from './text.js';

/**
 * Raman/FTIR spectra (record kind `vibrational-spectrum`), in sniffing order. The generic two-column
 * reader is listed before the OPUS table so that, content being equal, only `.dpt` goes to OPUS.
 */
export const vibrationalFormats: readonly FormatParser[] = [jcampDx, renishawWire, horibaLabspec, genericTwoColumn, opusDpt];
