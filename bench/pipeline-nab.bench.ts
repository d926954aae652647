// The stream pipeline (createStreamPipeline, default config) over all 58 NAB streams, as an edge agent would run it:
// one-step forecast RMSE relative to persistence, interval coverage at the nominal 0.9, non-finite outputs and the
// time per sample; with --score, the pipeline's anomaly scores are also scored with the NAB scorer (corpus sweep and
// the detector's fixed threshold), beside createDetector run directly on the same rows in the same run (what
// `nqp detect` runs, i.e. the baseline the pipeline should equal).
//   pnpm bench pipeline-nab [--score]
// NAB has 8 files with repeated or backward timestamps; the pipeline requires time order (as the agent does), so a
// backward timestamp is fed as the latest one seen (the detector baseline gets the same times).
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { parseTimestamp, readSeriesCsv } from "@nqp/contract";
import {
  createDetector,
  createStreamPipeline,
  NAB_PROFILES,
  type NabFile,
  parseNabWindows,
  prepareNabFile,
  scoreNabCorpus,
} from "@nqp/core";
import { sharedDataPath, sharedDataSkipReason } from "@nqp/testkit";

const score = process.argv.includes("--score");
const nab = sharedDataPath("nab");
if (!nab) {
  process.stdout.write(`${JSON.stringify({ skipped: sharedDataSkipReason("nab") })}\n`);
  process.exit(0);
}
const root = join(nab, "data");
const windows = parseNabWindows(
  JSON.parse(readFileSync(join(nab, "labels", "combined_windows.json"), "utf8")),
  parseTimestamp,
);
const streams: Record<string, unknown>[] = [];
const pipelineFiles: NabFile[] = [];
const detectorFiles: NabFile[] = [];
let differing = 0;
let rowsTotal = 0;
let backwardRows = 0;
let pipelineCpu = 0;
let detectorCpu = 0;
const cpu = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1e6;
};
for (const group of readdirSync(root, { withFileTypes: true }).filter((d) => d.isDirectory())) {
  for (const file of readdirSync(join(root, group.name)).filter((f) => f.endsWith(".csv"))) {
    const key = `${group.name}/${file}`;
    const table = readSeriesCsv(readFileSync(join(root, group.name, file), "utf8"), { timeOrder: "file" });
    const n = table.value.length;
    const time = Float64Array.from(table.time);
    for (let i = 1; i < n; i++)
      if (time[i] < time[i - 1]) {
        time[i] = time[i - 1];
        backwardRows++;
      }
    rowsTotal += n;
    const p = createStreamPipeline();
    const pipelineScores = new Float64Array(n);
    let se = 0;
    let sePersist = 0;
    let inside = 0;
    let scored = 0;
    let nonFinite = 0;
    const started = performance.now();
    const cpu0 = cpu();
    for (let i = 0; i < n; i++) {
      const r = p.step(time[i], table.value[i]);
      pipelineScores[i] = r.anomalyScore;
      if (r.next && ![r.next.forecast, r.next.lower, r.next.upper].every(Number.isFinite)) nonFinite++;
      if (r.forecast === null || i === 0) continue;
      se += (table.value[i] - r.forecast) ** 2;
      sePersist += (table.value[i] - table.value[i - 1]) ** 2;
      if (table.value[i] >= (r.lower as number) && table.value[i] <= (r.upper as number)) inside++;
      scored++;
    }
    const seconds = (performance.now() - started) / 1000;
    const cpuSeconds = cpu() - cpu0;
    pipelineCpu += cpuSeconds;
    if (score) {
      const d = createDetector();
      const detectorScores = new Float64Array(n);
      const c0 = cpu();
      for (let i = 0; i < n; i++) detectorScores[i] = d.update(table.value[i], Number.NaN, time[i]);
      detectorCpu += cpu() - c0;
      for (let i = 0; i < n; i++) if (detectorScores[i] !== pipelineScores[i]) differing++;
      const list = windows.get(key) ?? [];
      pipelineFiles.push({ name: key, time, scores: pipelineScores, windows: list });
      detectorFiles.push({ name: key, time, scores: detectorScores, windows: list });
    }
    streams.push({
      stream: key,
      rows: n,
      rmseOverPersistence: sePersist > 0 ? Math.sqrt(se / sePersist) : null,
      coverage: inside / scored,
      nonFinite,
      microsecondsPerSample: Number(((seconds * 1e6) / n).toFixed(2)),
      cpuMicrosecondsPerSample: Number(((cpuSeconds * 1e6) / n).toFixed(2)),
    });
  }
}
const ratios = streams.map((s) => s.rmseOverPersistence as number | null).filter((x): x is number => x !== null);
const coverage = streams.map((s) => s.coverage as number);
const sorted = (xs: number[]) => [...xs].sort((a, b) => a - b);
const q = (xs: number[], p: number) => sorted(xs)[Math.min(xs.length - 1, Math.floor(p * xs.length))];
const nabScores = (files: NabFile[]) => {
  const prepared = files.map((f) => prepareNabFile(f));
  const round = (x: number) => Math.round(x * 100) / 100;
  const at = (t: number | "sweep") =>
    Object.fromEntries(
      NAB_PROFILES.map((profile) => {
        const r = scoreNabCorpus(prepared, profile, t);
        return [
          profile.name,
          {
            score: round(r.normalized),
            threshold: r.threshold,
            windowsDetected: r.totals.windowsDetected,
            fpRows: r.totals.fp,
          },
        ];
      }),
    );
  return { sweep: at("sweep"), fixedThreshold: at(0.5) };
};
process.stdout.write(
  `${JSON.stringify(
    {
      date: new Date().toISOString(),
      streams: streams.length,
      rows: rowsTotal,
      backwardTimestampsClamped: backwardRows,
      rmseOverPersistence: {
        min: q(ratios, 0),
        median: q(ratios, 0.5),
        max: q(ratios, 1),
        worseThan105: ratios.filter((r) => r > 1.05).length,
      },
      coverage: { min: q(coverage, 0), median: q(coverage, 0.5), max: q(coverage, 1) },
      nonFinite: streams.reduce((a, s) => a + (s.nonFinite as number), 0),
      pipeline: {
        cpuSeconds: Number(pipelineCpu.toFixed(2)),
        cpuMicrosecondsPerSample: Number(((pipelineCpu * 1e6) / rowsTotal).toFixed(2)),
        microsecondsPerSampleMedian: q(
          streams.map((s) => s.microsecondsPerSample as number),
          0.5,
        ),
      },
      ...(score
        ? {
            nab: {
              pipeline: nabScores(pipelineFiles),
              createDetector: nabScores(detectorFiles),
              rowsWhereScoresDiffer: differing,
              detectorCpuSeconds: Number(detectorCpu.toFixed(2)),
            },
          }
        : {}),
      perStream: streams,
    },
    null,
    2,
  )}\n`,
);
