import type { ValidationJobResult, ValidationMetrics } from "@nqp/contract/api";
import {
  createDetector,
  DEFAULT_THRESHOLD,
  forecastSeries,
  NqpError,
  nabProfile,
  prepareNabFile,
  scoreNabCorpus,
} from "@nqp/core";
import type { JobReporter, ParsedValidateJob } from "./types";

/** Points kept in the report's plots (the test part is decimated to this many by min/max buckets). */
const PLOT_POINTS = 4000;

/**
 * A walk-forward backtest of a series, with NAB-style event scoring when labelled windows are given. Until core's
 * validation module (issue 6) lands, this composes what core has: the causal reservoir forecaster
 * (`forecastSeries`: fit on the first part, forecast each later row from rows ≤ i − h, online conformal intervals),
 * a persistence baseline with a split-conformal interval from the training residuals, the default detector and the
 * NAB scorer (standard profile, the detector's fixed threshold).
 *
 * MASE divides by the training part's mean absolute h-step persistence error (Hyndman & Koehler, 2006).
 */
export function runValidation(spec: ParsedValidateJob, report: JobReporter): ValidationJobResult {
  const n = spec.value.length;
  if (spec.ts.length !== n) throw new NqpError("bad-series", `${spec.ts.length} timestamps for ${n} values`);
  if (n < 100) throw new NqpError("too-few-rows", `${spec.source}: ${n} rows; a backtest needs at least 100`);
  const values = Float64Array.from(spec.value);
  const h = spec.horizon;
  report.progress(0, "fitting the reservoir forecaster");
  const f = forecastSeries(values, [], {
    horizon: h,
    coverage: spec.coverage,
    trainFraction: spec.trainFraction,
    units: spec.units,
    seed: spec.seed,
    onProgress: (done, total) => report.progress(0.8 * (done / Math.max(1, total)), "backtesting"),
  });
  const start = f.trainRows;
  let naiveTrain = 0;
  let naiveCount = 0;
  for (let i = h; i < start; i++) {
    naiveTrain += Math.abs(values[i] - values[i - h]);
    naiveCount++;
  }
  const scale = naiveCount ? naiveTrain / naiveCount : Number.NaN;
  const mase = (mae: number) => (scale > 0 ? mae / scale : null);

  // Persistence baseline: forecast value[i − h], interval from the training residuals' empirical quantile.
  const trainResid: number[] = [];
  for (let i = h; i < start; i++) trainResid.push(Math.abs(values[i] - values[i - h]));
  trainResid.sort((a, b) => a - b);
  const q = trainResid.length
    ? trainResid[Math.min(trainResid.length - 1, Math.ceil(spec.coverage * (trainResid.length + 1)) - 1)]
    : 0;
  const metrics = (pred: (i: number) => [number, number, number] | null): ValidationMetrics => {
    let se = 0;
    let ae = 0;
    let inside = 0;
    let width = 0;
    let rows = 0;
    let mean = 0;
    for (let i = start; i < n; i++) mean += values[i];
    mean /= Math.max(1, n - start);
    let variance = 0;
    for (let i = start; i < n; i++) variance += (values[i] - mean) ** 2;
    const sd = Math.sqrt(variance / Math.max(1, n - start));
    for (let i = start; i < n; i++) {
      const p = pred(i);
      if (!p) continue;
      const [fc, lo, hi] = p;
      const e = values[i] - fc;
      se += e * e;
      ae += Math.abs(e);
      if (values[i] >= lo && values[i] <= hi) inside++;
      width += hi - lo;
      rows++;
    }
    const rmse = Math.sqrt(se / Math.max(1, rows));
    const mae = ae / Math.max(1, rows);
    return {
      rows,
      rmse,
      nrmse: sd > 0 ? rmse / sd : Number.NaN,
      mae,
      mase: mase(mae),
      coverage: rows ? inside / rows : Number.NaN,
      meanWidth: rows ? width / rows : Number.NaN,
    };
  };
  const test = metrics((i) => (Number.isFinite(f.forecast[i]) ? [f.forecast[i], f.lower[i], f.upper[i]] : null));
  const baseline = {
    name: `persistence (h = ${h})`,
    ...metrics((i) => (i >= h ? [values[i - h], values[i - h] - q, values[i - h] + q] : null)),
  };
  report.progress(0.85, "scoring");

  // Plots over the test rows: min/max decimated, running coverage.
  const plot: ValidationJobResult["plot"] = {
    ts: [],
    value: [],
    forecast: [],
    lower: [],
    upper: [],
    error: [],
    coverage: [],
  };
  const testRows = n - start;
  const stride = Math.max(1, Math.ceil(testRows / (PLOT_POINTS / 2)));
  let inside = 0;
  let seen = 0;
  const runningCoverage = new Float64Array(n).fill(Number.NaN);
  for (let i = start; i < n; i++) {
    if (Number.isFinite(f.forecast[i])) {
      seen++;
      if (values[i] >= f.lower[i] && values[i] <= f.upper[i]) inside++;
    }
    runningCoverage[i] = seen ? inside / seen : Number.NaN;
  }
  const push = (i: number) => {
    const ok = Number.isFinite(f.forecast[i]);
    plot.ts.push(spec.ts[i]);
    plot.value.push(values[i]);
    plot.forecast.push(ok ? f.forecast[i] : null);
    plot.lower.push(ok ? f.lower[i] : null);
    plot.upper.push(ok ? f.upper[i] : null);
    plot.error.push(ok ? values[i] - f.forecast[i] : null);
    plot.coverage.push(Number.isFinite(runningCoverage[i]) ? runningCoverage[i] : null);
  };
  for (let b = start; b < n; b += stride) {
    const end = Math.min(n, b + stride);
    if (stride === 1) {
      push(b);
      continue;
    }
    let lo = b;
    let hi = b;
    for (let i = b; i < end; i++) {
      if (values[i] < values[lo]) lo = i;
      if (values[i] > values[hi]) hi = i;
    }
    push(Math.min(lo, hi));
    if (lo !== hi) push(Math.max(lo, hi));
  }

  let nab: ValidationJobResult["nab"] = null;
  if (spec.labels) {
    const detector = createDetector({ seed: spec.seed });
    const scores = new Float64Array(n);
    for (let i = 0; i < n; i++) scores[i] = detector.update(values[i], Number.NaN);
    const windows = spec.labels.map(([a, b]) => [a, b] as const).sort((x, y) => x[0] - y[0]);
    const prepared = prepareNabFile({ name: spec.source, time: spec.ts, scores, windows });
    const profile = nabProfile("standard");
    if (!profile) throw new NqpError("internal", "NAB standard profile missing");
    const r = scoreNabCorpus([prepared], profile, DEFAULT_THRESHOLD);
    // The per-row scores are plotted too; decimate them with the series' own stride (max per bucket).
    const s: number[] = [];
    const sTs: number[] = [];
    const block = Math.max(1, Math.ceil(n / PLOT_POINTS));
    for (let b = 0; b < n; b += block) {
      let m = 0;
      for (let i = b; i < Math.min(n, b + block); i++) m = Math.max(m, scores[i]);
      s.push(m);
      sTs.push(spec.ts[b]);
    }
    nab = {
      profile: r.profile,
      score: r.normalized,
      threshold: r.threshold,
      windows: r.totals.windows,
      detected: r.totals.windowsDetected,
      falsePositives: r.totals.fp,
      scores: s,
      scoresTs: sTs,
      windowsAt: windows.map(([a, b]) => [a, b]),
    };
  }
  report.progress(1, "done");
  return {
    kind: "validate",
    source: spec.source,
    rows: n,
    trainRows: start,
    horizon: h,
    coverageTarget: spec.coverage,
    model: {
      units: f.chosen.units,
      spectralRadius: f.chosen.spectralRadius,
      leak: f.chosen.leak,
      inputScaling: f.chosen.inputScaling,
      ridge: f.chosen.ridge,
      lags: f.chosen.lags,
      validationNrmse: f.validationNrmse,
    },
    test,
    baseline,
    plot,
    nab,
  };
}
