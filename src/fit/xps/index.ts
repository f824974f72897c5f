/** XPS fitting: backgrounds, line shapes, the species library, region fits, quantification, the RecordFitter. */
export { linearBackground, shirleyBackground, shirleyShape, tougaardBackground, UNIVERSAL_TOUGAARD, type TougaardParams } from './backgrounds.js';
export { shapeValue, peakValue, unitArea, parseLineShape, type LineShape } from './lineshapes.js';
export { SPECIES_LIBRARY, SCOFIELD_RSF, coreLevelOf, type SpeciesEntry, type CoreLevel, type SpeciesClass } from './species.js';
export { fitRegion, DEFAULT_REGION_FIT_OPTIONS, type RegionFit, type RegionFitOptions, type BackgroundKind, type ShirleyLevels } from './region-fit.js';
export { measureShift } from './referencing.js';
export { atomicPercentages, ratioOfSpecies, metalShare, depthAverage, halfCrossing, spread } from './quantify.js';
export {
  xpsFitter,
  fitXpsRecord,
  fitLevel,
  splitRecord,
  resolveXpsFitOptions,
  DEFAULT_XPS_FIT_OPTIONS,
  type XpsFitOptions,
  type LevelResult,
} from './fitter.js';
export { xpsQuantTableFitter, fitQuantTable, assignPeak, type PeakAssignment } from './quant-table.js';
export { seiParameters, type LevelShares } from './sei-parameters.js';
