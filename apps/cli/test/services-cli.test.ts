import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { startSensorBroker } from "@nqp/hub";
import { runNqp, spawnNqp, tempDir, waitFor } from "@nqp/testkit";
import mqtt from "mqtt";
import { afterAll, describe, expect, it } from "vitest";

const tmp = tempDir();
const children: ReturnType<typeof spawnNqp>[] = [];
afterAll(() => {
  for (const c of children) if (c.exitCode === null) c.kill("SIGKILL");
  tmp.remove();
});

/** Collects a child's stdout lines; resolves the first JSON log line with the given msg. */
function logLine(child: ReturnType<typeof spawnNqp>, msg: string): Promise<Record<string, unknown>> {
  return new Promise((resolve, reject) => {
    let buf = "";
    child.stdout.on("data", (d: Buffer) => {
      buf += d.toString();
      for (const line of buf.split("\n")) {
        if (!line.startsWith("{")) continue;
        try {
          const j = JSON.parse(line);
          if (j.msg === msg) resolve(j);
        } catch {}
      }
    });
    child.once("exit", (code) => reject(new Error(`exited with ${code} before logging '${msg}'`)));
  });
}

const exited = (c: ReturnType<typeof spawnNqp>) =>
  new Promise<number | null>((r) => (c.exitCode !== null ? r(c.exitCode) : c.once("exit", (code) => r(code))));

describe("nqp agent and nqp hub as processes", () => {
  it("reports config problems by key path and exits 2", () => {
    const r1 = runNqp(["agent", "--data", join(tmp.path, "x"), "--ingest", "mqtt://127.0.0.1:1"]);
    expect(r1.status).toBe(2);
    expect(r1.stderr).toMatch(/id: /);
    const file = join(tmp.path, "agent.yaml");
    writeFileSync(
      file,
      "id: a1\ndata: /tmp/x\ningest:\n  url: mqtt://h:1\n  topcs: ['#']\nsync:\n  batchRecords: -1\n",
    );
    writeFileSync(
      file.replace("agent.yaml", "backend.yaml"),
      "id: a1\ndata: /tmp/x\ningest:\n  url: mqtt://h:1\ncompute:\n  backend: quantum\n",
    );
    const r2 = runNqp(["agent", "--config", file]);
    expect(r2.status).toBe(2);
    expect(r2.stderr).toMatch(/agent\.yaml .*ingest: unknown key topcs/);
    expect(r2.stderr).toMatch(/sync\.batchRecords: /);
    expect(r2.stderr).not.toMatch(/^\s+at /m);
    const r3 = runNqp(["agent", "--config", join(tmp.path, "missing.yaml")]);
    expect(r3.stderr).toMatch(/missing\.yaml: no such file/);
    const r5 = runNqp(["agent", "--config", file.replace("agent.yaml", "backend.yaml")]);
    expect(r5.status).toBe(2);
    expect(r5.stderr).toMatch(/compute\.backend: .*"auto"/);
    const r6 = runNqp([
      "agent",
      "--id",
      "a",
      "--data",
      join(tmp.path, "w"),
      "--ingest",
      "mqtt://h:1",
      "--backend",
      "wasm",
    ]);
    expect(r6.status).toBe(2);
    expect(r6.stderr).toMatch(
      /compute\.backend: core-stream-pipeline cannot step its reservoirs on 'wasm'; it runs on ts/,
    );
    expect(r6.stderr).not.toMatch(/^\s+at /m);
    const r4 = runNqp(["hub", "--data", join(tmp.path, "h"), "--broker", "http://nope"]);
    expect(r4.status).toBe(2);
    expect(r4.stderr).toMatch(/--broker http:\/\/nope: expected a broker URL/);
  });

  it("runs a hub and an agent that syncs to it, serves health and metrics, and stops cleanly on SIGTERM", async () => {
    const sensors = await startSensorBroker();
    const hubDir = join(tmp.path, "hub");
    const add = JSON.parse(runNqp(["hub", "agent", "add", "cli-agent", "--data", hubDir, "--json"]).stdout);
    const hub = spawnNqp(["hub", "--data", hubDir, "--host", "127.0.0.1", "--mqtt-port", "0", "--http-port", "0"]);
    children.push(hub);
    const started = await logLine(hub, "hub started");
    const agent = spawnNqp(
      [
        "agent",
        "--id",
        "cli-agent",
        "--data",
        join(tmp.path, "agent"),
        "--ingest",
        `mqtt://127.0.0.1:${sensors.port}`,
        "--topic",
        "line/#",
        "--hub",
        `mqtt://127.0.0.1:${started.mqttPort}`,
        "--hub-key",
        add.hubPublicKey,
        "--http",
        "127.0.0.1:0",
      ],
      { env: { NQP_HUB_PASSWORD: add.password } },
    );
    children.push(agent);
    const a = await logLine(agent, "agent started");
    const pub = mqtt.connect(`mqtt://127.0.0.1:${sensors.port}`, { protocolVersion: 4 });
    await new Promise((r) => pub.once("connect", r));
    await waitFor(async () => {
      const h = await (await fetch(`http://127.0.0.1:${a.http}/healthz`)).json();
      return h.ingestConnected && h.hubConnected;
    }, "agent connected");
    for (let i = 0; i < 300; i++)
      pub.publish("line/press", JSON.stringify({ ts: 1_700_000_000_000 + i * 1000, value: Math.sin(i / 9) }), {
        qos: 1,
      });
    pub.publish("line/press", "garbage", { qos: 1 });
    await waitFor(async () => {
      const r = await (await fetch(`http://127.0.0.1:${started.httpPort}/api/v1/agents`)).json();
      return r.agents.find((x: { id: string; records: number }) => x.id === "cli-agent" && x.records >= 300);
    }, "records at the hub");
    const metrics = await (await fetch(`http://127.0.0.1:${a.http}/metrics`)).text();
    expect(metrics).toMatch(/nqp_agent_samples_accepted_total 300/);
    expect(metrics).toMatch(/nqp_agent_rejects_total\{reason="not-json"\} 1/);
    // The back end that runs the reservoir steps, in the start log line, health, metrics and the hub's registry.
    expect(a).toMatchObject({ backend: "ts", backendRequested: "auto" });
    expect(metrics).toMatch(/nqp_agent_backend_info\{backend="ts",requested="auto"\} 1/);
    const health = await (await fetch(`http://127.0.0.1:${a.http}/healthz`)).json();
    expect(health).toMatchObject({ backend: "ts", backendRequested: "auto" });
    expect(health.backendDetail).toMatch(/advanceEsn/);
    const fleet = await (await fetch(`http://127.0.0.1:${started.httpPort}/api/v1/agents`)).json();
    expect(fleet.agents.find((x: { id: string }) => x.id === "cli-agent").backend).toBe("ts");
    expect(metrics).toMatch(/nqp_agent_stream_latency_seconds_bucket\{le="0.05",stream="line\/press"\}/);
    expect(metrics).toMatch(/nqp_agent_outbox_depth \d+/);
    const streams = await (await fetch(`http://127.0.0.1:${started.httpPort}/api/v1/agents/cli-agent/streams`)).json();
    expect(streams.streams).toEqual([expect.objectContaining({ stream: "line/press", records: 300 })]);
    const page = await (await fetch(`http://127.0.0.1:${started.httpPort}/`)).text();
    // The desktop dashboard where its build is present, else the built-in status page.
    expect(page).toMatch(/<title>NQP( hub)?<\/title>/);
    await pub.endAsync();
    agent.kill("SIGTERM");
    hub.kill("SIGTERM");
    expect(await exited(agent)).toBe(0);
    expect(await exited(hub)).toBe(0);
    await sensors.close();
  }, 120_000);
});

describe("nqp demo", () => {
  it("runs hub, agent and simulator, prints the dashboard URL, and stops cleanly on Ctrl-C", async () => {
    const demo = spawnNqp(["demo", "--data", join(tmp.path, "demo"), "--rate", "200"]);
    children.push(demo);
    let out = "";
    demo.stdout.on("data", (d: Buffer) => {
      out += d.toString();
    });
    // Read stderr too: an unread pipe that fills up blocks the child's synchronous writes.
    demo.stderr.on("data", (d: Buffer) => {
      out += d.toString();
    });
    const url = await waitFor(() => /dashboard: +(http:\S+)/.exec(out)?.[1], "dashboard URL", 30_000);
    const get = (path: string) => fetch(`${url}${path}`, { signal: AbortSignal.timeout(5_000) });
    expect((await get("healthz")).status).toBe(200);
    await waitFor(
      async () => {
        const r = await (await get("api/v1/agents")).json();
        return r.agents.find((a: { id: string; records: number }) => a.id === "demo-agent" && a.records > 100);
      },
      "demo data at the hub",
      30_000,
    );
    demo.kill("SIGINT");
    const code = await Promise.race([
      exited(demo),
      new Promise<string>((r) => setTimeout(() => r("still running"), 30_000)),
    ]);
    expect(code, `after SIGINT; output:\n${out.slice(-3000)}`).toBe(0);
    expect(out).toMatch(/demo stopped/);
  }, 90_000);
});
