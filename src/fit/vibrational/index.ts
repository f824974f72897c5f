export { vibFitter, fitSolvation, sampleText, type SolvationOptions } from './fitter.js';
export { fitBands, dataWindow, BandFitError, type BandFit, type BandFitOptions } from './fit.js';
export { BAND_REGIONS, regionsFor, type BandRegion, type BandRole } from './bands.js';
