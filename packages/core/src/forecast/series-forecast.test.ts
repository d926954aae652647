import { describe, expect, it } from "vitest";
import { mackeyGlass } from "../datasets";
import { createRng } from "../random";
import { forecastSeries } from "./series-forecast";

const small = {
  units: 60,
  lags: 8,
  candidates: [{ spectralRadius: 0.9, leak: 0.5, inputScaling: 0.5, biasScaling: 0.2 }],
};

describe("forecastSeries", () => {
  it("forecasts Mackey-Glass far better than persistence and never looks ahead", () => {
    const v = mackeyGlass({ n: 2000 });
    const r = forecastSeries(v, [], { ...small, horizon: 3, quadraticLags: [0] });
    // Rows 0 … washout + h − 1 have no forecast; every later row has one.
    expect(Number.isNaN(r.forecast[r.chosen.washout + 2])).toBe(true);
    expect(Number.isNaN(r.forecast[r.chosen.washout + 3])).toBe(false);
    let persistence = 0;
    for (let i = r.trainRows; i < 2000; i++) persistence += (v[i] - v[i - 3]) ** 2;
    const persistenceRmse = Math.sqrt(persistence / (2000 - r.trainRows));
    expect(r.test.rmse).toBeLessThan(persistenceRmse / 20);
    // Causality: changing the future leaves every earlier forecast unchanged.
    const w = v.slice();
    for (let i = 1800; i < 2000; i++) w[i] += 5;
    const r2 = forecastSeries(w, [], { ...small, horizon: 3, quadraticLags: [0], trainFraction: 0.7 });
    for (let i = 0; i < 1803; i++) {
      if (Number.isNaN(r.forecast[i])) continue;
      expect(r2.forecast[i]).toBe(r.forecast[i]);
      expect(r2.lower[i]).toBe(r.lower[i]);
    }
  });

  it("covers noisy data at the nominal rate on the test rows", () => {
    const v = mackeyGlass({ n: 4000 });
    const rng = createRng(5);
    for (let i = 0; i < v.length; i++) v[i] += 0.05 * rng.normal();
    const r = forecastSeries(v, [], { ...small, coverage: 0.8, quadraticLags: [0] });
    expect(Math.abs(r.test.coverage - 0.8)).toBeLessThan(0.04);
    for (let i = r.trainRows; i < 4000; i++) expect(r.lower[i]).toBeLessThanOrEqual(r.forecast[i]);
  });

  it("uses exogenous inputs: a series driven by a lagged input is forecast from it", () => {
    const rng = createRng(6);
    const x = Float64Array.from({ length: 1500 }, () => rng.normal());
    const y = new Float64Array(1500);
    for (let t = 3; t < 1500; t++) y[t] = 0.5 * x[t - 1] * x[t - 3] + 0.01 * rng.normal();
    const without = forecastSeries(y, [], { ...small, quadraticLags: [0, 4] });
    const withExog = forecastSeries(y, [x], { ...small, quadraticLags: [0, 4], exogLags: 4 });
    expect(withExog.test.nrmse).toBeLessThan(0.1);
    expect(without.test.nrmse).toBeGreaterThan(0.8);
  });

  it("falls back towards persistence when the test rows leave the training regime (no wild extrapolation)", () => {
    const rng = createRng(7);
    // A daily-like pattern whose level jumps by 4 amplitudes in the test part, as in NAB's art_daily_jumpsup.
    const v = Float64Array.from(
      { length: 3000 },
      (_, t) => 50 + 20 * Math.sin(t / 20) + (t > 2400 ? 80 : 0) + rng.normal(),
    );
    const r = forecastSeries(v, [], { ...small, quadraticLags: [0] });
    let se = 0;
    let sePersist = 0;
    for (let i = r.trainRows; i < 3000; i++) {
      expect(Number.isFinite(r.forecast[i]) && Number.isFinite(r.lower[i]) && Number.isFinite(r.upper[i])).toBe(true);
      se += (v[i] - r.forecast[i]) ** 2;
      sePersist += (v[i] - v[i - 1]) ** 2;
    }
    expect(Math.sqrt(se)).toBeLessThan(1.1 * Math.sqrt(sePersist));
    expect(r.modelWeight).toBeLessThan(1);
  });

  it("forecasts series of tiny and huge magnitude alike, and a flat series exactly", () => {
    const base = mackeyGlass({ n: 1500 });
    const rel = (r: ReturnType<typeof forecastSeries>) => r.test.nrmse;
    const unit = forecastSeries(base, [], { ...small, quadraticLags: [0] });
    const tiny = forecastSeries(
      base.map((x) => x * 1e-13),
      [],
      { ...small, quadraticLags: [0] },
    );
    const huge = forecastSeries(
      base.map((x) => 1e9 + x * 1e3),
      [],
      { ...small, quadraticLags: [0] },
    );
    expect(rel(tiny)).toBeCloseTo(rel(unit), 6);
    expect(rel(huge)).toBeLessThan(2 * rel(unit));
    const flat = forecastSeries(new Float64Array(600).fill(3.25), [], { ...small, quadraticLags: [0] });
    for (let i = flat.trainRows; i < 600; i++) {
      expect(flat.forecast[i]).toBe(3.25);
      expect(flat.upper[i] - flat.lower[i]).toBe(0);
    }
  });
});
