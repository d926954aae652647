import type { Rng } from "../random";

/**
 * Rate coding: a value becomes the firing probability of a spike train (Adrian's rate code; the Bernoulli form is
 * the usual discrete-time approximation of a Poisson process, Gerstner et al., "Neuronal Dynamics", 2014, §7.2).
 *
 * The value is mapped linearly from [min, max] onto a probability per step in [0, maxProbability] (clamped), so the
 * expected spike count over T steps is T·p. The Poisson form draws a spike count per step with mean p instead,
 * which allows several spikes per step (a neuron population or a coarse time step).
 */
export interface RateEncoderParams {
  min: number;
  max: number;
  /** Firing probability per step at `max` (≤ 1 for Bernoulli; default 1). */
  maxProbability?: number;
}

/** The firing probability (Bernoulli) or mean count (Poisson) per step that encodes `value`. */
export function rateOf(params: RateEncoderParams, value: number): number {
  const span = params.max - params.min;
  const unit = span > 0 ? (value - params.min) / span : 0;
  return Math.min(1, Math.max(0, unit)) * (params.maxProbability ?? 1);
}

/** A Bernoulli spike train of `steps` steps: each step spikes with probability rateOf(value). */
export function encodeRateBernoulli(params: RateEncoderParams, value: number, steps: number, rng: Rng): Uint8Array {
  const p = rateOf(params, value);
  const spikes = new Uint8Array(steps);
  for (let t = 0; t < steps; t++) spikes[t] = rng.next() < p ? 1 : 0;
  return spikes;
}

/** Poisson spike counts per step with mean rateOf(value) (Knuth's multiplication method, fine for small means). */
export function encodeRatePoisson(params: RateEncoderParams, value: number, steps: number, rng: Rng): Uint16Array {
  const limit = Math.exp(-rateOf(params, value));
  const counts = new Uint16Array(steps);
  for (let t = 0; t < steps; t++) {
    let k = 0;
    let prod = rng.next();
    while (prod > limit && k < 65535) {
      k++;
      prod *= rng.next();
    }
    counts[t] = k;
  }
  return counts;
}

/** The value whose rate best explains the spike train: mean count per step mapped back onto [min, max]. */
export function decodeRate(params: RateEncoderParams, spikes: ArrayLike<number>): number {
  let total = 0;
  for (let t = 0; t < spikes.length; t++) total += spikes[t];
  const rate = spikes.length ? total / spikes.length : 0;
  return params.min + (rate / (params.maxProbability ?? 1)) * (params.max - params.min);
}
