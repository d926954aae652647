import { createMetricsAccumulator, type ValidationMetrics } from "./metrics";
import { type ValidationScore, validationScore } from "./score";

/**
 * The validation metrics of a running stream, updated one sample at a time (what the edge agent reports): the
 * metrics of metrics.ts over the forecasts made for each sample, plus a persistence forecast over the same samples
 * (ŷ(t) = y(t − h)) as the baseline of the score's skill component. O(h) memory.
 */
export interface StreamValidator {
  /** One sample: its value and the forecast and interval made for it (NaN where there was none). */
  add(value: number, forecast: number, lower: number, upper: number): void;
  result(): StreamValidationResult;
}

export interface StreamValidationResult extends ValidationMetrics {
  nominal: number;
  /** The composite score (validate/score.ts) against persistence, without events; null before any forecast. */
  score: number | null;
  components: ValidationScore["components"] | null;
}

export function createStreamValidator(options: { horizon?: number; coverage?: number } = {}): StreamValidator {
  const horizon = options.horizon ?? 1;
  const nominal = options.coverage ?? 0.9;
  const metrics = createMetricsAccumulator(nominal);
  const persistence = createMetricsAccumulator(nominal);
  const recent = new Float64Array(horizon).fill(Number.NaN);
  let rows = 0;
  return {
    add(value, forecast, lower, upper) {
      if (!Number.isFinite(value)) return;
      const slot = rows % horizon;
      const baseline = recent[slot];
      recent[slot] = value;
      rows++;
      metrics.add(value, forecast, lower, upper);
      persistence.add(value, Number.isFinite(forecast) ? baseline : Number.NaN);
    },
    result() {
      const m = metrics.result();
      if (m.count === 0) return { ...m, nominal, score: null, components: null };
      const s = validationScore(m, nominal, [persistence.result().rmse]);
      return { ...m, nominal, score: s.total, components: s.components };
    },
  };
}
