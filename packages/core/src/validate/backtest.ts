import { createDetector, createLikelihoodDetector } from "../detect";
import { NqpError } from "../errors";
import { type CombinerOptions, createFusion, type IntervalOptions } from "../fuse";
import { createPredictor, type Predictor, type PredictorKind } from "../predict";
import { type EventScores, scoreEvents } from "./events";
import { createMetricsAccumulator, type ValidationMetrics } from "./metrics";
import type { NabWindow } from "./nab";
import { type ValidationScore, validationScore } from "./score";

/**
 * A walk-forward backtest of fused forecasting on one series: every predictor and the fusion run causally over the
 * rows in order, each forecast made from the rows before it only and scored when its row arrives (an expanding
 * window with online refits, rather than one train/test split: every scored forecast is out of sample, and the
 * models keep learning as a deployed stream would). The predictors fit on the first two thirds of the warm-up and
 * forecast from then on; the fusion learns its weights and interval on the last third; scoring starts after the
 * warm-up, at the first row where every predictor forecasts and the fusion's weights are learned. All predictors,
 * baselines and the fusion are scored on the same rows.
 *
 * The baselines (seasonal-naive "naive" and exponential smoothing "ets") always run, in the fusion when listed and
 * in the shadow otherwise, so every report compares against them.
 */
export interface BacktestInput {
  values: Float64Array;
  /** Epoch ms per row (needed for event scoring). */
  time?: ArrayLike<number>;
  /** Exogenous input columns, one value per row each (known at their row). */
  exogenous?: readonly Float64Array[];
}

export interface BacktestOptions {
  /** Predictors by name or built by the host (e.g. ONNX forecasts); default esn, lif, naive, ets. */
  predictors?: readonly (PredictorKind | Predictor)[];
  horizon?: number;
  /** Nominal interval coverage (default 0.9). */
  coverage?: number;
  /** Rows before scoring starts (default ⌊15 % of the rows⌋ within [200, 1 000], NAB's probationary share). */
  warmup?: number;
  /** Reservoir units (default 100). */
  units?: number;
  /**
   * The last rows of the warm-up, on which the predictors already forecast and only the fusion learns (its weights
   * and interval) before scoring starts (default a third of the warm-up).
   */
  calibration?: number;
  seed?: number;
  combiner?: CombinerOptions;
  interval?: Omit<IntervalOptions, "coverage">;
  guard?: { halfLife?: number; margin?: number } | false;
  /** Ready-made baseline predictors (named "naive" / "ets") to use where the baselines are not in the fusion. */
  baselinePredictors?: readonly Predictor[];
  /** Labelled anomaly windows (epoch ms): the fused forecast's errors are scored as a detector, NAB-style. */
  labels?: readonly NabWindow[];
  onProgress?: (done: number, total: number) => void;
}

export interface PredictorReport {
  name: string;
  /** In the fusion (false: a baseline run in the shadow for comparison). */
  fused: boolean;
  details: Record<string, unknown>;
  metrics: ValidationMetrics;
  /** Mean weight over the scored rows (0 for shadow baselines). */
  meanWeight: number;
}

export interface BaselineComparison {
  baseline: string;
  /** 1 − RMSE_fused / RMSE_baseline (positive: the fusion is better). */
  rmseSkill: number;
  /** 1 − MAE_fused / MAE_baseline. */
  maeSkill: number;
}

export interface BacktestResult {
  rows: number;
  horizon: number;
  coverage: number;
  warmup: number;
  /** First scored row (0-based); rows before it are warm-up. */
  scoreFrom: number;
  predictors: PredictorReport[];
  fused: {
    metrics: ValidationMetrics;
    /** Share of scored rows on which the safeguard followed a single predictor instead of the combination. */
    leaderShare: number;
    method: string;
  };
  bestSingle: { name: string; nrmse: number };
  /** NRMSE of the fusion / NRMSE of the best single predictor (≤ 1: the fusion is at least as good). */
  fusedVsBest: number;
  baselines: BaselineComparison[];
  score: ValidationScore;
  /**
   * NAB-style scores when labels were given: nqp detect's detector (the product's alarm; the score's events
   * component), then the anomaly likelihood of the fused forecast's errors (how telling the forecasts' misses are).
   */
  events: EventScores[] | null;
  series: {
    forecast: Float64Array;
    lower: Float64Array;
    upper: Float64Array;
    /** 1 where the value fell inside its interval, 0 where not, 255 where the row had no interval. */
    covered: Uint8Array;
    /** Per predictor in `predictors` order (fused ones first, then shadow baselines). */
    predictions: Float64Array[];
    /** Per fused predictor: its weight in this row's forecast. */
    weights: Float64Array[];
    /** The fused-forecast detector's anomaly score per row (only with labels). */
    anomalyScore: Float64Array | null;
  };
}

const BASELINES: readonly PredictorKind[] = ["naive", "ets"];

export function defaultWarmup(rows: number): number {
  return Math.max(200, Math.min(1000, Math.floor(0.15 * rows)));
}

/**
 * The predictors' own warm-up within a backtest's warm-up: the first two thirds (by default) fit the predictors, the
 * rest calibrates the fusion — the usual split of a training set into fitting and calibration parts, so that the
 * weights and the interval start scoring with some history instead of an equal split.
 */
export function predictorWarmup(warmup: number, horizon = 1, calibration?: number): number {
  const rows = calibration ?? Math.floor(warmup / 3);
  return Math.max(2 * horizon + 20, warmup - rows);
}

export function runBacktest(input: BacktestInput, options: BacktestOptions = {}): BacktestResult {
  const { values } = input;
  const n = values.length;
  const horizon = options.horizon ?? 1;
  const coverage = options.coverage ?? 0.9;
  const warmup = options.warmup ?? defaultWarmup(n);
  const exogenous = input.exogenous ?? [];
  const e = exogenous.length;
  for (const x of exogenous)
    if (x.length !== n) throw new NqpError("bad-input", `an exogenous column has ${x.length} rows, the series ${n}`);
  if (n < warmup + horizon + 50)
    throw new NqpError(
      "too-few-rows",
      `${n} rows are too few to validate: the warm-up takes ${warmup} and scoring needs at least 50 more ` +
        `(supply a longer series or a shorter --warmup)`,
    );
  const settings = {
    horizon,
    warmup: predictorWarmup(warmup, horizon, options.calibration),
    exogenous: e,
    units: options.units,
    seed: options.seed,
  };
  const build = (p: PredictorKind | Predictor): Predictor => (typeof p === "string" ? createPredictor(p, settings) : p);
  const specs = options.predictors ?? (["esn", "lif", "naive", "ets"] as PredictorKind[]);
  if (specs.length === 0) throw new NqpError("bad-config", "no predictors to validate");
  const fusedPredictors = specs.map(build);
  const names = new Set<string>();
  for (const p of fusedPredictors) {
    if (names.has(p.name)) throw new NqpError("bad-config", `predictor '${p.name}' is listed twice`);
    names.add(p.name);
  }
  const shadow = BASELINES.filter((b) => !names.has(b)).map(
    (b) => options.baselinePredictors?.find((p) => p.name === b) ?? createPredictor(b, settings),
  );
  const all = [...fusedPredictors, ...shadow];
  const k = fusedPredictors.length;
  const fusion = createFusion(fusedPredictors, {
    horizon,
    coverage,
    combiner: options.combiner,
    interval: options.interval,
    guard: options.guard,
    seed: options.seed,
  });

  const forecast = new Float64Array(n).fill(Number.NaN);
  const lower = new Float64Array(n).fill(Number.NaN);
  const upper = new Float64Array(n).fill(Number.NaN);
  const covered = new Uint8Array(n).fill(255);
  const predictions = all.map(() => new Float64Array(n).fill(Number.NaN));
  const weights = fusedPredictors.map(() => new Float64Array(n));
  const leaderRow = new Uint8Array(n);
  const readyRow = new Uint8Array(n);
  const shadowPending = shadow.map(() => new Float64Array(horizon).fill(Number.NaN));
  const exRow = new Float64Array(e);
  const labels = options.labels;
  const time = input.time;
  const detector = labels && time ? createLikelihoodDetector() : null;
  const anomalyScore = detector ? new Float64Array(n) : null;

  for (let t = 0; t < n; t++) {
    for (let j = 0; j < e; j++) exRow[j] = exogenous[j][t];
    const row = fusion.step(values[t], exRow);
    forecast[t] = row.forecast;
    lower[t] = row.lower;
    upper[t] = row.upper;
    if (Number.isFinite(row.lower) && Number.isFinite(values[t])) covered[t] = row.covered ? 1 : 0;
    readyRow[t] = row.ready ? 1 : 0;
    for (let i = 0; i < k; i++) {
      predictions[i][t] = row.predictions[i];
      weights[i][t] = row.weights[i];
    }
    leaderRow[t] = row.ready && Number.isFinite(row.combination) && row.combination !== row.forecast ? 1 : 0;
    const slot = t % horizon;
    for (let s = 0; s < shadow.length; s++) {
      predictions[k + s][t] = shadowPending[s][slot];
      shadowPending[s][slot] = shadow[s].step(values[t], exRow);
    }
    if (detector && anomalyScore && Number.isFinite(values[t]))
      anomalyScore[t] = detector.update(values[t], forecast[t]);
    if ((t & 4095) === 4095) options.onProgress?.(t + 1, n);
  }
  options.onProgress?.(n, n);

  // The first row after the warm-up on which every predictor forecasts and the fusion's weights are learned.
  let scoreFrom = -1;
  for (let t = warmup; t < n && scoreFrom < 0; t++) {
    if (!readyRow[t]) continue;
    let all = true;
    for (const p of predictions) if (!Number.isFinite(p[t])) all = false;
    if (all) scoreFrom = t;
  }
  if (scoreFrom < 0)
    throw new NqpError(
      "no-forecasts",
      "no row has a forecast from every predictor (is the series shorter than a predictor's window or warm-up?)",
    );

  const fusedAcc = createMetricsAccumulator(coverage);
  const accs = all.map(() => createMetricsAccumulator(coverage));
  const meanWeight = new Float64Array(k);
  let leaderRows = 0;
  for (let t = 0; t < n; t++) {
    const scored = t >= scoreFrom;
    fusedAcc.add(values[t], scored ? forecast[t] : Number.NaN, lower[t], upper[t], covered[t] === 1);
    for (let i = 0; i < all.length; i++) accs[i].add(values[t], scored ? predictions[i][t] : Number.NaN);
    if (scored) {
      for (let i = 0; i < k; i++) meanWeight[i] += weights[i][t];
      leaderRows += leaderRow[t];
    }
  }
  const scoredRows = n - scoreFrom;
  const fusedMetrics = fusedAcc.result();
  const reports: PredictorReport[] = all.map((p, i) => ({
    name: p.name,
    fused: i < k,
    details: p.describe(),
    metrics: accs[i].result(),
    meanWeight: i < k ? meanWeight[i] / scoredRows : 0,
  }));
  let best = reports[0];
  for (const r of reports.slice(0, k))
    if (r.metrics.nrmse < best.metrics.nrmse || !Number.isFinite(best.metrics.nrmse)) best = r;
  const baselines = BASELINES.map((b) => {
    const r = reports.find((x) => x.name === b) as PredictorReport;
    return {
      baseline: b,
      rmseSkill: 1 - fusedMetrics.rmse / r.metrics.rmse,
      maeSkill: 1 - fusedMetrics.mae / r.metrics.mae,
    };
  });

  let events: EventScores[] | null = null;
  if (labels && time && anomalyScore && detector) {
    const discord = createDetector({ seed: options.seed });
    const discordScores = new Float64Array(n);
    let last = Number.NaN;
    for (let t = 0; t < n; t++) {
      const v = Number.isFinite(values[t]) ? values[t] : last;
      if (Number.isFinite(v)) discordScores[t] = discord.update(v, Number.NaN);
      last = v;
    }
    events = [
      scoreEvents("discord likelihood (nqp detect)", time, discordScores, labels, discord.threshold),
      scoreEvents("fused-forecast likelihood", time, anomalyScore, labels, detector.threshold),
    ];
  }
  const score = validationScore(
    fusedMetrics,
    coverage,
    BASELINES.map((b) => (reports.find((x) => x.name === b) as PredictorReport).metrics.rmse),
    events ? events[0].profiles.standard : null,
  );

  return {
    rows: n,
    horizon,
    coverage,
    warmup,
    scoreFrom,
    predictors: reports,
    fused: {
      metrics: fusedMetrics,
      leaderShare: leaderRows / scoredRows,
      method: fusion.combiner.method,
    },
    bestSingle: { name: best.name, nrmse: best.metrics.nrmse },
    fusedVsBest: fusedMetrics.nrmse / best.metrics.nrmse,
    baselines,
    score,
    events,
    series: { forecast, lower, upper, covered, predictions, weights, anomalyScore },
  };
}
