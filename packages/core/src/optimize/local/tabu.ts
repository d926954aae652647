import type { Rng } from "../../random";
import { applyFlip, type FlipGraph, flipDeltas } from "./flip-state";

/**
 * One-flip tabu search (Glover 1989; for max-cut/QUBO as in Kochenberger et al. 2013 and the descent phase of
 * Benlic & Hao's Breakout Local Search 2013): each iteration flips the non-tabu spin with the lowest ΔE (even if it
 * raises the energy), then forbids flipping it back for `tenure` iterations. A tabu flip is allowed when it would
 * give a new best energy (aspiration). ΔE is kept incrementally per flip (O(degree)), the best move found by a scan.
 */
export interface TabuParams {
  /** Tabu tenure = base + uniform integer in [0, range). Defaults: base = max(7, n/100), range = max(10, n/50). */
  tenureBase?: number;
  tenureRange?: number;
  /** Stop after this many iterations without a new best in this run. */
  stallIterations: number;
  /** Hard cap on iterations in this run. */
  maxIterations?: number;
}

export interface TabuRun {
  /** Best energy reached in this run (absolute, including the model offset). */
  bestEnergy: number;
  /** Iterations (flips) made. */
  iterations: number;
}

/**
 * Runs tabu search from `s` (mutated: on return it holds the best configuration of the run). `energy` is E(s) on
 * entry. `shouldStop` is polled every 256 iterations (time limit); `onBest` is called for each new best of the run.
 */
export function tabuSearch(
  g: FlipGraph,
  s: Int8Array,
  energy: number,
  params: TabuParams,
  rng: Rng,
  hooks: { shouldStop?: () => boolean; onBest?: (energy: number) => boolean | undefined; bestBefore?: number } = {},
): TabuRun {
  const n = g.n;
  const delta = flipDeltas(g, s);
  const tabuUntil = new Int32Array(n);
  const best = Int8Array.from(s);
  const base = params.tenureBase ?? Math.max(7, Math.floor(n / 100));
  const range = Math.max(1, params.tenureRange ?? Math.max(10, Math.floor(n / 50)));
  const maxIt = params.maxIterations ?? Number.POSITIVE_INFINITY;
  const stall = params.stallIterations;
  // Aspiration compares with the best of this run; moves are accepted as "improving" only beyond rounding.
  const eps = 1e-9;
  let e = energy;
  let bestE = energy;
  let atBest = true; // s equals best: copying is deferred until we leave a new best.
  let lastImprovement = 0;
  let it = 0;
  while (it < maxIt && it - lastImprovement < stall) {
    if ((it & 255) === 0 && hooks.shouldStop?.()) break;
    it++;
    const aspire = bestE - e - eps;
    let bi = -1;
    let bd = Number.POSITIVE_INFINITY;
    // Scan from a random start so that ties do not always favour low indices.
    const start = rng.int(n);
    for (let i = start; i < n; i++) {
      const d = delta[i];
      if (d < bd && (tabuUntil[i] < it || d < aspire)) {
        bd = d;
        bi = i;
      }
    }
    for (let i = 0; i < start; i++) {
      const d = delta[i];
      if (d < bd && (tabuUntil[i] < it || d < aspire)) {
        bd = d;
        bi = i;
      }
    }
    if (bi < 0) continue; // every spin tabu (tiny n): wait for one to expire
    if (atBest && bd > eps) {
      best.set(s);
      atBest = false;
    }
    e += applyFlip(g, s, delta, bi);
    tabuUntil[bi] = it + base + rng.int(range);
    if (e < bestE - eps) {
      bestE = e;
      atBest = true;
      lastImprovement = it;
      if (hooks.onBest?.(e)) break;
    }
  }
  if (atBest) best.set(s);
  s.set(best);
  return { bestEnergy: bestE, iterations: it };
}
