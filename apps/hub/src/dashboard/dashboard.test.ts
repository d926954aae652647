import { createPublicKey } from "node:crypto";
import {
  type ApiMethodName,
  type ApiResults,
  type PredictionRecord,
  predictionRows,
  type ServerMessage,
} from "@nqp/contract";
import { verifyConfigEnvelope } from "@nqp/contract/signing";
import { tempDir, waitFor } from "@nqp/testkit";
import pino from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import WebSocket from "ws";
import { hashPassword } from "../credentials/passwords";
import { Hub } from "../hub";
import { loadSigningKey } from "../keys/signing-key";
import { addDashboardUser } from "./users";

const tmp = tempDir();
let hub: Hub;
const EPOCH = "epoch-test-0001";
const T0 = Date.UTC(2026, 0, 1);
const N = 5000;

/** A minimal client of the dashboard WebSocket (the desktop's HubClient is the full one). */
async function connect(token?: string) {
  const url = `ws://127.0.0.1:${hub.httpPort}/api/v1/ws${token ? `?token=${token}` : ""}`;
  const ws = new WebSocket(url);
  const events: { event: string; data: unknown }[] = [];
  const pending = new Map<number, (m: ServerMessage) => void>();
  let hello: Extract<ServerMessage, { t: "hello" }> | undefined;
  let closed: { code: number; reason: string } | undefined;
  ws.on("message", (raw: Buffer) => {
    const m = JSON.parse(raw.toString()) as ServerMessage;
    if (m.t === "hello") hello = m;
    else if (m.t === "event") events.push({ event: m.event, data: m.data });
    else pending.get(m.id)?.(m);
  });
  ws.on("close", (code, reason) => (closed = { code, reason: reason.toString() }));
  await waitFor(() => hello || closed, "hello or close");
  let id = 0;
  const call = <M extends ApiMethodName>(method: M, params: unknown = {}): Promise<ApiResults[M]> =>
    new Promise((resolve, reject) => {
      const n = ++id;
      pending.set(n, (m) => {
        if (m.t === "result") resolve(m.result as ApiResults[M]);
        else if (m.t === "error") reject(Object.assign(new Error(m.error.message), { code: m.error.code }));
      });
      ws.send(JSON.stringify({ t: "call", id: n, method, params }));
    });
  return { ws, call, events, hello, closed: () => closed };
}

function predictions(from: number, count: number, stream: string, seq0: number): PredictionRecord[] {
  return Array.from({ length: count }, (_, i) => {
    const spike = i === 1234;
    const value = spike ? 100 : Math.sin(i / 50);
    return {
      seq: seq0 + i,
      stream,
      ts: from + i * 60_000,
      value,
      forecast: Math.sin(i / 50),
      lower: Math.sin(i / 50) - 0.2,
      upper: Math.sin(i / 50) + 0.2,
      anomalyScore: spike ? 0.99 : 0.1,
      isAnomaly: spike,
      next: null,
    };
  });
}

beforeAll(async () => {
  hub = await Hub.start({
    data: `${tmp.path}/hub`,
    mqttPort: 0,
    host: "127.0.0.1",
    httpPort: 0,
    logger: pino({ level: "silent" }),
  });
  hub.store.addAgent("press-01", await hashPassword("pw"));
  hub.store.ingest({
    v: 1,
    agent: "press-01",
    epoch: EPOCH,
    kind: "predictions",
    ...predictionRows(predictions(T0, N, "line/temp", 1)),
  });
  hub.store.ingest({
    v: 1,
    agent: "press-01",
    epoch: EPOCH,
    kind: "anomalies",
    records: [
      {
        seq: N + 1,
        stream: "line/temp",
        ts: T0 + 1234 * 60_000,
        type: "anomaly",
        value: 100,
        score: 0.99,
        forecast: 0.5,
        lower: 0.3,
        upper: 0.7,
        motif: null,
        predictionSeq: 1235,
      },
    ],
  });
});
afterAll(async () => {
  await hub?.stop();
  tmp.remove();
});

describe("dashboard API over WebSocket", () => {
  it("gives loopback connections the admin role while no user exists, and lists the fleet and streams", async () => {
    const c = await connect();
    expect(c.hello?.session.role).toBe("admin");
    const fleet = await c.call("fleet.list");
    expect(fleet.agents.map((a) => a.id)).toEqual(["press-01"]);
    expect(fleet.agents[0].records).toBe(N + 1);
    const streams = await c.call("streams.list", { agent: "press-01" });
    expect(streams.streams[0]).toMatchObject({ stream: "line/temp", records: N, firstTs: T0 });
    expect(streams.streams[0].latest?.value).toBeCloseTo(Math.sin((N - 1) / 50));
    c.ws.close();
  });

  it("returns full-resolution series in a range and keeps extremes when decimating", async () => {
    const c = await connect();
    const full = await c.call("streams.series", {
      agent: "press-01",
      stream: "line/temp",
      from: T0 + 100 * 60_000,
      to: T0 + 199 * 60_000,
    });
    expect(full.rows).toBe(100);
    expect(full.decimated).toBe(false);
    expect(full.ts[0]).toBe(T0 + 100 * 60_000);
    expect(full.ts.at(-1)).toBe(T0 + 199 * 60_000);
    const dec = await c.call("streams.series", { agent: "press-01", stream: "line/temp", maxPoints: 200 });
    expect(dec.rows).toBe(N);
    expect(dec.decimated).toBe(true);
    expect(dec.ts.length).toBeLessThanOrEqual(200);
    expect(Math.max(...dec.value)).toBe(100); // the one-sample spike survives
    expect(Math.min(...dec.value)).toBeCloseTo(-1, 3);
    for (let i = 1; i < dec.ts.length; i++) expect(dec.ts[i]).toBeGreaterThan(dec.ts[i - 1]);
    expect(dec.anomalies.ts).toEqual([T0 + 1234 * 60_000]);
    const bad = await c
      .call("streams.series", { agent: "press-01", stream: "line/temp", maxPoints: 1 })
      .catch((e) => e);
    expect(bad.code).toBe("bad-params");
    expect(bad.message).toMatch(/maxPoints/);
    c.ws.close();
  });

  it("serves each stream's online validation from the agent's latest stored status", async () => {
    const c = await connect();
    expect((await c.call("streams.validation")).streams).toEqual([]);
    const metrics = (count: number, score: number) => ({
      count,
      rmse: 0.1,
      nrmse: 0.4,
      mae: 0.08,
      mase: 0.7,
      smape: 3,
      bias: 0,
      coverage: 0.89,
      meanWidth: 0.3,
      winkler: 0.4,
      nominal: 0.9,
      score,
    });
    const status = (seq: number, ts: number, validation: Record<string, ReturnType<typeof metrics>>) => ({
      seq,
      ts,
      version: "0.1.0",
      backend: "ts",
      streams: 2,
      acceptedTotal: 10,
      rejectedTotal: 0,
      rejects: {},
      outboxDepth: 0,
      ackedSeq: 0,
      uptimeSeconds: 120,
      rssBytes: 1,
      configVersion: 0,
      auditHead: null,
      validation,
    });
    const now = Date.now();
    hub.store.ingest({
      v: 1,
      agent: "press-01",
      epoch: EPOCH,
      kind: "status",
      records: [
        status(N + 20, now - 2000, { "line/temp": metrics(10, 50) }),
        status(N + 21, now - 1000, { "line/temp": metrics(900, 71.5), "line/pressure": metrics(0, 0) }),
      ],
    });
    const all = await c.call("streams.validation");
    expect(all.streams.map((s) => s.stream)).toEqual(["line/pressure", "line/temp"]);
    const temp = await c.call("streams.validation", { agent: "press-01", stream: "line/temp" });
    expect(temp.streams).toHaveLength(1);
    expect(temp.streams[0]).toMatchObject({
      agent: "press-01",
      reportedAt: now - 1000,
      uptimeSeconds: 120,
      online: true,
      metrics: { count: 900, score: 71.5, coverage: 0.89 },
    });
    const bad = await c.call("streams.validation", { agent: "no/such" }).catch((e) => e);
    expect(bad.code).toBe("bad-params");
    c.ws.close();
  });

  it("annotates an anomaly once per change, audits it, and pushes the change", async () => {
    const a = await connect();
    const b = await connect();
    const params = {
      id: "ann-0000001",
      agent: "press-01",
      seq: N + 1,
      acknowledged: true,
      label: "true-positive",
      note: "bearing",
    };
    const r1 = await a.call("anomalies.annotate", params);
    expect(r1.annotation).toMatchObject({
      acknowledged: true,
      label: "true-positive",
      note: "bearing",
      author: "local",
    });
    expect(r1.auditIndex).toBeGreaterThan(0);
    const replay = await a.call("anomalies.annotate", params);
    expect(replay.auditIndex).toBeNull();
    await waitFor(() => b.events.find((e) => e.event === "anomalies.changed"), "change pushed to the other connection");
    const list = await a.call("anomalies.list", { status: "open" });
    expect(list.total).toBe(0);
    const all = await a.call("anomalies.list", { search: "bear" });
    expect(all.anomalies[0].annotation?.note).toBe("bearing");
    const audit = await a.call("audit.list", { chain: "hub", search: "anomaly-annotated" });
    expect(audit.total).toBe(1);
    const verified = await a.call("audit.verify");
    expect(verified.ok).toBe(true);
    a.ws.close();
    b.ws.close();
  });

  it("signs pushed configs with the hub key, keeps history, and rolls back by re-issuing", async () => {
    const c = await connect();
    const p1 = await c.call("config.push", { target: "press-01", config: { log: { level: "debug" } }, note: "debug" });
    const p2 = await c.call("config.push", { target: "press-01", config: { pipeline: { warmup: 300 } } });
    expect(p2.version).toBe(p1.version + 1);
    const rb = await c.call("config.rollback", { target: "press-01", version: p1.version });
    expect(rb.version).toBe(p2.version + 1);
    const history = await c.call("config.history", { agent: "press-01" });
    expect(history.versions.map((v) => v.version)).toEqual([rb.version, p2.version, p1.version]);
    expect(history.versions[0]).toMatchObject({
      rollbackOf: p1.version,
      config: { log: { level: "debug" } },
      author: "local",
    });
    const latest = hub.store.latestConfig("press-01");
    const key = loadSigningKey(`${tmp.path}/hub`);
    const v = verifyConfigEnvelope(
      latest?.envelope ?? "",
      createPublicKey(key.publicKey.export({ type: "spki", format: "pem" })),
    );
    expect(v.ok && v.doc.version).toBe(rb.version);
    const bad = await c.call("config.push", { target: "press-01", config: { nope: 1 } }).catch((e) => e);
    expect(bad.code).toBe("bad-params");
    c.ws.close();
  });

  it("pushes new points of subscribed streams", async () => {
    const c = await connect();
    await c.call("streams.subscribe", { streams: [{ agent: "press-01", stream: "line/temp" }] });
    const more = predictions(T0 + N * 60_000, 10, "line/temp", N + 2);
    hub.store.ingest({ v: 1, agent: "press-01", epoch: EPOCH, kind: "predictions", ...predictionRows(more) });
    hub.emit("batch", { agent: "press-01", kind: "predictions", records: 10, acked: N + 11 });
    const ev = await waitFor(() => c.events.find((e) => e.event === "streams.points"), "points pushed");
    expect((ev.data as { ts: number[] }).ts).toEqual(more.map((r) => r.ts));
    c.ws.close();
  });

  it("enforces roles: tokens are required once users exist, viewers cannot write", async () => {
    const { token: viewer } = addDashboardUser(hub.store.db, "vera", "viewer");
    const anonymous = await connect();
    expect(anonymous.closed()?.code).toBe(4401);
    const wrong = await connect("nqpd_not-a-token");
    expect(wrong.closed()?.code).toBe(4401);
    const v = await connect(viewer);
    expect(v.hello?.session).toMatchObject({ role: "viewer", user: "vera" });
    expect((await v.call("fleet.list")).agents).toHaveLength(1);
    const denied = await v
      .call("anomalies.annotate", { id: "ann-0000002", agent: "press-01", seq: N + 1, acknowledged: false })
      .catch((e) => e);
    expect(denied.code).toBe("forbidden");
    const denied2 = await v.call("config.push", { target: "*", config: {} }).catch((e) => e);
    expect(denied2.code).toBe("forbidden");
    v.ws.close();
  });
});
