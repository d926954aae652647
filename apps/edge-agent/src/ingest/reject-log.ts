import type { Logger } from "pino";

/**
 * Logs rejected payloads at a bounded rate: at most `perMinute` lines a minute, then one summary line with how many
 * were suppressed. A flood of garbage can then never flood the logs or slow ingest; the counters see everything.
 */
export class RejectLog {
  private windowStart = 0;
  private logged = 0;
  private suppressed = 0;

  constructor(
    private readonly log: Logger,
    private readonly perMinute: () => number,
  ) {}

  reject(reason: string, topic: string, payload?: Uint8Array): void {
    const now = Date.now();
    if (now - this.windowStart >= 60_000) {
      if (this.suppressed > 0) this.log.warn({ suppressed: this.suppressed }, "more rejects were not logged");
      this.windowStart = now;
      this.logged = 0;
      this.suppressed = 0;
    }
    if (this.logged >= this.perMinute()) {
      this.suppressed++;
      return;
    }
    this.logged++;
    const preview = payload
      ? Buffer.from(payload.subarray(0, 80))
          .toString("utf8")
          .replace(/[^\x20-\x7e]/g, "?")
      : undefined;
    this.log.warn({ reason, topic: topic.slice(0, 200), bytes: payload?.byteLength, preview }, "rejected sensor data");
  }
}
