import { NqpError } from "../errors";
import {
  addGram,
  cloneGram,
  createGram,
  createGramKernel,
  type Gram,
  predictReadout,
  readoutSquaredError,
  ridgeScale,
  scaleGram,
  solveRidge,
} from "../readout";
import { type ConformalState, conformalHalfWidth, conformalScale, createConformal, updateConformal } from "./conformal";
import { buildEsn, FeatureRunner, type FeatureShape, featureCount, type ReservoirHyper } from "./features";

/**
 * Forecasting a whole series the way `nqp forecast` promises: fit on the first `trainFraction` of the rows, then run
 * causally over the rest, where row i's forecast uses only rows ≤ i − horizon.
 *
 * Model: echo-state reservoir (+ direct lagged inputs) → ridge readout predicting the normalised change
 * u(t + h) − u(t) (direct multi-step forecasting: one readout per horizon, no feedback of forecasts). The change
 * target shrinks towards persistence under regularisation, the safe default on real sensor data.
 *
 * Hyperparameters (spectral radius, leak, input scaling, ridge) are chosen causally: each candidate reservoir is fitted
 * on the first 80 % of the training rows and scored on the last 20 %; the best is refitted on all training rows.
 * Intervals: conformal over the validation residuals of the 80 % model, then updated online on the test rows as each
 * residual becomes known (see conformal.ts). Over the test rows the readout also keeps learning (re-solved every 500
 * rows from statistics that fade by 0.9 per refit) and is combined with persistence by recent errors, so a series
 * that leaves its training regime degrades to persistence and is then relearnt, never extrapolated wildly.
 */
export interface SeriesForecastOptions {
  horizon?: number;
  trainFraction?: number;
  coverage?: number;
  seed?: number;
  /** Reservoir units (default 500). */
  units?: number;
  /** Direct lagged-value features (default 20). */
  lags?: number;
  /** Lagged features per exogenous input (default 20). */
  exogLags?: number;
  /** Quadratic-monomial lags to try (see FeatureShape.quadraticLags; default [0, 10]). */
  quadraticLags?: number[];
  /** Reservoir settings to try (default: a small grid around the usual good values). */
  candidates?: ReservoirHyper[];
  /** Ridge values to try, relative to the mean feature variance (default 1e-9 … 1e-1). */
  ridges?: number[];
  /** Rows discarded while the reservoir forgets its initial state (default 100, fewer on short series). */
  washout?: number;
  onProgress?: (done: number, total: number) => void;
}

export interface ForecastMetrics {
  rows: number;
  rmse: number;
  /** RMSE / standard deviation of the values scored. */
  nrmse: number;
  mae: number;
  /** Fraction of values inside their interval. */
  coverage: number;
  meanWidth: number;
}

export interface SeriesForecast {
  /** Per row; NaN where there is no forecast. */
  forecast: Float64Array;
  lower: Float64Array;
  upper: Float64Array;
  trainRows: number;
  chosen: ReservoirHyper & {
    ridge: number;
    units: number;
    lags: number;
    exogLags: number;
    quadraticLags: number;
    washout: number;
    horizon: number;
    coverage: number;
    seed: number;
  };
  validationNrmse: number;
  /** Mean weight of the reservoir model against persistence over the test rows (1: the model alone). */
  modelWeight: number;
  search: Array<ReservoirHyper & { quadraticLags: number; ridge: number; validationNrmse: number }>;
  train: ForecastMetrics;
  test: ForecastMetrics;
}

export const DEFAULT_CANDIDATES: ReservoirHyper[] = [
  { spectralRadius: 0.9, leak: 0.3, inputScaling: 0.5, biasScaling: 0.2 },
  { spectralRadius: 0.9, leak: 1, inputScaling: 0.5, biasScaling: 0.2 },
  { spectralRadius: 0.5, leak: 0.6, inputScaling: 0.5, biasScaling: 0.2 },
  { spectralRadius: 1.1, leak: 0.3, inputScaling: 0.2, biasScaling: 0.2 },
];
export const DEFAULT_RIDGES = [1e-9, 1e-8, 1e-7, 1e-6, 1e-5, 1e-4, 1e-3, 1e-2, 1e-1];

const CHUNK = 128;
const ADAPT_EVERY = 500;
const ADAPT_FORGET = 0.9;

export function forecastSeries(
  values: Float64Array,
  exogenous: Float64Array[] = [],
  options: SeriesForecastOptions = {},
): SeriesForecast {
  const n = values.length;
  const horizon = options.horizon ?? 1;
  const trainFraction = options.trainFraction ?? 0.7;
  const coverage = options.coverage ?? 0.9;
  const seed = options.seed ?? 1;
  const units = options.units ?? 500;
  const lags = options.lags ?? 20;
  const exogLags = exogenous.length ? (options.exogLags ?? 20) : 0;
  const trainRows = Math.floor(trainFraction * n);
  const washout = Math.min(options.washout ?? 100, Math.floor(trainRows / 10));
  // Samples t whose target row t + h lies in the training rows.
  const firstSample = washout;
  const lastSample = trainRows - 1 - horizon;
  const samples = lastSample - firstSample + 1;
  if (samples < 20)
    throw new NqpError(
      "too-few-rows",
      `the training part has ${trainRows} rows, too few to fit a horizon-${horizon} model (need about ${washout + horizon + 20}; raise --train-fraction or supply more rows)`,
    );
  const valStart = firstSample + Math.floor(0.8 * samples);

  // Normalise with the training rows only (no look-ahead into the test part).
  const norm = (xs: Float64Array) => {
    let m = 0;
    for (let i = 0; i < trainRows; i++) m += xs[i];
    m /= trainRows;
    let v = 0;
    for (let i = 0; i < trainRows; i++) v += (xs[i] - m) ** 2;
    const sd = Math.sqrt(v / trainRows);
    // Any spread that float64 resolves at this level is kept, however tiny (sensors in volts or in picofarads);
    // a series flat to rounding gets scale 1 (its normalised values are 0 either way).
    const scale = sd > 1e-12 * Math.abs(m) && sd > 0 ? sd : Math.max(1, Math.abs(m));
    const out = new Float64Array(xs.length);
    for (let i = 0; i < xs.length; i++) out[i] = (xs[i] - m) / scale;
    return { center: m, scale, out };
  };
  const vNorm = norm(values);
  const u = vNorm.out;
  const ex = exogenous.map((e) => norm(e).out);
  const exRow = new Float64Array(ex.length);
  const shapeFor = (quadraticLags: number): FeatureShape => ({
    units,
    exogenous: ex.length,
    lags,
    exogLags,
    quadraticLags,
  });

  const hypers = options.candidates ?? DEFAULT_CANDIDATES;
  const quadraticOptions = options.quadraticLags ?? [0, 10];
  const [firstQuadratic, ...laterQuadratics] = quadraticOptions;
  const ridges = options.ridges ?? DEFAULT_RIDGES;
  const totalWork = (hypers.length + laterQuadratics.length) * trainRows + n;
  let done = 0;
  const progress = (rows: number) => {
    done += rows;
    options.onProgress?.(done, totalWork);
  };

  // One pass of a candidate over the training rows, accumulating the fit and validation statistics in chunks.
  const gramsFor = (hyper: ReservoirHyper, shape: FeatureShape) => {
    const f = featureCount(shape);
    const runner = new FeatureRunner(buildEsn(units, 1 + ex.length, hyper, seed), shape);
    const fit = createGram(f);
    const val = createGram(f);
    const kernel = createGramKernel(f, CHUNK);
    const cols = kernel.columns;
    const stride = kernel.stride;
    const tgt = new Float64Array(stride);
    let fill = 0;
    let target: Gram = fit;
    let reported = 0;
    const flush = () => {
      if (fill) kernel.accumulate(target, tgt, fill);
      kernel.flush(target);
      fill = 0;
    };
    for (let t = 0; t <= lastSample; t++) {
      for (let k = 0; k < ex.length; k++) exRow[k] = ex[k][t];
      const x = runner.step(u[t], exRow);
      if (t < firstSample) continue;
      if (t === valStart) {
        flush();
        target = val;
      }
      for (let i = 0; i < f; i++) cols[i * stride + fill] = x[i];
      tgt[fill] = u[t + horizon] - u[t];
      if (++fill === CHUNK) {
        kernel.accumulate(target, tgt, fill);
        fill = 0;
      }
      if (t - reported >= 1024) {
        progress(t - reported);
        reported = t;
      }
    }
    flush();
    progress(trainRows - reported);
    return { fit, val };
  };

  const valStd = (() => {
    let m = 0;
    let c = 0;
    for (let t = valStart + horizon; t < trainRows; t++, c++) m += u[t];
    m /= c;
    let v = 0;
    for (let t = valStart + horizon; t < trainRows; t++) v += (u[t] - m) ** 2;
    return Math.sqrt(v / c) || 1;
  })();

  const search: SeriesForecast["search"] = [];
  let best:
    | { hyper: ReservoirHyper; shape: FeatureShape; ridge: number; nrmse: number; fit: Gram; val: Gram }
    | undefined;
  const tryCandidate = (hyper: ReservoirHyper, quadraticLags: number) => {
    const shape = shapeFor(quadraticLags);
    const { fit, val } = gramsFor(hyper, shape);
    const scale = ridgeScale(fit);
    for (const r of ridges) {
      let nrmse = Number.POSITIVE_INFINITY;
      try {
        const readout = solveRidge(fit, { ridge: r * scale });
        nrmse = Math.sqrt(readoutSquaredError(readout, val)[0] / val.count) / valStd;
      } catch {
        // A candidate whose normal equations do not factor is simply not chosen.
      }
      if (!Number.isFinite(nrmse)) nrmse = Number.POSITIVE_INFINITY;
      search.push({ ...hyper, quadraticLags, ridge: r, validationNrmse: nrmse });
      if (!best || nrmse < best.nrmse) best = { hyper, shape, ridge: r, nrmse, fit, val };
    }
  };
  // Two stages, to keep the search cheap: the reservoir settings with the first feature set, then the other
  // quadratic-feature options with the best reservoir only.
  for (const hyper of hypers) tryCandidate(hyper, firstQuadratic ?? 0);
  const bestHyper = (best as { hyper: ReservoirHyper } | undefined)?.hyper ?? hypers[0];
  for (const q of laterQuadratics) tryCandidate(bestHyper, q);
  if (!best) throw new NqpError("no-model", "no hyperparameter candidate could be fitted");

  const fitReadout = solveRidge(best.fit, { ridge: best.ridge * ridgeScale(best.fit) });
  const all = cloneGram(best.fit);
  addGram(all, best.val);
  const chosenRidge = best.ridge;
  let readout = solveRidge(all, { ridge: chosenRidge * ridgeScale(all) });
  // Online adaptation over the test rows: each row's training sample (its features H rows earlier, its change)
  // is known when the row arrives; the statistics take them in blocks and the readout is re-solved every ADAPT_EVERY
  // rows, older statistics decayed by ADAPT_FORGET per refit (a memory of about ADAPT_EVERY / (1 − ADAPT_FORGET)
  // rows), so a stream that moves to a new regime is relearnt instead of only falling back to persistence.
  const f = featureCount(best.shape);
  const adapt = horizon <= 1000;
  const ring = adapt ? new Float64Array(horizon * f) : new Float64Array(0);
  const adaptKernel = adapt ? createGramKernel(f, CHUNK) : undefined;
  const adaptTargets = new Float64Array(adaptKernel?.stride ?? 0);
  let adaptFill = 0;
  let sinceAdapt = 0;
  const learnRow = (features: Float64Array, target: number) => {
    if (!adaptKernel) return;
    for (let i = 0; i < f; i++) adaptKernel.columns[i * adaptKernel.stride + adaptFill] = features[i];
    adaptTargets[adaptFill] = target;
    if (++adaptFill === CHUNK) {
      adaptKernel.accumulate(all, adaptTargets, adaptFill);
      adaptFill = 0;
    }
    if (++sinceAdapt === ADAPT_EVERY) {
      if (adaptFill) adaptKernel.accumulate(all, adaptTargets, adaptFill);
      adaptFill = 0;
      adaptKernel.flush(all);
      readout = solveRidge(all, { ridge: chosenRidge * ridgeScale(all) });
      scaleGram(all, ADAPT_FORGET);
      sinceAdapt = 0;
    }
  };

  // Guards for data the training rows did not prepare the model for (level jumps, regime changes in real streams):
  // the predicted change is clamped to the training targets' range widened by half of it, and the forecast is
  // combined with persistence by inverse recent squared errors (Bates & Granger, Operational Research Quarterly 20,
  // 1969), both errors known causally (H rows after issue). Where the model is good — its error orders of magnitude
  // below persistence's — its weight is 1 to within 1e-6; where it breaks down, the forecast falls back to
  // persistence instead of extrapolating.
  let lowDelta = Number.POSITIVE_INFINITY;
  let highDelta = Number.NEGATIVE_INFINITY;
  for (let t = firstSample; t <= lastSample; t++) {
    const d = u[t + horizon] - u[t];
    if (d < lowDelta) lowDelta = d;
    if (d > highDelta) highDelta = d;
  }
  const margin = 0.5 * (highDelta - lowDelta);
  lowDelta -= margin;
  highDelta += margin;
  const RATE = 0.02;
  let modelError = 0;
  let persistenceError = 0;
  let errorsSeen = 0;
  let testWeight = 0;
  let testWeighted = 0;

  // The causal run: forecasts for every row from the final readout; validation forecasts of the 80 % readout for
  // calibrating the intervals and starting the combination weights.
  const forecast = new Float64Array(n).fill(Number.NaN);
  const modelForecast = new Float64Array(n).fill(Number.NaN);
  const calibration = new Float64Array(n).fill(Number.NaN);
  const runner = new FeatureRunner(buildEsn(units, 1 + ex.length, best.hyper, seed), best.shape);
  const out = new Float64Array(1);
  const toValue = (t: number, delta: number) =>
    values[t] + Math.min(highDelta, Math.max(lowDelta, delta)) * vNorm.scale;
  for (let t = 0; t < n; t++) {
    // Row t is known now: score the forecasts issued for it (out-of-sample ones only: validation, then test).
    const scored = t < trainRows ? calibration[t] : modelForecast[t];
    if (t >= horizon && !Number.isNaN(scored)) {
      const rate = errorsSeen === 0 ? 1 : RATE;
      modelError += rate * ((values[t] - scored) ** 2 - modelError);
      persistenceError += rate * ((values[t] - values[t - horizon]) ** 2 - persistenceError);
      errorsSeen++;
    }
    if (adapt && t >= trainRows && t - horizon >= firstSample)
      learnRow(
        ring.subarray(((t - horizon) % horizon) * f, (((t - horizon) % horizon) + 1) * f),
        u[t] - u[t - horizon],
      );
    for (let k = 0; k < ex.length; k++) exRow[k] = ex[k][t];
    const x = runner.step(u[t], exRow);
    if (adapt) ring.set(x, (t % horizon) * f);
    if (t >= firstSample && t + horizon < n) {
      const model = toValue(t, predictReadout(readout, x, out)[0]);
      const total = modelError + persistenceError;
      const weight = errorsSeen === 0 || total === 0 ? 1 : persistenceError / total;
      modelForecast[t + horizon] = model;
      forecast[t + horizon] = weight * model + (1 - weight) * values[t];
      if (t + horizon >= trainRows) {
        testWeight += weight;
        testWeighted++;
      }
      if (t >= valStart && t + horizon < trainRows)
        calibration[t + horizon] = toValue(t, predictReadout(fitReadout, x, out)[0]);
    }
    if ((t & 1023) === 1023) progress(1024);
  }

  const { lower, upper } = conformalIntervals(values, forecast, calibration, trainRows, horizon, coverage, vNorm.scale);
  return {
    forecast,
    lower,
    upper,
    trainRows,
    chosen: {
      ...best.hyper,
      ridge: best.ridge,
      units,
      lags,
      exogLags,
      quadraticLags: best.shape.quadraticLags ?? 0,
      washout,
      horizon,
      coverage,
      seed,
    },
    validationNrmse: best.nrmse,
    modelWeight: testWeighted ? testWeight / testWeighted : 1,
    search,
    train: metrics(values, forecast, lower, upper, 0, trainRows),
    test: metrics(values, forecast, lower, upper, trainRows, n),
  };
}

/** Calibrates on the validation residuals, then issues each test row's interval from the residuals known by then. */
function conformalIntervals(
  values: Float64Array,
  forecast: Float64Array,
  calibration: Float64Array,
  trainRows: number,
  horizon: number,
  coverage: number,
  seriesScale: number,
) {
  const n = values.length;
  const state: ConformalState = createConformal({ coverage, window: 2000, scaleFloor: 1e-9 * seriesScale });
  // σ̂ and the interval width in force when each forecast was issued (for the normalised score and ACI's misses).
  const issuedScale = new Float64Array(n).fill(Number.NaN);
  const issuedHalf = new Float64Array(n).fill(Number.NaN);
  // σ̂ starts at the calibration residuals' mean size (all inside the training rows), so no early score is distorted.
  let sum = 0;
  let count = 0;
  for (let i = 0; i < trainRows; i++)
    if (!Number.isNaN(calibration[i])) {
      sum += Math.abs(values[i] - calibration[i]);
      count++;
    }
  state.scale = count ? sum / count : 0;
  for (let i = 0; i < trainRows; i++) {
    if (Number.isNaN(calibration[i])) continue;
    updateConformal(state, values[i] - calibration[i], conformalScale(state), conformalHalfWidth(state));
  }
  const lower = new Float64Array(n).fill(Number.NaN);
  const upper = new Float64Array(n).fill(Number.NaN);
  const calibrated = conformalHalfWidth(state);
  for (let i = 0; i < Math.min(trainRows, n); i++) {
    if (Number.isNaN(forecast[i])) continue;
    lower[i] = forecast[i] - calibrated;
    upper[i] = forecast[i] + calibrated;
  }
  for (let i = trainRows; i < n; i++) {
    // Residuals of rows ≤ i − h are known when row i's forecast is issued (at row i − h).
    const known = i - horizon;
    if (known >= trainRows && !Number.isNaN(forecast[known]) && !Number.isNaN(issuedHalf[known]))
      updateConformal(state, values[known] - forecast[known], issuedScale[known], issuedHalf[known]);
    if (Number.isNaN(forecast[i])) continue;
    issuedScale[i] = conformalScale(state);
    issuedHalf[i] = conformalHalfWidth(state);
    lower[i] = forecast[i] - issuedHalf[i];
    upper[i] = forecast[i] + issuedHalf[i];
  }
  return { lower, upper };
}

function metrics(
  values: Float64Array,
  forecast: Float64Array,
  lower: Float64Array,
  upper: Float64Array,
  from: number,
  to: number,
): ForecastMetrics {
  let count = 0;
  let se = 0;
  let ae = 0;
  let inside = 0;
  let width = 0;
  let mean = 0;
  for (let i = from; i < to; i++) {
    if (Number.isNaN(forecast[i])) continue;
    count++;
    mean += values[i];
  }
  mean /= Math.max(count, 1);
  let variance = 0;
  for (let i = from; i < to; i++) {
    if (Number.isNaN(forecast[i])) continue;
    const e = values[i] - forecast[i];
    se += e * e;
    ae += Math.abs(e);
    variance += (values[i] - mean) ** 2;
    if (values[i] >= lower[i] && values[i] <= upper[i]) inside++;
    width += upper[i] - lower[i];
  }
  const rmse = Math.sqrt(se / Math.max(count, 1));
  const sd = Math.sqrt(variance / Math.max(count, 1));
  return {
    rows: count,
    rmse,
    nrmse: sd > 0 ? rmse / sd : Number.NaN,
    mae: ae / Math.max(count, 1),
    coverage: inside / Math.max(count, 1),
    meanWidth: width / Math.max(count, 1),
  };
}
