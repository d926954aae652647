import type { Logger } from "pino";

export const LOG_LEVELS = ["fatal", "error", "warn", "info", "debug", "trace", "silent"];

/** Structured JSON logs (pino) on stdout, or appended to a file. */
export async function createLogger(level: string, file?: string, base?: Record<string, unknown>): Promise<Logger> {
  const { pino } = await import("pino");
  const dest = file ? pino.destination({ dest: file, mkdir: true, sync: false }) : pino.destination(1);
  return pino({ level, base: base ?? null, timestamp: pino.stdTimeFunctions.isoTime }, dest);
}
