/** No corrosion → heterogeneity coupling (M0): rests cost Li but leave H alone. */
import type { CorrosionCoupling } from './types.js';

export const noCoupling: CorrosionCoupling = { id: 'none', heterogeneityGain: () => 0 };
