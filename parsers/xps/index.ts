import type { FormatParser } from '../types.js';
import { vamasFormat } from './vamas.js';
import { specsXyFormat } from './specs-xy.js';
import { specsXmlFormat } from './specs-xml.js';
import { phiSpeFormat, phiProFormat } from './phi.js';
import { phiMultipakFormat } from './phi-multipak.js';
import { scientaTxtFormat } from './scienta-txt.js';
import { casaTxtFormat } from './casa-txt.js';
import { casaQuantFormat } from './casa-quant.js';
import { avantageTextFormat, avantageXlsxFormat } from './avantage.js';

/** Formats of this group, in sniffing order. Each entry is an imported FormatParser object. */
export const xpsFormats: readonly FormatParser[] = [
  vamasFormat,
  specsXmlFormat,
  specsXyFormat,
  phiSpeFormat,
  phiProFormat,
  phiMultipakFormat,
  scientaTxtFormat,
  casaTxtFormat,
  casaQuantFormat,
  avantageXlsxFormat,
  avantageTextFormat,
];
