export { createPredictor, isPredictorKind, type PredictorSettings } from "./create";
export { createEsnPredictor, ESN_PREDICTOR_RESERVOIR, type EsnPredictorOptions } from "./esn-predictor";
export {
  createEts,
  type EtsOptions,
  type EtsParams,
  type EtsState,
  fitEts,
  forecastEts,
  initialEtsState,
  stepEts,
} from "./ets";
export { History } from "./history";
export { createLifPredictor, type LifPredictorOptions } from "./lif-predictor";
export { OnlineRidge, type OnlineRidgeOptions } from "./online-ridge";
export { createPrecomputedPredictor } from "./precomputed";
export { createReservoirPredictor, type FeatureSource, type ReservoirPredictorOptions } from "./reservoir-predictor";
export { detectSeason, type SeasonOptions, seasonalNaiveError } from "./season";
export { createSeasonalNaive, type SeasonalNaiveOptions } from "./seasonal-naive";
export { PREDICTOR_KINDS, type Predictor, type PredictorKind } from "./types";
