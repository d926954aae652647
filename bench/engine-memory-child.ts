// Child of engine-speed.bench.ts: N concurrent stream pipelines with U-unit reservoirs, each fed S samples (round
// robin, as an edge agent would), then the resident memory. Args: N U S [distinct|shared]: each stream its own
// reservoir seed (default, the harder case: no weights shared), or seed 1 for all (what an edge agent does: one
// pipeline config for all its streams). Prints one JSON object.
import { readFileSync } from "node:fs";
import { createRng, createStreamPipeline } from "@nqp/core";

const [streams, units, samples] = process.argv.slice(2, 5).map(Number);
const seeds = process.argv[5] === "shared" ? "shared" : "distinct";
const rng = createRng(1);
const phase = Array.from({ length: streams }, () => rng.next() * 100);
const pipelines = Array.from({ length: streams }, (_, i) =>
  createStreamPipeline({ units, seed: seeds === "shared" ? 1 : i + 1 }),
);
const started = performance.now();
for (let t = 0; t < samples; t++)
  for (let i = 0; i < streams; i++) pipelines[i].step(t * 1000, Math.sin((t + phase[i]) / 20) + 0.1 * rng.normal());
const seconds = (performance.now() - started) / 1000;
(globalThis as { gc?: () => void }).gc?.();
const status = readFileSync("/proc/self/status", "utf8");
const kib = (key: string) => Number(new RegExp(`${key}:\\s+(\\d+)`).exec(status)?.[1] ?? Number.NaN);
const m = process.memoryUsage();
process.stdout.write(
  JSON.stringify({
    streams,
    units,
    seeds,
    samplesPerStream: samples,
    bar: "≤ 512 MB RSS",
    rssMiB: Number((m.rss / 2 ** 20).toFixed(1)),
    peakRssMiB: Number((kib("VmHWM") / 1024).toFixed(1)),
    heapUsedMiB: Number((m.heapUsed / 2 ** 20).toFixed(1)),
    arrayBuffersMiB: Number((m.arrayBuffers / 2 ** 20).toFixed(1)),
    snapshotBytesPerStream: JSON.stringify(pipelines[0].snapshot()).length,
    cpuSeconds: Number(((process.cpuUsage().user + process.cpuUsage().system) / 1e6).toFixed(1)),
    microsecondsPerSample: Number(((seconds * 1e6) / (streams * samples)).toFixed(2)),
  }),
);
