export { computeDrt, findPeaks, DEFAULT_DRT_OPTIONS, type DrtOptions, type DrtPeak, type DrtResult } from './drt.js';
export { nnls, nnlsGram, type NnlsResult } from './nnls.js';
export { makeBasis, basisResponse, type RbfBasis } from './basis.js';
