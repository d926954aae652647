import { describe, expect, it } from "vitest";
import { mackeyGlass } from "../datasets";
import { createRng } from "../random";
import { runBacktest } from "./backtest";
import { createMetricsAccumulator } from "./metrics";
import { validationScore } from "./score";
import { createStreamValidator } from "./stream-validation";

describe("metrics", () => {
  it("match hand-computed values", () => {
    const m = createMetricsAccumulator(0.8);
    // Row 0 has no forecast but sets the naive scale's first difference.
    const rows: [number, number, number, number][] = [
      [10, Number.NaN, Number.NaN, Number.NaN],
      [12, 11, 10, 13],
      [9, 10, 9.5, 10.5],
      [0, 0, -1, 1],
    ];
    for (const [y, f, l, u] of rows) m.add(y, f, l, u);
    const r = m.result();
    // errors 1, −1, 0
    expect(r.count).toBe(3);
    expect(r.rmse).toBeCloseTo(Math.sqrt(2 / 3), 12);
    expect(r.mae).toBeCloseTo(2 / 3, 12);
    expect(r.bias).toBeCloseTo(0, 12);
    // Naive one-step differences over every row: |12−10|, |9−12|, |0−9| → mean 14/3.
    expect(r.mase).toBeCloseTo(2 / 3 / (14 / 3), 12);
    // sMAPE: 2·1/23, 2·1/19, and 0/0 counted as 0.
    expect(r.smape).toBeCloseTo((100 * (2 / 23 + 2 / 19)) / 3, 12);
    // Std of the scored values 12, 9, 0.
    const mean = 7;
    const sd = Math.sqrt(((12 - mean) ** 2 + (9 - mean) ** 2 + (0 - mean) ** 2) / 3);
    expect(r.nrmse).toBeCloseTo(Math.sqrt(2 / 3) / sd, 12);
    // Intervals: covered, missed by 0.5 below, covered → coverage 2/3; widths 3, 1, 2.
    expect(r.coverage).toBeCloseTo(2 / 3, 12);
    expect(r.meanWidth).toBeCloseTo(2, 12);
    // Winkler (α = 0.2): 3 + 0, 1 + (2/0.2)·0.5, 2 + 0.
    expect(r.winkler).toBeCloseTo((3 + 6 + 2) / 3, 12);
  });

  it("count an excluded edge as a miss when told the interval did not cover", () => {
    const m = createMetricsAccumulator(0.9);
    m.add(5, 5, 5, 5, false);
    m.add(5, 5, 5, 5, true);
    expect(m.result().coverage).toBe(0.5);
    expect(m.result().winkler).toBe(0);
  });
});

describe("the composite score", () => {
  const metrics = {
    count: 100,
    rmse: 1,
    nrmse: 0.5,
    mae: 0.8,
    mase: 0.6,
    smape: 10,
    bias: 0,
    coverage: 0.88,
    meanWidth: 3,
    winkler: 4,
    nominal: 0.9,
  };
  it("follows its documented formula", () => {
    const s = validationScore(metrics, 0.9, [2, 4]);
    const accuracy = (1 / 1.6 + 1 / 1.5 + 0.95) / 3;
    const calibration = 1 - 0.02 / 0.1;
    // σ = RMSE / NRMSE = 2 → Winkler / 4σ = 0.5.
    const sharpness = 1 / 1.5;
    const skill = 1.5 - 1 / 2;
    expect(s.components.accuracy).toBeCloseTo(accuracy, 12);
    expect(s.components.calibration).toBeCloseTo(calibration, 12);
    expect(s.components.sharpness).toBeCloseTo(sharpness, 12);
    expect(s.components.skill).toBeCloseTo(skill, 12);
    expect(s.total).toBeCloseTo(
      Math.round(1000 * (0.35 * accuracy + 0.25 * calibration + 0.2 * sharpness + 0.2 * skill)) / 10,
      9,
    );
    const labelled = validationScore(metrics, 0.9, [2, 4], 60);
    expect(labelled.components.events).toBe(0.6);
    expect(labelled.total).toBeCloseTo(Math.round(1000 * (0.8 * (s.total / 100) + 0.2 * 0.6)) / 10, 0);
    expect(labelled.weights.events).toBe(0.2);
  });
  it("is 100 for a perfect forecast with calibrated zero-width intervals", () => {
    const perfect = { ...metrics, rmse: 0, nrmse: 0, mae: 0, mase: 0, smape: 0, coverage: 0.9, winkler: 0 };
    expect(validationScore(perfect, 0.9, [1]).total).toBe(100);
  });
});

describe("online stream validation", () => {
  it("scores against persistence h samples back", () => {
    const v = createStreamValidator({ horizon: 2, coverage: 0.9 });
    const ys = [1, 2, 3, 4, 5, 6];
    for (const [t, y] of ys.entries()) v.add(y, t >= 2 ? y + 0.5 : Number.NaN, y - 1, y + 1);
    const r = v.result();
    expect(r.count).toBe(4);
    expect(r.rmse).toBeCloseTo(0.5, 12);
    expect(r.coverage).toBe(1);
    // Persistence two back misses by 2 each time: skill = clamp(1.5 − 0.5/2, 0, 1).
    expect(r.components?.skill).toBe(1);
    expect(createStreamValidator().result().score).toBeNull();
  });
});

describe("walk-forward backtest", () => {
  const n = 3000;
  const rng = createRng(3);
  const values = Float64Array.from(
    { length: n },
    (_, t) => 20 + 5 * Math.sin((2 * Math.PI * t) / 48) + 0.002 * t + 0.3 * rng.normal(),
  );

  it("scores every predictor and the fusion on the same rows, with baselines and calibrated intervals", () => {
    const r = runBacktest({ values }, { warmup: 400 });
    expect(r.scoreFrom).toBe(400);
    expect(r.predictors.map((p) => [p.name, p.fused])).toEqual([
      ["esn", true],
      ["lif", true],
      ["naive", true],
      ["ets", true],
    ]);
    for (const p of r.predictors) expect(p.metrics.count).toBe(n - r.scoreFrom);
    expect(r.fused.metrics.count).toBe(n - r.scoreFrom);
    expect(Math.abs((r.fused.metrics.coverage as number) - 0.9)).toBeLessThan(0.03);
    expect(r.fusedVsBest).toBeLessThan(1.02);
    expect(r.baselines.map((b) => b.baseline)).toEqual(["naive", "ets"]);
    expect(r.score.total).toBeGreaterThan(50);
    expect(r.score.total).toBeLessThanOrEqual(100);
    expect(r.events).toBeNull();
    // The per-row weights of the fused predictors sum to one on every scored row.
    for (let t = r.scoreFrom; t < n; t += 97) {
      const sum = r.series.weights.reduce((s, w) => s + w[t], 0);
      expect(sum).toBeCloseTo(1, 9);
    }
    expect(r.predictors.find((p) => p.name === "naive")?.details.period).toBe(48);
  });

  it("runs the baselines in the shadow when they are not fused, and scores labelled events", () => {
    const spiky = values.slice();
    for (let t = 2400; t < 2410; t++) spiky[t] += 40;
    const time = Float64Array.from({ length: n }, (_, t) => 1_600_000_000_000 + 60_000 * t);
    const r = runBacktest(
      { values: spiky, time },
      { predictors: ["esn"], warmup: 400, labels: [[time[2380], time[2430]]] },
    );
    expect(r.predictors.map((p) => [p.name, p.fused])).toEqual([
      ["esn", true],
      ["naive", false],
      ["ets", false],
    ]);
    expect(r.predictors[1].meanWeight).toBe(0);
    expect(r.events?.map((e) => e.detector)).toEqual(["discord likelihood (nqp detect)", "fused-forecast likelihood"]);
    for (const e of r.events ?? []) {
      expect(e.windows).toBe(1);
      expect(e.windowsDetected).toBe(1);
      expect(e.profiles.standard).toBeGreaterThan(50);
    }
    expect(r.score.components.events).toBeCloseTo((r.events?.[0].profiles.standard as number) / 100, 12);
  });

  it("rejects too short a series and a predictor listed twice", () => {
    expect(() => runBacktest({ values: values.subarray(0, 240) })).toThrow(/too few to validate/);
    expect(() => runBacktest({ values }, { predictors: ["ets", "ets"] })).toThrow(/listed twice/);
  });

  it("is deterministic under a seed", () => {
    const mg = mackeyGlass({ n: 1500 });
    const a = runBacktest({ values: mg }, { warmup: 300, seed: 4 });
    const b = runBacktest({ values: mg }, { warmup: 300, seed: 4 });
    expect(Array.from(a.series.upper)).toEqual(Array.from(b.series.upper));
    expect(a.score).toEqual(b.score);
  });
});
