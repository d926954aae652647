/**
 * Send-on-delta (delta modulation) coding: a spike is sent only when the signal has moved by at least `threshold`
 * since the last reference; an ON spike for up, an OFF spike for down, and the reference moves by one threshold per
 * spike (Miskowicz, "Send-on-delta concept", Sensors 6, 2006; the same scheme as the DVS event camera's pixels).
 * Summing the signed spikes times the threshold reconstructs the signal to within one threshold at every step.
 */
export interface DeltaEncoderParams {
  /** The change that triggers a spike (> 0). */
  threshold: number;
}

export interface DeltaEncoderState {
  /** The signal value that the spikes sent so far reconstruct. */
  reference: number;
}

export interface DeltaStep {
  state: DeltaEncoderState;
  /** Signed number of spikes this step: +k ON spikes or −k OFF spikes (0 when the change is under the threshold). */
  spikes: number;
}

export function createDeltaState(initial: number): DeltaEncoderState {
  return { reference: initial };
}

export function stepDelta(params: DeltaEncoderParams, state: DeltaEncoderState, value: number): DeltaStep {
  const moved = (value - state.reference) / params.threshold;
  const spikes = moved >= 0 ? Math.floor(moved) : Math.ceil(moved);
  return { state: { reference: state.reference + spikes * params.threshold }, spikes };
}

/** Reconstructs the signal from the initial value and the signed spike counts. */
export function decodeDelta(params: DeltaEncoderParams, initial: number, spikes: ArrayLike<number>): Float64Array {
  const out = new Float64Array(spikes.length);
  let level = initial;
  for (let t = 0; t < spikes.length; t++) {
    level += spikes[t] * params.threshold;
    out[t] = level;
  }
  return out;
}
