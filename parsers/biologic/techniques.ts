/**
 * EC-Lab techniques: the full name an .mpt header writes on its fourth line, the byte an .mpr settings
 * module starts with, and the record kind the technique produces. One table so that both readers agree.
 */
import type { RecordKind } from '../../src/records/record.js';

export interface Technique {
  /** Short code used in `meta.technique` (EC-Lab's own abbreviation). */
  readonly code: string;
  /** Full name as written in the .mpt header. */
  readonly name: string;
  /** Technique byte at offset 0 of the .mpr settings module (several ids may map to one technique). */
  readonly mprIds: readonly number[];
  /** 'eis' for impedance techniques, 'chronoamperometry' for CA; Modulo Bat is 'cycler' but may also hold impedance points. */
  readonly kind: RecordKind;
}

/**
 * mprIds from yadg's technique table, confirmed by the fixtures for 0x04 (gcpl.issue_149), 0x0B (ocv),
 * 0x19 (cp), 0x1D (peis, peis.issue_225), 0x1E (geis.issue_149), 0x7F (mb.issue_95, mb.issue_223, navani MB).
 */
export const TECHNIQUES: readonly Technique[] = [
  { code: 'GCPL', name: 'Galvanostatic Cycling with Potential Limitation', mprIds: [0x04, 0x77], kind: 'cycler' },
  { code: 'CV', name: 'Cyclic Voltammetry', mprIds: [0x06, 0x30], kind: 'cycler' },
  { code: 'OCV', name: 'Open Circuit Voltage', mprIds: [0x0b], kind: 'cycler' },
  { code: 'MP', name: 'Modular Potentio', mprIds: [0x16], kind: 'cycler' },
  { code: 'CA', name: 'Chronoamperometry / Chronocoulometry', mprIds: [0x18], kind: 'chronoamperometry' },
  { code: 'CP', name: 'Chronopotentiometry', mprIds: [0x19], kind: 'cycler' },
  { code: 'WAIT', name: 'Wait', mprIds: [0x1c], kind: 'cycler' },
  { code: 'PEIS', name: 'Potentio Electrochemical Impedance Spectroscopy', mprIds: [0x1d], kind: 'eis' },
  { code: 'GEIS', name: 'Galvano Electrochemical Impedance Spectroscopy', mprIds: [0x1e], kind: 'eis' },
  { code: 'SPEIS', name: 'Staircase Potentio Electrochemical Impedance Spectroscopy', mprIds: [], kind: 'eis' },
  { code: 'SGEIS', name: 'Staircase Galvano Electrochemical Impedance Spectroscopy', mprIds: [], kind: 'eis' },
  { code: 'ZIR', name: 'IR compensation (PEIS)', mprIds: [0x32], kind: 'cycler' },
  { code: 'CVA', name: 'Cyclic Voltammetry Advanced', mprIds: [0x33], kind: 'cycler' },
  { code: 'LSV', name: 'Linear Sweep Voltammetry', mprIds: [0x6c], kind: 'cycler' },
  { code: 'coV', name: 'Constant Voltage', mprIds: [0x75], kind: 'cycler' },
  { code: 'coC', name: 'Constant Current', mprIds: [0x76], kind: 'cycler' },
  { code: 'MB', name: 'Modulo Bat', mprIds: [0x7f], kind: 'cycler' },
];

export function techniqueByName(name: string): Technique | undefined {
  const n = name.trim().toLowerCase();
  return TECHNIQUES.find((t) => t.name.toLowerCase() === n);
}

export function techniqueByMprId(id: number): Technique | undefined {
  return TECHNIQUES.find((t) => t.mprIds.includes(id));
}
