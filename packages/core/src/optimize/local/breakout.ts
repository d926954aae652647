import type { Rng } from "../../random";
import { GainBuckets } from "./gain-buckets";
import type { IntegerFlipGraph } from "./tabu-buckets";

/**
 * Parameters of Breakout Local Search (Benlic & Hao 2013, "Breakout local search for the max-cut problem", Eng.
 * Appl. Artif. Intell. 26(3)); defaults are the paper's max-cut settings.
 */
export interface BreakoutParams {
  /** Initial jump magnitude L0 (perturbation moves); default max(2, 0.01·n). */
  jumpInitial?: number;
  /** Strong jump after `stagnation` non-improving local optima; default max(L0, 0.1·n). */
  jumpMax?: number;
  /** T: non-improving local optima before a strong jump; also the decay of the directed-perturbation odds. */
  stagnation?: number;
  /** P0: least probability of a directed (tabu) perturbation (default 0.8). */
  directedMin?: number;
  /** Q: probability of recency-based rather than random perturbation when not directed (default 0.5). */
  recencyShare?: number;
  /** Tabu tenure of directed moves: uniform in [tenureMin, tenureMax] (default [3, n/10]). */
  tenureMin?: number;
  tenureMax?: number;
}

export interface BreakoutHooks {
  /** Polled every 64 local optima: return true to pause (time limit). */
  shouldStop?: () => boolean;
  /** Sees each new best energy of the walk; returning true pauses it (target reached). */
  onBest?: (energy: number) => boolean | undefined;
}

/** The tabu tenure range [min, max] of perturbation moves (default [3, n/10], Benlic & Hao 2013). */
export function breakoutTenure(n: number, params: BreakoutParams): [number, number] {
  const min = Math.max(1, Math.round(params.tenureMin ?? 3));
  return [min, Math.max(min, Math.round(params.tenureMax ?? n / 10))];
}

/**
 * Breakout Local Search (Benlic & Hao 2013) on an integer-gain model, as a walk that can be paused and resumed.
 * It alternates steepest descent to a one-flip local optimum with a perturbation of adaptive strength L:
 *
 * - L grows by one when the descent fell back into the previous local optimum, returns to L0 otherwise, and jumps
 *   to Lmax after T local optima without a new best (then the count restarts);
 * - the perturbation is *directed* (L tabu moves: the best move not made in the last tenure flips, aspiration for a
 *   new best) with probability P = max(e^(−ω/T), P0), ω the local optima since the last best; otherwise
 *   *recency-based* (the L spins flipped longest ago) with probability Q, else *random* (L random spins).
 *
 * The walk goes from local optimum to local optimum and never returns to its best; `best` holds the best
 * configuration seen since `start`, `bestEnergy` its energy.
 */
export class BreakoutWalk {
  readonly best: Int8Array;
  bestEnergy = Number.POSITIVE_INFINITY;
  /** Flips, local optima and work (flips plus neighbour updates) since construction. */
  flips = 0;
  localOptima = 0;
  work = 0;
  private readonly buckets: GainBuckets;
  private readonly twoQ: number;
  private readonly L0: number;
  private readonly Lmax: number;
  private readonly T: number;
  private readonly P0: number;
  private readonly Q: number;
  private readonly tMin: number;
  private readonly tSpan: number;
  private energy0 = 0;
  private bestUnits = 0;
  private previous = Number.NaN;
  private omega = 0;
  private L: number;
  private stall = 0;

  constructor(
    private readonly ig: IntegerFlipGraph,
    params: BreakoutParams,
    private readonly rng: Rng,
  ) {
    const n = ig.graph.n;
    const [tMin, tMax] = breakoutTenure(n, params);
    this.tMin = tMin;
    this.tSpan = tMax - tMin + 1;
    this.buckets = new GainBuckets(ig, new Int8Array(n), tMax);
    this.best = new Int8Array(n);
    this.twoQ = 2 * ig.quantum;
    this.L0 = Math.max(1, Math.round(params.jumpInitial ?? Math.max(2, 0.01 * n)));
    this.Lmax = Math.max(this.L0, Math.round(params.jumpMax ?? 0.1 * n));
    this.T = params.stagnation ?? 1000;
    this.P0 = params.directedMin ?? 0.8;
    this.Q = params.recencyShare ?? 0.5;
    this.L = this.L0;
  }

  /** The configuration the walk is at now. */
  get current(): Int8Array {
    return this.buckets.s;
  }

  /** Local optima since the walk's last new best. */
  get stalled(): number {
    return this.stall;
  }

  /** Starts (or restarts) the walk at `s`, whose energy is `energy`. */
  start(s: Int8Array, energy: number): void {
    this.buckets.reset(s);
    this.best.set(s);
    this.energy0 = energy;
    this.bestUnits = 0;
    this.bestEnergy = energy;
    this.previous = Number.NaN;
    this.omega = 0;
    this.stall = 0;
    this.L = this.L0;
  }

  /**
   * Continues the walk until it has done `maxWork` (flips plus neighbour updates; it stops at the first local
   * optimum past that), until `maxStall` local optima pass without a new best, or until a hook pauses it. Returns
   * true when it found a new best.
   */
  run(maxWork: number, hooks: BreakoutHooks = {}, maxStall = Number.POSITIVE_INFINITY): boolean {
    const gb = this.buckets;
    const rng = this.rng;
    const n = this.ig.graph.n;
    const flips0 = gb.clock;
    const work0 = gb.work;
    let improved = false;
    for (;;) {
      // Steepest descent to a one-flip local optimum.
      while (gb.lowestKey() < 0) gb.flip(gb.lowest());
      this.localOptima++;
      const e = gb.energy;
      if (e < this.bestUnits) {
        this.bestUnits = e;
        this.bestEnergy = this.energy0 + this.twoQ * e;
        this.best.set(gb.s);
        this.omega = 0;
        this.stall = 0;
        improved = true;
        if (hooks.onBest?.(this.bestEnergy)) break;
      } else {
        this.omega++;
        this.stall++;
      }
      if (gb.work - work0 >= maxWork || this.stall >= maxStall) break;
      if ((this.localOptima & 63) === 0 && hooks.shouldStop?.()) break;
      if (this.omega > this.T) {
        this.L = this.Lmax;
        this.omega = 0;
      } else if (e === this.previous) this.L++;
      else this.L = this.L0;
      this.previous = e;
      const strength = Math.min(this.L, n);
      const directed = Math.max(Math.exp(-this.omega / this.T), this.P0);
      const u = rng.next();
      const kind = u < directed ? 0 : u < directed + (1 - directed) * this.Q ? 1 : 2;
      for (let m = 0; m < strength; m++) {
        const i =
          kind === 0 ? gb.lowestAllowed(this.bestUnits - gb.energy) : kind === 1 ? gb.leastRecent() : rng.int(n);
        if (i < 0) break;
        gb.flip(i);
        gb.makeTabu(i, this.tMin + rng.int(this.tSpan));
      }
    }
    this.flips += gb.clock - flips0;
    this.work += gb.work - work0;
    return improved;
  }
}

/**
 * One BLS run from `s` (replaced by the best configuration found) until `maxWork` (flips plus neighbour updates),
 * `maxStall` local optima without a new best, or a hook stops it. `energy` is E(s) on entry. A walk may be passed
 * in to reuse its buffers.
 */
export function breakoutLocalSearch(
  ig: IntegerFlipGraph,
  s: Int8Array,
  energy: number,
  params: BreakoutParams & { maxWork?: number; maxStall?: number },
  rng: Rng,
  hooks: BreakoutHooks = {},
  walk = new BreakoutWalk(ig, params, rng),
): { bestEnergy: number; flips: number; localOptima: number } {
  const flips = walk.flips;
  const optima = walk.localOptima;
  walk.start(s, energy);
  walk.run(params.maxWork ?? Number.POSITIVE_INFINITY, hooks, params.maxStall);
  s.set(walk.best);
  return { bestEnergy: walk.bestEnergy, flips: walk.flips - flips, localOptima: walk.localOptima - optima };
}
