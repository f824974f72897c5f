export { ferroFitter, createFerroFitter, type FerroFitOptions } from './fitter.js';
export { analyseLoop, leakageAtTurns, turningPoints, type LoopResult } from './loop.js';
export { polarisationRetention, fitLogDecay, fatigueCurve } from './retention.js';
