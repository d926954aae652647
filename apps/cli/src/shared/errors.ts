import { isNqpError } from "@nqp/core";

/** Exit codes: 2 for anything the user can fix (bad input, bad flags), 1 for failures of the program itself. */
export const EXIT_USAGE = 2;
export const EXIT_FAILURE = 1;

/** Prints an error as one or a few plain lines (never a stack trace) and returns the exit code to use. */
export function reportError(command: string, err: unknown): number {
  if (isNqpError(err)) {
    process.stderr.write(`nqp ${command}: error: ${err.message}\n`);
    return EXIT_USAGE;
  }
  const e = err as NodeJS.ErrnoException;
  if (e && typeof e === "object" && typeof e.code === "string" && typeof e.path === "string") {
    const what: Record<string, string> = {
      ENOENT: "no such file or directory",
      EACCES: "permission denied",
      EISDIR: "is a directory",
      ENOTDIR: "not a directory",
    };
    process.stderr.write(`nqp ${command}: error: ${e.path}: ${what[e.code] ?? e.code}\n`);
    return EXIT_USAGE;
  }
  const message = e instanceof Error ? e.message : String(err);
  process.stderr.write(`nqp ${command}: internal error: ${message}\n`);
  if (process.env.NQP_DEBUG && e instanceof Error && e.stack) process.stderr.write(`${e.stack}\n`);
  return EXIT_FAILURE;
}
