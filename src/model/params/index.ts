/** Parameter sets, one file per source; `PARAMETER_SETS` is an array of imported objects (no string registry). */
export type { ReplayParameterValues, ParameterName, ParameterSet, Citation } from './types.js';
export { BASE_VALUES } from './base.js';
export { CITATIONS } from './citations.js';
export { carbonateFec_Gunnarsdottir2020, carbonate_Gunnarsdottir2020 } from './Gunnarsdottir2020.js';
export { ether_Boyle2021 } from './Boyle2021.js';
export { dense_Lu2022, porous_Lu2022 } from './Lu2022.js';
export { hce_Adams2018 } from './Adams2018.js';
export {
  resolveParameters,
  withValues,
  parameterSetById,
  isParameterName,
  closestParameterName,
  ParameterError,
  PARAMETER_NAMES,
  PARAMETER_SETS,
  type ResolvedParameters,
} from './resolve.js';
