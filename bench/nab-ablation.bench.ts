// `pnpm bench nab-ablation`: how the detector's NAB scores move when each of its few tuned settings moves alone
// (and with each part removed). Runs in one process on the 58 NAB streams, scored with NAB's corpus sweep.
// Prints one JSON document; docs/anomaly-detection.md quotes it.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { parseTimestamp, readSeriesCsv } from "@nqp/contract";
import {
  type AnomalyLikelihoodOptions,
  type BlockDiscordOptions,
  DISCORD_DEFAULTS,
  initialDiscordState,
  initialLikelihoodState,
  initialRangeState,
  LIKELIHOOD_DEFAULTS,
  NAB_PROFILES,
  type NabFile,
  noteAlarm,
  parseNabWindows,
  prepareNabFile,
  scoreNabCorpus,
  stepDiscord,
  stepLikelihood,
  stepRange,
} from "@nqp/core";
import { sharedDataPath, sharedDataSkipReason } from "@nqp/testkit";

const nab = sharedDataPath("nab");
if (!nab) {
  process.stdout.write(`${JSON.stringify({ skipped: sharedDataSkipReason("nab") })}\n`);
  process.exit(0);
}
const windows = parseNabWindows(
  JSON.parse(readFileSync(join(nab, "labels/combined_windows.json"), "utf8")),
  parseTimestamp,
);
const corpus = [...windows].map(([name, w]) => {
  const t = readSeriesCsv(readFileSync(join(nab, "data", name), "utf8"), { timeOrder: "file" });
  return { name, time: t.time, value: t.value, windows: w };
});

interface Variant {
  name: string;
  discord?: BlockDiscordOptions;
  likelihood?: AnomalyLikelihoodOptions;
  rangeTolerance?: number;
  /** Score only the range check (1 when outside, else 0), or only the likelihood. */
  only?: "range" | "likelihood";
  /** Range alarms do not start the likelihood's refractory hold. */
  untied?: boolean;
}

const variants: Variant[] = [
  { name: "default" },
  { name: "range check only", only: "range" },
  { name: "discord likelihood only", only: "likelihood" },
  { name: "range alarms do not start the refractory hold", untied: true },
  { name: "refractory 0 (NuPIC's consecutive-red hold only)", likelihood: { refractory: 0 } },
  ...[3, 5].map((blockSize) => ({ name: `blockSize ${blockSize}`, discord: { blockSize } })),
  ...[3, 5].map((windowBlocks) => ({ name: `windowBlocks ${windowBlocks}`, discord: { windowBlocks } })),
  ...[500, 2000].map((historyBlocks) => ({ name: `historyBlocks ${historyBlocks}`, discord: { historyBlocks } })),
  ...[1, 3].map((saturation) => ({ name: `saturation ${saturation}`, discord: { saturation } })),
  ...[30, 200].map((refractory) => ({ name: `refractory ${refractory}`, likelihood: { refractory } })),
  ...[0.02, 0.1].map((rangeTolerance) => ({ name: `rangeTolerance ${rangeTolerance}`, rangeTolerance })),
];

const results = variants.map((v) => {
  const files: NabFile[] = corpus.map((s) => {
    // The same composition as createDetector, with parts switchable.
    const discord = { ...DISCORD_DEFAULTS, ...v.discord };
    const likelihood = { ...LIKELIHOOD_DEFAULTS, ...v.likelihood };
    const state = { discord: initialDiscordState(), likelihood: initialLikelihoodState(), range: initialRangeState() };
    const scores = new Float64Array(s.value.length);
    for (let i = 0; i < scores.length; i++) {
      const x = stepLikelihood(likelihood, state.likelihood, stepDiscord(discord, state.discord, s.value[i]));
      const outside = stepRange(v.rangeTolerance ?? 0.05, state.range, s.value[i]);
      if (outside && v.only === undefined && !v.untied) noteAlarm(state.likelihood);
      scores[i] = v.only === "likelihood" ? x : v.only === "range" ? (outside ? 1 : 0) : outside ? 1 : x;
    }
    return { name: s.name, time: s.time, scores, windows: s.windows };
  });
  const prepared = files.map((f) => prepareNabFile(f));
  const profiles = Object.fromEntries(
    NAB_PROFILES.map((p) => {
      const r = scoreNabCorpus(prepared, p, "sweep");
      return [p.name, { score: Math.round(r.normalized * 100) / 100, threshold: r.threshold, fpRows: r.totals.fp }];
    }),
  );
  return { variant: v.name, ...profiles };
});
process.stdout.write(`${JSON.stringify({ date: new Date().toISOString(), results }, null, 2)}\n`);
