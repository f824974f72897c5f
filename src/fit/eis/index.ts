export { parseCircuit, parameterNames, type Circuit, type CircuitNode, type CircuitParameter } from './circuit.js';
export { ELEMENTS, type ElementSpec, type ElementSymbol } from './elements.js';
export { CircuitSyntaxError, EisInputError, EisOptionsError, VALID_CIRCUIT_EXAMPLES } from './errors.js';
export { simulate, simulateWithJacobian, circuitImpedance } from './evaluate.js';
export { checkSpectrum, sigmas, type EisSpectrum, type Weighting } from './spectrum.js';
export { fitCircuit, DEFAULT_FIT_CIRCUIT_OPTIONS, type CircuitFitResult, type FitCircuitOptions } from './fit-circuit.js';
export { linKK, DEFAULT_KK_OPTIONS, type KkResult, type KkOptions } from './kk.js';
export { LI_METAL_CIRCUIT, LI_METAL_MAPPING } from './li-metal.js';
export { eisFitter, fitEisRecord, EIS_FITTER_ID, EIS_FITTER_VERSION } from './eis-fitter.js';
