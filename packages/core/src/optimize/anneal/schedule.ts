import type { FlipGraph } from "../local/flip-state";

/**
 * Estimate of the spin-glass transition of the couplings by the Bethe-lattice (cavity) condition
 * (Viana & Bray 1985; Mézard & Parisi 2001): on a locally tree-like graph with branching ratio B =
 * ⟨d(d − 1)⟩/⟨d⟩ the glass phase starts where B·⟨tanh²(β J_ij)⟩ = 1. Annealing above this temperature only
 * shuffles spins; the work that matters happens from just above it down to the frozen end. For G-set G1
 * (random graph, average degree 48) it gives β ≈ 0.29, for G22 (degree 20) 0.46, for the toroidal grid G32 1.32.
 * Graphs that are not tree-like (grids, planar graphs) break the assumption, but the estimate still follows the
 * scale of the local fields, which is what a starting temperature needs. Returns +∞ when B ≤ 1 (no transition).
 */
export function glassTransitionBeta(g: FlipGraph): number {
  const { n, rowPtr, weight } = g;
  let degrees = 0;
  let pairs = 0;
  for (let i = 0; i < n; i++) {
    const d = rowPtr[i + 1] - rowPtr[i];
    degrees += d;
    pairs += d * (d - 1);
  }
  if (degrees === 0) return Number.POSITIVE_INFINITY;
  const branching = pairs / degrees;
  if (branching <= 1) return Number.POSITIVE_INFINITY;
  // ⟨tanh²(βJ)⟩ over at most 4096 couplings taken at an even stride (the mean is all the condition needs), grouped
  // by |J|: G-set and integer QUBOs have one or a few distinct magnitudes, so the bisection costs a few tanh calls.
  const m = weight.length;
  const stride = Math.max(1, Math.floor(m / 4096));
  const counts = new Map<number, number>();
  let taken = 0;
  for (let p = 0; p < m; p += stride) {
    const w = Math.abs(weight[p]);
    counts.set(w, (counts.get(w) ?? 0) + 1);
    taken++;
  }
  const magnitudes = [...counts.keys()];
  const largest = Math.max(...magnitudes);
  const excess = (beta: number) => {
    let t = 0;
    for (const w of magnitudes) t += (counts.get(w) as number) * Math.tanh(beta * w) ** 2;
    return (branching * t) / taken - 1;
  };
  let hi = 1;
  for (let k = 0; k < 200 && excess(hi / largest) < 0; k++) hi *= 2;
  let lo = 0;
  hi /= largest;
  for (let k = 0; k < 60; k++) {
    const mid = 0.5 * (lo + hi);
    if (excess(mid) < 0) lo = mid;
    else hi = mid;
  }
  return 0.5 * (lo + hi);
}

/**
 * Inverse temperatures of one annealing run of `sweeps` sweeps, geometric from `hot` to `cold` (the schedule
 * dwave-samplers uses by default).
 */
export function geometricBetas(hot: number, cold: number, sweeps: number): Float64Array {
  const count = Math.max(1, Math.round(sweeps));
  if (count === 1) return Float64Array.of(cold);
  return Float64Array.from({ length: count }, (_, k) => hot * (cold / hot) ** (k / (count - 1)));
}

/**
 * The Luby sequence 1, 1, 2, 1, 1, 2, 4, 1, 1, 2, 1, 1, 2, 4, 8, … (Luby, Sinclair & Zuckerman 1993): restart
 * lengths proportional to it are within a logarithmic factor of the best fixed restart length for any Las Vegas
 * algorithm, without knowing that length. `round` counts from 1.
 */
export function luby(round: number): number {
  let i = Math.max(1, Math.floor(round));
  for (;;) {
    let k = 1;
    while ((1 << k) - 1 < i) k++;
    if ((1 << k) - 1 === i) return 1 << (k - 1);
    i -= (1 << (k - 1)) - 1;
  }
}
