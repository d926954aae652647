import { Writable } from "node:stream";
import pino from "pino";
import { describe, expect, it } from "vitest";
import { RejectLog } from "./reject-log";

describe("RejectLog", () => {
  it("logs at most the configured number of rejects a minute, with a printable preview", () => {
    const lines: Record<string, unknown>[] = [];
    const sink = new Writable({
      write(chunk, _enc, cb) {
        lines.push(JSON.parse(chunk.toString()));
        cb();
      },
    });
    const log = new RejectLog(pino({ level: "info" }, sink), () => 3);
    for (let i = 0; i < 100; i++) log.reject("not-json", "sensors/x", Buffer.from(`\u0000garbage ${i}`));
    expect(lines).toHaveLength(3);
    expect(lines[0]).toMatchObject({ reason: "not-json", topic: "sensors/x", preview: "?garbage 0" });
  });
});
