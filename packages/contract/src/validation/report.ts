import { z } from "zod";

/**
 * The validation report: what `nqp validate --report OUT.json` writes (and embeds in OUT.html), and what the desktop
 * renders. Numbers that are undefined for a series (NRMSE of a flat line, a forecast before the warm-up ends) are
 * null. Times are epoch milliseconds. See docs/validation.md for how every figure is computed.
 */
export const VALIDATION_REPORT_KIND = "nqp-validation-report";
export const VALIDATION_REPORT_VERSION = 1;

const num = z.number().nullable();

/** Accuracy and interval metrics of one forecast over the scored rows (core: validate/metrics.ts). */
export const ValidationMetricsSchema = z.object({
  count: z.number().int().min(0),
  rmse: num,
  /** RMSE / standard deviation of the values scored. */
  nrmse: num,
  mae: num,
  /** MAE / mean |y(t) − y(t−1)| over every row seen (< 1 beats the one-step naive forecast). */
  mase: num,
  /** Symmetric MAPE in percent, 0 … 200. */
  smape: num,
  /** Mean of value − forecast. */
  bias: num,
  /** Interval metrics; null for forecasts without intervals. */
  coverage: num,
  meanWidth: num,
  /** Winkler interval score: width + (2/α)·distance outside. */
  winkler: num,
});
export type ValidationMetricsReport = z.infer<typeof ValidationMetricsSchema>;

export const ValidationScoreSchema = z.object({
  /** 0 … 100. */
  total: z.number(),
  components: z.object({
    accuracy: z.number(),
    calibration: z.number(),
    sharpness: z.number(),
    skill: z.number(),
    events: num,
  }),
  weights: z.object({
    accuracy: z.number(),
    calibration: z.number(),
    sharpness: z.number(),
    skill: z.number(),
    events: z.number(),
  }),
  formula: z.string(),
});

export const EventScoresSchema = z.object({
  detector: z.string(),
  threshold: z.number(),
  /** NAB-normalised scores (0 = never fires, 100 = perfect); null where the series has no scorable window. */
  profiles: z.object({ standard: num, reward_low_FP_rate: num, reward_low_FN_rate: num }),
  windows: z.number().int().min(0),
  windowsDetected: z.number().int().min(0),
  truePositives: z.number().int().min(0),
  falsePositives: z.number().int().min(0),
});

const column = z.array(num);

export const ValidationReportSchema = z.object({
  kind: z.literal(VALIDATION_REPORT_KIND),
  version: z.literal(VALIDATION_REPORT_VERSION),
  generatedBy: z.string(),
  input: z.object({
    file: z.string(),
    rows: z.number().int().positive(),
    /** Exogenous input columns used. */
    exogenous: z.array(z.string()),
    firstTime: num,
    lastTime: num,
  }),
  settings: z.object({
    horizon: z.number().int().positive(),
    /** Nominal interval coverage. */
    coverage: z.number().gt(0).lt(1),
    warmup: z.number().int().min(0),
    seed: z.number().int(),
    units: z.number().int().positive(),
    fusion: z.enum(["stacked", "inverse-loss", "equal"]),
    /** Half-life of the follow-the-leader safeguard in rows; null when it is off. */
    guardHalfLife: num,
    predictors: z.array(z.string()).min(1),
  }),
  /** First scored row (0-based) and how many rows were scored. */
  scoreFrom: z.number().int().min(0),
  scoredRows: z.number().int().min(0),
  score: ValidationScoreSchema,
  fused: z.object({
    metrics: ValidationMetricsSchema,
    /** Share of scored rows on which the safeguard followed a single predictor. */
    leaderShare: z.number().min(0).max(1),
  }),
  predictors: z.array(
    z.object({
      name: z.string(),
      /** False for a baseline run only for comparison. */
      fused: z.boolean(),
      details: z.record(z.string(), z.unknown()),
      metrics: ValidationMetricsSchema,
      meanWeight: z.number(),
    }),
  ),
  bestSingle: z.object({ name: z.string(), nrmse: num }),
  /** NRMSE of the fusion / NRMSE of the best single predictor. */
  fusedVsBest: num,
  baselines: z.array(z.object({ baseline: z.string(), rmseSkill: num, maeSkill: num })),
  /** NAB-style event scores when labels were given: nqp detect's detector first, then the fused forecast's. */
  events: z.array(EventScoresSchema).nullable(),
  labels: z.object({ file: z.string(), windows: z.array(z.tuple([z.number(), z.number()])) }).nullable(),
  /**
   * Per-row data behind the plots: every `stride`-th row from the first (stride 1: all rows). `covered` is 1 where
   * the value fell inside its interval, 0 where it did not, null where the row had no interval.
   */
  series: z.object({
    stride: z.number().int().positive(),
    row: z.array(z.number().int().min(0)),
    time: column,
    value: column,
    forecast: column,
    lower: column,
    upper: column,
    covered: z.array(z.union([z.literal(0), z.literal(1), z.null()])),
    predictions: z.record(z.string(), column),
    weights: z.record(z.string(), column),
    anomalyScore: column.nullable(),
  }),
  seconds: z.number().min(0),
});
export type ValidationReport = z.infer<typeof ValidationReportSchema>;

/**
 * What an edge agent reports per stream in its status records: the same metrics computed online over the stream
 * pipeline's forecasts since the agent process started, the nominal coverage of its intervals, and the composite
 * score (core: validate/score.ts) with persistence as the skill baseline and no events component.
 */
export const StreamValidationSchema = ValidationMetricsSchema.extend({
  nominal: z.number().gt(0).lt(1),
  score: num,
});
export type StreamValidation = z.infer<typeof StreamValidationSchema>;
