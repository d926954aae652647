import { createRng } from "../../random";
import { type IsingModel, isingEnergy } from "../model/ising";
import { type SolveOptions, type SolveResult, SolveTracker } from "../solve-types";
import { adiabaticEvolution } from "./adiabatic";
import { basisToSpins, type MeasurementSummary } from "./measure";
import { solveQaoa } from "./qaoa";

export type QuantumMethod = "qaoa" | "adiabatic";

export interface QuantumSolveOptions extends SolveOptions {
  method: QuantumMethod;
  /** QAOA layers p (default 3). */
  layers?: number;
  /** Adiabatic total time T and Trotter steps (defaults of adiabaticEvolution: T = 10·n, 20 steps per unit). */
  totalTime?: number;
  steps?: number;
  /** Measurements sampled from the final state (default 1000); the best one is the answer. */
  shots?: number;
}

/** One basis state of the final state: spins, probability of measuring it, energy. */
export interface QuantumOutcome {
  spins: Int8Array;
  probability: number;
  energy: number;
}

/** What the exact simulation knows about its final state, beyond the answer a device would give. */
export interface QuantumReport {
  method: QuantumMethod;
  qubits: number;
  shots: number;
  /** Probability of measuring a ground state (all degenerate ones), and the ground energy (from the spectrum). */
  groundStateProbability: number;
  groundEnergy: number;
  /** ⟨H_P⟩ in the final state. */
  expectedEnergy: number;
  mostLikely: QuantumOutcome;
  /** The ten most probable basis states, most probable first. */
  top: QuantumOutcome[];
  /** How often the returned (best sampled) configuration was measured among the shots. */
  bestShotCount: number;
  /** Share of the schedule (adiabatic) or of the planned angle search (QAOA) that ran before a time limit. */
  completed: number;
  /** QAOA: layers of the final circuit and its angles; circuit evaluations of the angle search. */
  layers?: number;
  gamma?: number[];
  beta?: number[];
  circuitEvaluations?: number;
  /** Adiabatic: total time T and Trotter steps planned. */
  totalTime?: number;
  steps?: number;
}

/**
 * Exact quantum evolution as a solver: QAOA (angles optimised) or adiabatic evolution on the state vector
 * (n ≤ 20), then `shots` measurements sampled from the final distribution with the seed, as a device would return
 * them; the best sampled configuration is the answer. The report adds what only a simulation knows: the
 * probability of the ground state and the most probable outcomes.
 */
export function solveQuantum(
  model: IsingModel,
  options: QuantumSolveOptions,
): SolveResult & { quantum: QuantumReport } {
  const tracker = new SolveTracker(options);
  const shots = Math.max(1, Math.round(options.shots ?? 1000));
  const hooks = {
    shouldStop: () => tracker.outOfTime(),
    onProgress: (f: number) => tracker.progress(f),
  };
  let summary: MeasurementSummary;
  let extra: Partial<QuantumReport>;
  let evaluations: number;
  let completed: number;
  if (options.method === "qaoa") {
    const layers = options.layers ?? 3;
    const r = solveQaoa(model, { layers, ...hooks });
    summary = r;
    evaluations = r.evaluations;
    completed = tracker.outOfTime() ? Math.min(1, r.gamma.length / layers) : 1;
    extra = { layers: r.gamma.length, gamma: r.gamma, beta: r.beta, circuitEvaluations: r.evaluations };
  } else {
    const r = adiabaticEvolution(model, { totalTime: options.totalTime, steps: options.steps, ...hooks });
    summary = r;
    evaluations = Math.round(r.completed * r.steps);
    completed = r.completed;
    extra = { totalTime: r.totalTime, steps: r.steps };
  }
  const p = summary.distribution;
  const rng = createRng(options.seed ?? 1);
  const cumulative = new Float64Array(p.length);
  let total = 0;
  for (let b = 0; b < p.length; b++) {
    total += p[b];
    cumulative[b] = total;
  }
  const energies = new Map<number, number>();
  let bestBasis = -1;
  let bestEnergy = Number.POSITIVE_INFINITY;
  const counts = new Map<number, number>();
  const energyOf = (b: number) => {
    let e = energies.get(b);
    if (e === undefined) {
      e = isingEnergy(model, basisToSpins(b, model.n));
      energies.set(b, e);
    }
    return e;
  };
  for (let k = 0; k < shots; k++) {
    const u = rng.next() * total;
    let lo = 0;
    let hi = p.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (cumulative[mid] > u) hi = mid;
      else lo = mid + 1;
    }
    counts.set(lo, (counts.get(lo) ?? 0) + 1);
    const e = energyOf(lo);
    if (e < bestEnergy) {
      bestEnergy = e;
      bestBasis = lo;
    }
  }
  const spins = basisToSpins(bestBasis, model.n);
  tracker.offer(bestEnergy);
  const quantum: QuantumReport = {
    method: options.method,
    qubits: model.n,
    shots,
    groundStateProbability: summary.groundStateProbability,
    groundEnergy: summary.groundEnergy,
    expectedEnergy: summary.expectedEnergy,
    mostLikely: summary.mostLikely,
    top: mostProbable(p, 10).map((b) => ({ spins: basisToSpins(b, model.n), probability: p[b], energy: energyOf(b) })),
    bestShotCount: counts.get(bestBasis) ?? 0,
    completed,
    ...extra,
  };
  return {
    spins,
    energy: bestEnergy,
    solver: options.method === "qaoa" ? `qaoa-p${quantum.layers}` : "adiabatic",
    evaluations,
    elapsedMs: tracker.elapsed(),
    stoppedBy: tracker.reachedTarget() ? "target" : completed < 1 ? "time-limit" : "completed",
    timeline: tracker.timeline,
    quantum,
  };
}

/** Indices of the k largest probabilities, largest first (one pass, a k-element sorted buffer). */
function mostProbable(p: Float64Array, k: number): number[] {
  const top: number[] = [];
  for (let b = 0; b < p.length; b++) {
    let i: number;
    if (top.length < k) {
      top.push(b);
      i = top.length - 1;
    } else if (p[b] > p[top[k - 1]]) {
      i = k - 1;
      top[i] = b;
    } else continue;
    while (i > 0 && p[top[i - 1]] < p[top[i]]) {
      const t = top[i - 1];
      top[i - 1] = top[i];
      top[i] = t;
      i--;
    }
  }
  return top;
}
