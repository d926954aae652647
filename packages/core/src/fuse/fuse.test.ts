import { describe, expect, it } from "vitest";
import type { Predictor } from "../predict";
import { createRng } from "../random";
import { combinerWeights, createCombiner, updateCombiner } from "./combiner";
import { createFusion } from "./fusion";
import { createIntervalState, intervalCovers, issueInterval, updateInterval } from "./interval";

/** A predictor that forecasts row t + h as truth[t + h] + noise(t + h), from a table known to the test only. */
function oracle(name: string, truth: Float64Array, noise: (t: number) => number, horizon = 1): Predictor {
  let t = 0;
  return {
    name,
    horizon,
    step() {
      const target = t + horizon;
      t++;
      return target < truth.length ? truth[target] + noise(target) : Number.NaN;
    },
    describe: () => ({}),
  };
}

describe("combiner", () => {
  it("inverse-loss weights are proportional to 1 / mean squared error", () => {
    const s = createCombiner(3, { method: "inverse-loss", halfLife: 1e9, minCount: 1 });
    for (let t = 0; t < 100; t++) updateCombiner(s, [t % 2 ? 1 : -1, t % 2 ? 2 : -2, t % 2 ? 4 : -4]);
    const w = combinerWeights(s, [1, 1, 1]);
    // MSEs 1, 4, 16 → weights ∝ 1, 1/4, 1/16.
    expect(Array.from(w)).toEqual([16 / 21, 4 / 21, 1 / 21].map((x) => expect.closeTo(x, 12)));
  });

  it("stacked weights reach Bates–Granger's optimum for independent errors, sum to one, and stay ≥ 0", () => {
    const rng = createRng(1);
    const s = createCombiner(3, { method: "stacked", halfLife: 1e9, shrinkage: 1e-6 });
    for (let t = 0; t < 50_000; t++) {
      const a = rng.normal();
      // Independent errors with variances 1 and 4, and a third whose error is twice the first's (correlation 1).
      updateCombiner(s, [a, 2 * rng.normal(), 2 * a]);
    }
    const w = combinerWeights(s, [1, 1, 1]);
    // Optimum for variances 1 and 4: 4/5 and 1/5; the perfectly correlated, worse third adds nothing.
    expect(w[0]).toBeCloseTo(0.8, 1);
    expect(w[1]).toBeCloseTo(0.2, 1);
    expect(w[2]).toBe(0);
    expect(w[0] + w[1] + w[2]).toBeCloseTo(1, 12);
  });

  it("gives unavailable or unscored predictors no weight, and splits equally before anything is scored", () => {
    const s = createCombiner(3, { minCount: 5 });
    expect(Array.from(combinerWeights(s, [1, 0, 1]))).toEqual([0.5, 0, 0.5]);
    for (let t = 0; t < 5; t++) updateCombiner(s, [1, 1, Number.NaN]);
    const w = combinerWeights(s, [1, 1, 1]);
    expect(w[2]).toBe(0);
    expect(w[0] + w[1]).toBeCloseTo(1, 12);
    expect(Array.from(combinerWeights(s, [0, 1, 1]))).toEqual([0, 1, 0]);
  });
});

describe("adaptive conformal interval", () => {
  const run = (draw: (t: number) => number, steps: number, options = {}) => {
    const s = createIntervalState({ coverage: 0.9, ...options });
    const rng = createRng(7);
    let inside = 0;
    for (let t = 0; t < steps; t++) {
      const issued = issueInterval(s, rng);
      const r = draw(t);
      if (intervalCovers(issued, r)) inside++;
      updateInterval(s, r, issued);
    }
    return { coverage: inside / steps, state: s };
  };

  it("covers exchangeable residuals at the nominal rate", () => {
    const rng = createRng(2);
    expect(run(() => rng.normal() * 5, 20_000).coverage).toBeCloseTo(0.9, 2);
  });

  it("holds coverage through a tenfold jump in the noise and a shift in the residuals' mean", () => {
    const rng = createRng(3);
    const draw = (t: number) => (t < 5000 ? rng.normal() : 10 * rng.normal() + (t > 12_000 ? 20 : 0));
    expect(Math.abs(run(draw, 20_000).coverage - 0.9)).toBeLessThan(0.01);
  });

  it("keeps ACI's long-run guarantee on an adversarial sequence", () => {
    // Residuals alternate between tiny and huge runs, the worst case for a window quantile.
    const draw = (t: number) => (Math.floor(t / 37) % 3 === 0 ? 1000 : 0.001) * (t % 2 ? 1 : -1);
    const steps = 30_000;
    const gamma = 0.01;
    const { coverage, state } = run(draw, steps, { adaptRate: gamma });
    // Gibbs & Candès, Prop. 4.1: |miss rate − α| ≤ (max(α₁, 1 − α₁) + γ) / (γ·T).
    expect(Math.abs(1 - coverage - 0.1)).toBeLessThanOrEqual((0.9 + gamma) / (gamma * steps));
    expect(state.scored).toBe(steps - 1);
  });

  it("breaks ties at random so exact forecasts do not over-cover (and covers them all when told to)", () => {
    expect(run(() => 0, 20_000).coverage).toBeCloseTo(0.9, 2);
    expect(run(() => 0, 5_000, { ties: "closed" }).coverage).toBe(1);
    // Quantised residuals: −1, 0 or +1 only.
    const rng = createRng(4);
    expect(run(() => rng.int(3) - 1, 20_000).coverage).toBeCloseTo(0.9, 2);
  });
});

describe("fusion", () => {
  const n = 6000;
  const rng = createRng(5);
  const truth = Float64Array.from({ length: n }, (_, t) => Math.sin(t / 20) + 0.1 * rng.normal());
  const noiseA = Float64Array.from({ length: n }, () => 0.3 * rng.normal());
  const noiseB = Float64Array.from({ length: n }, () => 0.3 * rng.normal());

  const rmse = (f: Float64Array, from: number) => {
    let s = 0;
    for (let t = from; t < n; t++) s += (truth[t] - f[t]) ** 2;
    return Math.sqrt(s / (n - from));
  };
  const fuse = (predictors: Predictor[], options = {}) => {
    const fusion = createFusion(predictors, { horizon: 2, ...options });
    const forecast = new Float64Array(n);
    let inside = 0;
    let leader = Number.NaN;
    let weights: number[] = [];
    for (let t = 0; t < n; t++) {
      const row = fusion.step(truth[t]);
      forecast[t] = row.forecast;
      if (t >= 1000 && row.covered) inside++;
      if (t === n - 100) {
        leader = fusion.leader;
        weights = Array.from(fusion.currentWeights());
      }
    }
    return { forecast, coverage: inside / (n - 1000), leader, weights };
  };

  it("beats each of two equally good predictors with independent errors, with calibrated intervals", () => {
    const a = oracle("a", truth, (t) => noiseA[t], 2);
    const b = oracle("b", truth, (t) => noiseB[t], 2);
    const { forecast, coverage } = fuse([a, b]);
    const ea = rmse(
      Float64Array.from(truth, (x, t) => x + noiseA[t]),
      1000,
    );
    // Averaging two independent errors of equal size divides the error variance by two.
    expect(rmse(forecast, 1000)).toBeLessThan(0.75 * ea);
    expect(Math.abs(coverage - 0.9)).toBeLessThan(0.02);
  });

  it("fixes each forecast from the past only: a changed future leaves it untouched", () => {
    const make = () => [oracle("a", truth, (t) => noiseA[t], 2), oracle("b", truth, (t) => noiseB[t], 2)];
    const first = createFusion(make(), { horizon: 2 });
    const second = createFusion(make(), { horizon: 2 });
    for (let t = 0; t < 3000; t++) {
      const x = first.step(truth[t]);
      const y = second.step(t === 2999 ? 1e9 : truth[t]);
      // Row t's forecast and interval were issued at row t − 2, before row t's value was seen.
      expect([x.forecast, x.lower, x.upper]).toEqual([y.forecast, y.lower, y.upper]);
    }
  });

  it("follows the leader when a poor combination is worse than a single predictor", () => {
    const good = () => oracle("good", truth, (t) => 0.05 * noiseA[t], 2);
    const bad = () => oracle("bad", truth, (t) => 10 * noiseB[t], 2);
    const guarded = fuse([good(), bad()], { combiner: { method: "equal" } });
    const unguarded = fuse([good(), bad()], { combiner: { method: "equal" }, guard: false });
    expect(rmse(guarded.forecast, 2000)).toBeLessThan(0.05);
    expect(rmse(unguarded.forecast, 2000)).toBeGreaterThan(1);
    expect(guarded.leader).toBe(0);
    expect(guarded.weights).toEqual([1, 0]);
    expect(unguarded.leader).toBe(-1);
    expect(unguarded.weights).toEqual([0.5, 0.5]);
  });

  it("rejects predictors of another horizon", () => {
    expect(() => createFusion([oracle("a", truth, () => 0, 3)], { horizon: 2 })).toThrow(/forecasts 3 rows ahead/);
  });
});
