import { validateAgentConfig } from "@nqp/contract";
import { Agent, LoadGenerator } from "@nqp/edge-agent";
import { Hub, hashPassword, startSensorBroker } from "@nqp/hub";
import { tempDir, waitFor } from "@nqp/testkit";
import pino from "pino";
import { afterAll, describe, expect, it } from "vitest";

const tmp = tempDir();
const quiet = pino({ level: "silent" });
const cleanup: (() => Promise<void>)[] = [];
afterAll(async () => {
  for (const c of cleanup.reverse()) await c().catch(() => {});
  tmp.remove();
});

describe("ingest → store → sync → hub (embedded brokers)", () => {
  it("stores exactly one prediction per accepted sample at the hub, in seq order per stream", async () => {
    const hub = await Hub.start({ data: `${tmp.path}/hub`, mqttPort: 0, host: "127.0.0.1", logger: quiet });
    cleanup.push(() => hub.stop());
    hub.store.addAgent("a1", await hashPassword("pw-a1"));
    const sensors = await startSensorBroker();
    cleanup.push(() => sensors.close());
    const agent = await Agent.start({
      config: validateAgentConfig({
        id: "a1",
        data: `${tmp.path}/a1`,
        ingest: { url: `mqtt://127.0.0.1:${sensors.port}`, topics: ["sensors/#"] },
        hub: { url: `mqtt://127.0.0.1:${hub.mqttPort}`, password: "pw-a1" },
        sync: { batchRecords: 500, statusIntervalSeconds: 1 },
      }),
      logger: quiet,
    });
    cleanup.push(() => agent.stop());
    await waitFor(() => agent.ingestConnected && agent.hubConnected, "agent connected");

    const gen = new LoadGenerator({
      url: `mqtt://127.0.0.1:${sensors.port}`,
      streams: 10,
      rate: 4000,
      total: 6000,
      seed: 2,
    });
    await gen.start();
    await gen.finished;
    const published = gen.stats.published;
    expect(published).toBeGreaterThan(5000);
    await waitFor(() => agent.metrics.acceptedTotal === published, "all samples accepted");
    await waitFor(() => hub.store.agent("a1")?.ackedSeq === agent.store.lastSeq, "hub acked everything");

    const db = hub.store.db;
    expect(db.prepare("SELECT count(*) FROM predictions WHERE agent = 'a1'").pluck().get()).toBe(published);
    const streams = db.prepare("SELECT stream, records FROM streams WHERE agent = 'a1' ORDER BY stream").all() as {
      stream: string;
      records: number;
    }[];
    expect(streams.length).toBe(10);
    expect(streams.reduce((a, s) => a + s.records, 0)).toBe(published);
    // Per stream, seq order is time order (the agent accepted each stream's samples in order).
    const rows = db
      .prepare("SELECT stream, seq, ts FROM predictions WHERE agent = 'a1' ORDER BY stream, seq")
      .all() as {
      stream: string;
      seq: number;
      ts: number;
    }[];
    for (let i = 1; i < rows.length; i++)
      if (rows[i].stream === rows[i - 1].stream) expect(rows[i].ts).toBeGreaterThan(rows[i - 1].ts);
    // Status and audit came through the same outbox.
    await waitFor(() => hub.store.agent("a1")?.status?.acceptedTotal === published, "status synced");
    // Every stream's validation metrics came with the status (docs/validation.md, "On the edge").
    const validation = hub.store.agent("a1")?.status?.validation ?? {};
    expect(Object.keys(validation).length).toBe(10);
    for (const v of Object.values(validation)) {
      expect(v.count).toBeGreaterThan(0);
      expect(v.coverage).not.toBeNull();
    }
    expect(db.prepare("SELECT count(*) FROM agent_audit WHERE agent = 'a1'").pluck().get()).toBeGreaterThanOrEqual(1);
    await waitFor(() => agent.store.outboxDepth === 0, "outbox drained");
  });
});
