export { choleskyInPlace, choleskySolveInPlace } from "./cholesky";
export {
  accumulateColumns,
  accumulateSample,
  addGram,
  cloneGram,
  createGram,
  type Gram,
  gramEntry,
  scaleGram,
  upperIndex,
} from "./gram";
export { createGramKernel, type GramKernel } from "./gram-kernel";
export {
  predictReadout,
  type RidgeOptions,
  type RidgeReadout,
  readoutSquaredError,
  ridgeScale,
  solveRidge,
  solveRidges,
} from "./ridge";
export { createRls, predictRls, type RlsOptions, type RlsState, updateRls } from "./rls";
