import { type ConfigDocument, configTopic, upTopic, validateAgentConfig } from "@nqp/contract";
import { generateSigningKeyPair, signConfigDocument } from "@nqp/contract/signing";
import { Agent } from "@nqp/edge-agent";
import { Hub, hashPassword, loadSigningKey, startSensorBroker } from "@nqp/hub";
import { tempDir, waitFor } from "@nqp/testkit";
import mqtt, { type MqttClient } from "mqtt";
import pino from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const tmp = tempDir();
const quiet = pino({ level: "silent" });
let hub: Hub;
const url = () => `mqtt://127.0.0.1:${hub.mqttPort}`;
const clients: MqttClient[] = [];

beforeAll(async () => {
  hub = await Hub.start({ data: `${tmp.path}/hub`, mqttPort: 0, host: "127.0.0.1", logger: quiet });
  hub.store.addAgent("a", await hashPassword("pw-a"));
  hub.store.addAgent("b", await hashPassword("pw-b"));
});
afterAll(async () => {
  for (const c of clients) c.end(true);
  await hub.stop();
  tmp.remove();
});

/** Connects once (no reconnect); resolves with the client, or rejects with the broker's refusal. */
function connect(username?: string, password?: string): Promise<MqttClient> {
  return new Promise((resolve, reject) => {
    const c = mqtt.connect(url(), { protocolVersion: 4, username, password, reconnectPeriod: 0, connectTimeout: 5000 });
    clients.push(c);
    c.once("connect", () => resolve(c));
    c.once("error", (err) => {
      c.end(true);
      reject(err);
    });
  });
}

const signed = (keyPem: string, doc: ConfigDocument) => JSON.stringify(signConfigDocument(doc, keyPem));

describe("hub access control", () => {
  it("refuses a wrong password, an unknown agent and anonymous clients, and counts them", async () => {
    await expect(connect("a", "wrong")).rejects.toThrow(/Bad username or password/i);
    await expect(connect("nobody", "pw")).rejects.toThrow(/Bad username or password/i);
    await expect(connect()).rejects.toThrow(/Bad username or password/i);
    const ok = await connect("a", "pw-a");
    expect(ok.connected).toBe(true);
    await waitFor(() => (hub.store.agent("a")?.rejected["bad-credentials"] ?? 0) >= 1, "rejection counted", 5000);
  });

  it("does not let agent a publish as agent b: the publish is dropped and the connection closed", async () => {
    const a = await connect("a", "pw-a");
    const closed = new Promise<void>((r) => a.once("close", () => r()));
    const batch = {
      v: 1,
      agent: "b",
      epoch: "epoch-0001",
      kind: "predictions",
      records: [
        {
          seq: 1,
          stream: "x",
          ts: 1,
          value: 1,
          forecast: null,
          lower: null,
          upper: null,
          anomalyScore: 0,
          isAnomaly: false,
          next: null,
        },
      ],
    };
    a.publish(upTopic("b", "predictions"), JSON.stringify(batch), { qos: 1 });
    await closed;
    await new Promise((r) => setTimeout(r, 300));
    expect(hub.store.db.prepare("SELECT count(*) FROM predictions WHERE agent = 'b'").pluck().get()).toBe(0);
    await waitFor(() => (hub.store.agent("a")?.rejected["publish-denied"] ?? 0) >= 1, "publish denial counted", 5000);
  });

  it("does not let agent a read agent b's config, by name or by wildcard", async () => {
    const key = loadSigningKey(`${tmp.path}/hub`);
    hub.store.addConfig(
      "b",
      (v) =>
        signed(key.privateKeyPem, { agent: "b", version: v, issuedAt: 1, config: { labels: { secret: "b-only" } } }),
      {},
    );
    // b itself gets it (retained) …
    const b = await connect("b", "pw-b");
    const got = new Promise<string>((r) => b.on("message", (_t, p) => r(p.toString())));
    b.subscribe(configTopic("b"), { qos: 1 });
    expect(await got).toContain('\\"b-only\\"');
    // … a does not.
    const a = await connect("a", "pw-a");
    const seen: string[] = [];
    a.on("message", (t) => seen.push(t));
    const grants = await Promise.all(
      [configTopic("b"), "nqp/v1/agents/+/down/config", "nqp/v1/agents/b/#", "#"].map(
        (f) =>
          new Promise<number>((r) =>
            // mqtt.js reports a refused subscription (0x80) as an error carrying the SUBACK.
            a.subscribe(f, { qos: 1 }, (err, g) =>
              r(err ? ((err as { packet?: { granted?: number[] } }).packet?.granted?.[0] ?? -1) : (g?.[0]?.qos ?? -1)),
            ),
          ),
      ),
    );
    expect(grants).toEqual([128, 128, 128, 128]);
    await new Promise((r) => setTimeout(r, 500));
    expect(seen).toEqual([]);
    await waitFor(
      () => (hub.store.agent("a")?.rejected["subscribe-denied"] ?? 0) >= 4,
      "subscribe denials counted",
      5000,
    );
  });
});

describe("signed config on the agent", () => {
  it("applies a newer signed document, refuses tampered, foreign-key and replayed ones, and audits each", async () => {
    // A broker the attacker controls (no ACLs): only the signature protects the agent.
    const spoofed = await startSensorBroker();
    const keys = generateSigningKeyPair();
    const agent = await Agent.start({
      config: validateAgentConfig({
        id: "a",
        data: `${tmp.path}/agent-a`,
        ingest: { url: `mqtt://127.0.0.1:${spoofed.port}` },
        hub: { url: `mqtt://127.0.0.1:${spoofed.port}`, publicKey: keys.publicKeyPem },
      }),
      logger: quiet,
    });
    const attacker = mqtt.connect(`mqtt://127.0.0.1:${spoofed.port}`, { protocolVersion: 4 });
    clients.push(attacker);
    await waitFor(() => agent.hubConnected && attacker.connected, "connected");
    const send = (payload: string) => attacker.publish(configTopic("a"), payload, { qos: 1, retain: true });
    let current = agent;
    const audits = () =>
      current.store.db.prepare("SELECT action, detail FROM audit WHERE action LIKE 'config-%' ORDER BY idx").all() as {
        action: string;
        detail: string;
      }[];

    send(signed(keys.privateKeyPem, { agent: "a", version: 2, issuedAt: 1, config: { sync: { batchRecords: 321 } } }));
    await waitFor(() => agent.configVersion === 2, "v2 applied");
    expect(agent.config.sync.batchRecords).toBe(321);

    const good = JSON.parse(
      signed(keys.privateKeyPem, { agent: "a", version: 3, issuedAt: 2, config: { sync: { batchRecords: 5 } } }),
    );
    send(JSON.stringify({ ...good, doc: good.doc.replace('"batchRecords":5', '"batchRecords":50000') }));
    const other = generateSigningKeyPair();
    send(signed(other.privateKeyPem, { agent: "a", version: 4, issuedAt: 3, config: { sync: { batchRecords: 7 } } }));
    send(signed(keys.privateKeyPem, { agent: "a", version: 1, issuedAt: 0, config: { sync: { batchRecords: 9 } } }));
    send(signed(keys.privateKeyPem, { agent: "b", version: 5, issuedAt: 4, config: { sync: { batchRecords: 9 } } }));
    await waitFor(() => audits().length === 5, "every outcome audited");
    const rows = audits().map((r) => [r.action, JSON.parse(r.detail).reason ?? JSON.parse(r.detail).version]);
    expect(rows).toEqual([
      ["config-applied", 2],
      ["config-rejected", "bad-signature"],
      ["config-rejected", "bad-signature"],
      ["config-rejected", "stale-version"],
      ["config-rejected", "wrong-agent"],
    ]);
    expect(agent.configVersion).toBe(2);
    expect(agent.config.sync.batchRecords).toBe(321);

    // The retained message comes back on reconnect: audited once only.
    await agent.stop();
    const again = await Agent.start({
      config: validateAgentConfig({
        id: "a",
        data: `${tmp.path}/agent-a`,
        ingest: { url: `mqtt://127.0.0.1:${spoofed.port}` },
        hub: { url: `mqtt://127.0.0.1:${spoofed.port}`, publicKey: keys.publicKeyPem },
      }),
      logger: quiet,
    });
    current = again;
    await waitFor(() => again.hubConnected, "reconnected");
    await new Promise((r) => setTimeout(r, 500));
    expect(audits().length).toBe(5);
    expect(again.configVersion).toBe(2);
    expect(again.config.sync.batchRecords).toBe(321);
    await again.stop();
    await spoofed.close();
  });

  it("gets its config from the hub end to end, and the hub holds the audit trail", async () => {
    const sensors = await startSensorBroker();
    const key = loadSigningKey(`${tmp.path}/hub`);
    const agent = await Agent.start({
      config: validateAgentConfig({
        id: "b",
        data: `${tmp.path}/agent-b`,
        ingest: { url: `mqtt://127.0.0.1:${sensors.port}` },
        hub: { url: url(), password: "pw-b", publicKey: key.publicKeyBase64 },
        sync: { statusIntervalSeconds: 1 },
      }),
      logger: quiet,
    });
    // The document stored for b in the previous test (version 1) arrives retained and is applied.
    await waitFor(() => agent.configVersion >= 1, "config applied");
    expect(agent.config.labels.secret).toBe("b-only");
    const v = hub.store.addConfig(
      "*",
      (version) =>
        signed(key.privateKeyPem, {
          agent: "*",
          version,
          issuedAt: Date.now(),
          config: { retention: { maxAgeHours: 2 } },
        }),
      {},
    );
    await waitFor(() => agent.configVersion === v, "fleet-wide config applied");
    expect(agent.config.retention.maxAgeHours).toBe(2);
    await waitFor(
      () =>
        hub.store.db
          .prepare("SELECT count(*) FROM agent_audit WHERE agent = 'b' AND action = 'config-applied'")
          .pluck()
          .get() === 2,
      "audit synced to the hub",
    );
    await agent.stop();
    await sensors.close();
  });
});
