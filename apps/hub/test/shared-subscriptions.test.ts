import { validateAgentConfig } from "@nqp/contract";
import { Agent, LoadGenerator } from "@nqp/edge-agent";
import { Hub } from "@nqp/hub";
import { Mosquitto, mosquittoPath, tempDir, waitFor } from "@nqp/testkit";
import pino from "pino";
import { afterAll, describe, expect, it } from "vitest";

const mosquitto = mosquittoPath();
const tmp = tempDir();
const quiet = pino({ level: "silent" });
const cleanup: (() => Promise<void>)[] = [];
afterAll(async () => {
  for (const c of cleanup.reverse()) await c().catch(() => {});
  tmp.remove();
});

describe.skipIf(!mosquitto)("two hubs sharing one mosquitto (MQTT shared subscriptions)", () => {
  it("splits the agents' uploads between the hubs and still stores exactly one record per sample", async () => {
    const broker = await Mosquitto.start(mosquitto as string, { dir: `${tmp.path}/mosquitto` });
    cleanup.push(() => broker.stop());
    // Both hubs write one database (one machine; a fleet would point them at a shared store).
    const hubs = await Promise.all(
      ["h1", "h2"].map((name) =>
        Hub.start({ data: `${tmp.path}/hub`, broker: broker.url, shareGroup: "nqp-hub", name, logger: quiet }),
      ),
    );
    for (const h of hubs) cleanup.push(() => h.stop());
    await waitFor(() => hubs.every((h) => h.brokerConnected), "hubs connected");
    const agents = await Promise.all(
      ["a1", "a2"].map((id) =>
        Agent.start({
          config: validateAgentConfig({
            id,
            data: `${tmp.path}/${id}`,
            ingest: { url: broker.url, topics: [`plant/${id}/#`] },
            hub: { url: broker.url },
            sync: { batchRecords: 200 },
          }),
          logger: quiet,
        }),
      ),
    );
    for (const a of agents) cleanup.push(() => a.stop());
    await waitFor(() => agents.every((a) => a.ingestConnected && a.hubConnected), "agents connected");
    const gens = agents.map(
      (a, i) =>
        new LoadGenerator({
          url: broker.url,
          topicPrefix: `plant/${a.id}`,
          streams: 10,
          rate: 3000,
          total: 8000,
          seed: i + 1,
        }),
    );
    await Promise.all(gens.map((g) => g.start()));
    await Promise.all(gens.map((g) => g.finished));
    for (const [i, a] of agents.entries()) {
      await waitFor(() => a.metrics.acceptedTotal === gens[i].stats.published, `${a.id} accepted all`);
      await waitFor(() => hubs[0].store.agent(a.id)?.ackedSeq === a.store.lastSeq, `${a.id} fully acked`);
    }
    const db = hubs[0].store.db;
    for (const [i, a] of agents.entries()) {
      const count = db.prepare("SELECT count(*) FROM predictions WHERE agent = ?").pluck().get(a.id);
      const distinct = db
        .prepare("SELECT count(*) FROM (SELECT DISTINCT stream, ts FROM predictions WHERE agent = ?)")
        .pluck()
        .get(a.id);
      expect(count).toBe(gens[i].stats.published);
      expect(distinct).toBe(count);
    }
    // Both hubs did part of the work.
    const batches = hubs.map((h) => (h.health().batches as number) ?? 0);
    expect(batches[0]).toBeGreaterThan(0);
    expect(batches[1]).toBeGreaterThan(0);
  });
});
