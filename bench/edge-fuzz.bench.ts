// Good data at a steady rate while 10 000 hostile payloads arrive, against the same run without them.
//   pnpm bench edge-fuzz [--rate 5000] [--seconds 20] [--hostile 10000] [--repeat 2]
// The agent runs in this process; good data (the simulator, 50 streams) and hostile payloads (bench/edge/publisher.ts
// fuzz: binary, oversize, deep nesting, NaN/Infinity, wrong types, …) come from their own processes.
import { rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { validateAgentConfig } from "@nqp/contract";
import { Agent } from "@nqp/edge-agent";
import { Mosquitto } from "@nqp/testkit";
import { arg, MOSQUITTO, percentile, runPublisher, sleep, summary } from "./edge/common";

const rate = arg("rate", 5000);
const seconds = arg("seconds", 20);
const hostile = arg("hostile", 10_000);
const repeat = arg("repeat", 2);
const dir = join(tmpdir(), `nqp-bench-fuzz-${process.pid}`);

async function once(r: number, withFuzz: boolean) {
  const broker = await Mosquitto.start(MOSQUITTO, { dir: join(dir, `m-${r}-${withFuzz}`) });
  const agent = await Agent.start({
    config: validateAgentConfig({
      id: "fuzz",
      data: join(dir, `a-${r}-${withFuzz}`),
      ingest: { url: broker.url, topics: ["sensors/#"] },
      log: { level: "silent" },
    }),
  });
  while (!agent.ingestConnected) await sleep(20);
  const latencies: number[] = [];
  agent.on("commit", (c) => {
    for (const l of c.latenciesMs ?? []) latencies.push(l);
  });
  const total = rate * seconds;
  const t0 = performance.now();
  const good = runPublisher(["sim", broker.url, "50", String(rate), String(total), "1", "sensors/good"]);
  const bad = withFuzz ? runPublisher(["fuzz", broker.url, String(hostile)]) : undefined;
  await good.done;
  const fuzzReport = bad ? await bad.done : undefined;
  while (agent.metrics.acceptedTotal < total && performance.now() - t0 < (seconds + 60) * 1000) await sleep(50);
  const wall = (performance.now() - t0) / 1000;
  const rejected = [...agent.metrics.rejectCounts.values()].reduce((a, b) => a + b, 0);
  const out = {
    accepted: agent.metrics.acceptedTotal,
    acceptedPerSecond: agent.metrics.acceptedTotal / wall,
    p99Ms: percentile(latencies, 99),
    rejected,
    hostileSeconds: fuzzReport?.seconds ?? 0,
  };
  await agent.stop();
  await broker.stop();
  return out;
}

const runs: { fuzz: boolean; r: Awaited<ReturnType<typeof once>> }[] = [];
for (let r = 0; r < repeat; r++)
  for (const fuzz of [false, true]) {
    const x = await once(r, fuzz);
    runs.push({ fuzz, r: x });
    process.stderr.write(
      `run ${r + 1}/${repeat} ${fuzz ? "with" : "without"} hostile payloads: ${x.acceptedPerSecond.toFixed(0)} good samples/s, p99 ${x.p99Ms.toFixed(1)} ms, ${x.rejected} rejects\n`,
    );
  }
rmSync(dir, { recursive: true, force: true });
const pick = (fuzz: boolean, k: "acceptedPerSecond" | "p99Ms" | "rejected" | "accepted" | "hostileSeconds") =>
  runs.filter((x) => x.fuzz === fuzz).map((x) => x.r[k]);
console.log(
  JSON.stringify(
    {
      bench: "edge-fuzz",
      date: new Date().toISOString(),
      goodRate: rate,
      seconds,
      hostilePayloads: hostile,
      goodAcceptedPerSecondWithout: summary(pick(false, "acceptedPerSecond")),
      goodAcceptedPerSecondWith: summary(pick(true, "acceptedPerSecond")),
      goodAcceptedWith: pick(true, "accepted"),
      p99MsWithout: pick(false, "p99Ms").map((x) => Number(x.toFixed(1))),
      p99MsWith: pick(true, "p99Ms").map((x) => Number(x.toFixed(1))),
      rejectsCountedWith: pick(true, "rejected"),
      hostilePublishSeconds: pick(true, "hostileSeconds").map((x) => Number(x.toFixed(1))),
      note: "agent, mosquitto and both publishers share 2 cores; other engineers' work may run too",
    },
    null,
    2,
  ),
);
