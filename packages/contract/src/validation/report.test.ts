import { describe, expect, it } from "vitest";
import { StatusRecordSchema } from "../mqtt";
import { StreamValidationSchema, ValidationReportSchema } from "./report";

const metrics = {
  count: 3,
  rmse: 1,
  nrmse: 0.5,
  mae: 0.8,
  mase: 0.6,
  smape: 4,
  bias: 0,
  coverage: 0.9,
  meanWidth: 3,
  winkler: 4,
};

const report = {
  kind: "nqp-validation-report",
  version: 1,
  generatedBy: "nqp 0.1.0",
  input: { file: "in.csv", rows: 4, exogenous: [], firstTime: 0, lastTime: 180_000 },
  settings: {
    horizon: 1,
    coverage: 0.9,
    warmup: 1,
    seed: 1,
    units: 100,
    fusion: "stacked",
    guardHalfLife: 2000,
    predictors: ["esn", "ets"],
  },
  scoreFrom: 1,
  scoredRows: 3,
  score: {
    total: 80,
    components: { accuracy: 0.7, calibration: 1, sharpness: 0.6, skill: 0.9, events: null },
    weights: { accuracy: 0.35, calibration: 0.25, sharpness: 0.2, skill: 0.2, events: 0 },
    formula: "…",
  },
  fused: { metrics, leaderShare: 0 },
  predictors: [
    {
      name: "esn",
      fused: true,
      details: { units: 100 },
      metrics: { ...metrics, coverage: null, meanWidth: null, winkler: null },
      meanWeight: 0.6,
    },
    {
      name: "ets",
      fused: true,
      details: {},
      metrics: { ...metrics, coverage: null, meanWidth: null, winkler: null },
      meanWeight: 0.4,
    },
    {
      name: "naive",
      fused: false,
      details: { period: 1 },
      metrics: { ...metrics, coverage: null, meanWidth: null, winkler: null },
      meanWeight: 0,
    },
  ],
  bestSingle: { name: "esn", nrmse: 0.55 },
  fusedVsBest: 0.91,
  baselines: [
    { baseline: "naive", rmseSkill: 0.3, maeSkill: 0.2 },
    { baseline: "ets", rmseSkill: 0.1, maeSkill: null },
  ],
  events: null,
  labels: null,
  series: {
    stride: 1,
    row: [0, 1, 2, 3],
    time: [0, 60_000, 120_000, 180_000],
    value: [1, 2, 3, 4],
    forecast: [null, 2.1, 2.9, 4.2],
    lower: [null, 1, 2, 3],
    upper: [null, 3, 4, 5],
    covered: [null, 1, 1, 1],
    predictions: { esn: [null, 2, 3, 4], ets: [null, 2.2, 2.8, 4.4], naive: [null, 1, 2, 3] },
    weights: { esn: [0, 0.5, 0.6, 0.6], ets: [0, 0.5, 0.4, 0.4] },
    anomalyScore: null,
  },
  seconds: 0.5,
};

describe("validation report contract", () => {
  it("accepts a report and rejects one of another kind, version or with a broken field", () => {
    expect(ValidationReportSchema.parse(report).score.total).toBe(80);
    expect(() => ValidationReportSchema.parse({ ...report, kind: "other" })).toThrow();
    expect(() => ValidationReportSchema.parse({ ...report, version: 2 })).toThrow();
    expect(() =>
      ValidationReportSchema.parse({ ...report, settings: { ...report.settings, coverage: 1.5 } }),
    ).toThrow();
    expect(() =>
      ValidationReportSchema.parse({ ...report, series: { ...report.series, covered: [null, 2, 1, 1] } }),
    ).toThrow();
  });

  it("carries per-stream validation in agent status records, optionally", () => {
    const status = {
      seq: 7,
      ts: 1,
      version: "0.1.0",
      backend: "ts",
      streams: 1,
      acceptedTotal: 10,
      rejectedTotal: 0,
      rejects: {},
      outboxDepth: 0,
      ackedSeq: 6,
      uptimeSeconds: 1,
      rssBytes: 1,
      configVersion: 0,
      auditHead: null,
    };
    expect(StatusRecordSchema.parse(status).validation).toBeUndefined();
    const validation = { "plant/a": { ...metrics, nominal: 0.9, score: 71.5 } };
    expect(StatusRecordSchema.parse({ ...status, validation }).validation).toEqual(validation);
    expect(() => StreamValidationSchema.parse({ ...metrics, nominal: 1, score: null })).toThrow();
  });
});
