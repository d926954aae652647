import { NqpError } from "@nqp/core";

/** A listen failure as a message naming the flag to change. */
export function listenError(err: unknown, flag: string, host: string, port: number): NqpError {
  const e = err as NodeJS.ErrnoException;
  return new NqpError(
    "listen-failed",
    `${flag} ${port}: ${e.code === "EADDRINUSE" ? `port ${port} on ${host} is in use (pick another, or 0 for a free one)` : e.message}`,
  );
}
