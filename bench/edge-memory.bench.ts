// Agent memory with many streams: the agent's own process (the nqp bundle) with 1 000 streams fed over MQTT.
//   pnpm bench edge-memory [--streams 1000] [--per-stream 2000] [--rate 15000] [--batch 10] [--workers 0]
// RSS is read from /proc/PID/status every 500 ms (VmRSS, and VmHWM: the peak). The detector's window (8 640
// samples per stream) keeps growing until each stream has seen that many samples; see the report's note.
import { readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { freePort, Mosquitto, spawnNqp } from "@nqp/testkit";
import { arg, MOSQUITTO, runPublisher, sleep } from "./edge/common";

const streams = arg("streams", 1000);
const perStream = arg("per-stream", 2000);
const rate = arg("rate", 15_000);
const batch = arg("batch", 10);
const workers = arg("workers", 0);
// --heap-mb N: run the agent with node --max-old-space-size=N (and a 4 MB young generation), as a deployment would
// through NODE_OPTIONS.
const heapMb = arg("heap-mb", 0);
await (await import("../scripts/bundle.mjs" as string)).bundle();
const dir = join(tmpdir(), `nqp-bench-memory-${process.pid}`);
const broker = await Mosquitto.start(MOSQUITTO, { dir: join(dir, "mosquitto") });
const httpPort = await freePort();
const metricsUrl = `http://127.0.0.1:${httpPort}/metrics`;
const agent = spawnNqp(
  [
    "agent",
    "--id",
    "memory",
    "--data",
    join(dir, "agent"),
    "--ingest",
    broker.url,
    "--topic",
    "sensors/#",
    "--workers",
    String(workers),
    "--http",
    `127.0.0.1:${httpPort}`,
    "--log-level",
    "warn",
  ],
  heapMb ? { env: { NODE_OPTIONS: `--max-old-space-size=${heapMb} --max-semi-space-size=4` } } : {},
);
agent.stdout.resume();
const status = () => readFileSync(`/proc/${agent.pid}/status`, "utf8");
const kb = (field: string) => Number(new RegExp(`${field}:\\s+(\\d+) kB`).exec(status())?.[1] ?? 0);
await sleep(2000);
const idleRss = kb("VmRSS");
const total = streams * perStream;
const t0 = performance.now();
const pub = runPublisher(["sim", broker.url, String(streams), String(rate), String(total), String(batch)]);
const samples: { t: number; rssMb: number }[] = [];
const heap: [number, number, number, number][] = [];
const heapTimer = setInterval(async () => {
  try {
    const m = await fetch(metricsUrl).then((x) => x.text());
    const v = (name: string) => Math.round(Number(new RegExp(`^${name} ([0-9.e+]+)`, "m").exec(m)?.[1] ?? 0) / 1048576);
    heap.push([
      Math.round((performance.now() - t0) / 1000),
      v("nodejs_heap_size_used_bytes"),
      v("nodejs_heap_size_total_bytes"),
      v("nodejs_external_memory_bytes"),
    ]);
  } catch {}
}, 5000);
let done = false;
void pub.done.then(() => {
  done = true;
});
while (!done) {
  samples.push({ t: (performance.now() - t0) / 1000, rssMb: kb("VmRSS") / 1024 });
  await sleep(500);
}
const published = (await pub.done).published;
// Let the agent catch up with what the broker still holds for it.
let last = -1;
let still = 0;
for (let i = 0; i < 1200; i++) {
  const r = await fetch(metricsUrl).then((x) => x.text());
  const accepted = Number(/nqp_agent_samples_accepted_total (\d+)/.exec(r)?.[1] ?? 0);
  samples.push({ t: (performance.now() - t0) / 1000, rssMb: kb("VmRSS") / 1024 });
  if (accepted >= published) break;
  still = accepted === last ? still + 1 : 0;
  if (still >= 10) break;
  last = accepted;
  await sleep(1000);
}
const metrics = await fetch(metricsUrl).then((x) => x.text());
clearInterval(heapTimer);
const finalRss = kb("VmRSS") / 1024;
const peak = kb("VmHWM") / 1024;
agent.kill("SIGTERM");
await new Promise((r) => agent.once("exit", r));
await broker.stop();
rmSync(dir, { recursive: true, force: true });
console.log(
  JSON.stringify(
    {
      bench: "edge-memory",
      date: new Date().toISOString(),
      streams,
      samplesPerStream: perStream,
      published,
      accepted: Number(/nqp_agent_samples_accepted_total (\d+)/.exec(metrics)?.[1] ?? 0),
      agentStreams: Number(/nqp_agent_streams (\d+)/.exec(metrics)?.[1] ?? 0),
      pipelineWorkers: workers,
      nodeOptions: heapMb ? `--max-old-space-size=${heapMb} --max-semi-space-size=4` : "",
      idleRssMb: Math.round(idleRss / 1024),
      finalRssMb: Math.round(finalRss),
      peakRssMb: Math.round(peak),
      seconds: Math.round((performance.now() - t0) / 1000),
      rssTimeline: samples.filter((_, i) => i % 10 === 0).map((s) => [Math.round(s.t), Math.round(s.rssMb)]),
      heapTimeline: {
        columns: ["s", "heapUsedMb", "heapTotalMb", "externalMb"],
        rows: heap.filter((_, i) => i % 2 === 0),
      },
      note: `core's anomaly detector keeps up to 8 640 values per stream; with ${perStream} samples per stream it holds ${Math.min(perStream, 8640)}`,
    },
    null,
    2,
  ),
);
