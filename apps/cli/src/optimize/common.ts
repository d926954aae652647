import { ISING_SOLVERS, type IsingSolverName } from "@nqp/core";
import { type Command, Option } from "commander";
import { integer, real } from "../shared/options";
import { BACKENDS } from "./backend";

/** Options every `nqp optimize` subcommand takes. */
export interface CommonOptimizeOptions {
  input: string;
  output: string;
  timeLimit: number;
  solver: IsingSolverName;
  agents?: number;
  heat?: number;
  backend: string;
  seed: number;
  workers: number;
  layers: number;
  annealTime?: number;
  trotterSteps?: number;
  shots: number;
  cpuClock?: boolean;
  json?: boolean;
}

export function addCommonOptions(cmd: Command, inputHelp: string): Command {
  return cmd
    .requiredOption("--input <file>", inputHelp)
    .requiredOption("--output <file>", "JSON file to write the result to")
    .option(
      "--time-limit <seconds>",
      "stop after this many seconds (best found so far is kept)",
      real(0, 86_400, { openMin: true }),
      10,
    )
    .addOption(
      new Option(
        "--solver <name>",
        "sb = SB seed + annealing + breakout local search; dsb/bsb/asb = pure simulated bifurcation; sa = annealing; " +
          "exact = exhaustive (n ≤ 24); qaoa/adiabatic = exact quantum evolution on the state vector (n ≤ 20)",
      )
        .choices([...ISING_SOLVERS])
        .default("sb"),
    )
    .option("--agents <n>", "simulated-bifurcation agents advanced together", integer(1, 1_000_000))
    .option("--heat <gamma>", "SB heating γ (Kanao & Goto 2022); 0 = off", real(0, 1), 0)
    .addOption(new Option("--backend <name>", "where SB steps run").choices([...BACKENDS]).default("auto"))
    .option("--seed <seed>", "random seed", integer(0), 1)
    .option("--workers <n>", "independent searches in parallel threads (the best is kept)", integer(1, 64), 1)
    .option("--layers <p>", "qaoa: circuit layers p (angles optimised layer by layer)", integer(1, 50), 3)
    .option("--anneal-time <T>", "adiabatic: total evolution time T (default 10·n)", real(0, 1e6, { openMin: true }))
    .option("--trotter-steps <k>", "adiabatic: Trotter steps (default 20·T)", integer(1, 100_000_000))
    .option("--shots <n>", "qaoa/adiabatic: measurements sampled from the final state", integer(1, 10_000_000), 1000)
    .option(
      "--cpu-clock",
      "count --time-limit in CPU seconds per worker (process CPU time ÷ workers) instead of wall-clock seconds",
    )
    .option("--json", "print a JSON summary on stdout");
}
