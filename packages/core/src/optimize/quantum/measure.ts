import type { StateVector } from "./state-vector";
import { probabilities } from "./state-vector";

/** What a measurement of the final state in the computational basis gives. */
export interface MeasurementSummary {
  /** Probability of each basis state (index b ↔ spins s_q = 1 − 2·bit_q(b)). */
  distribution: Float64Array;
  /** Total probability of the ground states (all basis states at the minimum energy). */
  groundStateProbability: number;
  groundEnergy: number;
  /** The most probable basis state, as spins, with its probability and energy. */
  mostLikely: { spins: Int8Array; probability: number; energy: number };
  /** ⟨H_P⟩ in the final state. */
  expectedEnergy: number;
}

export function basisToSpins(b: number, n: number): Int8Array {
  const s = new Int8Array(n);
  for (let q = 0; q < n; q++) s[q] = (b >> q) & 1 ? -1 : 1;
  return s;
}

export function summarise(state: StateVector, energies: Float64Array): MeasurementSummary {
  const p = probabilities(state);
  let ground = Number.POSITIVE_INFINITY;
  for (const e of energies) if (e < ground) ground = e;
  const tol = 1e-9 * Math.max(1, Math.abs(ground));
  let pGround = 0;
  let arg = 0;
  let expected = 0;
  for (let b = 0; b < p.length; b++) {
    if (energies[b] <= ground + tol) pGround += p[b];
    if (p[b] > p[arg]) arg = b;
    expected += p[b] * energies[b];
  }
  return {
    distribution: p,
    groundStateProbability: pGround,
    groundEnergy: ground,
    mostLikely: { spins: basisToSpins(arg, state.qubits), probability: p[arg], energy: energies[arg] },
    expectedEnergy: expected,
  };
}
