import type { FormatParser } from '../types.js';
import { gamryDta } from './gamry-dta.js';
import { gamryChronoa } from './gamry-chronoa.js';
import { zplotZ, autolabZ60w } from './zplot.js';
import { zahnerIsm } from './zahner-ism.js';
import { versaStudioPar } from './versastudio-par.js';
import { parstatTxt } from './parstat-txt.js';
import { chiTxt } from './chi-txt.js';
import { powerSuiteTxt } from './powersuite-txt.js';
import { maccorEis } from './maccor-eis.js';
import { autolabDfr } from './autolab-dfr.js';
import { genericEisCsv } from './generic-csv.js';

/**
 * Formats of this group, in sniffing order. Each entry is an imported FormatParser object.
 * BioLogic .mpt/.mpr EIS lives in parsers/biologic. The generic CSV comes last and sniffs low (0.55)
 * so that any named vendor format wins.
 */
export const eisFormats: readonly FormatParser[] = [
  gamryDta,
  gamryChronoa,
  zplotZ,
  autolabZ60w,
  zahnerIsm,
  versaStudioPar,
  parstatTxt,
  chiTxt,
  powerSuiteTxt,
  maccorEis,
  autolabDfr,
  genericEisCsv,
];
