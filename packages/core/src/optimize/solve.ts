import { NqpError } from "../errors";
import { solveSa } from "./anneal/sa";
import { BRUTE_FORCE_MAX_SPINS, bruteForceIsing } from "./exact/brute-force";
import { solveHybrid } from "./hybrid/solve";
import type { IsingModel } from "./model/ising";
import { solveQuantum } from "./quantum/solve";
import { STATE_VECTOR_MAX_QUBITS } from "./quantum/state-vector";
import { solveSb } from "./sb/solve";
import type { SbStepper } from "./sb/stepper";
import { type SolveOptions, type SolveResult, SolveTracker } from "./solve-types";

/**
 * Solver names as the command line spells them: `sb` the hybrid (SB seed, annealing, Breakout Local Search;
 * default), `bsb`/`dsb`/`asb` pure simulated bifurcation with the greedy polish, `sa` simulated annealing, `exact`
 * exhaustive search (n ≤ 24), `qaoa`/`adiabatic` exact quantum evolution on the state vector (n ≤ 20).
 */
export type IsingSolverName = "sb" | "bsb" | "dsb" | "asb" | "sa" | "exact" | "qaoa" | "adiabatic";

export const ISING_SOLVERS: readonly IsingSolverName[] = [
  "sb",
  "dsb",
  "bsb",
  "asb",
  "sa",
  "exact",
  "qaoa",
  "adiabatic",
];

export interface SolveIsingOptions extends SolveOptions {
  solver?: IsingSolverName;
  /** SB agents (trajectories advanced together). */
  agents?: number;
  /** SB heating γ. */
  heat?: number;
  stepper?: SbStepper;
  /** qaoa: layers p; adiabatic: total time T and Trotter steps; both: measurement shots. */
  layers?: number;
  totalTime?: number;
  trotterSteps?: number;
  shots?: number;
}

export async function solveIsing(model: IsingModel, options: SolveIsingOptions = {}): Promise<SolveResult> {
  const solver = options.solver ?? "sb";
  switch (solver) {
    case "sb":
      return solveHybrid(model, options);
    case "bsb":
    case "dsb":
    case "asb":
      return solveSb(model, {
        ...options,
        variant: solver === "bsb" ? "ballistic" : solver === "dsb" ? "discrete" : "adiabatic",
      });
    case "sa":
      return solveSa(model, options);
    case "qaoa":
    case "adiabatic":
      if (model.n > STATE_VECTOR_MAX_QUBITS)
        throw new NqpError(
          "too-large",
          `--solver ${solver} simulates the quantum state exactly and handles at most ${STATE_VECTOR_MAX_QUBITS} ` +
            `variables; this problem has ${model.n} (use sb, dsb, bsb or sa)`,
        );
      return solveQuantum(model, { ...options, method: solver, steps: options.trotterSteps });
    case "exact": {
      if (model.n > BRUTE_FORCE_MAX_SPINS)
        throw new NqpError(
          "too-large",
          `--solver exact enumerates every assignment and handles at most ${BRUTE_FORCE_MAX_SPINS} variables; ` +
            `this problem has ${model.n} (use sb, dsb, bsb or sa)`,
        );
      const tracker = new SolveTracker(options);
      const r = bruteForceIsing(model);
      tracker.offer(r.energy);
      return {
        spins: r.spins,
        energy: r.energy,
        solver: "exact",
        evaluations: r.evaluations,
        elapsedMs: tracker.elapsed(),
        stoppedBy: "completed",
        timeline: tracker.timeline,
      };
    }
    default:
      throw new NqpError("bad-solver", `unknown solver '${solver}' (expected one of ${ISING_SOLVERS.join(", ")})`);
  }
}
