/**
 * One interface for every forecaster that fusion and validation combine: fed the series one row at a time, in
 * order, it returns its forecast of the row `horizon` steps ahead. A predictor sees only the past: the value it is
 * given now and what came before. Predictors learn online (refits, state updates) as rows arrive.
 */
export interface Predictor {
  /** Name shown in reports ("esn", "lif", "naive", "ets", "onnx:model.onnx"). */
  readonly name: string;
  /** Steps ahead of the forecasts `step` returns. */
  readonly horizon: number;
  /**
   * Consumes row t: its value (NaN when missing: the predictor holds its last value and learns nothing from it) and
   * the row's exogenous inputs, if the predictor takes any. Returns the forecast of row t + horizon, or NaN while
   * the predictor is still warming up.
   */
  step(value: number, exogenous?: ArrayLike<number>): number;
  /** What the predictor chose or learned so far (season, smoothing parameters, ridge…), for reports. */
  describe(): Record<string, unknown>;
}

/** The predictors core builds by name. */
export type PredictorKind = "esn" | "lif" | "naive" | "ets";

export const PREDICTOR_KINDS: readonly PredictorKind[] = ["esn", "lif", "naive", "ets"];
