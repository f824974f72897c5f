export { replayCell, replayResolved, initialState, restLossFraction, type ReplayResult, type StateTraces } from './replay.js';
export { DEFAULT_SOLVER_OPTIONS, resolveSolverOptions, type SolverOptions, type CapacityReference } from './options.js';
