import type { Rng } from "../../random";
import { createRng } from "../../random";
import { type FlipGraph, flipDeltas, flipEnergy, flipGraph } from "../local/flip-state";
import type { IsingModel } from "../model/ising";
import { type SolveOptions, type SolveResult, SolveTracker } from "../solve-types";

export interface SaOptions extends SolveOptions {
  /** Metropolis sweeps per read (default 1000). */
  sweeps?: number;
  /** Independent reads (restarts); default 1 without a time limit, else as many as fit. */
  reads?: number;
  /** Inverse temperatures [hot, cold]; default from the couplings (see annealingBetaRange). */
  betaRange?: [number, number];
}

/**
 * The automatic temperature range of D-Wave's simulated annealer (dwave-neal / dwave-samplers,
 * `_default_ising_beta_range`): the hot end accepts the largest single-flip energy rise with probability 1/2,
 * the cold end accepts the smallest non-zero rise with probability 1/100. Largest rise: max_i 2(|h_i| + Σ_j |J_ij|);
 * smallest: min over non-zero 2|J_ij| and 2|h_i|.
 */
export function annealingBetaRange(g: FlipGraph): [number, number] {
  let maxRise = 0;
  let minRise = Number.POSITIVE_INFINITY;
  for (let i = 0; i < g.n; i++) {
    let s = Math.abs(g.h[i]);
    if (g.h[i] !== 0) minRise = Math.min(minRise, 2 * Math.abs(g.h[i]));
    for (let p = g.rowPtr[i]; p < g.rowPtr[i + 1]; p++) {
      const w = Math.abs(g.weight[p]);
      s += w;
      if (w > 0) minRise = Math.min(minRise, 2 * w);
    }
    maxRise = Math.max(maxRise, 2 * s);
  }
  if (maxRise === 0) return [1, 1];
  return [Math.log(2) / maxRise, Math.log(100) / minRise];
}

/**
 * Simulated annealing with Metropolis single-spin flips (Kirkpatrick, Gelatt & Vecchi 1983): sequential sweeps over
 * the spins, β rising geometrically from hot to cold over the sweeps, as dwave-samplers' SimulatedAnnealingSampler
 * does. The baseline the SB solvers are compared with.
 */
export function solveSa(model: IsingModel, options: SaOptions = {}): SolveResult {
  const tracker = new SolveTracker(options);
  const rng = createRng(options.seed ?? 1);
  const g = flipGraph(model);
  const { n, rowPtr, colIndex, weight } = g;
  const sweeps = Math.max(1, options.sweeps ?? 1000);
  const [b0, b1] = options.betaRange ?? annealingBetaRange(g);
  const reads = options.reads ?? (Number.isFinite(tracker.limitMs) ? Number.POSITIVE_INFINITY : 1);
  const ratio = sweeps > 1 ? (b1 / b0) ** (1 / (sweeps - 1)) : 1;
  const s = new Int8Array(n);
  const best = new Int8Array(n).fill(1);
  const delta = new Float64Array(n);
  let evaluations = 0;
  let read = 0;
  while (read < reads) {
    for (let i = 0; i < n; i++) s[i] = rng.next() < 0.5 ? -1 : 1;
    flipDeltas(g, s, delta);
    let beta = b0;
    let stop = false;
    for (let sweep = 0; sweep < sweeps; sweep++) {
      for (let i = 0; i < n; i++) {
        const d = delta[i];
        // exp(−βΔE) < 2⁻⁴⁰ for βΔE > 28: skip the random number and the exp there.
        if (d <= 0 || (beta * d < 28 && rng.next() < Math.exp(-beta * d))) {
          const si = -s[i];
          s[i] = si;
          delta[i] = -d;
          const k = 4 * si;
          for (let p = rowPtr[i]; p < rowPtr[i + 1]; p++) {
            const j = colIndex[p];
            delta[j] += k * weight[p] * s[j];
          }
        }
      }
      evaluations += n;
      beta *= ratio;
      if ((sweep & 15) === 15) {
        tracker.progress((read + sweep / sweeps) / (Number.isFinite(reads) ? reads : Number.POSITIVE_INFINITY));
        if (tracker.outOfTime()) {
          stop = true;
          break;
        }
      }
    }
    const e = flipEnergy(g, s);
    if (tracker.offer(e)) best.set(s);
    read++;
    if (stop || tracker.reachedTarget() || tracker.outOfTime()) break;
  }
  return {
    spins: best,
    energy: tracker.bestEnergy,
    solver: "sa",
    evaluations,
    elapsedMs: tracker.elapsed(),
    stoppedBy: tracker.stoppedBy(),
    timeline: tracker.timeline,
  };
}

/**
 * Metropolis sweeps at the given inverse temperatures on any model (real couplings): the generic counterpart of
 * integerMetropolisSweeps, used by the hybrid solver when the couplings are not integer multiples of a quantum.
 */
export function metropolisSweeps(g: FlipGraph, s: Int8Array, betas: ArrayLike<number>, rng: Rng): void {
  const { n, rowPtr, colIndex, weight } = g;
  const delta = flipDeltas(g, s);
  for (let sweep = 0; sweep < betas.length; sweep++) {
    const beta = betas[sweep];
    for (let i = 0; i < n; i++) {
      const d = delta[i];
      if (d <= 0 || (beta * d < 28 && rng.next() < Math.exp(-beta * d))) {
        const si = -s[i];
        s[i] = si;
        delta[i] = -d;
        const k = 4 * si;
        for (let p = rowPtr[i]; p < rowPtr[i + 1]; p++) {
          const j = colIndex[p];
          delta[j] += k * weight[p] * s[j];
        }
      }
    }
  }
}
