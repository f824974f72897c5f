/**
 * BioLogic EC-Lab / BT-Lab formats: the text export (.mpt) and the binary modular file (.mpr).
 * Both give a cycler record for cycling techniques, a chronoamperometry record for CA, and one EIS
 * record per frequency sweep for impedance (a Modulo Bat file may give both). See docs/biologic.md.
 */
import type { FormatParser } from '../types.js';
import { parseMpt, sniffMpt } from './mpt.js';
import { parseMpr, sniffMpr } from './mpr.js';

export const biologicMpr: FormatParser = {
  id: 'biologic-mpr',
  family: 'cycler',
  kind: 'cycler',
  title: 'BioLogic EC-Lab / BT-Lab binary (.mpr)',
  version: '1.1.0', // 1.1: a CA technique file gives a chronoamperometry record
  extensions: ['.mpr'],
  sniff: sniffMpr,
  parse: ({ path, bytes }) => parseMpr(path, bytes),
};

export const biologicMpt: FormatParser = {
  id: 'biologic-mpt',
  family: 'cycler',
  kind: 'cycler',
  title: 'BioLogic EC-Lab / BT-Lab text export (.mpt)',
  version: '1.1.0', // 1.1: a CA technique file gives a chronoamperometry record
  extensions: ['.mpt', '.txt'],
  sniff: sniffMpt,
  parse: ({ path, bytes, source }) => parseMpt(path, bytes, source),
  streams: true,
};

/** Formats of this group, in sniffing order. Each entry is an imported FormatParser object. */
export const biologicFormats: readonly FormatParser[] = [biologicMpr, biologicMpt];
