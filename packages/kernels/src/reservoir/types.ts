import type { EsnParams, LifParams, LifState, ReservoirState } from "@nqp/core";
import type { BackendName } from "../backend/names";

/** A reservoir as core builds it (createEsn, createLif): the weights every stream of a batch shares. */
export type ReservoirModel = { kind: "esn"; params: EsnParams } | { kind: "lif"; params: LifParams };

/**
 * One linear readout per stream (core's RidgeReadout, one per stream): outputs = intercept + weights·features, with
 * features = the reservoir's (ESN activations, LIF spike traces) followed by `extra` host features (lagged values).
 */
export interface BatchedReadout {
  targets: number;
  /** Host features after the reservoir's, per stream (0 when the readout sees the reservoir only). */
  extra: number;
  /** streams × targets × (units + extra), stream-major (stream b's core RidgeReadout.weights at b·targets·features). */
  weights: ArrayLike<number>;
  /** streams × targets. */
  intercept: ArrayLike<number>;
}

export interface ReservoirStepOptions {
  /** Samples per stream in this call (default 1). */
  steps?: number;
  /** steps × streams × extra host features for the readout, when it has any. */
  extra?: ArrayLike<number>;
}

/** B streams × N units of one reservoir, stepped together, state resident on the back end. */
export interface ReservoirKernel {
  readonly backend: BackendName;
  readonly device: string;
  readonly kind: "esn" | "lif";
  readonly streams: number;
  readonly units: number;
  readonly inputs: number;
  /**
   * Feeds `steps` samples to every stream: inputs is steps × streams × inputs (sample-major, stream b's inputs at
   * (t·streams + b)·inputs). Returns the readout's outputs, steps × streams × targets (empty without a readout).
   */
  step(inputs: ArrayLike<number>, options?: ReservoirStepOptions): Promise<Float64Array>;
  setReadout(readout: BatchedReadout | null): Promise<void>;
  /** The features the readout sees (ESN activations, LIF traces), streams × units. */
  features(): Promise<Float64Array>;
  /** The full state in core's layout (ReservoirState for ESN, LifState for LIF). */
  state(): Promise<ReservoirState | LifState>;
  setState(state: ReservoirState | LifState): Promise<void>;
  dispose(): void;
}
