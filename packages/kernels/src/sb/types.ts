import type { BackendName } from "../backend/names";

/**
 * An Ising problem as the SB kernels take it: E(s) = −½ Σ_ij J_ij s_i s_j − Σ_i h_i s_i over s ∈ {−1, +1}^n,
 * J symmetric with a zero diagonal, given dense (n×n, row-major) or sparse (CSR holding both triangles).
 */
export interface SbProblem {
  n: number;
  dense?: ArrayLike<number>;
  sparse?: SbCsr;
  h?: ArrayLike<number>;
}

export interface SbCsr {
  /** n + 1 offsets into col/val. */
  rowPtr: ArrayLike<number>;
  col: ArrayLike<number>;
  val: ArrayLike<number>;
}

/** Adiabatic (Goto 2019), ballistic and discrete (Goto et al. 2021) simulated bifurcation. */
export type SbVariant = "asb" | "bsb" | "dsb";

export interface SbParams {
  variant: SbVariant;
  /** Independent trajectories advanced together. */
  agents: number;
  /** Length of the schedule: the pump a(t) ramps linearly from 0 to a0 over this many steps. */
  steps: number;
  dt: number;
  a0: number;
  c0: number;
}

export interface SbRunOptions {
  /** Steps to advance in this call (one submission on a GPU). */
  steps: number;
  /** Measure every agent's energy every this many steps (0: only at the end of the call). Default 10. */
  checkEvery?: number;
  /** Stop as soon as any agent's measured energy is at or below this. */
  targetEnergy?: number;
}

export interface SbRunResult {
  /** Steps of the schedule done so far (over all calls). */
  step: number;
  /** True when targetEnergy was reached (the remaining steps of the call were skipped). */
  stopped: boolean;
  /** Each agent's energy at the last measurement (the end of the call, or the stop). */
  energies: Float64Array;
  /** Each agent's lowest measured energy so far. */
  bestEnergies: Float64Array;
}

export interface SbState {
  /** Positions, agent-major (agent a's spin i at a·n + i). */
  x: Float64Array;
  /** Momenta, same layout. */
  y: Float64Array;
}

/** Batched simulated bifurcation with its state resident on the back end between calls. */
export interface SbKernel {
  readonly backend: BackendName;
  /** What runs it ("NVIDIA H200", "onnxruntime cpu, 2 threads", "TypeScript"). */
  readonly device: string;
  readonly n: number;
  readonly agents: number;
  readonly params: SbParams;
  /** Steps of the schedule done so far. */
  readonly step: number;
  /** Sets every agent's (x, y), agent-major, and the schedule position; forgets the best energies. */
  setState(state: { x: ArrayLike<number>; y: ArrayLike<number> }, step?: number): Promise<void>;
  run(options: SbRunOptions): Promise<SbRunResult>;
  state(): Promise<SbState>;
  /** Each agent's best measured energy and the spins (±1, agent-major) that had it. */
  best(): Promise<{ energies: Float64Array; spins: Int8Array }>;
  dispose(): void;
}
