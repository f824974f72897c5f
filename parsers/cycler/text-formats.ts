/**
 * The text/CSV cycler formats. Order matters only for equal sniff scores; each sniffer keys on
 * content specific to its instrument (header words, section markers), never on the extension.
 */
import type { FormatParser } from '../types.js';
import { arbinCsv } from './arbin-csv.js';
import { batteryArchiveCsv, batteryDataToolsCsv, bdfCsv } from './bdf-csv.js';
import { maccorText } from './maccor.js';
import { basytecTxt } from './basytec.js';
import { novonixCsv } from './novonix.js';
import { pecCsv } from './pec.js';
import { newareCsv } from './neware-csv.js';
import { newareTxt } from './neware-txt.js';
import { genericCsv } from './generic-csv.js';
import { cycleSummaryText } from './cycle-summary-text.js';

/** Formats of this group, in sniffing order. Each entry is an imported FormatParser object. */
export const cyclerTextFormats: readonly FormatParser[] = [
  arbinCsv,
  bdfCsv,
  batteryArchiveCsv,
  batteryDataToolsCsv,
  maccorText,
  basytecTxt,
  novonixCsv,
  pecCsv,
  newareCsv,
  newareTxt,
  cycleSummaryText,
  genericCsv,
];
