import type { Command } from "commander";
import { addCommonOptions, type CommonOptimizeOptions } from "../optimize/common";
import { type MaxCutOptions, maxCutCommand } from "../optimize/maxcut";
import { type PortfolioOptions, portfolioCommand } from "../optimize/portfolio";
import { quboCommand } from "../optimize/qubo";
import { scheduleCommand } from "../optimize/schedule";
import { action, type CommandModule } from "../shared/command";
import { integer, real } from "../shared/options";

export const registerOptimize: CommandModule = (program: Command) => {
  const optimize = program
    .command("optimize")
    .description("solve max-cut, QUBO/Ising, portfolio selection or maintenance scheduling (docs/optimizer.md)");

  addCommonOptions(
    optimize.command("maxcut").description("maximum cut of a weighted graph (G-set / rudy text)"),
    "graph file: first line `n m`, then `i j w` per edge (1-based ids)",
  )
    .option("--target <cut>", "stop as soon as a cut this large is found", real())
    .action(action("optimize maxcut", (o: MaxCutOptions) => maxCutCommand(o)));

  addCommonOptions(
    optimize.command("qubo").description("minimise a QUBO (or an Ising model given as J, h)"),
    "model file: .json (Q, terms or J/h) or .csv (rows of a symmetric Q)",
  ).action(action("optimize qubo", (o: CommonOptimizeOptions) => quboCommand(o)));

  addCommonOptions(
    optimize.command("portfolio").description("choose K assets maximising expected return − λ·variance"),
    "CSV: header of asset names (optional date column first), one row per period",
  )
    .requiredOption("--k <count>", "number of assets to choose", integer(1))
    .option("--risk-aversion <lambda>", "λ in return − λ·variance", real(0), 1)
    .option("--returns", "the CSV holds returns per period (default: prices)")
    .action(action("optimize portfolio", (o: PortfolioOptions) => portfolioCommand(o)));

  addCommonOptions(
    optimize.command("schedule").description("assign maintenance jobs to time slots (crew capacity, downtime costs)"),
    "JSON with slots, machines and jobs (docs/optimizer.md)",
  ).action(action("optimize schedule", (o: CommonOptimizeOptions) => scheduleCommand(o)));

  // Nested subcommands report flag errors through main's handler too (exit code 2, no stack).
  for (const sub of optimize.commands)
    sub.exitOverride().showHelpAfterError(`(run 'nqp optimize ${sub.name()} --help' for usage)`);
};
