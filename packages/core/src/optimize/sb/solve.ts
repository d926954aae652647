import { createRng } from "../../random";
import { flipEnergy, flipGraph } from "../local/flip-state";
import { greedyDescent } from "../local/greedy";
import type { IsingModel } from "../model/ising";
import type { SolveOptions, SolveResult } from "../solve-types";
import { SolveTracker } from "../solve-types";
import { sbCouplings, spinsFromSb } from "./homogenise";
import { defaultSbParams, type SbParams, type SbVariant } from "./params";
import { agentSpins, initialSbState, type SbState } from "./state";
import { type SbStepper, typescriptStepper } from "./stepper";

export interface SbSolveOptions extends SolveOptions {
  variant?: SbVariant;
  /** Trajectories advanced together (default 16). */
  agents?: number;
  /** Steps per run (default 1000); the pump ramps 0 → a0 over them. */
  steps?: number;
  dt?: number;
  c0?: number;
  /** Heating γ (default 0: off). */
  heat?: number;
  /** Greedy one-flip descent on each agent's final signs (default true). */
  polish?: boolean;
  /** Runs to make; default 1 without a time limit, else as many as fit in it. */
  runs?: number;
  precision?: "f32" | "f64";
  stepper?: SbStepper;
  /** Called with every agent's final (polished) spins and energy at the end of each run. */
  onAgents?: (agents: { spins: Int8Array; energy: number }[]) => void;
}

/**
 * Simulated bifurcation: `agents` trajectories of the chosen variant from random small amplitudes, the pump ramped
 * over `steps`, then sgn(x) read out and (by default) polished by greedy one-flip descent. With a time limit,
 * further runs from new random starts fill it. The best agent over all runs is returned.
 */
export async function solveSb(model: IsingModel, options: SbSolveOptions = {}): Promise<SolveResult> {
  const tracker = new SolveTracker(options);
  const rng = createRng(options.seed ?? 1);
  const couplings = sbCouplings(model);
  const params: SbParams = defaultSbParams(model, {
    variant: options.variant,
    steps: options.steps,
    dt: options.dt,
    c0: options.c0,
    heat: options.heat,
  });
  const agents = Math.max(1, options.agents ?? 16);
  const stepper = options.stepper ?? typescriptStepper;
  const polish = options.polish ?? true;
  const graph = flipGraph(model);
  const runs = options.runs ?? (Number.isFinite(tracker.limitMs) ? Number.POSITIVE_INFINITY : 1);
  const chunk = 25;
  const best = new Int8Array(model.n).fill(1);
  let evaluations = 0;
  let run = 0;
  const signs = new Int8Array(couplings.size);
  while (run < runs) {
    const state: SbState = initialSbState(agents, couplings.size, rng, options.precision ?? "f64");
    while (state.step < params.steps) {
      const count = Math.min(chunk, params.steps - state.step);
      await stepper.advance(couplings.J, params, state, count);
      evaluations += count * agents;
      tracker.progress((run + state.step / params.steps) / (Number.isFinite(runs) ? runs : Number.POSITIVE_INFINITY));
      if (tracker.outOfTime()) break;
    }
    const finished: { spins: Int8Array; energy: number }[] = [];
    for (let a = 0; a < agents; a++) {
      const spins = spinsFromSb(couplings, model.n, agentSpins(state, a, signs));
      if (polish) greedyDescent(graph, spins);
      const energy = flipEnergy(graph, spins);
      finished.push({ spins, energy });
      if (tracker.offer(energy)) best.set(spins);
    }
    options.onAgents?.(finished);
    run++;
    if (tracker.reachedTarget() || tracker.outOfTime()) break;
  }
  const name = { adiabatic: "asb", ballistic: "bsb", discrete: "dsb" }[params.variant];
  return {
    spins: best,
    energy: tracker.bestEnergy,
    solver: `${name}${params.heat ? "-heated" : ""}${polish ? "+greedy" : ""}`,
    evaluations,
    elapsedMs: tracker.elapsed(),
    stoppedBy: tracker.stoppedBy(),
    timeline: tracker.timeline,
  };
}
