import { validateAgentConfig } from "@nqp/contract";
import { Agent, LoadGenerator } from "@nqp/edge-agent";
import { Hub, hashPassword } from "@nqp/hub";
import { Mosquitto, mosquittoPath, tempDir, waitFor } from "@nqp/testkit";
import pino from "pino";
import { afterAll, describe, expect, it } from "vitest";

const tmp = tempDir();
const quiet = pino({ level: "silent" });
const mosquitto = mosquittoPath();
const cleanup: (() => Promise<void>)[] = [];
afterAll(async () => {
  for (const c of cleanup.reverse()) await c().catch(() => {});
  tmp.remove();
});

describe.skipIf(!mosquitto)("transports and broker defaults", () => {
  it("ingests from a mosquitto with its default in-flight window (20) and syncs to the hub over MQTT-over-WebSocket", async () => {
    const broker = await Mosquitto.start(mosquitto as string, { dir: `${tmp.path}/mosquitto`, maxInflight: 20 });
    cleanup.push(() => broker.stop());
    const hub = await Hub.start({ data: `${tmp.path}/hub`, host: "127.0.0.1", mqttPort: 0, wsPort: 0, logger: quiet });
    cleanup.push(() => hub.stop());
    hub.store.addAgent("ws-agent", await hashPassword("pw"));
    const agent = await Agent.start({
      config: validateAgentConfig({
        id: "ws-agent",
        data: `${tmp.path}/agent`,
        ingest: { url: broker.url, topics: ["sensors/#"] },
        hub: { url: `ws://127.0.0.1:${hub.wsPort}/mqtt`, password: "pw" },
      }),
      logger: quiet,
    });
    cleanup.push(() => agent.stop());
    await waitFor(() => agent.ingestConnected && agent.hubConnected, "connected");
    const gen = new LoadGenerator({ url: broker.url, streams: 5, rate: 2000, total: 4000, seed: 4 });
    await gen.start();
    await gen.finished;
    await waitFor(() => agent.metrics.acceptedTotal === gen.stats.published, "all accepted", 30_000);
    // Every sample is committed; its record reaches the hub once the next durability barrier has made it durable.
    const last = agent.store.lastSeq;
    await waitFor(() => (hub.store.agent("ws-agent")?.ackedSeq ?? 0) >= last, "synced over WebSocket");
    expect(hub.store.db.prepare("SELECT count(*) FROM predictions").pluck().get()).toBe(gen.stats.published);
  });
});
