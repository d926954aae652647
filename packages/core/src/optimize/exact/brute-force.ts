import { NqpError } from "../../errors";
import { type IsingModel, isingEnergy, localFields } from "../model/ising";
import { toCsr } from "../model/matrix";

/** The largest model brute force accepts: 2²⁴ ≈ 16.8 M configurations, a second or two here. */
export const BRUTE_FORCE_MAX_SPINS = 24;

export interface BruteForceResult {
  /** The minimum energy. */
  energy: number;
  /** One ground state (the first met in Gray-code order), spins ±1. */
  spins: Int8Array;
  /** How many configurations reach the minimum (within 1e-9 relative), counting s and −s separately. */
  degeneracy: number;
  /** Configurations evaluated (2ⁿ). */
  evaluations: number;
}

/**
 * Enumerates all 2ⁿ spin configurations in Gray-code order, so each step flips one spin and costs O(degree) through
 * the local fields (ΔE_i = 2 s_i f_i). Ground truth for tests and for `--solver exact` on small inputs.
 */
export function bruteForceIsing(model: IsingModel): BruteForceResult {
  const energies = enumerate(model, false);
  return energies.result;
}

/**
 * The energy of every basis state, index b ↔ spins s_i = 1 − 2·bit_i(b) (qubit i in |0⟩ is spin +1, the Z
 * eigenvalue). This is the diagonal of the problem Hamiltonian H_P used by the state-vector engine.
 */
export function isingSpectrum(model: IsingModel): Float64Array {
  return enumerate(model, true).spectrum as Float64Array;
}

function enumerate(model: IsingModel, keepSpectrum: boolean) {
  const n = model.n;
  if (n > BRUTE_FORCE_MAX_SPINS)
    throw new NqpError(
      "too-large",
      `exhaustive search handles at most ${BRUTE_FORCE_MAX_SPINS} variables; this model has ${n} (use a heuristic solver)`,
    );
  const J = toCsr(model.J);
  const s = new Int8Array(n).fill(1);
  const f = localFields(model, s);
  let e = isingEnergy(model, s);
  const total = 2 ** n;
  const spectrum = keepSpectrum ? new Float64Array(total) : undefined;
  let best = e;
  let bestCode = 0;
  let degeneracy = 1;
  const tol = (x: number) => 1e-9 * Math.max(1, Math.abs(x));
  if (spectrum) spectrum[0] = e;
  let basis = 0;
  for (let k = 1; k < total; k++) {
    // Gray code: step k flips the bit at the position of k's lowest set bit.
    const i = 31 - Math.clz32(k & -k);
    e += 2 * s[i] * f[i];
    const ns = -s[i];
    s[i] = ns;
    basis ^= 1 << i;
    for (let p = J.rowPtr[i]; p < J.rowPtr[i + 1]; p++) f[J.colIndex[p]] += 2 * J.values[p] * ns;
    if (spectrum) spectrum[basis] = e;
    if (e < best - tol(best)) {
      best = e;
      bestCode = basis;
      degeneracy = 1;
    } else if (Math.abs(e - best) <= tol(best)) degeneracy++;
  }
  const spins = new Int8Array(n);
  for (let i = 0; i < n; i++) spins[i] = (bestCode >> i) & 1 ? -1 : 1;
  // Recompute exactly: the running sum accumulates rounding over 2ⁿ steps.
  const result: BruteForceResult = { energy: isingEnergy(model, spins), spins, degeneracy, evaluations: total };
  if (spectrum) {
    // Re-anchor the spectrum against drift every so often is unnecessary for integer-ish data; refresh the ground.
    spectrum[bestCode] = result.energy;
  }
  return { result, spectrum };
}
