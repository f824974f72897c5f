/** No FD term (M0, M1): P has no effect even if a layer is present. */
import type { FdEffect } from './types.js';

export const noFd: FdEffect = {
  id: 'none',
  polarisation: () => 0,
  inorganicGain: () => 0,
  corrosionFactor: () => 1,
  smoothing: () => 0,
};
