export {
  COMBINER_METHODS,
  type CombinerMethod,
  type CombinerOptions,
  type CombinerState,
  combinerWeights,
  createCombiner,
  updateCombiner,
} from "./combiner";
export { createFusion, type Fusion, type FusionOptions, type FusionRow } from "./fusion";
export {
  createIntervalState,
  type IntervalOptions,
  type IntervalState,
  type IssuedInterval,
  intervalCovers,
  issueInterval,
  setIntervalScaleFloor,
  updateInterval,
} from "./interval";
