/**
 * ISO 14976 (VAMAS) header and block layouts as data. Each entry is one line (or a counted group of
 * lines) of the file, in order, with the condition under which the standard includes it. The
 * interpreter is `readLayout` in `vamas.ts`. Order and conditions follow ISO 14976:1998 §6 as read by
 * pynxtools-xps (`parsers/vms/parser.py`) and cheminfo's vamas reader, and are proven by the real
 * fixtures `pynxtools__regular.vms` (REGULAR, 2 corresponding variables) and `pynxtools__irregular.vms`
 * (IRREGULAR: the abscissa is the first corresponding variable).
 */

export type ExpMode = 'MAP' | 'MAPDP' | 'MAPSV' | 'MAPSVDP' | 'NORM' | 'SDP' | 'SDPSV' | 'SEM' | 'NOEXP';
export const EXP_MODES: readonly ExpMode[] = ['MAP', 'MAPDP', 'MAPSV', 'MAPSVDP', 'NORM', 'SDP', 'SDPSV', 'SEM', 'NOEXP'];
/** Experiment modes that are sputter depth profiles (block carries the sputter source). */
export const DEPTH_PROFILE_MODES: readonly ExpMode[] = ['MAPDP', 'MAPSVDP', 'SDP', 'SDPSV'];

export interface LayoutContext {
  readonly expMode: string;
  readonly scanMode: string;
  readonly technique: string;
  readonly nExpVariables: number;
  readonly nFutureBlock: number;
  readonly nFutureExp: number;
}

/**
 * `str` / `num` / `int`: one line. `lines`: an int line then that many text lines. `pairs`: an int line
 * then that many groups of `names.length` lines. `repeat`: `count(ctx)` lines with no count line.
 */
export type LayoutField =
  | { readonly key: string; readonly t: 'str' | 'num' | 'int'; readonly when?: (c: LayoutContext) => boolean }
  | { readonly key: string; readonly t: 'lines'; readonly when?: (c: LayoutContext) => boolean }
  | { readonly key: string; readonly t: 'pairs'; readonly names: readonly string[]; readonly when?: (c: LayoutContext) => boolean }
  | { readonly key: string; readonly t: 'repeat'; readonly count: (c: LayoutContext) => number; readonly when?: (c: LayoutContext) => boolean };

const inModes =
  (...m: string[]) =>
  (c: LayoutContext) =>
    m.includes(c.expMode);
const SPUTTER_TECHNIQUES = ['AES diff', 'AES dir', 'EDX', 'ELS', 'UPS', 'XPS', 'XRF'];
const ION_TECHNIQUES = ['FABMS', 'FABMS energy spec', 'ISS', 'SIMS', 'SIMS energy spec', 'SNMS', 'SNMS energy spec'];

/** File header up to (not including) the number of blocks, which the interpreter reads last. */
export const VAMAS_HEADER: readonly LayoutField[] = [
  { key: 'formatIdentifier', t: 'str' },
  { key: 'institution', t: 'str' },
  { key: 'instrumentModel', t: 'str' },
  { key: 'operator', t: 'str' },
  { key: 'experiment', t: 'str' },
  { key: 'comment', t: 'lines' },
  { key: 'expMode', t: 'str' },
  { key: 'scanMode', t: 'str' },
  { key: 'nSpectralRegions', t: 'int', when: inModes('MAP', 'MAPDP', 'NORM', 'SDP') },
  { key: 'nAnalysisPositions', t: 'int', when: inModes('MAP', 'MAPDP') },
  { key: 'nDiscreteX', t: 'int', when: inModes('MAP', 'MAPDP') },
  { key: 'nDiscreteY', t: 'int', when: inModes('MAP', 'MAPDP') },
  { key: 'expVariables', t: 'pairs', names: ['label', 'unit'] },
  { key: 'inclusionList', t: 'lines' },
  { key: 'manualItems', t: 'lines' },
  { key: 'nFutureExp', t: 'int' },
  { key: 'nFutureBlock', t: 'int' },
  { key: 'futureExp', t: 'repeat', count: (c) => c.nFutureExp },
  { key: 'nBlocks', t: 'int' },
];

/** One block, up to and including the ordinate min/max pairs; the ordinate values follow. */
export const VAMAS_BLOCK: readonly LayoutField[] = [
  { key: 'blockId', t: 'str' },
  { key: 'sampleId', t: 'str' },
  { key: 'year', t: 'int' },
  { key: 'month', t: 'int' },
  { key: 'day', t: 'int' },
  { key: 'hour', t: 'int' },
  { key: 'minute', t: 'int' },
  { key: 'second', t: 'num' },
  { key: 'gmtOffsetHours', t: 'num' },
  { key: 'comment', t: 'lines' },
  { key: 'technique', t: 'str' },
  { key: 'x', t: 'num', when: inModes('MAP', 'MAPDP') },
  { key: 'y', t: 'num', when: inModes('MAP', 'MAPDP') },
  { key: 'expVariableValues', t: 'repeat', count: (c) => c.nExpVariables },
  { key: 'sourceLabel', t: 'str' },
  { key: 'sputterIonZ', t: 'str', when: (c) => (DEPTH_PROFILE_MODES as string[]).includes(c.expMode) || ION_TECHNIQUES.includes(c.technique) },
  { key: 'sputterIonAtoms', t: 'str', when: (c) => (DEPTH_PROFILE_MODES as string[]).includes(c.expMode) || ION_TECHNIQUES.includes(c.technique) },
  { key: 'sputterIonCharge', t: 'str', when: (c) => (DEPTH_PROFILE_MODES as string[]).includes(c.expMode) || ION_TECHNIQUES.includes(c.technique) },
  { key: 'sourceEnergy', t: 'num' },
  { key: 'sourceStrength', t: 'num' },
  { key: 'sourceWidthX', t: 'num' },
  { key: 'sourceWidthY', t: 'num' },
  { key: 'fieldOfViewX', t: 'num', when: inModes('MAP', 'MAPDP', 'MAPSV', 'MAPSVDP', 'SEM') },
  { key: 'fieldOfViewY', t: 'num', when: inModes('MAP', 'MAPDP', 'MAPSV', 'MAPSVDP', 'SEM') },
  { key: 'linescan', t: 'repeat', count: () => 6, when: inModes('MAPSV', 'MAPSVDP', 'SEM') },
  { key: 'sourcePolarAngle', t: 'num' },
  { key: 'sourceAzimuth', t: 'num' },
  { key: 'analyserMode', t: 'str' },
  { key: 'passEnergy', t: 'num' },
  { key: 'differentialWidth', t: 'num', when: (c) => c.technique === 'AES diff' },
  { key: 'magnification', t: 'num' },
  { key: 'workFunction', t: 'num' },
  { key: 'targetBias', t: 'num' },
  { key: 'analysisWidthX', t: 'num' },
  { key: 'analysisWidthY', t: 'num' },
  { key: 'takeOffPolar', t: 'num' },
  { key: 'takeOffAzimuth', t: 'num' },
  { key: 'speciesLabel', t: 'str' },
  { key: 'transitionLabel', t: 'str' },
  { key: 'particleCharge', t: 'num' },
  { key: 'abscissaLabel', t: 'str', when: (c) => c.scanMode === 'REGULAR' },
  { key: 'abscissaUnit', t: 'str', when: (c) => c.scanMode === 'REGULAR' },
  { key: 'abscissaStart', t: 'num', when: (c) => c.scanMode === 'REGULAR' },
  { key: 'abscissaStep', t: 'num', when: (c) => c.scanMode === 'REGULAR' },
  { key: 'variables', t: 'pairs', names: ['label', 'unit'] },
  { key: 'signalMode', t: 'str' },
  { key: 'dwellTime', t: 'num' },
  { key: 'nScans', t: 'num' },
  { key: 'timeCorrection', t: 'num' },
  { key: 'sputterEnergy', t: 'num', when: (c) => (DEPTH_PROFILE_MODES as string[]).includes(c.expMode) && SPUTTER_TECHNIQUES.includes(c.technique) },
  { key: 'sputterCurrent', t: 'num', when: (c) => (DEPTH_PROFILE_MODES as string[]).includes(c.expMode) && SPUTTER_TECHNIQUES.includes(c.technique) },
  { key: 'sputterWidthX', t: 'num', when: (c) => (DEPTH_PROFILE_MODES as string[]).includes(c.expMode) && SPUTTER_TECHNIQUES.includes(c.technique) },
  { key: 'sputterWidthY', t: 'num', when: (c) => (DEPTH_PROFILE_MODES as string[]).includes(c.expMode) && SPUTTER_TECHNIQUES.includes(c.technique) },
  { key: 'sputterPolarAngle', t: 'num', when: (c) => (DEPTH_PROFILE_MODES as string[]).includes(c.expMode) && SPUTTER_TECHNIQUES.includes(c.technique) },
  { key: 'sputterAzimuth', t: 'num', when: (c) => (DEPTH_PROFILE_MODES as string[]).includes(c.expMode) && SPUTTER_TECHNIQUES.includes(c.technique) },
  { key: 'sputterMode', t: 'str', when: (c) => (DEPTH_PROFILE_MODES as string[]).includes(c.expMode) && SPUTTER_TECHNIQUES.includes(c.technique) },
  { key: 'sampleTilt', t: 'num' },
  { key: 'sampleTiltAzimuth', t: 'num' },
  { key: 'sampleRotation', t: 'num' },
  { key: 'additional', t: 'pairs', names: ['label', 'unit', 'value'] },
  { key: 'futureBlock', t: 'repeat', count: (c) => c.nFutureBlock },
  { key: 'nOrdinates', t: 'int' },
];

/** VAMAS writes 1e37 for "not specified". */
export const VAMAS_UNSPECIFIED = 1e37;
