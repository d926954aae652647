import { applyFlip, type FlipGraph, flipDeltas } from "./flip-state";

/**
 * Greedy one-flip polish (steepest descent): flips the spin with the most negative ΔE until no flip lowers the
 * energy, i.e. until s is a one-flip local minimum. Used as SB's final step (Goto et al. 2019 read out sgn(x); a
 * descent afterwards can only lower the energy). Mutates `s`; returns the energy change and the flips made.
 */
export function greedyDescent(g: FlipGraph, s: Int8Array, delta = flipDeltas(g, s)): { change: number; flips: number } {
  const n = g.n;
  let change = 0;
  let flips = 0;
  const eps = 1e-12;
  for (;;) {
    let best = -1;
    let bestD = -eps;
    for (let i = 0; i < n; i++)
      if (delta[i] < bestD) {
        bestD = delta[i];
        best = i;
      }
    if (best < 0) return { change, flips };
    change += applyFlip(g, s, delta, best);
    flips++;
  }
}
