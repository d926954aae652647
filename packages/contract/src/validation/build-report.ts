import type { BacktestResult, NabWindow, ValidationMetrics } from "@nqp/core";
import {
  VALIDATION_REPORT_KIND,
  VALIDATION_REPORT_VERSION,
  type ValidationMetricsReport,
  type ValidationReport,
} from "./report";

/** What a report says besides the backtest's own results: the input, the settings used, how long it took. */
export interface ReportMeta {
  file: string;
  time: ArrayLike<number>;
  values: ArrayLike<number>;
  exogenous: string[];
  seed: number;
  units: number;
  fusion: "stacked" | "inverse-loss" | "equal";
  guardHalfLife: number | null;
  predictors: string[];
  labels: { file: string; windows: NabWindow[] } | null;
  /** Most rows kept in the report's series (every stride-th row beyond it). */
  maxPoints: number;
  seconds: number;
  version: string;
}

const finite = (x: number) => (Number.isFinite(x) ? x : null);

function metricsReport(m: ValidationMetrics): ValidationMetricsReport {
  return {
    count: m.count,
    rmse: finite(m.rmse),
    nrmse: finite(m.nrmse),
    mae: finite(m.mae),
    mase: finite(m.mase),
    smape: finite(m.smape),
    bias: finite(m.bias),
    coverage: m.coverage === null ? null : finite(m.coverage),
    meanWidth: m.meanWidth === null ? null : finite(m.meanWidth),
    winkler: m.winkler === null ? null : finite(m.winkler),
  };
}

/**
 * The JSON report (./report.ts) of a backtest: what `nqp validate` writes and the desktop's Validation view shows,
 * built in one place so both show the same figures.
 */
export function buildReport(r: BacktestResult, meta: ReportMeta): ValidationReport {
  const n = r.rows;
  const stride = Math.max(1, Math.ceil(n / meta.maxPoints));
  const rows: number[] = [];
  for (let t = 0; t < n; t += stride) rows.push(t);
  const pick = (a: ArrayLike<number>) => rows.map((t) => finite(a[t]));
  const fusedNames = r.predictors.filter((p) => p.fused).map((p) => p.name);
  return {
    kind: VALIDATION_REPORT_KIND,
    version: VALIDATION_REPORT_VERSION,
    generatedBy: `nqp ${meta.version}`,
    input: {
      file: meta.file,
      rows: n,
      exogenous: meta.exogenous,
      firstTime: finite(meta.time[0]),
      lastTime: finite(meta.time[n - 1]),
    },
    settings: {
      horizon: r.horizon,
      coverage: r.coverage,
      warmup: r.warmup,
      seed: meta.seed,
      units: meta.units,
      fusion: meta.fusion,
      guardHalfLife: meta.guardHalfLife,
      predictors: meta.predictors,
    },
    scoreFrom: r.scoreFrom,
    scoredRows: n - r.scoreFrom,
    score: {
      total: r.score.total,
      components: r.score.components,
      weights: r.score.weights,
      formula: r.score.formula,
    },
    fused: { metrics: metricsReport(r.fused.metrics), leaderShare: r.fused.leaderShare },
    predictors: r.predictors.map((p) => ({
      name: p.name,
      fused: p.fused,
      details: p.details,
      metrics: metricsReport(p.metrics),
      meanWeight: p.meanWeight,
    })),
    bestSingle: { name: r.bestSingle.name, nrmse: finite(r.bestSingle.nrmse) },
    fusedVsBest: finite(r.fusedVsBest),
    baselines: r.baselines.map((b) => ({
      baseline: b.baseline,
      rmseSkill: finite(b.rmseSkill),
      maeSkill: finite(b.maeSkill),
    })),
    events: r.events,
    labels: meta.labels ? { file: meta.labels.file, windows: meta.labels.windows.map(([a, b]) => [a, b]) } : null,
    series: {
      stride,
      row: rows,
      time: pick(meta.time),
      value: pick(meta.values),
      forecast: pick(r.series.forecast),
      lower: pick(r.series.lower),
      upper: pick(r.series.upper),
      covered: rows.map((t) => (r.series.covered[t] === 255 ? null : (r.series.covered[t] as 0 | 1))),
      predictions: Object.fromEntries(r.predictors.map((p, i) => [p.name, pick(r.series.predictions[i])])),
      weights: Object.fromEntries(fusedNames.map((name, i) => [name, pick(r.series.weights[i])])),
      anomalyScore: r.series.anomalyScore ? pick(r.series.anomalyScore) : null,
    },
    seconds: meta.seconds,
  };
}
