/**
 * Latency (time-to-first-spike) coding: a strong input fires early, a weak one late (Thorpe et al., "Spike-based
 * strategies for rapid processing", Neural Networks 14, 2001). Linear form: the value, clamped to [min, max], maps
 * to a spike time in [0, window − 1] steps, so max fires at step 0 and min at the last step. With integer steps the
 * decoder recovers the value to within half a step, (max − min) / (2·(window − 1)).
 */
export interface LatencyEncoderParams {
  min: number;
  max: number;
  /** Number of time steps in the coding window (≥ 2). */
  window: number;
}

/** The step at which the single spike for `value` fires. */
export function encodeLatency(params: LatencyEncoderParams, value: number): number {
  const span = params.max - params.min;
  const unit = span > 0 ? Math.min(1, Math.max(0, (value - params.min) / span)) : 0;
  return Math.round((1 - unit) * (params.window - 1));
}

/** The value that fires at `spikeStep` (the centre of the values that round to it). */
export function decodeLatency(params: LatencyEncoderParams, spikeStep: number): number {
  const unit = 1 - spikeStep / (params.window - 1);
  return params.min + unit * (params.max - params.min);
}

/** The spike train (one spike) of `value` over the window, for feeding a spiking reservoir step by step. */
export function latencySpikeTrain(params: LatencyEncoderParams, value: number): Uint8Array {
  const train = new Uint8Array(params.window);
  train[encodeLatency(params, value)] = 1;
  return train;
}
