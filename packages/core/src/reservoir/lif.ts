import { createRng } from "../random";
import { randomSparseMatrix, type SparseWeights, scaleCsr, spectralRadius } from "./sparse";

/**
 * A reservoir of leaky integrate-and-fire neurons with current-based exponential synapses (Gerstner et al.,
 * "Neuronal Dynamics", 2014, §1.3 and §3.1; the discrete form of Norse's LIFCell). One step of dt, per unit i:
 *
 *   Iᵢ ← αₛ·Iᵢ + Σⱼ Wᵢⱼ·sⱼ(t−1) + Σₖ W_in,ᵢₖ·uₖ(t)            synaptic current, αₛ = exp(−dt/τₛ)
 *   if refractoryᵢ > 0: refractoryᵢ −= 1, vᵢ ← v_reset, sᵢ = 0  absolute refractory period
 *   else vᵢ ← αₘ·vᵢ + (1 − αₘ)·(Iᵢ + bᵢ)                         membrane leak, αₘ = exp(−dt/τₘ)
 *        if vᵢ ≥ θ: sᵢ = 1, vᵢ ← v_reset, refractoryᵢ ← t_ref  fire and reset
 *   traceᵢ ← α_tr·traceᵢ + (1 − α_tr)·sᵢ                        low-pass spike trace (the readout's feature)
 *
 * The inputs u are spike trains from the encoders (or analog currents); the readout sees the traces, the standard
 * way to read a liquid-state machine (Maass, Natschläger & Markram, Neural Computation 14, 2002).
 */
export interface LifOptions {
  units: number;
  inputs: number;
  /** Membrane time constant τₘ in steps (default 20). */
  membraneTau?: number;
  /** Synaptic time constant τₛ in steps (default 5). */
  synapseTau?: number;
  /** Time constant of the readout trace in steps (default 10). */
  traceTau?: number;
  threshold?: number;
  reset?: number;
  /** Refractory period in steps (default 2). */
  refractorySteps?: number;
  /** Spectral radius the recurrent weights are scaled to (default 0.9). */
  spectralRadius?: number;
  /** Scale of the input weights (uniform in [−s, s]; default 2). */
  inputScaling?: number;
  /** Bias currents uniform in [0, biasScaling] (default 0.8: just under threshold, so inputs decide who fires). */
  biasScaling?: number;
  connectivity?: number;
  seed?: number;
}

export interface LifParams {
  units: number;
  inputs: number;
  membraneDecay: number;
  synapseDecay: number;
  traceDecay: number;
  threshold: number;
  reset: number;
  refractorySteps: number;
  recurrent: SparseWeights;
  /** units × inputs, row-major. */
  input: Float64Array;
  bias: Float64Array;
}

/** The state of `batch` streams, unit i of stream b at index b·units + i in every array. */
export interface LifState {
  batch: number;
  units: number;
  membrane: Float64Array;
  current: Float64Array;
  /** Refractory steps left. */
  refractory: Float64Array;
  spikes: Uint8Array;
  trace: Float64Array;
}

export function createLif(options: LifOptions): LifParams {
  const { units, inputs } = options;
  const rng = createRng(options.seed ?? 1);
  const raw = randomSparseMatrix(units, units, options.connectivity ?? 10, rng);
  const radius = spectralRadius(raw, rng.fork());
  const input = new Float64Array(units * inputs);
  const inputScaling = options.inputScaling ?? 2;
  for (let i = 0; i < input.length; i++) input[i] = inputScaling * (2 * rng.next() - 1);
  const bias = new Float64Array(units);
  const biasScaling = options.biasScaling ?? 0.8;
  for (let i = 0; i < units; i++) bias[i] = biasScaling * rng.next();
  return {
    units,
    inputs,
    membraneDecay: Math.exp(-1 / (options.membraneTau ?? 20)),
    synapseDecay: Math.exp(-1 / (options.synapseTau ?? 5)),
    traceDecay: Math.exp(-1 / (options.traceTau ?? 10)),
    threshold: options.threshold ?? 1,
    reset: options.reset ?? 0,
    refractorySteps: options.refractorySteps ?? 2,
    recurrent: scaleCsr(raw, radius > 0 ? (options.spectralRadius ?? 0.9) / radius : 0),
    input,
    bias,
  };
}

export function createLifState(units: number, batch = 1): LifState {
  const n = units * batch;
  return {
    batch,
    units,
    membrane: new Float64Array(n),
    current: new Float64Array(n),
    refractory: new Float64Array(n),
    spikes: new Uint8Array(n),
    trace: new Float64Array(n),
  };
}

/** One step of every stream in the batch; `inputs` holds batch × params.inputs values. Pure. */
export function stepLif(params: LifParams, state: LifState, inputs: ArrayLike<number>): LifState {
  const next: LifState = {
    batch: state.batch,
    units: state.units,
    membrane: state.membrane.slice(),
    current: state.current.slice(),
    refractory: state.refractory.slice(),
    spikes: new Uint8Array(state.spikes.length),
    trace: state.trace.slice(),
  };
  advanceLif(params, state.spikes, inputs, next);
  return next;
}

/**
 * The same step in place on `state` (membrane, current, refractory, trace), reading last step's spikes from
 * `previousSpikes` (which must not alias state.spikes) and writing this step's spikes into state.spikes.
 */
export function advanceLif(
  params: LifParams,
  previousSpikes: Uint8Array,
  inputs: ArrayLike<number>,
  state: LifState,
): void {
  const { units, inputs: m, membraneDecay, synapseDecay, traceDecay, threshold, reset, refractorySteps } = params;
  const { rowStart, column, value } = params.recurrent;
  const { membrane, current, refractory, spikes, trace } = state;
  for (let b = 0; b < state.batch; b++) {
    const o = b * units;
    const io = b * m;
    for (let i = 0; i < units; i++) {
      const u = o + i;
      let drive = 0;
      for (let k = 0; k < m; k++) drive += params.input[i * m + k] * inputs[io + k];
      for (let p = rowStart[i]; p < rowStart[i + 1]; p++) if (previousSpikes[o + column[p]]) drive += value[p];
      current[u] = synapseDecay * current[u] + drive;
      let fired = 0;
      if (refractory[u] > 0) {
        refractory[u] -= 1;
        membrane[u] = reset;
      } else {
        const v = membraneDecay * membrane[u] + (1 - membraneDecay) * (current[u] + params.bias[i]);
        if (v >= threshold) {
          fired = 1;
          membrane[u] = reset;
          refractory[u] = refractorySteps;
        } else membrane[u] = v;
      }
      spikes[u] = fired;
      trace[u] = traceDecay * trace[u] + (1 - traceDecay) * fired;
    }
  }
}
