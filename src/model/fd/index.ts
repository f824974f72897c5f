export type { FdEffect } from './types.js';
export { noFd } from './none.js';
export { ferroelectric } from './ferroelectric.js';
