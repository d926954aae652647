import type { QuantumReport } from "./quantum/solve";

/** What every solver reports, whatever its method. Lower energy is better. */
export interface SolveResult {
  /** The best spin configuration found (±1). */
  spins: Int8Array;
  energy: number;
  /** The method that ran, e.g. "dsb+tabu", "bsb", "sa". */
  solver: string;
  /**
   * Work done, in the unit natural to the method: single-spin flip evaluations for annealing and local search,
   * agent-steps for simulated bifurcation (one agent advanced one time step), configurations for brute force.
   */
  evaluations: number;
  elapsedMs: number;
  stoppedBy: "target" | "time-limit" | "completed";
  /** Best-so-far energy over time: one point each time the best improved. */
  timeline: { ms: number; energy: number }[];
  /** Exact quantum solvers (qaoa, adiabatic): what the simulation knows about the final state. */
  quantum?: QuantumReport;
}

export interface SolveProgress {
  elapsedMs: number;
  /** 0…1: share of the time limit (or of the planned work, whichever is further along). */
  fraction: number;
  bestEnergy: number;
}

/** Options every solver takes. */
export interface SolveOptions {
  /** Seed of every random choice; equal seeds and inputs give equal results (time limits aside). */
  seed?: number;
  /** Stop after this many milliseconds (the best found so far is returned). */
  timeLimitMs?: number;
  /** Stop as soon as a configuration with energy ≤ this is found. */
  targetEnergy?: number;
  onProgress?: (p: SolveProgress) => void;
  /** Milliseconds clock; defaults to performance.now() where present, else Date.now(). */
  clock?: () => number;
}

export function defaultClock(): () => number {
  const perf = (globalThis as { performance?: { now(): number } }).performance;
  return perf ? () => perf.now() : () => Date.now();
}

/** Tracks the best energy, the timeline, time limit and target for a solver's main loop. */
export class SolveTracker {
  readonly start: number;
  readonly clock: () => number;
  readonly limitMs: number;
  readonly target: number;
  bestEnergy = Number.POSITIVE_INFINITY;
  readonly timeline: { ms: number; energy: number }[] = [];
  private lastProgress = 0;
  private readonly onProgress?: (p: SolveProgress) => void;

  constructor(options: SolveOptions) {
    this.clock = options.clock ?? defaultClock();
    this.start = this.clock();
    this.limitMs = options.timeLimitMs ?? Number.POSITIVE_INFINITY;
    this.target = options.targetEnergy ?? Number.NEGATIVE_INFINITY;
    this.onProgress = options.onProgress;
  }

  elapsed(): number {
    return this.clock() - this.start;
  }

  /** Records a candidate; returns true when it is a new best. */
  offer(energy: number): boolean {
    if (energy < this.bestEnergy) {
      this.bestEnergy = energy;
      this.timeline.push({ ms: this.elapsed(), energy });
      return true;
    }
    return false;
  }

  reachedTarget(): boolean {
    return this.bestEnergy <= this.target + 1e-9 * Math.max(1, Math.abs(this.target));
  }

  outOfTime(): boolean {
    return this.elapsed() >= this.limitMs;
  }

  /** Reports progress at most every 100 ms; `work` is the share of planned work done, if the solver knows it. */
  progress(work = 0): void {
    if (!this.onProgress) return;
    const ms = this.elapsed();
    if (ms - this.lastProgress < 100 && work < 1) return;
    this.lastProgress = ms;
    const byTime = Number.isFinite(this.limitMs) ? ms / this.limitMs : 0;
    this.onProgress({ elapsedMs: ms, fraction: Math.min(1, Math.max(byTime, work)), bestEnergy: this.bestEnergy });
  }

  stoppedBy(): SolveResult["stoppedBy"] {
    if (this.reachedTarget()) return "target";
    return this.outOfTime() ? "time-limit" : "completed";
  }
}
