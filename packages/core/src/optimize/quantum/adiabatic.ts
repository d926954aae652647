import { isingSpectrum } from "../exact/brute-force";
import type { IsingModel } from "../model/ising";
import { type MeasurementSummary, summarise } from "./measure";
import { applyDiagonalPhase, applyMixer, checkQubits, energyLevels, uniformSuperposition } from "./state-vector";

export interface AdiabaticOptions {
  /** Total annealing time T (in units of 1/energy); default 10·n. */
  totalTime?: number;
  /** Trotter steps; default 20·T (Δt = 0.05). */
  steps?: number;
  /** Polled every 16 steps: true stops the evolution where it is (time limit); `completed` tells how far it got. */
  shouldStop?: () => boolean;
  /** Share of the steps done, every 16 steps. */
  onProgress?: (fraction: number) => void;
}

/**
 * Exact adiabatic quantum evolution on a state vector (Farhi, Goldstone, Gutmann & Sipser 2000):
 * H(s) = (1 − s)·H_X + s·H_P with H_X = −Σ_q X_q (ground state |+⟩ⁿ) and H_P the Ising energy (diagonal), s = t/T
 * ramped linearly. Each of `steps` intervals of Δt = T/steps applies the first-order Trotter product
 * exp(−iΔt(1 − s_k)H_X)·exp(−iΔt s_k H_P) at the midpoint s_k = (k + ½)/steps; its error per step is O(Δt²·‖[H_X,H_P]‖).
 * Slow enough (T ≫ 1/gap²) the final state is the ground state of H_P.
 */
export function adiabaticEvolution(
  model: IsingModel,
  options: AdiabaticOptions = {},
): MeasurementSummary & { steps: number; totalTime: number; completed: number } {
  checkQubits(model.n);
  const energies = isingSpectrum(model);
  const levels = energyLevels(energies);
  const T = options.totalTime ?? 10 * model.n;
  const steps = Math.max(1, Math.round(options.steps ?? 20 * T));
  const dt = T / steps;
  const state = uniformSuperposition(model.n);
  let k = 0;
  for (; k < steps; k++) {
    if ((k & 15) === 0 && k > 0) {
      options.onProgress?.(k / steps);
      if (options.shouldStop?.()) break;
    }
    const s = (k + 0.5) / steps;
    applyDiagonalPhase(state, energies, dt * s, levels);
    // exp(−iΔt(1 − s)·(−ΣX)) = exp(+iΔt(1 − s)ΣX): the mixer with θ = −Δt(1 − s).
    applyMixer(state, -dt * (1 - s));
  }
  return { ...summarise(state, energies), steps, totalTime: T, completed: k / steps };
}
