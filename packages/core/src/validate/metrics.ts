/**
 * Forecast accuracy and interval metrics, accumulated online (one row at a time, O(1) memory), so a batch backtest
 * and a running edge agent compute them identically:
 *
 * - RMSE, MAE, bias (mean of y − ŷ);
 * - NRMSE = RMSE / standard deviation of the values scored (1 ⇔ no better than their mean);
 * - MASE = MAE / mean |y(t) − y(t − 1)| over every row seen (Hyndman & Koehler, Int. J. Forecasting 22, 2006: the
 *   one-step naive forecast's in-sample error as the scale; < 1 beats it);
 * - sMAPE = 100 · mean 2|y − ŷ| / (|y| + |ŷ|), in [0, 200] (the M3/M4 definition; rows with y = ŷ = 0 count 0);
 * - coverage (share of values inside their interval), mean width, and the Winkler score (Winkler, JASA 67, 1972):
 *   width + (2/α)·distance outside, which rewards narrow intervals and charges misses by how far they miss.
 */
export interface ValidationMetrics {
  /** Rows scored (with a forecast and a value). */
  count: number;
  rmse: number;
  nrmse: number;
  mae: number;
  mase: number;
  smape: number;
  bias: number;
  /** Null for a forecast without intervals. */
  coverage: number | null;
  meanWidth: number | null;
  winkler: number | null;
}

export interface MetricsAccumulator {
  /** Nominal coverage of the intervals scored (for the Winkler score's 2/α). */
  readonly nominal: number;
  /**
   * Adds a row: its value and (NaN when none) its forecast and interval. `covered` overrides the closed-interval
   * test lower ≤ y ≤ upper (for intervals with an excluded edge). Every row with a value counts towards MASE's scale.
   */
  add(value: number, forecast: number, lower?: number, upper?: number, covered?: boolean): void;
  result(): ValidationMetrics;
}

export function createMetricsAccumulator(nominalCoverage = 0.9): MetricsAccumulator {
  const alpha = 1 - nominalCoverage;
  let count = 0;
  let se = 0;
  let ae = 0;
  let sumError = 0;
  let smape = 0;
  // Welford's running mean and sum of squares of the scored values (Knuth, TAOCP 2, §4.2.2).
  let mean = 0;
  let m2 = 0;
  let naiveSum = 0;
  let naiveCount = 0;
  let previous = Number.NaN;
  let intervals = 0;
  let inside = 0;
  let width = 0;
  let winkler = 0;
  return {
    nominal: nominalCoverage,
    add(value, forecast, lower = Number.NaN, upper = Number.NaN, covered) {
      if (!Number.isFinite(value)) return;
      if (Number.isFinite(previous)) {
        naiveSum += Math.abs(value - previous);
        naiveCount++;
      }
      previous = value;
      if (!Number.isFinite(forecast)) return;
      const e = value - forecast;
      count++;
      se += e * e;
      ae += Math.abs(e);
      sumError += e;
      const denominator = Math.abs(value) + Math.abs(forecast);
      if (denominator > 0) smape += (2 * Math.abs(e)) / denominator;
      const d = value - mean;
      mean += d / count;
      m2 += d * (value - mean);
      if (Number.isFinite(lower) && Number.isFinite(upper)) {
        intervals++;
        const w = Math.max(0, upper - lower);
        const isInside = covered ?? (value >= lower && value <= upper);
        if (isInside) inside++;
        width += w;
        let penalty = 0;
        if (value < lower) penalty = lower - value;
        else if (value > upper) penalty = value - upper;
        else if (!isInside) penalty = Math.abs(e);
        winkler += w + (2 / alpha) * penalty;
      }
    },
    result() {
      const rmse = count ? Math.sqrt(se / count) : Number.NaN;
      const sd = count ? Math.sqrt(m2 / count) : Number.NaN;
      const mae = count ? ae / count : Number.NaN;
      const naive = naiveCount ? naiveSum / naiveCount : Number.NaN;
      return {
        count,
        rmse,
        nrmse: sd > 0 ? rmse / sd : Number.NaN,
        mae,
        mase: naive > 0 ? mae / naive : Number.NaN,
        smape: count ? (100 * smape) / count : Number.NaN,
        bias: count ? sumError / count : Number.NaN,
        coverage: intervals ? inside / intervals : null,
        meanWidth: intervals ? width / intervals : null,
        winkler: intervals ? winkler / intervals : null,
      };
    },
  };
}
