export { simsFitter, createSimsFitter, DEFAULT_SIMS_FIT_OPTIONS, type SimsFitOptions } from './fitter.js';
export { MARKERS, matchMarkers, normaliseIon, exactMz, type Marker, type MarkerClass } from './markers.js';
export { analyseMap, bin, chooseBin, ratioMap, cvTrue, moransI, hotspotFraction, DEFAULT_MAP_OPTIONS } from './image.js';
export { normaliseToTic, dropDepth, detectLayer, movingAverage, sumColumns } from './depth.js';
