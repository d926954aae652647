export {
  type BacktestInput,
  type BacktestOptions,
  type BacktestResult,
  type BaselineComparison,
  defaultWarmup,
  type PredictorReport,
  predictorWarmup,
  runBacktest,
} from "./backtest";
export { type EventScores, scoreEvents } from "./events";
export { createMetricsAccumulator, type MetricsAccumulator, type ValidationMetrics } from "./metrics";
export * from "./nab";
export { SCORE_FORMULA, type ScoreComponents, type ValidationScore, validationScore } from "./score";
export { createStreamValidator, type StreamValidationResult, type StreamValidator } from "./stream-validation";
