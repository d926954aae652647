import { decodeSensorPayload, validateAgentConfig } from "@nqp/contract";
import { createRng } from "@nqp/core";
import { Agent, LoadGenerator } from "@nqp/edge-agent";
import { startSensorBroker } from "@nqp/hub";
import { tempDir, waitFor } from "@nqp/testkit";
import mqtt from "mqtt";
import pino from "pino";
import { afterAll, describe, expect, it } from "vitest";
import { hostilePayloads } from "./fuzz/hostile";

const tmp = tempDir();
afterAll(() => tmp.remove());

describe("fuzz: 10 000 hostile payloads while good data flows", () => {
  it("rejects every hostile payload with a reason, never crashes, and accepts every good sample", async () => {
    const sensors = await startSensorBroker();
    const url = `mqtt://127.0.0.1:${sensors.port}`;
    const agent = await Agent.start({
      config: validateAgentConfig({
        id: "fuzzed",
        data: `${tmp.path}/agent`,
        ingest: { url, topics: ["sensors/#"] },
        log: { rejectsPerMinute: 20 },
      }),
      logger: pino({ level: "silent" }),
    });
    let fatal: unknown;
    agent.on("fatal", (e) => {
      fatal = e;
    });
    await waitFor(() => agent.ingestConnected, "agent connected");

    const payloads = hostilePayloads(10_000, createRng(11));
    // Every payload is hostile: none decodes to a sample (checked here so the agent's counts can be exact).
    let expectedRejects = 0;
    for (const p of payloads) {
      const d = decodeSensorPayload("sensors/fuzz/x", p, Date.now());
      expect(d.samples).toEqual([]);
      expectedRejects += d.rejects.length;
    }

    const good = new LoadGenerator({
      url,
      topicPrefix: "sensors/good",
      streams: 10,
      rate: 2000,
      total: 10_000,
      seed: 5,
    });
    await good.start();
    const attacker = mqtt.connect(url, { protocolVersion: 4 });
    await new Promise((r) => attacker.once("connect", r));
    let sent = 0;
    for (const [i, p] of payloads.entries()) {
      attacker.publish(`sensors/fuzz/${i % 20}`, p, { qos: 1 }, () => sent++);
      if (i % 200 === 199) await new Promise((r) => setTimeout(r, 5));
    }
    await good.finished;
    await waitFor(() => sent === payloads.length, "all hostile payloads delivered to the broker", 60_000);

    const rejected = () => [...agent.metrics.rejectCounts.values()].reduce((a, b) => a + b, 0);
    await waitFor(
      () => agent.metrics.acceptedTotal === good.stats.published && rejected() === expectedRejects,
      "all processed",
      60_000,
    );
    expect(fatal).toBeUndefined();
    expect(agent.engine.streamNames().filter((s) => s.includes("fuzz"))).toEqual([]);
    expect(agent.engine.streamCount).toBe(10);
    const reasons = Object.fromEntries(agent.metrics.rejectCounts);
    for (const r of [
      "not-text",
      "too-large",
      "too-deep",
      "not-json",
      "bad-shape",
      "bad-value",
      "bad-timestamp",
      "empty",
    ])
      expect(reasons[r], r).toBeGreaterThan(0);
    // Exactly one prediction per good sample.
    expect(agent.store.db.prepare("SELECT count(*) FROM predictions").pluck().get()).toBe(good.stats.published);
    await attacker.endAsync();
    await agent.stop();
    await sensors.close();
  }, 120_000);
});
