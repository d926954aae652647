import { describe, expect, it } from "vitest";
import { encodePopulation } from "../encode";
import { createRng } from "../random";
import { accumulateSample, createGram, predictReadout, solveRidge } from "../readout";
import { advanceLif, createLif, createLifState } from ".";

describe("encoder → LIF reservoir → ridge readout", () => {
  it("forecasts a signal from population-coded spike trains far better than its mean", () => {
    // The value is population-coded (12 Gaussian receptive fields); each sample is presented for 10 LIF steps, in
    // which every activation drives a Bernoulli spike per step; the spikes drive a 150-unit LIF reservoir and a ridge
    // readout on the spike traces predicts the next value. (With one step per sample a neuron fires too rarely for
    // its trace to carry the value: several steps per sample is the usual liquid-state-machine setting.)
    const rng = createRng(1);
    const population = { min: -1.2, max: 1.2, size: 12, width: 0.8 };
    const lif = createLif({
      units: 150,
      inputs: 12,
      seed: 2,
      membraneTau: 5,
      traceTau: 10,
      inputScaling: 0.5,
      biasScaling: 0.9,
    });
    const n = 3000;
    const signal = Array.from({ length: n + 1 }, (_, t) => Math.sin(t / 8) * Math.cos(t / 23));
    let previous = new Uint8Array(150);
    const state = createLifState(150);
    const activations = new Float64Array(12);
    const spikes = new Float64Array(12);
    const features: Float64Array[] = [];
    for (let t = 0; t < n; t++) {
      encodePopulation(population, signal[t], activations);
      for (let step = 0; step < 10; step++) {
        for (let k = 0; k < 12; k++) spikes[k] = rng.next() < activations[k] ? 1 : 0;
        advanceLif(lif, previous, spikes, state);
        previous = state.spikes.slice();
      }
      features.push(state.trace.slice());
    }
    const train = createGram(150);
    for (let t = 100; t < 2000; t++) accumulateSample(train, features[t], [signal[t + 1]]);
    const readout = solveRidge(train, { ridge: 1e-2 });
    let se = 0;
    let variance = 0;
    for (let t = 2000; t < n; t++) {
      se += (signal[t + 1] - predictReadout(readout, features[t])[0]) ** 2;
      variance += signal[t + 1] ** 2;
    }
    const firing = state.trace.reduce((a, b) => a + b, 0) / 150;
    expect(firing).toBeGreaterThan(0.01);
    expect(Math.sqrt(se / variance)).toBeLessThan(0.35);
  });
});
