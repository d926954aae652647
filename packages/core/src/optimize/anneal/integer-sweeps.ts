import type { IntegerFlipGraph } from "../local/tabu-buckets";

/**
 * Metropolis sweeps on an integer-gain model, the hot loop of annealing made fast: ΔE_i = 2q·k_i with k_i kept as
 * integers, so the acceptance probabilities exp(−β·2q·k) for every possible k are tabulated once per sweep instead
 * of one exp per proposal, and random numbers come from an inlined xorshift32 (Marsaglia 2003) whose state the
 * caller seeds. Sweeps visit spins in index order, as dwave-samplers does. `keys` must hold s_i·(Σ_j J_ij s_j +
 * h_i)/q on entry and is kept current. Returns the energy change (in units of 2q), the final RNG state and the
 * neighbour updates made (the sum of the degrees of the flipped spins, a measure of the work done).
 */
export function integerMetropolisSweeps(
  ig: IntegerFlipGraph,
  s: Int8Array,
  keys: Int32Array,
  betas: ArrayLike<number>,
  rngState: number,
): { change: number; rngState: number; updates: number } {
  const g = ig.graph;
  const n = g.n;
  const { rowPtr, colIndex } = g;
  const W = ig.weight;
  const R = ig.range;
  const table = new Float64Array(R + 1);
  const twoQ = 2 * ig.quantum;
  let x = rngState >>> 0 || 0x9e3779b9;
  let change = 0;
  let updates = 0;
  for (let sweep = 0; sweep < betas.length; sweep++) {
    const b = betas[sweep] * twoQ;
    for (let k = 0; k <= R; k++) table[k] = Math.exp(-b * k);
    for (let i = 0; i < n; i++) {
      const k = keys[i];
      if (k > 0) {
        x ^= x << 13;
        x ^= x >>> 17;
        x ^= x << 5;
        if ((x >>> 0) * 2.3283064365386963e-10 >= table[k]) continue;
      }
      const si = -s[i];
      s[i] = si;
      keys[i] = -k;
      change += k;
      const k2 = 2 * si;
      const end = rowPtr[i + 1];
      updates += end - rowPtr[i];
      for (let p = rowPtr[i]; p < end; p++) {
        const j = colIndex[p];
        keys[j] += k2 * W[p] * s[j];
      }
    }
  }
  return { change, rngState: x >>> 0, updates };
}

/** k_i = s_i·(Σ_j (J_ij/q) s_j + h_i/q) for every spin. */
export function integerKeys(ig: IntegerFlipGraph, s: Int8Array, out = new Int32Array(ig.graph.n)): Int32Array {
  const { rowPtr, colIndex } = ig.graph;
  for (let i = 0; i < out.length; i++) {
    let f = ig.h[i];
    for (let p = rowPtr[i]; p < rowPtr[i + 1]; p++) f += ig.weight[p] * s[colIndex[p]];
    out[i] = s[i] * f;
  }
  return out;
}
