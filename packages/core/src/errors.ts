/**
 * An error a user can act on: a stable machine-readable code and a message that says what to fix
 * ("line 17: value 'abc' is not a number"). Hosts print the message, never a stack trace.
 */
export class NqpError extends Error {
  readonly code: string;
  readonly details?: Record<string, unknown>;

  constructor(code: string, message: string, details?: Record<string, unknown>) {
    super(message);
    this.name = "NqpError";
    this.code = code;
    this.details = details;
  }
}

export function isNqpError(err: unknown): err is NqpError {
  return err instanceof NqpError;
}
