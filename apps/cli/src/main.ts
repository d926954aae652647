import { Command, CommanderError } from "commander";
import { commands } from "./commands";
import { EXIT_USAGE } from "./shared/errors";

const program = new Command("nqp")
  .description("NQP, the Neuromorphic-Quantum Platform: streaming forecasts, anomaly detection and optimisation")
  .version("0.1.0")
  .showHelpAfterError("(run with --help for usage)")
  .exitOverride()
  // Options after a subcommand belong to it (needed where a command and its subcommands share option names,
  // e.g. `nqp hub --data D` and `nqp hub agent add ID --data D`).
  .enablePositionalOptions()
  .configureOutput({ outputError: (text, write) => write(text) });

for (const register of commands) register(program);
for (const sub of program.commands) sub.exitOverride().showHelpAfterError(`(run 'nqp ${sub.name()} --help' for usage)`);

try {
  await program.parseAsync(process.argv);
} catch (err) {
  if (err instanceof CommanderError) {
    // --help and --version exit through here with code 0.
    process.exitCode = err.exitCode === 0 ? 0 : EXIT_USAGE;
  } else {
    process.stderr.write(`nqp: internal error: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exitCode = 1;
  }
}
