import { NqpError } from "../../errors";
import { quboToIsing, spinsToBits } from "../model/convert";
import { type SolveIsingOptions, solveIsing } from "../solve";
import type { SolveResult } from "../solve-types";
import {
  evaluatePortfolio,
  type PortfolioEvaluation,
  type PortfolioProblem,
  portfolioQubo,
  repairPortfolio,
} from "./portfolio";
import {
  decodeSchedule,
  evaluateSchedule,
  repairSchedule,
  type ScheduleProblem,
  type ScheduleSolution,
  scheduleInfeasibility,
  scheduleQubo,
} from "./schedule";

/**
 * Portfolio selection end to end: QUBO with the automatic penalty, solved as Ising, decoded, then repaired (an
 * infeasible result is made feasible; a feasible one is improved by swaps). `raw` is the solver's own answer.
 */
export async function solvePortfolio(
  p: PortfolioProblem,
  options: SolveIsingOptions = {},
): Promise<{
  selection: Uint8Array;
  evaluation: PortfolioEvaluation;
  raw: PortfolioEvaluation;
  solve: SolveResult;
  penalty: number;
}> {
  const { qubo, penalty } = portfolioQubo(p);
  const solve = await solveIsing(quboToIsing(qubo), options);
  const x = spinsToBits(solve.spins);
  const raw = evaluatePortfolio(p, x);
  const selection = repairPortfolio(p, x);
  return { selection, evaluation: evaluatePortfolio(p, selection), raw, solve, penalty };
}

/**
 * Maintenance scheduling end to end: necessary conditions first (an impossible input is refused with its reason),
 * then the QUBO solved as Ising, decoded and repaired. When even repair cannot place every job, the solution
 * carries the reason.
 */
export async function solveSchedule(
  p: ScheduleProblem,
  options: SolveIsingOptions = {},
): Promise<
  ScheduleSolution & { solve: SolveResult; rawEvaluation: ReturnType<typeof evaluateSchedule>; penalty: number }
> {
  const why = scheduleInfeasibility(p);
  if (why) throw new NqpError("infeasible-schedule", `no feasible schedule exists: ${why}`);
  const sq = scheduleQubo(p);
  const solve = await solveIsing(quboToIsing(sq.qubo), options);
  const raw = decodeSchedule(p, sq, spinsToBits(solve.spins));
  const rawEvaluation = evaluateSchedule(p, raw);
  const { schedule, reason } = repairSchedule(p, raw);
  return { schedule, evaluation: evaluateSchedule(p, schedule), reason, solve, rawEvaluation, penalty: sq.penalty };
}
