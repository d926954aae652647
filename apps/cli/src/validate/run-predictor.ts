import { createPredictor, type PredictorKind, type PredictorSettings } from "@nqp/core";

export interface PredictorJob {
  kind: PredictorKind;
  settings: PredictorSettings;
  values: Float64Array;
  exogenous: Float64Array[];
}

export interface PredictorOutput {
  kind: PredictorKind;
  /** forecasts[t]: the forecast of row t + horizon made at row t (NaN where none). */
  forecasts: Float64Array;
  details: Record<string, unknown>;
}

/** Runs one of core's predictors over a whole series, causally, row by row. */
export function runPredictor(job: PredictorJob): PredictorOutput {
  const p = createPredictor(job.kind, job.settings);
  const n = job.values.length;
  const e = job.exogenous.length;
  const forecasts = new Float64Array(n);
  const row = new Float64Array(e);
  for (let t = 0; t < n; t++) {
    for (let j = 0; j < e; j++) row[j] = job.exogenous[j][t];
    forecasts[t] = p.step(job.values[t], row);
  }
  return { kind: job.kind, forecasts, details: p.describe() };
}
