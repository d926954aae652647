import type { SpikeJobResult } from "@nqp/contract/api";
import {
  advanceLif,
  createLif,
  createLifState,
  createRng,
  encodePopulation,
  NqpError,
  rateOf,
  stepDelta,
} from "@nqp/core";
import type { ParsedSpikeJob } from "./types";

/**
 * What the neuromorphic part of the engine sees for a window of a stream: the encoder's spike raster and the
 * activity of a spiking (LIF) reservoir driven by it, computed with core's encoders and reservoir.
 *
 * - delta: send-on-delta ON/OFF spikes of the stream normalised over the window (threshold in standard deviations;
 *   the stream pipeline's pattern detector uses 0.5, core/pipeline/spike-patterns.ts; finer shows more detail);
 * - population: Gaussian receptive fields over the window's range, each channel firing with its activation;
 * - rate: a population of identical rate neurons firing with probability proportional to the value.
 */
/** Units whose raster and trace are returned (the most active ones). */
const SHOWN_UNITS = 64;

export function analyseSpikes(spec: ParsedSpikeJob, onProgress: (fraction: number) => void): SpikeJobResult {
  const n = spec.value.length;
  if (n < 2)
    throw new NqpError("too-few-samples", "the window holds fewer than 2 samples: widen it or pick a stream with data");
  if (spec.ts.length !== n) throw new NqpError("bad-window", `${spec.ts.length} timestamps for ${n} values`);
  let mean = 0;
  let min = Number.POSITIVE_INFINITY;
  let max = Number.NEGATIVE_INFINITY;
  for (const v of spec.value) {
    mean += v;
    if (v < min) min = v;
    if (v > max) max = v;
  }
  mean /= n;
  let sd = 0;
  for (const v of spec.value) sd += (v - mean) ** 2;
  sd = Math.sqrt(sd / n) || 1;

  const rng = createRng(spec.seed);
  const channels = spec.encoder === "delta" ? 2 : spec.channels;
  const labels =
    spec.encoder === "delta"
      ? ["ON", "OFF"]
      : Array.from({ length: channels }, (_, c) => (spec.encoder === "population" ? `RF ${c + 1}` : `rate ${c + 1}`));
  const lif = createLif({ units: spec.units, inputs: channels, seed: spec.seed });
  const state = createLifState(spec.units);
  let previous = new Uint8Array(spec.units);
  const input = new Float64Array(channels);
  const activation = new Float64Array(channels);
  let delta = { reference: (spec.value[0] - mean) / sd };

  const inStep: number[] = [];
  const inChannel: number[] = [];
  const unitSpikes: Uint8Array[] = [];
  const traces: Float64Array[] = [];
  const populationRate: number[] = [];
  const fired = new Float64Array(spec.units);
  let inputSpikes = 0;
  for (let t = 0; t < n; t++) {
    input.fill(0);
    if (spec.encoder === "delta") {
      const step = stepDelta({ threshold: spec.deltaThreshold }, delta, (spec.value[t] - mean) / sd);
      delta = step.state;
      if (step.spikes !== 0) {
        const c = step.spikes > 0 ? 0 : 1;
        input[c] = Math.abs(step.spikes);
        inStep.push(t);
        inChannel.push(c);
        inputSpikes += Math.abs(step.spikes);
      }
    } else {
      if (spec.encoder === "population")
        encodePopulation({ min, max: max > min ? max : min + 1, size: channels }, spec.value[t], activation);
      else activation.fill(rateOf({ min, max: max > min ? max : min + 1 }, spec.value[t]));
      for (let c = 0; c < channels; c++)
        if (rng.next() < activation[c]) {
          input[c] = 1;
          inStep.push(t);
          inChannel.push(c);
          inputSpikes++;
        }
    }
    advanceLif(lif, previous, input, state);
    const spikes = state.spikes.slice();
    previous = spikes;
    let count = 0;
    for (let u = 0; u < spec.units; u++) {
      count += spikes[u];
      fired[u] += spikes[u];
    }
    unitSpikes.push(spikes);
    traces.push(state.trace.slice());
    populationRate.push(count / spec.units);
    if (t % 256 === 0) onProgress(t / n);
  }
  const order = Array.from({ length: spec.units }, (_, u) => u).sort((a, b) => fired[b] - fired[a] || a - b);
  const shown = order.slice(0, Math.min(SHOWN_UNITS, spec.units)).sort((a, b) => a - b);
  const resStep: number[] = [];
  const resUnit: number[] = [];
  const trace: number[] = [];
  let reservoirSpikes = 0;
  for (let t = 0; t < n; t++) {
    for (let k = 0; k < shown.length; k++) {
      if (unitSpikes[t][shown[k]]) {
        resStep.push(t);
        resUnit.push(k);
      }
      trace.push(traces[t][shown[k]]);
    }
    for (let u = 0; u < spec.units; u++) reservoirSpikes += unitSpikes[t][u];
  }
  onProgress(1);
  return {
    kind: "spikes",
    ts: spec.ts,
    value: spec.value,
    encoder: { name: spec.encoder, channels, labels },
    inputSpikes: { step: inStep, channel: inChannel },
    reservoir: { units: spec.units, shown: shown.length },
    reservoirSpikes: { step: resStep, unit: resUnit },
    populationRate,
    trace,
    stats: { inputSpikes, reservoirSpikes, meanRate: reservoirSpikes / (n * spec.units), steps: n },
  };
}
