import { type Command, Option } from "commander";
import { integer, real } from "../shared/options";
import { BACKENDS } from "./backend";

/** Options every `nqp optimize` subcommand takes. */
export interface CommonOptimizeOptions {
  input: string;
  output: string;
  timeLimit: number;
  solver: "sb" | "dsb" | "bsb" | "asb" | "sa" | "exact";
  agents?: number;
  heat?: number;
  backend: string;
  seed: number;
  workers: number;
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
        "sb = SB-seeded tabu search; dsb/bsb/asb = pure simulated bifurcation; sa = annealing; exact = exhaustive (n ≤ 24)",
      )
        .choices(["sb", "dsb", "bsb", "asb", "sa", "exact"])
        .default("sb"),
    )
    .option("--agents <n>", "simulated-bifurcation agents advanced together", integer(1, 1_000_000))
    .option("--heat <gamma>", "SB heating γ (Kanao & Goto 2022); 0 = off", real(0, 1), 0)
    .addOption(new Option("--backend <name>", "where SB steps run").choices([...BACKENDS]).default("auto"))
    .option("--seed <seed>", "random seed", integer(0), 1)
    .option("--workers <n>", "independent searches in parallel threads (the best is kept)", integer(1, 64), 1)
    .option("--json", "print a JSON summary on stdout");
}
