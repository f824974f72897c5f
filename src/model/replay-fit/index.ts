export type {
  Measurement,
  MeasuredInputs,
  CellObservations,
  FreeParameter,
  CellFitOptions,
  CellFitResult,
  FittedValue,
  Identifiability,
  IntervalMethod,
} from './types.js';
export { fitCell, DEFAULT_CELL_FIT_OPTIONS } from './fit-cell.js';
export { fitCampaign, type CampaignFitOptions, type CampaignFitResult, type VariantSummary } from './fit-campaign.js';
export { freeParametersFor, hasRest, isFdCell } from './free-parameters.js';
export { buildObjective, cellBase, robustNoise, fitObjective, REPLAY_LEAST_SQUARES, type ObjectiveFit } from './objective.js';
export {
  leastSquares,
  DEFAULT_LEAST_SQUARES_OPTIONS,
  type LeastSquaresProblem,
  type LeastSquaresOptions,
  type LeastSquaresResult,
  type StopReason,
} from '../../stats/least-squares.js';
export { profileParameter } from './profile.js';
export { measuredInputsFromParameters } from './measured.js';
export { toCellParameters, unitOf, MODEL_FITTER_ID } from './report.js';
export { comparePassivationLaws, type PassivationComparison } from './passivation.js';
