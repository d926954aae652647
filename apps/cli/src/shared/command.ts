import type { Command } from "commander";
import { reportError } from "./errors";

/** A subcommand of nqp: it adds itself (flags, help, action) to the program. */
export type CommandModule = (program: Command) => void;

/**
 * Wraps an action so that every failure becomes a plain message and a non-zero exit code. Long-running commands
 * (agent, hub, demo) return a promise that settles when they stop.
 */
export function action<A extends unknown[]>(name: string, run: (...args: A) => Promise<void> | void) {
  return async (...args: A): Promise<void> => {
    try {
      await run(...args);
    } catch (err) {
      process.exitCode = reportError(name, err);
    }
  };
}
