export {
  type ConformalOptions,
  type ConformalState,
  cloneConformal,
  conformalHalfWidth,
  conformalQuantile,
  conformalScale,
  createConformal,
  updateConformal,
} from "./conformal";
export { buildEsn, FeatureRunner, type FeatureShape, featureCount, type ReservoirHyper } from "./features";
export {
  DEFAULT_CANDIDATES,
  DEFAULT_RIDGES,
  type ForecastMetrics,
  forecastSeries,
  type SeriesForecast,
  type SeriesForecastOptions,
} from "./series-forecast";
