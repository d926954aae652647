// Per-sample cost of the stream pipeline as the edge agent runs it: `createStreamPipeline()` with default settings
// (64 units), many streams stepped round robin with their timestamps (1-minute samples of a seeded industrial
// sensor: daily cycle, drift, noise, faults), after a warm-up past the first fits. Same-run baselines: the anomaly
// detector alone (createDetector, which the pipeline runs inside) on the same samples.
//   pnpm bench pipeline-speed [--streams 200] [--samples 3000] [--repeat 5]
// Other work shares the 2 cores: CPU time of this process is reported beside the wall time, median and best.
import { createDetector, createRng, createStreamPipeline } from "@nqp/core";
import { arg, lowestStats } from "./lib/cli";

const streams = arg("streams", 200);
const samples = arg("samples", 3000);
const repeat = arg("repeat", 5);
const units = arg("units", 64);

const rng = createRng(1);
const series = Array.from({ length: streams }, () => {
  const phase = rng.next() * 1440;
  const level = 50 + 50 * rng.next();
  return Float64Array.from({ length: samples }, (_, t) => {
    const fault = t % 1700 > 1690 ? 8 : 0;
    return level + 10 * Math.sin((2 * Math.PI * (t + phase)) / 1440) + 0.001 * t + rng.normal() + fault;
  });
});
const t0 = Date.UTC(2026, 0, 1);
const clock = () => {
  const c = process.cpuUsage();
  return { wall: performance.now(), cpu: (c.user + c.system) / 1000 };
};

function run(kind: "pipeline" | "detector") {
  const steppers =
    kind === "pipeline"
      ? Array.from({ length: streams }, () => {
          const p = createStreamPipeline({ units });
          return (t: number, v: number) => p.step(t, v).anomalyScore;
        })
      : Array.from({ length: streams }, () => {
          const d = createDetector();
          return (t: number, v: number) => d.update(v, Number.NaN, t);
        });
  // The first third (warm-up and first fits) is not timed: the agent's steady state is what matters.
  const warm = Math.floor(samples / 3);
  let sink = 0;
  for (let t = 0; t < warm; t++) for (let i = 0; i < streams; i++) sink += steppers[i](t0 + t * 60_000, series[i][t]);
  const start = clock();
  for (let t = warm; t < samples; t++)
    for (let i = 0; i < streams; i++) sink += steppers[i](t0 + t * 60_000, series[i][t]);
  const end = clock();
  const n = (samples - warm) * streams;
  if (!Number.isFinite(sink)) throw new Error("non-finite score");
  return { wallMicros: ((end.wall - start.wall) * 1000) / n, cpuMicros: ((end.cpu - start.cpu) * 1000) / n };
}

const stats = (xs: number[]) => lowestStats(xs, (x) => Number(x.toFixed(2)));
const pipeline: ReturnType<typeof run>[] = [];
const detector: ReturnType<typeof run>[] = [];
for (let r = 0; r < repeat; r++) {
  pipeline.push(run("pipeline"));
  detector.push(run("detector"));
}
const cpuMedian = stats(pipeline.map((x) => x.cpuMicros)).median;
process.stdout.write(
  `${JSON.stringify(
    {
      date: new Date().toISOString(),
      streams,
      samplesPerStream: samples,
      units,
      pipelineStep: {
        cpuMicrosPerSample: stats(pipeline.map((x) => x.cpuMicros)),
        wallMicrosPerSample: stats(pipeline.map((x) => x.wallMicros)),
      },
      detectorAlone: {
        cpuMicrosPerSample: stats(detector.map((x) => x.cpuMicros)),
        wallMicrosPerSample: stats(detector.map((x) => x.wallMicros)),
      },
      samplesPerCpuSecond: Math.round(1e6 / cpuMedian),
      agentTarget: "20 000 samples/s on 2 cores: ≤ 100 µs of CPU per sample (both cores, nothing else)",
    },
    null,
    2,
  )}\n`,
);
