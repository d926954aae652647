import { createRng } from "../../random";
import { flipEnergy, flipGraph } from "../local/flip-state";
import { tabuSearch } from "../local/tabu";
import type { IsingModel } from "../model/ising";
import { solveSb } from "../sb/solve";
import type { SbStepper } from "../sb/stepper";
import { type SolveOptions, type SolveResult, SolveTracker } from "../solve-types";

export interface HybridOptions extends SolveOptions {
  /** SB agents seeding the search (default 8) and their steps (default 200), dSB by default. */
  agents?: number;
  steps?: number;
  variant?: "adiabatic" | "ballistic" | "discrete";
  heat?: number;
  stepper?: SbStepper;
  /** Tabu tenure base and random range; defaults n/25 each (tuned on G-set, see docs/optimizer.md). */
  tenureBase?: number;
  tenureRange?: number;
  /** Iterations without improvement before a tabu round ends (default max(10 000, 20 n)). */
  stallIterations?: number;
  /** Spins flipped at random to restart a round from the best (default n/15). */
  perturbation?: number;
}

/**
 * The default solver ("sb"): simulated bifurcation proposes, tabu search refines. One run of `agents` dSB
 * trajectories (polished by greedy descent) gives the starting points; then rounds of one-flip tabu search run
 * until the time limit or the target: each round starts from the best configuration so far (the first from each SB
 * agent in turn), perturbed by flipping a random subset of spins, and ends after `stallIterations` iterations
 * without a new best. This is an iterated tabu search in the manner of Benlic & Hao's Breakout Local Search (2013)
 * seeded by SB (Goto et al. 2021); the SB stage alone is `solveSb`.
 */
export async function solveHybrid(model: IsingModel, options: HybridOptions = {}): Promise<SolveResult> {
  const tracker = new SolveTracker(options);
  const rng = createRng(options.seed ?? 1);
  const n = model.n;
  const g = flipGraph(model);
  const seeds: Int8Array[] = [];
  const sb = await solveSb(model, {
    seed: rng.int(2 ** 31),
    agents: options.agents ?? 8,
    steps: options.steps ?? 200,
    variant: options.variant ?? "discrete",
    heat: options.heat,
    stepper: options.stepper,
    runs: 1,
    clock: tracker.clock,
    timeLimitMs: options.timeLimitMs,
    onAgents: (agents) => {
      for (const a of [...agents].sort((p, q) => p.energy - q.energy)) seeds.push(a.spins);
    },
  });
  let evaluations = sb.evaluations;
  const best = Int8Array.from(sb.spins);
  let bestEnergy = sb.energy;
  tracker.offer(sb.energy);
  const stall = options.stallIterations ?? Math.max(10_000, 20 * n);
  const base = options.tenureBase ?? Math.max(5, Math.round(n / 25));
  const range = options.tenureRange ?? Math.max(5, Math.round(n / 25));
  const kick = Math.max(1, Math.round(options.perturbation ?? n / 15));
  const s = new Int8Array(n);
  let round = 0;
  while (!tracker.reachedTarget() && !tracker.outOfTime() && n > 0) {
    if (round < seeds.length) s.set(seeds[round]);
    else {
      s.set(best);
      for (let k = 0; k < kick; k++) {
        const i = rng.int(n);
        s[i] = -s[i];
      }
    }
    round++;
    const r = tabuSearch(
      g,
      s,
      flipEnergy(g, s),
      { stallIterations: stall, tenureBase: base, tenureRange: range },
      rng,
      {
        shouldStop: () => {
          tracker.progress();
          return tracker.outOfTime();
        },
        onBest: (e) => {
          tracker.offer(e);
          return e <= tracker.target;
        },
      },
    );
    evaluations += r.iterations * n;
    if (r.bestEnergy < bestEnergy) {
      bestEnergy = r.bestEnergy;
      best.set(s);
    }
    if (options.timeLimitMs === undefined && options.targetEnergy === undefined && round >= Math.max(1, seeds.length))
      break;
  }
  return {
    spins: best,
    energy: flipEnergy(g, best),
    solver: `${sb.solver.split("+")[0]}+tabu`,
    evaluations,
    elapsedMs: tracker.elapsed(),
    stoppedBy: tracker.stoppedBy(),
    timeline: tracker.timeline,
  };
}
