// `pnpm bench nab-ablation`: how the detector's NAB scores move when each part is removed and when each of its few
// tuned settings moves alone. Runs in one process on the 58 NAB streams, scored with NAB's corpus sweep. The
// "previous detector" row is last round's composition (shape channel and range check only, NuPIC's learning
// period), the same-run baseline. Prints one JSON document; docs/anomaly-detection.md quotes it.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { parseTimestamp, readSeriesCsv } from "@nqp/contract";
import {
  CONTEXT_DEFAULTS,
  createDetector,
  DEFAULT_CHANNEL_WEIGHT,
  DETECTOR_LIKELIHOOD_DEFAULTS,
  type DetectorOptions,
  DISCORD_DEFAULTS,
  dampTail,
  FINE_DISCORD_DEFAULTS,
  initialContextState,
  initialDiscordState,
  initialLikelihoodState,
  initialRangeState,
  NAB_PROFILES,
  type NabFile,
  noteAlarm,
  parseNabWindows,
  prepareNabFile,
  scoreNabCorpus,
  stepContext,
  stepDiscord,
  stepRange,
  stepTail,
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

/** Parts that can be switched off; everything else goes through createDetector's options. */
interface Parts {
  fine?: boolean;
  context?: boolean;
  timestamps?: boolean;
  range?: boolean;
  likelihood?: boolean;
}

interface Variant {
  name: string;
  options?: DetectorOptions;
  parts?: Parts;
}

/** createDetector's composition with parts switchable (checked against createDetector below). */
function compose(value: ArrayLike<number>, time: ArrayLike<number>, o: DetectorOptions, parts: Parts): Float64Array {
  const on = { fine: true, context: true, timestamps: true, range: true, likelihood: true, ...parts };
  const shape = { ...DISCORD_DEFAULTS, ...o.discord };
  const fine = { ...FINE_DISCORD_DEFAULTS, ...o.fine };
  const context = { ...CONTEXT_DEFAULTS, ...o.context };
  const likelihood = { ...DETECTOR_LIKELIHOOD_DEFAULTS, ...o.likelihood };
  const weight = o.channelWeight ?? DEFAULT_CHANNEL_WEIGHT;
  const s = {
    shape: initialDiscordState(),
    fine: initialDiscordState(),
    context: initialContextState(),
    shapeTail: initialLikelihoodState(),
    fineTail: initialLikelihoodState(),
    contextTail: initialLikelihoodState(),
    alarms: { iteration: 0, previousTail: 1, lastAlarm: -1 },
    range: initialRangeState(),
  };
  const scores = new Float64Array(value.length);
  for (let i = 0; i < scores.length; i++) {
    const x = value[i];
    let q = stepTail(likelihood, s.shapeTail, stepDiscord(shape, s.shape, x));
    if (on.fine) q = Math.min(q, weight * stepTail(likelihood, s.fineTail, stepDiscord(fine, s.fine, x)));
    if (on.context) {
      const raw = stepContext(context, s.context, x, on.timestamps ? time[i] : Number.NaN);
      q = Math.min(q, weight * stepTail(likelihood, s.contextTail, raw));
    }
    s.alarms.iteration++;
    const score = on.likelihood ? dampTail(likelihood, s.alarms, Math.min(1, q)) : 0;
    const outside = stepRange(o.rangeTolerance ?? 0.05, s.range, x);
    if (outside && on.range) noteAlarm(s.alarms);
    scores[i] = outside && on.range ? 1 : score;
  }
  return scores;
}

const variants: Variant[] = [
  { name: "default" },
  { name: "range check only", parts: { likelihood: false } },
  { name: "fused likelihood only (no range check)", parts: { range: false } },
  {
    name: "previous detector (shape channel + range check, NuPIC's learning period)",
    parts: { fine: false, context: false },
    options: { likelihood: { warmup: 0 } },
  },
  { name: "without the context channel", parts: { context: false } },
  { name: "without the fine channel", parts: { fine: false } },
  { name: "without the warm-up (NuPIC's learning period)", options: { likelihood: { warmup: 0 } } },
  { name: "without timestamps (context = level rarity alone)", parts: { timestamps: false } },
  ...[10, 100].map((channelWeight) => ({ name: `channelWeight ${channelWeight}`, options: { channelWeight } })),
  ...[1, 5].map((prior) => ({ name: `context prior ${prior}`, options: { context: { prior } } })),
  ...[6, 24].map((phaseBins) => ({ name: `context phaseBins ${phaseBins}`, options: { context: { phaseBins } } })),
  ...[8, 12].map((levels) => ({ name: `context levels ${levels}`, options: { context: { levels } } })),
  ...[2, 3].map((span) => ({ name: `context span ${span}`, options: { context: { span } } })),
  ...[1, 4].map((saturation) => ({ name: `context saturation ${saturation}`, options: { context: { saturation } } })),
  ...[50, 200].map((refractory) => ({ name: `refractory ${refractory}`, options: { likelihood: { refractory } } })),
  ...[0.02, 0.1].map((rangeTolerance) => ({ name: `rangeTolerance ${rangeTolerance}`, options: { rangeTolerance } })),
];

// The switchable composition must be the detector itself when every part is on.
const check = corpus[0];
const viaDetector = createDetector();
const composed = compose(check.value, check.time, {}, {});
const compositionMatchesDetector = composed.every(
  (x, i) => x === viaDetector.update(check.value[i], Number.NaN, check.time[i]),
);

const results = variants.map((v) => {
  const files: NabFile[] = corpus.map((f) => ({
    name: f.name,
    time: f.time,
    scores: compose(f.value, f.time, v.options ?? {}, v.parts ?? {}),
    windows: f.windows,
  }));
  const prepared = files.map((f) => prepareNabFile(f));
  const profiles = Object.fromEntries(
    NAB_PROFILES.map((p) => {
      const r = scoreNabCorpus(prepared, p, "sweep");
      return [
        p.name,
        {
          score: Math.round(r.normalized * 100) / 100,
          threshold: r.threshold,
          windowsDetected: r.totals.windowsDetected,
          fpRows: r.totals.fp,
        },
      ];
    }),
  );
  return { variant: v.name, ...profiles };
});
process.stdout.write(
  `${JSON.stringify({ date: new Date().toISOString(), compositionMatchesDetector, results }, null, 2)}\n`,
);
