import { describe, expect, it } from "vitest";
import { mackeyGlass } from "../datasets";
import { createRng } from "../random";
import { createPredictor } from "./create";
import { createEsnPredictor } from "./esn-predictor";
import { createEts, type EtsParams, type EtsState, fitEts, forecastEts, stepEts } from "./ets";
import { createLifPredictor } from "./lif-predictor";
import { createPrecomputedPredictor } from "./precomputed";
import { detectSeason } from "./season";
import { createSeasonalNaive } from "./seasonal-naive";
import type { Predictor } from "./types";

/** Runs a predictor over a series: out[t + h] = the forecast made at row t. */
function forecasts(p: Predictor, values: ArrayLike<number>, exog?: Float64Array[]): Float64Array {
  const out = new Float64Array(values.length).fill(Number.NaN);
  for (let t = 0; t < values.length; t++) {
    const f = p.step(
      values[t],
      exog?.map((x) => x[t]),
    );
    if (t + p.horizon < values.length) out[t + p.horizon] = f;
  }
  return out;
}

function nrmse(values: ArrayLike<number>, f: ArrayLike<number>, from: number): number {
  let se = 0;
  let m = 0;
  let c = 0;
  for (let t = from; t < values.length; t++) {
    m += values[t];
    c++;
  }
  m /= c;
  let v = 0;
  for (let t = from; t < values.length; t++) {
    se += (values[t] - f[t]) ** 2;
    v += (values[t] - m) ** 2;
  }
  return Math.sqrt(se / v);
}

const seasonal = (n: number, period: number, seed: number) => {
  const rng = createRng(seed);
  return Float64Array.from({ length: n }, (_, t) => 10 + 3 * Math.sin((2 * Math.PI * t) / period) + 0.3 * rng.normal());
};

describe("season detection", () => {
  it("finds the period of a noisy seasonal series and prefers persistence where there is none", () => {
    expect(detectSeason(seasonal(2000, 24, 1))).toBe(24);
    expect(detectSeason(seasonal(3000, 96, 2))).toBe(96);
    // Long seasons are searched coarse to fine (block means first): a 700-row pattern of steps in 8 192 rows.
    const rng = createRng(6);
    const pattern = Float64Array.from({ length: 700 }, (_, t) => Math.floor(t / 50) % 3);
    const weekly = Float64Array.from({ length: 8192 }, (_, t) => pattern[t % 700] + 0.1 * rng.normal());
    expect(detectSeason(weekly)).toBe(700);
    // Mackey–Glass is quasi-periodic (~50 steps), but one step ahead persistence is far better than that "season".
    expect(detectSeason(mackeyGlass({ n: 1000 }))).toBe(1);
    const walkRng = createRng(9);
    let x = 0;
    const walk = Float64Array.from({ length: 3000 }, () => (x += walkRng.normal()));
    expect(detectSeason(walk)).toBe(1);
    expect(detectSeason(new Float64Array(500).fill(3))).toBe(1);
  });
});

describe("seasonal-naive", () => {
  it("forecasts the value one season back from the target, never a future one", () => {
    const values = seasonal(1000, 24, 3);
    for (const h of [1, 5, 30]) {
      const f = forecasts(createSeasonalNaive({ horizon: h, warmup: 200 }), values);
      const back = 24 * Math.ceil(h / 24);
      for (let t = 200 + h; t < 1000; t++) expect(f[t]).toBe(values[t - back]);
    }
  });
  it("is persistence with period 1", () => {
    const values = mackeyGlass({ n: 400 });
    const f = forecasts(createSeasonalNaive({ horizon: 3, period: 1, warmup: 50 }), values);
    for (let t = 53; t < 400; t++) expect(f[t]).toBe(values[t - 3]);
  });
});

describe("exponential smoothing (ETS A,Ad,A)", () => {
  it("follows the error-correction equations step by step", () => {
    const p: EtsParams = { alpha: 0.3, beta: 0.1, gamma: 0.2, phi: 0.9, period: 2 };
    const s: EtsState = { level: 10, trend: 1, season: Float64Array.from([0.5, -0.5]), rows: 0 };
    // Row 0 (season slot 0): predicted 10 + 0.9 + 0.5 = 11.4; y = 12 → e = 0.6.
    expect(stepEts(p, s, 12)).toBeCloseTo(0.6, 12);
    expect(s.level).toBeCloseTo(10 + 0.9 + 0.3 * 0.6, 12);
    expect(s.trend).toBeCloseTo(0.9 + 0.1 * 0.6, 12);
    expect(s.season[0]).toBeCloseTo(0.5 + 0.2 * 0.6, 12);
    // Two steps ahead from row 0 lands on row 2, season slot 0: ℓ + (φ + φ²)·b + s₀.
    expect(forecastEts(p, s, 2)).toBeCloseTo(s.level + (0.9 + 0.81) * s.trend + s.season[0], 12);
  });
  it("fits a trend-plus-season series far better than persistence", () => {
    const rng = createRng(4);
    const values = Float64Array.from(
      { length: 1500 },
      (_, t) => 0.01 * t + 2 * Math.sin((2 * Math.PI * t) / 12) + 0.2 * rng.normal(),
    );
    const fit = fitEts(values.subarray(0, 600), 12);
    expect(fit.params.period).toBe(12);
    const f = forecasts(createEts({ warmup: 600 }), values);
    const naive = forecasts(createSeasonalNaive({ warmup: 600, period: 1 }), values);
    expect(nrmse(values, f, 700)).toBeLessThan(0.5 * nrmse(values, naive, 700));
  });
});

describe("reservoir predictors", () => {
  const mg = mackeyGlass({ n: 3000 });
  it("forecast Mackey–Glass one step ahead closely (echo-state and LIF)", () => {
    const esn = nrmse(mg, forecasts(createEsnPredictor({ warmup: 500 }), mg), 600);
    const lif = nrmse(mg, forecasts(createLifPredictor({ warmup: 500 }), mg), 600);
    const persistence = nrmse(mg, forecasts(createSeasonalNaive({ warmup: 500, period: 1 }), mg), 600);
    expect(esn).toBeLessThan(0.02);
    expect(lif).toBeLessThan(0.05);
    expect(esn).toBeLessThan(persistence / 10);
    expect(lif).toBeLessThan(persistence / 4);
  });
  it("never look ahead: a changed future leaves earlier forecasts untouched", () => {
    for (const make of [
      () => createEsnPredictor({ warmup: 300, horizon: 4 }),
      () => createLifPredictor({ warmup: 300, horizon: 4 }),
      () => createEts({ warmup: 300, horizon: 4 }),
      () => createSeasonalNaive({ warmup: 300, horizon: 4 }),
    ]) {
      const a = mg.slice(0, 1200);
      const b = a.slice();
      for (let t = 900; t < 1200; t++) b[t] += 5;
      const fa = forecasts(make(), a);
      const fb = forecasts(make(), b);
      // Row t's forecast is made at row t − 4 ≤ 899 for t ≤ 903.
      for (let t = 0; t <= 903; t++) expect(Object.is(fa[t], fb[t])).toBe(true);
      expect(fa[1000]).not.toBe(fb[1000]);
    }
  });
  it("use exogenous inputs when the target depends on them", () => {
    const rng = createRng(5);
    const u = Float64Array.from({ length: 2000 }, () => rng.next());
    // y(t + 1) = 2·u(t): only the input explains the target.
    const y = Float64Array.from({ length: 2000 }, (_, t) => (t > 0 ? 2 * u[t - 1] : 0));
    const f = forecasts(createEsnPredictor({ warmup: 400, exogenous: 1 }), y, [u]);
    const without = forecasts(createEsnPredictor({ warmup: 400 }), y);
    expect(nrmse(y, f, 500)).toBeLessThan(0.05);
    expect(nrmse(y, without, 500)).toBeGreaterThan(0.8);
  });
  it("hold through missing values and restart around a huge level shift", () => {
    const values = mg.slice(0, 2000);
    values[700] = Number.NaN;
    for (let t = 1200; t < 2000; t++) values[t] += 1e6;
    const p = createEsnPredictor({ warmup: 300 });
    const f = forecasts(p, values);
    expect(f.subarray(301).every((x) => Number.isFinite(x))).toBe(true);
    expect(p.describe().rebases).toBe(1);
    // Back to a sensible forecast after the restart.
    expect(Math.abs(f[1999] - values[1999])).toBeLessThan(0.5);
  });
});

describe("predictors by name and precomputed forecasts", () => {
  it("builds every kind and rejects unknown names", () => {
    for (const kind of ["esn", "lif", "naive", "ets"] as const)
      expect(createPredictor(kind, { horizon: 2, warmup: 100 }).name).toBe(kind);
    expect(() => createPredictor("arima" as "esn")).toThrow(/unknown predictor 'arima'/);
  });
  it("replays a host's forecasts in order", () => {
    const p = createPrecomputedPredictor("onnx:m.onnx", Float64Array.from([Number.NaN, 2, 3]), 1, { window: 2 });
    expect([p.step(0), p.step(0), p.step(0), p.step(0)]).toEqual([Number.NaN, 2, 3, Number.NaN]);
    expect(p.describe()).toEqual({ window: 2 });
  });
});
