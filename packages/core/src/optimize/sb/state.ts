import type { Rng } from "../../random";

/**
 * The batched SB state: `agents` independent trajectories over `n` oscillators, stored agent-major
 * (x[a·n + i] is oscillator i of agent a), positions x and momenta y. `step` counts the steps taken in the run.
 * Float32 matches the GPU kernels; the TypeScript paths compute in float64 and store into whichever array is given.
 */
export interface SbState {
  readonly agents: number;
  readonly n: number;
  readonly x: Float32Array | Float64Array;
  readonly y: Float32Array | Float64Array;
  step: number;
}

/** Small random initial positions and momenta, uniform in [−0.1, 0.1] (Goto et al. 2021 start near the origin). */
export function initialSbState(agents: number, n: number, rng: Rng, precision: "f32" | "f64" = "f64"): SbState {
  const make = (len: number) => (precision === "f32" ? new Float32Array(len) : new Float64Array(len));
  const x = make(agents * n);
  const y = make(agents * n);
  for (let k = 0; k < x.length; k++) {
    x[k] = 0.2 * (rng.next() - 0.5);
    y[k] = 0.2 * (rng.next() - 0.5);
  }
  return { agents, n, x, y, step: 0 };
}

/** sgn(x) of one agent as spins (x = 0 counts as +1). */
export function agentSpins(state: SbState, agent: number, out = new Int8Array(state.n)): Int8Array {
  const off = agent * state.n;
  for (let i = 0; i < state.n; i++) out[i] = state.x[off + i] < 0 ? -1 : 1;
  return out;
}
