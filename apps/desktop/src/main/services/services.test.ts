import { readFileSync } from "node:fs";
import { type ApiEventName, type PredictionRecord, predictionRows } from "@nqp/contract";
import { addDashboardUser, Hub, hashPassword } from "@nqp/hub";
import { repoRoot, tempDir, waitFor } from "@nqp/testkit";
import pino from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
// @ts-expect-error: a plain .mjs build script without type declarations
import { buildMain } from "../../../scripts/build-main.mjs";
import { type IpcAnswer, type IpcMainLike, registerIpc } from "../ipc";
import { loadSettings } from "../settings";
import { startServices } from ".";

const tmp = tempDir("nqp-desktop-");
const desktopDir = `${repoRoot}/apps/desktop`;
const EPOCH = "epoch-desktop-01";
const T0 = Date.UTC(2026, 2, 1);
let hub: Hub;
let port: number;
let workerPath: string;
let services: ReturnType<typeof startServices>;
const events: { event: ApiEventName; data: unknown }[] = [];

async function startHub(httpPort: number): Promise<Hub> {
  return Hub.start({
    data: `${tmp.path}/hub`,
    host: "127.0.0.1",
    mqttPort: 0,
    httpPort,
    logger: pino({ level: "silent" }),
  });
}

beforeAll(async () => {
  // Built inside the package, so that the native modules it leaves external resolve from its node_modules.
  workerPath = `${await buildMain(`${desktopDir}/dist/test-main`)}/analysis.worker.cjs`;
  hub = await startHub(0);
  port = hub.httpPort as number;
  hub.store.addAgent("kiln-7", await hashPassword("pw"));
  const records: PredictionRecord[] = Array.from({ length: 500 }, (_, i) => ({
    seq: i + 1,
    stream: "kiln/temp",
    ts: T0 + i * 60_000,
    value: 800 + 10 * Math.sin(i / 20),
    forecast: 800,
    lower: 790,
    upper: 810,
    anomalyScore: 0.1,
    isAnomaly: false,
    next: null,
  }));
  hub.store.ingest({ v: 1, agent: "kiln-7", epoch: EPOCH, kind: "predictions", ...predictionRows(records) });
  hub.store.ingest({
    v: 1,
    agent: "kiln-7",
    epoch: EPOCH,
    kind: "anomalies",
    records: [
      {
        seq: 501,
        stream: "kiln/temp",
        ts: T0 + 250 * 60_000,
        type: "anomaly",
        value: 900,
        score: 0.97,
        forecast: 800,
        lower: 790,
        upper: 810,
        motif: null,
        predictionSeq: 251,
      },
    ],
  });
  // The agent's status, with its online validation of the stream (as the edge agent sends it).
  hub.store.ingest({
    v: 1,
    agent: "kiln-7",
    epoch: EPOCH,
    kind: "status",
    records: [
      {
        seq: 502,
        ts: Date.now(),
        version: "0.1.0",
        backend: "ts",
        streams: 1,
        acceptedTotal: 500,
        rejectedTotal: 0,
        rejects: {},
        outboxDepth: 0,
        ackedSeq: 0,
        uptimeSeconds: 60,
        rssBytes: 1,
        configVersion: 0,
        auditHead: null,
        validation: {
          "kiln/temp": {
            count: 480,
            rmse: 7.1,
            nrmse: 1,
            mae: 6.4,
            mase: 12,
            smape: 0.8,
            bias: 0.1,
            coverage: 0.91,
            meanWidth: 20,
            winkler: 22,
            nominal: 0.9,
            score: 48.2,
          },
        },
      },
    ],
  });
  services = startServices({
    dataDir: `${tmp.path}/desktop`,
    settings: { hubUrl: `http://127.0.0.1:${port}` },
    workerPath,
  });
  services.api.on("event", (event, data) => events.push({ event, data }));
  await waitFor(() => services.hub.connected, "desktop connected to the hub");
}, 60_000);

afterAll(async () => {
  await services?.close();
  await hub?.stop();
  tmp.remove();
});

describe("desktop main-process services (plain Node, real hub)", () => {
  it("reads through the hub, and answers from the local cache while the hub is down", async () => {
    const fleet = (await services.api.call("fleet.list", {})) as { agents: { id: string }[] };
    expect(fleet.agents.map((a) => a.id)).toEqual(["kiln-7"]);
    const series = (await services.api.call("streams.series", { agent: "kiln-7", stream: "kiln/temp" })) as {
      rows: number;
    };
    expect(series.rows).toBe(500);
    const inbox = (await services.api.call("anomalies.list", {})) as { total: number };
    expect(inbox.total).toBe(1);
    const validation = (await services.api.call("streams.validation", {})) as { streams: unknown[] };
    expect(validation.streams).toEqual([expect.objectContaining({ agent: "kiln-7", stream: "kiln/temp" })]);

    await hub.stop();
    await waitFor(() => !services.hub.connected, "link down");
    await waitFor(
      () => events.some((e) => e.event === "connection.state" && !(e.data as { connected: boolean }).connected),
      "offline event",
    );
    expect(((await services.api.call("fleet.list", {})) as { agents: unknown[] }).agents).toHaveLength(1);
    expect(
      ((await services.api.call("streams.series", { agent: "kiln-7", stream: "kiln/temp" })) as { rows: number }).rows,
    ).toBe(500);
    await expect(services.api.call("streams.list", { agent: "kiln-7" })).rejects.toMatchObject({ code: "offline" });

    expect(await services.api.call("streams.validation", {})).toEqual(validation);

    // A zoom not seen online, inside the cached range: the cached rows there, decimated here when asked.
    type Series = { rows: number; decimated: boolean; cachedAt?: number; ts: number[]; value: number[] };
    const all = series as unknown as Series;
    const zoom = (await services.api.call("streams.series", {
      agent: "kiln-7",
      stream: "kiln/temp",
      from: T0 + 100 * 60_000,
      to: T0 + 199 * 60_000,
    })) as Series;
    expect(zoom).toMatchObject({ rows: 100, decimated: false });
    expect(zoom.cachedAt).toBeGreaterThan(0);
    expect(zoom.value).toEqual(all.value.slice(100, 200));
    const coarse = (await services.api.call("streams.series", {
      agent: "kiln-7",
      stream: "kiln/temp",
      from: T0 + 100 * 60_000,
      to: T0 + 399 * 60_000,
      maxPoints: 20,
    })) as Series;
    expect(coarse.decimated).toBe(true);
    expect(coarse.value.length).toBeLessThanOrEqual(20);
    const part = all.value.slice(100, 400);
    expect(Math.max(...coarse.value)).toBe(Math.max(...part));
    expect(Math.min(...coarse.value)).toBe(Math.min(...part));
    expect(coarse.ts).toEqual([...coarse.ts].sort((a, b) => a - b));
    // A zoom past the newest row is answered from what the stream had; one never seen only the hub can answer.
    expect(
      (
        (await services.api.call("streams.series", {
          agent: "kiln-7",
          stream: "kiln/temp",
          from: T0 + 450 * 60_000,
          to: T0 + 600 * 60_000,
        })) as Series
      ).rows,
    ).toBe(50);
    await expect(
      services.api.call("streams.series", { agent: "kiln-7", stream: "kiln/pressure", from: T0, to: T0 + 60_000 }),
    ).rejects.toThrow(/not viewed over this range/);
    await expect(services.api.call("config.push", { target: "*", config: {} })).rejects.toThrow(
      /only the hub can sign/,
    );
    const session = (await services.api.call("session.info", {})) as { via: string; connected: boolean };
    expect(session).toMatchObject({ via: "desktop", connected: false });
  });

  it("keeps annotations made offline and delivers them once the hub is back, audited once", async () => {
    const params = {
      id: "offline-note-1",
      agent: "kiln-7",
      seq: 501,
      acknowledged: true,
      label: "true-positive",
      note: "burner fault",
    };
    const r = (await services.api.call("anomalies.annotate", params)) as { pending: boolean };
    expect(r.pending).toBe(true);
    const page = (await services.api.call("anomalies.list", {})) as {
      anomalies: { annotation: { note: string } | null }[];
    };
    expect(page.anomalies[0].annotation?.note).toBe("burner fault");

    hub = await startHub(port);
    await waitFor(() => services.hub.connected, "reconnected", 20_000);
    await services.api.flushOutbox();
    const row = await waitFor(
      () =>
        hub.store.db.prepare("SELECT note, author FROM annotations WHERE agent = 'kiln-7' AND seq = 501").get() as
          | { note: string }
          | undefined,
      "annotation at the hub",
    );
    expect(row.note).toBe("burner fault");
    await services.api.flushOutbox();
    await services.api.call("anomalies.annotate", params); // a replay changes nothing
    expect(hub.store.db.prepare("SELECT count(*) FROM audit WHERE action = 'anomaly-annotated'").pluck().get()).toBe(1);
    expect(services.store.pendingAnnotations()).toHaveLength(0);
  }, 40_000);

  it("runs analysis jobs in worker threads, with progress, and cancels them", async () => {
    const ts = Array.from({ length: 400 }, (_, i) => T0 + i * 60_000);
    const value = ts.map((_, i) => Math.sin(i / 15));
    const { jobId } = (await services.api.call("jobs.start", { spec: { kind: "spikes", ts, value } })) as {
      jobId: string;
    };
    const done = await waitFor(
      () => events.find((e) => e.event === "jobs.done" && (e.data as { jobId: string }).jobId === jobId),
      "spike job done",
    );
    expect((done.data as { result: { kind: string; stats: { steps: number } } }).result).toMatchObject({
      kind: "spikes",
      stats: { steps: 400 },
    });
    expect(events.some((e) => e.event === "jobs.progress" && (e.data as { jobId: string }).jobId === jobId)).toBe(true);

    const csv = [
      "date,A,B,C,D",
      ...Array.from(
        { length: 60 },
        (_, d) =>
          `2024-01-${String((d % 28) + 1).padStart(2, "0")},${[1, 2, 3, 4].map((k) => (10 + k + Math.sin(d * k)).toFixed(3)).join(",")}`,
      ),
    ].join("\n");
    const long = (await services.api.call("jobs.start", {
      spec: { kind: "optimize", problem: "portfolio", text: csv, k: 2, timeLimitSec: 120, solver: "sa" },
    })) as { jobId: string };
    await waitFor(() => services.jobs.running > 0, "optimiser running");
    expect(await services.api.call("jobs.cancel", { jobId: long.jobId })).toEqual({ cancelled: true });
    const failed = await waitFor(
      () => events.find((e) => e.event === "jobs.failed" && (e.data as { jobId: string }).jobId === long.jobId),
      "cancelled",
    );
    expect((failed.data as { cancelled: boolean }).cancelled).toBe(true);
    expect(services.jobs.running).toBe(0);
    // A kernel back end from @nqp/kernels: ONNX Runtime's CPU provider ships inside onnxruntime-node.
    const small = [
      "date,A,B,C",
      ...Array.from(
        { length: 30 },
        (_, d) =>
          `2024-02-${String(d + 1).padStart(2, "0")},${(10 + Math.sin(d)).toFixed(3)},${(11 + Math.cos(d)).toFixed(3)},${(12 + Math.sin(2 * d)).toFixed(3)}`,
      ),
    ].join("\n");
    const ort = (await services.api.call("jobs.start", {
      spec: {
        kind: "optimize",
        problem: "portfolio",
        text: small,
        k: 2,
        timeLimitSec: 0.5,
        solver: "dsb",
        backend: "cpu",
      },
    })) as { jobId: string };
    const ortDone = await waitFor(
      () =>
        events.find(
          (e) =>
            (e.event === "jobs.done" || e.event === "jobs.failed") && (e.data as { jobId: string }).jobId === ort.jobId,
        ),
      "kernel-backed job finished",
      60_000,
    );
    expect(ortDone.event, JSON.stringify(ortDone.data)).toBe("jobs.done");
    expect((ortDone.data as { result: { backend: string; feasible: boolean } }).result).toMatchObject({
      backend: "cpu",
      feasible: true,
    });
    await expect(
      services.api.call("jobs.start", { spec: { kind: "spikes", ts: [], value: [], encoder: "bogus" } }),
    ).rejects.toMatchObject({ code: "bad-params" });
  }, 40_000);

  it("keeps imported files in the local store", async () => {
    const saved = (await services.api.call("imports.save", {
      name: "line.csv",
      kind: "series",
      text: "timestamp,value\n1,2\n",
    })) as { id: string; bytes: number };
    expect(saved.bytes).toBe(20);
    expect(((await services.api.call("imports.list", {})) as { imports: { name: string }[] }).imports[0].name).toBe(
      "line.csv",
    );
    expect(((await services.api.call("imports.get", { id: saved.id })) as { text: string }).text).toMatch(/^timestamp/);
  });
});

describe("IPC wiring", () => {
  class FakeIpcMain implements IpcMainLike {
    readonly handlers = new Map<
      string,
      (event: { senderFrame: { url: string } | null }, ...args: unknown[]) => unknown
    >();
    handle(channel: string, listener: (event: { senderFrame: { url: string } | null }, ...args: unknown[]) => unknown) {
      if (this.handlers.has(channel)) throw new Error(`second handler for ${channel}`);
      this.handlers.set(channel, listener);
    }
    removeHandler(channel: string) {
      this.handlers.delete(channel);
    }
    invoke(channel: string, url: string, params: unknown) {
      const h = this.handlers.get(channel);
      if (!h) throw new Error(`no handler for ${channel}`);
      return h({ senderFrame: { url } }, params) as Promise<IpcAnswer>;
    }
  }

  it("serves each method on its namespaced channel, checks the sender and the parameters, forwards events", async () => {
    const ipc = new FakeIpcMain();
    const sent: [string, unknown][] = [];
    const unregister = registerIpc(
      ipc,
      services.api,
      (c, d) => sent.push([c, d]),
      (url) => url.startsWith("nqp://app/"),
    );
    expect(ipc.handlers.has("nqp:fleet.list")).toBe(true);
    expect(ipc.handlers.has("nqp:jobs.start")).toBe(true);
    const ok = await ipc.invoke("nqp:session.info", "nqp://app/index.html", {});
    expect(ok).toMatchObject({ ok: true, result: { via: "desktop" } });
    expect(await ipc.invoke("nqp:fleet.list", "https://evil.example/", {})).toMatchObject({
      ok: false,
      code: "forbidden",
    });
    expect(
      await ipc.invoke("nqp:streams.series", "nqp://app/index.html", { agent: "bad/id", stream: "x" }),
    ).toMatchObject({ ok: false, code: "bad-params" });
    services.api.emit("event", "config.changed", { version: 9, target: "*" });
    expect(sent).toContainEqual(["nqp:event:config.changed", { version: 9, target: "*" }]);
    unregister();
    expect(ipc.handlers.size).toBe(0);
  });
});

describe("settings", () => {
  it("serves the settings panel: the token is saved but never read back; a new hub URL reconnects", async () => {
    const file = `${tmp.path}/desktop/settings.json`;
    expect(await services.api.call("settings.get", {})).toEqual({
      hubUrl: `http://127.0.0.1:${port}`,
      tokenSet: false,
      theme: null,
      file,
    });
    const set = await services.api.call("settings.set", { token: "nqpd_secret", theme: "light" });
    expect(set).toMatchObject({ tokenSet: true, theme: "light" });
    expect(JSON.stringify(set)).not.toContain("nqpd_secret");
    expect(JSON.parse(readFileSync(file, "utf8"))).toEqual({
      hubUrl: `http://127.0.0.1:${port}`,
      token: "nqpd_secret",
      theme: "light",
    });
    expect(loadSettings(`${tmp.path}/desktop`, [], {}).theme).toBe("light");
    await expect(services.api.call("settings.set", { hubUrl: "ftp://x" })).rejects.toMatchObject({
      code: "bad-params",
    });
    // That token is no user of this hub: it refuses it, and says so.
    await waitFor(() => /refused the token/.test(services.hub.error ?? ""), "token refused");
    const { token } = addDashboardUser(hub.store.db, "ana", "analyst");
    await services.api.call("settings.set", { token });
    await waitFor(() => services.hub.connected, "connected with a user's token", 20_000);
    expect(await services.api.call("session.info", {})).toMatchObject({ user: "ana", role: "analyst" });
    await services.api.call("settings.set", { hubUrl: "http://127.0.0.1:9" });
    await waitFor(() => !services.hub.connected, "link to the old hub dropped");
    await services.api.call("settings.set", { hubUrl: `http://127.0.0.1:${port}` });
    await waitFor(() => services.hub.connected, "reconnected to the hub", 20_000);
    expect(await services.api.call("session.info", {})).toMatchObject({ user: "ana", connected: true });
    // Signing out: with a dashboard user on record, this hub wants a token from everyone.
    expect(await services.api.call("settings.set", { token: null })).toMatchObject({ tokenSet: false });
    await waitFor(() => /token is required/.test(services.hub.error ?? ""), "token required");
    expect(JSON.parse(readFileSync(file, "utf8")).token).toBeUndefined();
  }, 40_000);

  it("takes flags over environment over the saved file, and saves what it used", () => {
    const dir = `${tmp.path}/settings`;
    expect(loadSettings(dir, [], {})).toEqual({ hubUrl: "http://127.0.0.1:8080" });
    expect(loadSettings(dir, [], { NQP_HUB_URL: "http://hub:9000", NQP_HUB_TOKEN: "nqpd_x" })).toEqual({
      hubUrl: "http://hub:9000",
      token: "nqpd_x",
    });
    expect(loadSettings(dir, [], {})).toEqual({ hubUrl: "http://hub:9000", token: "nqpd_x" });
    expect(loadSettings(dir, ["--hub=https://other:443"], { NQP_HUB_URL: "http://hub:9000" }).hubUrl).toBe(
      "https://other:443",
    );
    expect(() => loadSettings(dir, ["--hub=ftp://x"], {})).toThrow(/not an http\(s\) URL/);
  });
});
