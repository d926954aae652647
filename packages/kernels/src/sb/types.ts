import type { SbParams, SquareMatrix } from "@nqp/core";
import type { BackendName } from "../backend/names";

/**
 * What an SB kernel integrates: core's couplings (dense or CSR, symmetric, zero diagonal; a model with fields is
 * homogenised by core's sbCouplings first) and core's SbParams (variant, a0, c0, Δt, Kerr, heating, schedule length),
 * for `agents` independent trajectories. The update is core's sbReferenceStep, which every back end is tested against.
 */
export interface SbSetup {
  J: SquareMatrix;
  params: SbParams;
  agents: number;
}

export interface SbRunOptions {
  /** Steps to advance in this call (one submission on a GPU). */
  steps: number;
  /** Measure every agent's energy every this many steps (0: only at the end of the call). Default 10. */
  checkEvery?: number;
  /** Stop as soon as any agent's measured energy is at or below this. */
  targetEnergy?: number;
  /** Measure at the end of the call (default true); a stepper that only advances turns it off. */
  measureAtEnd?: boolean;
}

export interface SbRunResult {
  /** Steps of the schedule done so far (over all calls). */
  step: number;
  /** True when targetEnergy was reached (the remaining steps of the call were skipped). */
  stopped: boolean;
  /** Each agent's energy −½ sᵀJs at the last measurement (the stop, or the end of the call). */
  energies: Float64Array;
  /** Each agent's lowest measured energy so far. */
  bestEnergies: Float64Array;
}

export interface SbKernelState {
  /** Positions, agent-major (agent a's oscillator i at a·n + i), as core's SbState. */
  x: Float64Array;
  /** Momenta, same layout. */
  y: Float64Array;
}

/** Batched simulated bifurcation with its state resident on the back end between calls. */
export interface SbKernel {
  readonly backend: BackendName;
  /** What runs it ("NVIDIA H200 (nvidia, hopper)", "onnxruntime 1.30.0 cpu, 2 threads", "TypeScript"). */
  readonly device: string;
  readonly n: number;
  readonly agents: number;
  readonly params: SbParams;
  /** Steps of the schedule done so far. */
  readonly step: number;
  /** Sets every agent's (x, y), agent-major, and the schedule position; forgets the best energies. */
  setState(state: { x: ArrayLike<number>; y: ArrayLike<number> }, step?: number): Promise<void>;
  run(options: SbRunOptions): Promise<SbRunResult>;
  state(): Promise<SbKernelState>;
  /** Each agent's best measured energy and the spins (±1, agent-major; x = 0 reads +1) that had it. */
  best(): Promise<{ energies: Float64Array; spins: Int8Array }>;
  dispose(): void;
}
