import { createRng, type Rng } from "../../random";
import { integerKeys, integerMetropolisSweeps } from "../anneal/integer-sweeps";
import { annealingBetaRange, metropolisSweeps } from "../anneal/sa";
import { geometricBetas, glassTransitionBeta, luby } from "../anneal/schedule";
import { type BreakoutParams, BreakoutWalk } from "../local/breakout";
import { type FlipGraph, flipEnergy, flipGraph } from "../local/flip-state";
import { type TabuParams, tabuSearch } from "../local/tabu";
import { type IntegerFlipGraph, integerFlipGraph } from "../local/tabu-buckets";
import type { IsingModel } from "../model/ising";
import { solveSb } from "../sb/solve";
import { type SbStepper, typescriptStepper } from "../sb/stepper";
import { type SolveOptions, type SolveResult, SolveTracker } from "../solve-types";

export interface HybridOptions extends SolveOptions {
  /**
   * SB agents (default 1 with the TypeScript stepper, 64 with a kernel backend's) and steps (default 100); bSB by
   * default. The best agent seeds the local search.
   */
  agents?: number;
  steps?: number;
  variant?: "adiabatic" | "ballistic" | "discrete";
  heat?: number;
  stepper?: SbStepper;
  /**
   * Base length of the annealing rounds in sweeps: round r anneals for annealSweeps·luby(r) sweeps (Luby
   * restarts). Default clamp(n, 500, 5000)·σ, σ = clamp(√(20/average degree), 1, 4): sparse graphs freeze slowly.
   */
  annealSweeps?: number;
  /** Annealing starts at this multiple of the estimated glass-transition β (default 1; see glassTransitionBeta). */
  annealStart?: number;
  /** Breakout Local Search parameters (Benlic & Hao 2013 defaults; see BreakoutWalk). */
  breakout?: BreakoutParams;
  /**
   * Work of the BLS polish of each round's start (SB seed or annealing result), as a multiple of the round's
   * annealing work (proposals plus neighbour updates); default 1.
   */
  breakoutShare?: number;
  /** The polish also stops after this many local optima without a new best (default 100). */
  polishStall?: number;
  /**
   * Work of the long BLS walk per round, as a multiple of the round's annealing work; 0 turns the walk off.
   * Default 0.02 at first; see walkAdapt.
   */
  walkShare?: number;
  /**
   * Adapt the walk's share each round (default true): halve it (down to 0.01) when the round's restart found a new
   * best that the walk could not improve, double it (up to walkMax) otherwise.
   */
  walkAdapt?: boolean;
  /** Largest walk share when adapting (default 1). */
  walkMax?: number;
}

/**
 * The default solver ("sb"), a hybrid of published methods run until the time limit or the target (docs/optimizer.md
 * describes it with its parameters):
 *
 * 1. Simulated bifurcation (Goto et al. 2021, bSB by default): `agents` trajectories for `steps` steps, read out
 *    by sgn(x) and polished by greedy descent. Each becomes the start of one local-search stage.
 * 2. Then rounds of simulated annealing (Metropolis sweeps from a random state, β geometric from the estimated
 *    glass transition to dwave-samplers' cold end), round r lasting annealSweeps·luby(r) sweeps.
 * 3. Every SB seed and annealing result is refined by Breakout Local Search (Benlic & Hao 2013) when couplings
 *    are integer multiples of a quantum (gain buckets), by one-flip tabu search otherwise.
 * 4. With BLS, one long BLS walk also continues across rounds from the best so far (its share adapted, see
 *    walkAdapt).
 *
 * On the CPU annealing and BLS do most of the work: a sweep at low temperature touches only the spins that flip,
 * whereas an SB step always costs a full matrix–vector product. SB's strength is the batched step, which the GPU
 * backends run; its agents seed the search here.
 */
export async function solveHybrid(model: IsingModel, options: HybridOptions = {}): Promise<SolveResult> {
  const tracker = new SolveTracker(options);
  const rng = createRng(options.seed ?? 1);
  const n = model.n;
  const g = flipGraph(model);
  const onCpu = options.stepper === undefined || options.stepper === typescriptStepper;
  const sb = await solveSb(model, {
    seed: rng.int(2 ** 31),
    agents: options.agents ?? (onCpu ? 1 : 64),
    steps: options.steps ?? 100,
    variant: options.variant ?? "ballistic",
    heat: options.heat,
    stepper: options.stepper,
    runs: 1,
    clock: tracker.clock,
    timeLimitMs: options.timeLimitMs,
  });
  // The best agent (greedy-polished) seeds the local search; the others are dropped.
  const seeds = [sb.spins];
  let evaluations = sb.evaluations;
  const best = Int8Array.from(sb.spins);
  tracker.offer(sb.energy);
  const ig = integerFlipGraph(g);
  const h = hooks(tracker);
  const polish = ig ? new BreakoutWalk(ig, options.breakout ?? {}, rng) : undefined;
  const walk = ig && (options.walkShare ?? 0.02) > 0 ? new BreakoutWalk(ig, options.breakout ?? {}, rng) : undefined;
  const tenure = Math.max(10, Math.min(40, Math.round(n / 20)));
  const tabu: TabuParams = { tenureBase: tenure, tenureRange: tenure, stallIterations: 5000 };
  const [hotEnd, cold] = annealingBetaRange(g);
  const glass = glassTransitionBeta(g) * (options.annealStart ?? 1);
  const hot = Math.min(Math.max(hotEnd, Number.isFinite(glass) ? glass : cold / 4), cold);
  const averageDegree = g.rowPtr[n] / Math.max(1, n);
  const sparsity = Math.min(4, Math.max(1, Math.sqrt(20 / Math.max(averageDegree, 1e-9))));
  const baseSweeps = Math.max(2, Math.round(options.annealSweeps ?? Math.min(5000, Math.max(500, n)) * sparsity));
  const share = options.breakoutShare ?? 1;
  let walkShare = options.walkShare ?? 0.02;
  const walkAdapt = options.walkAdapt ?? true;
  const walkMax = options.walkMax ?? 1;
  const schedules = new Map<number, Float64Array>();
  const s = new Int8Array(n);
  let bestEnergy = tracker.bestEnergy;
  const consider = (spins: Int8Array, energy: number) => {
    if (energy < bestEnergy) {
      bestEnergy = energy;
      best.set(spins);
    }
    tracker.offer(energy);
  };
  const timed = options.timeLimitMs !== undefined || options.targetEnergy !== undefined;
  let round = 0;
  // Work credited to an SB seed's local search: that of a base annealing round, estimated as sweeps·(n + edges)
  // until one has run.
  let seedWork = baseSweeps * (n + g.rowPtr[n] / 2);
  while (!tracker.reachedTarget() && !tracker.outOfTime() && n > 0) {
    if (!timed && round >= seeds.length + 2) break;
    let work: number;
    if (round < seeds.length) {
      s.set(seeds[round]);
      work = seedWork;
    } else {
      const sweeps = baseSweeps * luby(round - seeds.length + 1);
      let betas = schedules.get(sweeps);
      if (!betas) {
        betas = geometricBetas(hot, cold, sweeps);
        schedules.set(sweeps, betas);
      }
      for (let i = 0; i < n; i++) s[i] = rng.next() < 0.5 ? -1 : 1;
      const a = anneal(g, ig, s, betas, rng, tracker);
      evaluations += a.proposals;
      work = a.work;
      seedWork = work;
    }
    round++;
    const roundStart = bestEnergy;
    const start = flipEnergy(g, s);
    consider(s, start);
    if (tracker.reachedTarget() || tracker.outOfTime()) break;
    if (polish) {
      const flips = polish.flips;
      polish.start(s, start);
      polish.run(share * work, h, options.polishStall ?? 100);
      evaluations += polish.flips - flips;
      consider(polish.best, polish.bestEnergy);
    } else {
      const r = tabuSearch(g, s, start, { ...tabu, maxIterations: Math.max(share * work, 5000) }, rng, h);
      evaluations += r.iterations;
      consider(s, r.bestEnergy);
    }
    if (walk && !tracker.reachedTarget() && !tracker.outOfTime()) {
      // The long walk continues from where it paused unless a restart found better than its own best.
      if (round === 1 || bestEnergy < walk.bestEnergy) walk.start(best, bestEnergy);
      const flips = walk.flips;
      const before = bestEnergy;
      walk.run(walkShare * work, h);
      evaluations += walk.flips - flips;
      consider(walk.best, walk.bestEnergy);
      if (walkAdapt) {
        if (before < roundStart && bestEnergy >= before) walkShare = Math.max(0.01, walkShare / 2);
        else walkShare = Math.min(walkMax, walkShare * 2);
      }
    }
  }
  return {
    spins: best,
    energy: flipEnergy(g, best),
    solver: `${sb.solver.split("+")[0]}+sa+${ig ? "bls" : "tabu"}`,
    evaluations,
    elapsedMs: tracker.elapsed(),
    stoppedBy: tracker.stoppedBy(),
    timeline: tracker.timeline,
  };
}

function hooks(tracker: SolveTracker) {
  return {
    shouldStop: () => {
      tracker.progress();
      return tracker.outOfTime();
    },
    onBest: (e: number) => {
      tracker.offer(e);
      return e <= tracker.target;
    },
  };
}

/**
 * Runs the annealing round in chunks of 64 sweeps so the time limit is checked. Returns the proposals made and the
 * work (proposals plus neighbour updates of accepted flips; the generic path counts proposals only).
 */
function anneal(
  g: FlipGraph,
  ig: IntegerFlipGraph | undefined,
  s: Int8Array,
  betas: Float64Array,
  rng: Rng,
  tracker: SolveTracker,
): { proposals: number; work: number } {
  const chunk = 64;
  let done = 0;
  let updates = 0;
  if (ig) {
    const keys = integerKeys(ig, s);
    let state = rng.int(2 ** 32);
    while (done < betas.length) {
      const part = betas.subarray(done, Math.min(betas.length, done + chunk));
      const r = integerMetropolisSweeps(ig, s, keys, part, state);
      state = r.rngState;
      updates += r.updates;
      done += part.length;
      tracker.progress();
      if (tracker.outOfTime()) break;
    }
  } else
    while (done < betas.length) {
      const part = betas.subarray(done, Math.min(betas.length, done + chunk));
      metropolisSweeps(g, s, part, rng);
      done += part.length;
      tracker.progress();
      if (tracker.outOfTime()) break;
    }
  return { proposals: done * g.n, work: done * g.n + updates };
}
