import { describe, expect, it } from "vitest";
import { createRng } from "../random";
import {
  createDeltaState,
  decodeDelta,
  decodeLatency,
  decodePopulation,
  decodeRate,
  encodeLatency,
  encodePopulation,
  encodeRateBernoulli,
  encodeRatePoisson,
  latencySpikeTrain,
  stepDelta,
} from ".";

describe("rate coding", () => {
  it("decodes a Bernoulli train to its value within the binomial error", () => {
    const p = { min: -2, max: 2 };
    const rng = createRng(1);
    for (const v of [-2, -0.7, 0, 1.3, 2]) {
      const decoded = decodeRate(p, encodeRateBernoulli(p, v, 20_000, rng));
      // 4 standard errors of a binomial mean over 20 000 steps, mapped onto the 4-wide range.
      expect(Math.abs(decoded - v)).toBeLessThan(4 * 4 * Math.sqrt(0.25 / 20_000));
    }
  });

  it("decodes Poisson counts to their value and clamps values outside the range", () => {
    const p = { min: 0, max: 10, maxProbability: 3 };
    const rng = createRng(2);
    expect(decodeRate(p, encodeRatePoisson(p, 4, 20_000, rng))).toBeCloseTo(4, 1);
    const unit = { min: 0, max: 1 };
    expect(decodeRate(unit, encodeRateBernoulli(unit, 5, 100, rng))).toBe(1);
  });
});

describe("latency coding", () => {
  it("fires stronger values earlier and decodes within half a step", () => {
    const p = { min: 0, max: 1, window: 21 };
    expect(encodeLatency(p, 1)).toBe(0);
    expect(encodeLatency(p, 0)).toBe(20);
    expect(encodeLatency(p, 0.9)).toBeLessThan(encodeLatency(p, 0.2));
    for (let v = 0; v <= 1; v += 0.037)
      expect(Math.abs(decodeLatency(p, encodeLatency(p, v)) - v)).toBeLessThanOrEqual(0.025 + 1e-12);
    const train = latencySpikeTrain(p, 0.5);
    expect(train.reduce((a, b) => a + b, 0)).toBe(1);
    expect(train[10]).toBe(1);
  });
});

describe("send-on-delta coding", () => {
  it("reconstructs the signal to within one threshold at every step", () => {
    const p = { threshold: 0.05 };
    const rng = createRng(3);
    const xs = Array.from({ length: 2000 }, (_, t) => Math.sin(t / 30) + 0.01 * rng.normal() + (t > 1000 ? 2 : 0));
    let state = createDeltaState(xs[0]);
    const spikes: number[] = [];
    for (const x of xs) {
      const r = stepDelta(p, state, x);
      state = r.state;
      spikes.push(r.spikes);
    }
    const rebuilt = decodeDelta(p, xs[0], spikes);
    for (let t = 0; t < xs.length; t++) expect(Math.abs(rebuilt[t] - xs[t])).toBeLessThan(p.threshold);
    // The level shift at t = 1000 is one burst of ON spikes, not a slow ramp.
    expect(spikes[1001]).toBeGreaterThanOrEqual(35);
    // Quiet signals send few spikes: far fewer than samples.
    expect(spikes.filter((s) => s !== 0).length).toBeLessThan(xs.length / 2);
  });
});

describe("population coding", () => {
  it("decodes Gaussian receptive-field activations back to the value", () => {
    const p = { min: -1, max: 1, size: 12, width: 0.8 };
    for (let v = -1.2; v <= 1.2; v += 0.013) expect(decodePopulation(p, encodePopulation(p, v))).toBeCloseTo(v, 9);
  });

  it("peaks at the neuron whose centre is nearest", () => {
    const p = { min: 0, max: 9, size: 12 };
    const a = encodePopulation(p, 4);
    // Centres are -1, 0, 1, …, 10: value 4 sits on neuron 5.
    expect(a.indexOf(Math.max(...a))).toBe(5);
    expect(a[5]).toBe(1);
  });
});
