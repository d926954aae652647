// An offline backlog drained when the link to the hub returns: by default one hour at 1 000 samples/s (3.6 M
// records) over 50 streams.
//   pnpm bench edge-backlog [--records 3600000] [--streams 50] [--batch 2000] [--window 20000] [--repeat 1]
// 1. Fill: the agent's own stream engine and store write the records with core's pipeline (no MQTT, to save time;
//    the rows are exactly what ingest writes), then stream state is saved.
// 2. Drain: mosquitto as the hub's broker, the hub in its own nqp process; the agent starts with its link to the
//    broker cut (a TCP proxy), then the link returns. Measured: link restored → the hub acks the last record.

import { spawn } from "node:child_process";
import { copyFileSync, mkdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { validateAgentConfig } from "@nqp/contract";
import { createStreamPipeline } from "@nqp/core";
import { Agent, AgentStore } from "@nqp/edge-agent";
import { freePort, Mosquitto, nqpBundle } from "@nqp/testkit";
import { InlinePipelineHost } from "../apps/edge-agent/src/streams/pipeline-host";
import { StreamEngine } from "../apps/edge-agent/src/streams/stream-engine";
import { TcpProxy } from "../apps/edge-agent/test/chaos/tcp-proxy";
import { arg, MOSQUITTO, sleep, summary } from "./edge/common";

const records = arg("records", 3_600_000);
const streams = arg("streams", 50);
const batch = arg("batch", 2000);
const window = arg("window", 20_000);
const repeat = arg("repeat", 1);
// --profile DIR: CPU profiles of the hub process (node --cpu-prof) go there.
const profile = arg("profile", "");
const dir = join(tmpdir(), `nqp-bench-backlog-${process.pid}`);

// 1. Fill once (a copy of the database is drained in each repeat).
const fillDir = join(dir, "fill");
const fillStart = performance.now();
{
  const store = new AgentStore(fillDir);
  const engine = new StreamEngine({
    store,
    host: new InlinePipelineHost(createStreamPipeline),
    pipelineConfig: () => ({}),
    streamId: (n) => n,
    maxStreams: 10_000,
    snapshotEverySamples: 20_000,
    snapshotEverySeconds: 1e9,
  });
  await engine.restore();
  const per = Math.ceil(records / streams);
  const chunk = 50; // samples per stream per transaction
  for (let i = 0; i < per; i += chunk) {
    const samples = [];
    for (let k = i; k < Math.min(per, i + chunk); k++)
      for (let s = 0; s < streams; s++)
        // One hour at 1 000 samples/s over 50 streams: each stream every 50 ms.
        samples.push({
          stream: `sensors/line/${s}`,
          ts: 1_700_000_000_000 + k * 50,
          value: Math.sin(k / 300 + s) + 0.05 * Math.sin(k * 7.3 + s),
          arrivedAt: 0,
        });
    const b = await engine.step(samples);
    store.transaction(() => engine.write(b));
  }
  await engine.snapshotAll();
  store.close();
}
const fillSeconds = (performance.now() - fillStart) / 1000;
process.stderr.write(`filled ${records} records in ${fillSeconds.toFixed(0)} s\n`);

const drains: number[] = [];
const details: Record<string, number>[] = [];
for (let r = 0; r < repeat; r++) {
  const agentDir = join(dir, `agent-${r}`);
  // The fill's store was closed, so its database is one self-contained file.
  mkdirSync(agentDir, { recursive: true });
  copyFileSync(join(fillDir, "agent.db"), join(agentDir, "agent.db"));
  const broker = await Mosquitto.start(MOSQUITTO, { dir: join(dir, `mosquitto-${r}`) });
  const proxy = await TcpProxy.start(await freePort(), broker.port);
  await proxy.cut();
  const hubDir = join(dir, `hub-${r}`);
  const hub = spawn(
    process.execPath,
    [
      ...(profile ? ["--cpu-prof", "--cpu-prof-dir", profile] : []),
      nqpBundle,
      ...["hub", "--data", hubDir, "--broker", broker.url, "--log-level", "warn"],
    ],
    { stdio: ["ignore", "ignore", "inherit"] },
  );
  const agent = await Agent.start({
    config: validateAgentConfig({
      id: "backlog",
      data: agentDir,
      ingest: { url: broker.url, topics: ["sensors/none"] },
      hub: { url: `mqtt://127.0.0.1:${proxy.port}` },
      sync: { batchRecords: batch, windowRecords: window },
      log: { level: "silent" },
    }),
  });
  const last = agent.store.lastSeq;
  await sleep(1500);
  let acked = agent.store.ackedSeq;
  const done = new Promise<void>((resolve) =>
    agent.on("acked", (seq) => {
      acked = seq;
      if (seq >= last) resolve();
    }),
  );
  const t0 = performance.now();
  await proxy.restore();
  const cpu0 = process.cpuUsage();
  await done;
  const seconds = (performance.now() - t0) / 1000;
  const cpu = process.cpuUsage(cpu0);
  drains.push(seconds);
  details.push({ lastSeq: last, acked, agentCpuSeconds: (cpu.user + cpu.system) / 1e6 });
  process.stderr.write(`run ${r + 1}/${repeat}: ${last} records drained in ${seconds.toFixed(1)} s\n`);
  await agent.stop();
  hub.kill("SIGTERM");
  await new Promise((res) => hub.once("exit", res));
  await proxy.cut();
  await broker.stop();
}
rmSync(dir, { recursive: true, force: true });
console.log(
  JSON.stringify(
    {
      bench: "edge-backlog",
      date: new Date().toISOString(),
      records: details[0].lastSeq,
      streams,
      batchRecords: batch,
      windowRecords: window,
      fillSeconds: Number(fillSeconds.toFixed(1)),
      drainSeconds: {
        median: Number(summary(drains, 1).median),
        best: Number(Math.min(...drains).toFixed(1)),
        runs: drains.map((x) => Number(x.toFixed(1))),
      },
      recordsPerSecond: summary(drains.map((s) => details[0].lastSeq / s)),
      agentCpuSeconds: details.map((d) => Number(d.agentCpuSeconds.toFixed(1))),
      note: "agent, hub (own process) and mosquitto share 2 cores; other engineers' work may run too",
    },
    null,
    2,
  ),
);
