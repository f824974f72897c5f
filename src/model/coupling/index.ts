export type { CorrosionCoupling } from './types.js';
export { noCoupling } from './none.js';
export { corrosionHeterogeneity } from './corrosion-heterogeneity.js';
