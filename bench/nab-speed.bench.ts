// `pnpm bench nab-speed [--runs N]`: CPU seconds of the default detector and of each of its parts over the 58 NAB
// streams, in this process on one thread (files already parsed, so no CSV or start-up cost). CPU time is reported
// because other engineers' jobs share the cores; the median and best of N runs. Prints one JSON document.
import { readFileSync } from "node:fs";
import { loadavg } from "node:os";
import { join } from "node:path";
import { parseTimestamp, readSeriesCsv } from "@nqp/contract";
import {
  CONTEXT_DEFAULTS,
  createDetector,
  DETECTOR_LIKELIHOOD_DEFAULTS,
  DISCORD_DEFAULTS,
  FINE_DISCORD_DEFAULTS,
  initialContextState,
  initialDiscordState,
  initialLikelihoodState,
  parseNabWindows,
  stepContext,
  stepDiscord,
  stepTail,
} from "@nqp/core";
import { sharedDataPath, sharedDataSkipReason } from "@nqp/testkit";

const args = process.argv.slice(2);
const runs = Number(args[args.indexOf("--runs") + 1] || 5);
const nab = sharedDataPath("nab");
if (!nab) {
  process.stdout.write(`${JSON.stringify({ skipped: sharedDataSkipReason("nab") })}\n`);
  process.exit(0);
}
const names = [
  ...parseNabWindows(
    JSON.parse(readFileSync(join(nab, "labels/combined_windows.json"), "utf8")),
    parseTimestamp,
  ).keys(),
];
const corpus = names.map((name) => readSeriesCsv(readFileSync(join(nab, "data", name), "utf8"), { timeOrder: "file" }));
const rows = corpus.reduce((n, f) => n + f.value.length, 0);

const cpuSeconds = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1e6;
};

/** Median and best CPU seconds of `runs` passes of `step` over every file. */
function measure(start: () => (value: number, time: number) => number) {
  const times: number[] = [];
  let checksum = 0;
  for (let r = 0; r < runs; r++) {
    const t0 = cpuSeconds();
    for (const f of corpus) {
      const step = start();
      for (let i = 0; i < f.value.length; i++) checksum += step(f.value[i], f.time[i]);
    }
    times.push(cpuSeconds() - t0);
  }
  const sorted = [...times].sort((a, b) => a - b);
  const r3 = (x: number) => Math.round(x * 1000) / 1000;
  return { cpuSeconds: times.map(r3), median: r3(sorted[(runs - 1) >> 1]), best: r3(sorted[0]), checksum };
}

const parts = {
  detector: measure(() => {
    const d = createDetector();
    return (v, t) => d.update(v, Number.NaN, t);
  }),
  shapeDiscord: measure(() => {
    const s = initialDiscordState();
    return (v) => stepDiscord(DISCORD_DEFAULTS, s, v);
  }),
  fineDiscord: measure(() => {
    const s = initialDiscordState();
    return (v) => stepDiscord(FINE_DISCORD_DEFAULTS, s, v);
  }),
  context: measure(() => {
    const s = initialContextState();
    return (v, t) => stepContext(CONTEXT_DEFAULTS, s, v, t);
  }),
  oneLikelihood: measure(() => {
    const s = initialLikelihoodState();
    let i = 0;
    return () => stepTail(DETECTOR_LIKELIHOOD_DEFAULTS, s, (i++ % 7) / 10);
  }),
};
const perSampleMicroseconds = Math.round((parts.detector.median / rows) * 1e8) / 100;
process.stdout.write(
  `${JSON.stringify({ date: new Date().toISOString(), rows, runs, perSampleMicroseconds, parts, loadAverage: loadavg() }, null, 2)}\n`,
);
