import { validateAgentConfig } from "@nqp/contract";
import { Agent, LoadGenerator } from "@nqp/edge-agent";
import { Hub, hashPassword, loadSigningKey, startSensorBroker } from "@nqp/hub";
import { waitFor } from "@nqp/testkit";
import pino from "pino";

export interface FleetOptions {
  dir: string;
  dashboardDir: string;
  /** Simulated sensor streams. */
  streams: number;
  /** Samples of history per stream, published as fast as the agent takes them. */
  history: number;
  /** Simulated time between a stream's samples (history spans history × stepMs). */
  stepMs: number;
  /** Live samples per second over all streams after the history (0: none). */
  liveRate: number;
  seed?: number;
}

export interface Fleet {
  hub: Hub;
  agent: Agent;
  url: string;
  live: LoadGenerator | undefined;
  stop(): Promise<void>;
}

/**
 * A real fleet for the end-to-end tests, screenshots and benchmarks: the hub (embedded broker, HTTP serving the
 * built dashboard), one edge agent running core's stream pipeline, and the sensor simulator publishing over MQTT —
 * first months of history at full speed, then live data.
 */
export async function startFleet(o: FleetOptions): Promise<Fleet> {
  // One logger each: an applied remote config may change the agent's log level.
  const quiet = () => pino({ level: "silent" });
  const sensors = await startSensorBroker({ host: "127.0.0.1", port: 0 });
  const hub = await Hub.start({
    data: `${o.dir}/hub`,
    host: "127.0.0.1",
    mqttPort: 0,
    httpPort: 0,
    dashboardDir: o.dashboardDir,
    logger: quiet(),
  });
  hub.store.addAgent("press-line-1", await hashPassword("pw-press-line-1"));
  const agent = await Agent.start({
    config: validateAgentConfig({
      id: "press-line-1",
      data: `${o.dir}/agent`,
      ingest: { url: `mqtt://127.0.0.1:${sensors.port}`, topics: ["sensors/#"] },
      hub: {
        url: `mqtt://127.0.0.1:${hub.mqttPort}`,
        password: "pw-press-line-1",
        publicKey: loadSigningKey(`${o.dir}/hub`).publicKeyBase64,
      },
      sync: { statusIntervalSeconds: 1, batchRecords: 2000 },
      labels: { site: "plant-a", line: "press" },
    }),
    logger: quiet(),
  });
  await waitFor(() => agent.ingestConnected && agent.hubConnected, "agent connected");
  const start = Math.floor(Date.now() / o.stepMs) * o.stepMs - o.history * o.stepMs;
  const history = new LoadGenerator({
    url: `mqtt://127.0.0.1:${sensors.port}`,
    streams: o.streams,
    rate: 20_000,
    total: o.streams * o.history,
    seed: o.seed ?? 7,
    stepMs: o.stepMs,
    startMs: start,
    batch: 50,
  });
  await history.start();
  await history.finished;
  const published = history.stats.published;
  await waitFor(() => agent.metrics.acceptedTotal >= published, "history accepted", 120_000);
  await waitFor(() => hub.store.agent("press-line-1")?.ackedSeq === agent.store.lastSeq, "history synced", 120_000);
  let live: LoadGenerator | undefined;
  if (o.liveRate > 0) {
    live = new LoadGenerator({
      url: `mqtt://127.0.0.1:${sensors.port}`,
      streams: o.streams,
      rate: o.liveRate,
      seed: (o.seed ?? 7) + 1,
      stepMs: o.stepMs,
      startMs: start + (o.history + 1) * o.stepMs,
    });
    await live.start();
  }
  return {
    hub,
    agent,
    live,
    url: `http://127.0.0.1:${hub.httpPort}/`,
    stop: async () => {
      await live?.stop();
      await agent.stop();
      await hub.stop();
      await sensors.close();
    },
  };
}
