// Sustained ingest of the edge agent against mosquitto's own raw rate, measured in the same run on the same broker.
//   pnpm bench edge-ingest [--messages 200000] [--batch 1] [--streams 10] [--repeat 3] [--durability batched|every-commit]
// The agent runs in this process (no hub: ingest only); the load is mosquitto_pub -l at QoS 1, one process per
// stream. Agent rate = samples committed / (last commit − first arrival).
import { rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { validateAgentConfig } from "@nqp/contract";
import { Agent } from "@nqp/edge-agent";
import { Mosquitto } from "@nqp/testkit";
import { arg, MOSQUITTO, publishFiles, sleep, subscribeCount, summary, writeLoadFiles } from "./edge/common";

const messages = arg("messages", 200_000);
const batch = arg("batch", 1);
const streams = arg("streams", 10);
const repeat = arg("repeat", 3);
const durability = arg("durability", "batched") as "batched" | "every-commit";
// "--pipeline none" replaces core's pipeline by one that does nothing: a diagnostic of the agent's own cost only.
const pipelineMode = arg("pipeline", "core");
const workers = arg("workers", 0);
// The pipeline worker threads run the bundled worker script: build it from the current sources.
await (await import("../scripts/bundle.mjs" as string)).bundle();
const nonePipeline = {
  engine: "none (diagnostic)",
  create: () => ({
    step: () => ({
      forecast: null,
      lower: null,
      upper: null,
      anomalyScore: 0,
      isAnomaly: false,
      next: null,
      patterns: [],
    }),
    samples: 0,
    snapshot: () => ({ version: 1 }),
  }),
};
const dir = join(tmpdir(), `nqp-bench-ingest-${process.pid}`);
const samples = Math.ceil(messages / streams) * streams * batch;
const files = writeLoadFiles(dir, streams, messages, batch);
const msgCount = Math.ceil(messages / streams) * streams;

const raw: number[] = [];
const agentRates: number[] = [];
const pubOnly: number[] = [];
const commits: number[] = [];
const cpuPerSample: number[] = [];
for (let r = 0; r < repeat; r++) {
  const broker = await Mosquitto.start(MOSQUITTO, { dir: join(dir, `mosquitto-${r}`) });
  // Baseline: mosquitto_pub → mosquitto → mosquitto_sub, QoS 1 all the way.
  const sub = await subscribeCount(broker.port, "sensors/#", msgCount);
  sub.start();
  await publishFiles(broker.port, files);
  raw.push(msgCount / (await sub.done));

  // The agent, as the subscriber instead.
  const agent = await Agent.start({
    config: validateAgentConfig({
      id: "bench",
      data: join(dir, `agent-${r}`),
      ingest: { url: broker.url, topics: ["sensors/#"] },
      storage: { durability },
      compute: { pipelineWorkers: workers },
      log: { level: "silent" },
    }),
    pipeline: pipelineMode === "none" ? nonePipeline : undefined,
  });
  while (!agent.ingestConnected) await sleep(20);
  await sleep(300);
  const cpu0 = process.cpuUsage();
  let first = 0;
  let last = 0;
  let accepted = 0;
  let nCommits = 0;
  const all = new Promise<void>((resolve) =>
    agent.on("commit", (c) => {
      if (!first) first = performance.now() - c.commitMs;
      accepted += c.accepted;
      nCommits++;
      last = performance.now();
      if (accepted >= samples) resolve();
    }),
  );
  pubOnly.push(msgCount / (await publishFiles(broker.port, files)));
  await all;
  const cpu = process.cpuUsage(cpu0);
  cpuPerSample.push((cpu.user + cpu.system) / samples);
  agentRates.push(samples / ((last - first) / 1000));
  commits.push(nCommits);
  await agent.stop();
  await broker.stop();
  process.stderr.write(
    `run ${r + 1}/${repeat}: raw ${raw[r].toFixed(0)} msg/s, agent ${agentRates[r].toFixed(0)} samples/s\n`,
  );
}
rmSync(dir, { recursive: true, force: true });
console.log(
  JSON.stringify(
    {
      bench: "edge-ingest",
      date: new Date().toISOString(),
      messages: msgCount,
      batch,
      samples,
      streams,
      durability,
      pipeline: pipelineMode,
      pipelineWorkers: workers,
      mosquittoRawMsgsPerSecond: summary(raw),
      mosquittoRawSamplesPerSecond: summary(raw.map((x) => x * batch)),
      mosquittoPubMsgsPerSecondWhileAgentSubscribed: summary(pubOnly),
      agentSamplesPerSecond: summary(agentRates),
      agentMsgsPerSecond: summary(agentRates.map((x) => x / batch)),
      agentVsRaw: Number((Math.max(...agentRates) / batch / Math.max(...raw)).toFixed(3)),
      groupCommitsPerRun: commits,
      agentCpuMicrosecondsPerSample: cpuPerSample.map((x) => Number(x.toFixed(1))),
      note: "2 cores shared by mosquitto, mosquitto_pub and the agent; other engineers' work may run too",
    },
    null,
    2,
  ),
);
