import { createRng, type Rng } from "../../random";
import { integerKeys, integerMetropolisSweeps } from "../anneal/integer-sweeps";
import { annealingBetaRange, metropolisSweeps } from "../anneal/sa";
import { type FlipGraph, flipEnergy, flipGraph } from "../local/flip-state";
import { type TabuParams, tabuSearch } from "../local/tabu";
import { type IntegerFlipGraph, integerFlipGraph, tabuSearchBuckets } from "../local/tabu-buckets";
import type { IsingModel } from "../model/ising";
import { solveSb } from "../sb/solve";
import type { SbStepper } from "../sb/stepper";
import { type SolveOptions, type SolveResult, SolveTracker } from "../solve-types";

export interface HybridOptions extends SolveOptions {
  /** SB agents seeding the search (default 4) and their steps (default 100); bSB by default. */
  agents?: number;
  steps?: number;
  variant?: "adiabatic" | "ballistic" | "discrete";
  heat?: number;
  stepper?: SbStepper;
  /**
   * Metropolis sweeps of each annealing round; default clamp(0.3·n, 200, 1000) on graphs of average degree ≥ 15,
   * which minimised the time to the best-known cut on G1 (n = 800: 300 sweeps better than 600 or 1000) and G22
   * (n = 2000: 600 better than 300 or 1000) in our runs; 1000 on sparser graphs, where a G-set run with 1000
   * sweeps gave better 10 s cuts on G32–G42 than one with 600.
   */
  annealSweeps?: number;
  /** Tabu tenure base and random range; default clamp(n/20, 10, 40) each. */
  tenureBase?: number;
  tenureRange?: number;
  /** Tabu iterations without a new best before a round ends (default 5000). */
  stallIterations?: number;
  /**
   * Perturbation rounds after each annealing round: restarts from the best so far with this many random flips
   * ("kick", default n/100, growing by n/100 after each round without a new best up to n/10, reset after one).
   */
  kickRounds?: number;
}

/**
 * The default solver ("sb"), a hybrid of three published methods, run until the time limit or the target:
 *
 * 1. Simulated bifurcation (Goto et al. 2021, bSB by default): `agents` trajectories for `steps` steps, read out
 *    by sgn(x) and polished by greedy descent. Each becomes the start of one tabu round.
 * 2. Then rounds of simulated annealing (Metropolis, `annealSweeps` sweeps from a random state, β from 5× the
 *    automatic hot end to the automatic cold end, see annealingBetaRange), each followed by a tabu round, and
 *    after each of them `kickRounds` perturbation rounds: the best so far with `kick` random flips, then tabu (an
 *    iterated local search as in Breakout Local Search, Benlic & Hao 2013).
 * 3. Every round ends with one-flip tabu search (gain buckets when couplings are integer multiples of a quantum,
 *    a scan otherwise) until `stallIterations` iterations pass without a new best.
 *
 * On the CPU annealing rounds do most of the work: a sweep at low temperature touches only the spins that flip,
 * whereas an SB step always costs a full matrix–vector product. SB's strength is the batched step, which the GPU
 * backends run; its agents seed the search here.
 */
export async function solveHybrid(model: IsingModel, options: HybridOptions = {}): Promise<SolveResult> {
  const tracker = new SolveTracker(options);
  const rng = createRng(options.seed ?? 1);
  const n = model.n;
  const g = flipGraph(model);
  const seeds: Int8Array[] = [];
  const sb = await solveSb(model, {
    seed: rng.int(2 ** 31),
    agents: options.agents ?? 4,
    steps: options.steps ?? 100,
    variant: options.variant ?? "ballistic",
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
  const tenure = Math.max(10, Math.min(40, Math.round(n / 20)));
  const tabuParams: TabuParams = {
    stallIterations: options.stallIterations ?? 5000,
    tenureBase: options.tenureBase ?? tenure,
    tenureRange: options.tenureRange ?? tenure,
  };
  const ig = integerFlipGraph(g);
  const averageDegree = g.rowPtr[n] / Math.max(1, n);
  const sweeps = Math.max(
    2,
    options.annealSweeps ?? (averageDegree >= 15 ? Math.min(1000, Math.max(200, Math.round(0.3 * n))) : 1000),
  );
  const [hot, cold] = annealingBetaRange(g);
  const b0 = Math.min(5 * hot, cold);
  const betas = Float64Array.from({ length: sweeps }, (_, k) => b0 * (cold / b0) ** (k / (sweeps - 1)));
  const s = new Int8Array(n);
  let round = 0;
  const kickRounds = options.kickRounds ?? 1;
  const kick0 = Math.max(1, Math.round(n / 100));
  const kickMax = Math.max(kick0, Math.round(n / 10));
  let kick = kick0;
  const timed = options.timeLimitMs !== undefined || options.targetEnergy !== undefined;
  while (!tracker.reachedTarget() && !tracker.outOfTime() && n > 0) {
    if (!timed && round >= Math.max(2, seeds.length)) break;
    const kicking = round >= seeds.length && (round - seeds.length) % (kickRounds + 1) !== 0;
    if (round < seeds.length) s.set(seeds[round]);
    else if (kicking) {
      s.set(best);
      for (let k = 0; k < kick; k++) {
        const i = rng.int(n);
        s[i] = -s[i];
      }
    } else {
      for (let i = 0; i < n; i++) s[i] = rng.next() < 0.5 ? -1 : 1;
      anneal(g, ig, s, betas, rng);
      evaluations += sweeps * n;
    }
    round++;
    const start = flipEnergy(g, s);
    if (tracker.offer(start)) {
      bestEnergy = start;
      best.set(s);
    }
    const hooks = {
      shouldStop: () => {
        tracker.progress();
        return tracker.outOfTime();
      },
      onBest: (e: number) => {
        tracker.offer(e);
        return e <= tracker.target;
      },
    };
    const r = ig
      ? tabuSearchBuckets(ig, s, start, tabuParams, rng, hooks)
      : tabuSearch(g, s, start, tabuParams, rng, hooks);
    evaluations += r.iterations;
    if (r.bestEnergy < bestEnergy) {
      bestEnergy = r.bestEnergy;
      best.set(s);
      kick = kick0;
    } else if (kicking) kick = Math.min(kickMax, kick + kick0);
  }
  return {
    spins: best,
    energy: flipEnergy(g, best),
    solver: `${sb.solver.split("+")[0]}+sa+tabu`,
    evaluations,
    elapsedMs: tracker.elapsed(),
    stoppedBy: tracker.stoppedBy(),
    timeline: tracker.timeline,
  };
}

function anneal(g: FlipGraph, ig: IntegerFlipGraph | undefined, s: Int8Array, betas: Float64Array, rng: Rng): void {
  if (ig) integerMetropolisSweeps(ig, s, integerKeys(ig, s), betas, rng.int(2 ** 32));
  else metropolisSweeps(g, s, betas, rng);
}
