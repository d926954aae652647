import { NqpError } from "../errors";
import { nelderMead } from "../optimize";
import { History } from "./history";
import { detectSeason } from "./season";
import type { Predictor } from "./types";

/**
 * Exponential smoothing with a damped additive trend and, where the series has a season, additive seasonality:
 * ETS(A,Ad,A) / ETS(A,Ad,N) in the error-correction form of Hyndman, Koehler, Ord & Snyder ("Forecasting with
 * Exponential Smoothing: The State Space Approach", 2008, Table 2.3; Gardner & McKenzie 1985 for the damped trend):
 *
 *   e(t) = y(t) − (ℓ(t−1) + φ·b(t−1) + s(t−m))
 *   ℓ(t) = ℓ(t−1) + φ·b(t−1) + α·e(t)
 *   b(t) = φ·b(t−1) + β·e(t)
 *   s(t) = s(t−m) + γ·e(t)
 *   ŷ(t + h) = ℓ(t) + (φ + φ² + … + φʰ)·b(t) + s(t + h − m·⌈h/m⌉)
 *
 * with 0 < β < α < 1, 0 < γ < 1 − α and φ ∈ [0.8, 0.98] (the ranges of R's forecast::ets). The parameters minimise
 * the one-step squared error over the first `warmup` rows (Nelder–Mead on logistic transforms of the ranges) and
 * are fitted again, with the season detected again, when the rows seen have doubled (every `maxRefitEvery` rows at
 * most), on the latest `fitWindow` rows. Between fits the states follow every row.
 */
export interface EtsOptions {
  horizon?: number;
  /** Rows before the first forecast, on which the first fit runs (default 200). */
  warmup?: number;
  /** A fixed season in rows (1: no seasonal component); detected when omitted. */
  period?: number;
  /** Rows each fit looks at (default 4 096). */
  fitWindow?: number;
  /** Longest gap between fits (default 10 000 rows). */
  maxRefitEvery?: number;
}

export interface EtsParams {
  alpha: number;
  beta: number;
  gamma: number;
  phi: number;
  period: number;
}

export interface EtsState {
  level: number;
  trend: number;
  /** Seasonal components by row number modulo the period. */
  season: Float64Array;
  /** Rows consumed (the next row's number). */
  rows: number;
}

const logistic = (x: number) => 1 / (1 + Math.exp(-x));
const logit = (p: number) => Math.log(p / (1 - p));

function paramsFrom(x: readonly number[], period: number): EtsParams {
  const alpha = 1e-4 + (1 - 2e-4) * logistic(x[0]);
  return {
    alpha,
    beta: alpha * logistic(x[1]),
    gamma: period > 1 ? (1 - alpha) * logistic(x[2]) : 0,
    phi: 0.8 + 0.18 * logistic(x[3]),
    period,
  };
}

/** Initial states from the first seasons (Hyndman et al. 2008, §2.6.1's heuristic): level and season by averages. */
export function initialEtsState(values: ArrayLike<number>, period: number): EtsState {
  const m = period;
  const first = Math.min(values.length, Math.max(m, 10));
  let level = 0;
  for (let t = 0; t < first; t++) level += values[t];
  level /= Math.max(first, 1);
  const season = new Float64Array(m);
  if (m > 1) {
    let mean = 0;
    for (let i = 0; i < m; i++) mean += values[i];
    mean /= m;
    for (let i = 0; i < m; i++) season[i] = values[i] - mean;
    level = mean;
  }
  return { level, trend: 0, season, rows: 0 };
}

/** One row through the model; returns the one-step error e(t). In place. */
export function stepEts(p: EtsParams, s: EtsState, value: number): number {
  const slot = s.rows % p.period;
  const predicted = s.level + p.phi * s.trend + s.season[slot];
  const e = value - predicted;
  const level = s.level + p.phi * s.trend + p.alpha * e;
  s.trend = p.phi * s.trend + p.beta * e;
  s.level = level;
  if (p.period > 1) s.season[slot] += p.gamma * e;
  s.rows++;
  return e;
}

/** ŷ(t + h) from the state after row t. */
export function forecastEts(p: EtsParams, s: EtsState, horizon: number): number {
  let damp = 0;
  let phiK = 1;
  for (let k = 1; k <= horizon; k++) {
    phiK *= p.phi;
    damp += phiK;
  }
  // The state has consumed rows 0…t (rows = t + 1); the target row is t + h.
  const target = s.rows - 1 + horizon;
  return s.level + damp * s.trend + (p.period > 1 ? s.season[target % p.period] : 0);
}

/** Fits the parameters on `values` and returns them with the state after the last value. */
export function fitEts(
  values: ArrayLike<number>,
  period: number,
  start: readonly number[] = [logit(0.3), logit(0.1), logit(0.1), 2],
): { params: EtsParams; state: EtsState; x: number[] } {
  const m = period > 1 && values.length >= 2 * period + 10 ? period : 1;
  const run = (p: EtsParams) => {
    const s = initialEtsState(values, m);
    let sse = 0;
    for (let t = 0; t < values.length; t++) {
      const e = stepEts(p, s, values[t]);
      // The first season only sets the states up; scoring it would reward fitting the initial guess.
      if (t >= m) sse += e * e;
    }
    return { sse, s };
  };
  const objective = (x: number[]) => {
    const sse = run(paramsFrom(x, m)).sse;
    return Number.isFinite(sse) ? sse : Number.MAX_VALUE;
  };
  const fit = nelderMead(objective, start, { step: 1, maxEvaluations: 240, tolerance: 1e-7 });
  const params = paramsFrom(fit.x, m);
  return { params, state: run(params).s, x: fit.x };
}

export function createEts(options: EtsOptions = {}): Predictor {
  const horizon = options.horizon ?? 1;
  const warmup = options.warmup ?? 200;
  const fitWindow = options.fitWindow ?? 4096;
  const maxRefitEvery = options.maxRefitEvery ?? 10_000;
  if (!Number.isInteger(horizon) || horizon < 1)
    throw new NqpError("bad-config", `ets: horizon must be a positive integer, got ${horizon}`);
  if (!Number.isInteger(warmup) || warmup < 10)
    throw new NqpError("bad-config", `ets: warmup must be an integer ≥ 10, got ${warmup}`);
  const history = new History(fitWindow);
  let params: EtsParams | undefined;
  let state: EtsState | undefined;
  let x: number[] | undefined;
  let samples = 0;
  let nextFit = warmup;
  let last = Number.NaN;
  let fits = 0;
  return {
    name: "ets",
    horizon,
    step(value) {
      const v = Number.isFinite(value) ? value : last;
      if (Number.isNaN(v)) return Number.NaN;
      last = v;
      history.push(v);
      samples++;
      if (samples >= nextFit) {
        const window = history.latest(fitWindow);
        const period = options.period ?? detectSeason(window, { horizon: 1 });
        const fitted = fitEts(window, period, x);
        // Rows are numbered from the start of the window in the fitted state; keep numbering consistent with it.
        params = fitted.params;
        state = fitted.state;
        x = fitted.x;
        fits++;
        nextFit = samples + Math.min(maxRefitEvery, Math.max(warmup, samples));
      } else if (params && state) stepEts(params, state, v);
      if (!params || !state) return Number.NaN;
      const f = forecastEts(params, state, horizon);
      return Number.isFinite(f) ? f : v;
    },
    describe: () => (params ? { ...params, fits } : { fits }),
  };
}
