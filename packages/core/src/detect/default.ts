import { NqpError } from "../errors";
import { packNumbers, unpackNumberArray, unpackNumbers } from "../snapshot";
import {
  CONTEXT_DEFAULTS,
  type ContextRarityOptions,
  type ContextRarityState,
  initialContextState,
  stepContext,
} from "./context";
import {
  type BlockDiscordOptions,
  type BlockDiscordState,
  DISCORD_DEFAULTS,
  initialDiscordState,
  stepDiscord,
} from "./discord";
import {
  type AlarmDampingState,
  type AnomalyLikelihoodOptions,
  type AnomalyLikelihoodState,
  dampTail,
  initialLikelihoodState,
  LIKELIHOOD_DEFAULTS,
  noteAlarm,
  stepTail,
} from "./likelihood";
import { initialRangeState, type RangeState, stepRange } from "./range";
import type { AnomalyDetector, DetectorSnapshot } from "./types";

export interface DetectorOptions {
  /** Accepted for the command line's --seed; this detector makes no random choice. */
  seed?: number;
  /** The shape channel: novelty of the last 16 samples as 4 block means of 4. */
  discord?: BlockDiscordOptions;
  /** The fine channel: novelty of the last 8 single samples. */
  fine?: BlockDiscordOptions;
  /** The context channel: rarity of the level at this phase of the day. */
  context?: ContextRarityOptions;
  likelihood?: AnomalyLikelihoodOptions;
  /**
   * The fine and context channels' tail probabilities are multiplied by this before the minimum over channels is
   * taken: a Bonferroni-style price for looking at more than the shape channel.
   */
  channelWeight?: number;
  /** Relative margin beyond the range seen so far that makes a value anomalous on its own (NAB's 0.05). */
  rangeTolerance?: number;
}

/** The fine channel: single samples, windows of 8, the last 1000 windows. */
export const FINE_DISCORD_DEFAULTS: Required<BlockDiscordOptions> = {
  ...DISCORD_DEFAULTS,
  blockSize: 1,
  windowBlocks: 8,
};

/** The default detector's likelihood: NuPIC's, with the adaptive warm-up from sample 150. */
export const DETECTOR_LIKELIHOOD_DEFAULTS = { ...LIKELIHOOD_DEFAULTS, warmup: 150 };

export const DEFAULT_CHANNEL_WEIGHT = 30;

interface DetectorState {
  shape: BlockDiscordState;
  fine: BlockDiscordState;
  context: ContextRarityState;
  shapeTail: AnomalyLikelihoodState;
  fineTail: AnomalyLikelihoodState;
  contextTail: AnomalyLikelihoodState;
  alarms: AlarmDampingState;
  range: RangeState;
}

/** Scores at or above this are alarms: the likelihood's red zone, a tail probability of 1e-5. */
export const DEFAULT_THRESHOLD = 0.5;

/**
 * The detector `nqp detect` uses by default, with one setting for every stream. Three raw surprises, each turned
 * into a tail probability by its own anomaly likelihood:
 *
 * - shape: the discord of the last 4 block means of 4 samples among the last 1000 such windows;
 * - fine: the discord of the last 8 samples among the last 1000 windows (spikes and short bursts that block means
 *   smooth away);
 * - context: how rarely the stream has been at this level at this phase of the day (needs timestamps).
 *
 * Their fused tail probability min(q_shape, w·q_fine, w·q_context) is log-scaled and damped (one alarm per burst,
 * a refractory hold after each), and the range check overrides it with 1 (its alarms start the same hold). It learns
 * all the time, looks only at the past, and needs neither the stream's range nor its length. The forecast argument
 * is not used (see createLikelihoodDetector for a forecast-driven detector).
 */
export function createDetector(options: DetectorOptions = {}, snapshot?: DetectorSnapshot): AnomalyDetector {
  const shape = { ...DISCORD_DEFAULTS, ...options.discord };
  const fine = { ...FINE_DISCORD_DEFAULTS, ...options.fine };
  const context = { ...CONTEXT_DEFAULTS, ...options.context };
  const likelihood = { ...DETECTOR_LIKELIHOOD_DEFAULTS, ...options.likelihood };
  const weight = options.channelWeight ?? DEFAULT_CHANNEL_WEIGHT;
  const rangeTolerance = options.rangeTolerance ?? 0.05;
  let s: DetectorState;
  if (snapshot) {
    if (snapshot.kind !== "discord-likelihood" || snapshot.version !== SNAPSHOT_VERSION)
      throw new NqpError(
        "bad-snapshot",
        `cannot resume a '${snapshot.kind}' v${snapshot.version} detector state (expected 'discord-likelihood' v${SNAPSHOT_VERSION})`,
      );
    s = unpackState(snapshot.state as PackedState);
  } else
    s = {
      shape: initialDiscordState(),
      fine: initialDiscordState(),
      context: initialContextState(),
      shapeTail: initialLikelihoodState(),
      fineTail: initialLikelihoodState(),
      contextTail: initialLikelihoodState(),
      alarms: { iteration: 0, previousTail: 1, lastAlarm: -1 },
      range: initialRangeState(),
    };

  return {
    threshold: DEFAULT_THRESHOLD,
    update(value, _forecast, time = Number.NaN) {
      if (!Number.isFinite(value)) throw new NqpError("bad-value", `value ${value} is not a finite number`);
      const q = Math.min(
        stepTail(likelihood, s.shapeTail, stepDiscord(shape, s.shape, value)),
        weight * stepTail(likelihood, s.fineTail, stepDiscord(fine, s.fine, value)),
        weight * stepTail(likelihood, s.contextTail, stepContext(context, s.context, value, time)),
      );
      s.alarms.iteration++;
      const score = dampTail(likelihood, s.alarms, Math.min(1, q));
      if (!stepRange(rangeTolerance, s.range, value)) return score;
      noteAlarm(s.alarms);
      return 1;
    },
    snapshot: () => ({
      kind: "discord-likelihood",
      version: SNAPSHOT_VERSION,
      options: { discord: shape, fine, context, likelihood, channelWeight: weight, rangeTolerance },
      state: packState(s),
    }),
  };
}

/**
 * Snapshot v3: the large arrays as packed float64 (base64), each discord ring stored once (in memory every block
 * is written twice so that windows read contiguously), the likelihoods' block summaries instead of v2's 8 640
 * scores each: ≈ 45 KB of JSON per detector against ≈ 640 KB for v2.
 */
const SNAPSHOT_VERSION = 3;

type Packed<T, K extends keyof T> = Omit<T, K> & { [P in K]: unknown };
interface PackedState {
  shape: Packed<BlockDiscordState, "ring" | "distances">;
  fine: Packed<BlockDiscordState, "ring" | "distances">;
  context: ContextRarityState;
  shapeTail: Packed<AnomalyLikelihoodState, "early" | "blockMean" | "blockM2">;
  fineTail: Packed<AnomalyLikelihoodState, "early" | "blockMean" | "blockM2">;
  contextTail: Packed<AnomalyLikelihoodState, "early" | "blockMean" | "blockM2">;
  alarms: AlarmDampingState;
  range: RangeState;
}

function packState(s: DetectorState): PackedState {
  const discord = (d: BlockDiscordState) => ({
    ...d,
    ring: packNumbers(d.ring.subarray(0, d.ring.length / 2)),
    distances: packNumbers(d.distances),
  });
  const tail = (t: AnomalyLikelihoodState) => ({
    ...t,
    recent: t.recent.slice(),
    early: packNumbers(t.early),
    blockMean: packNumbers(t.blockMean),
    blockM2: packNumbers(t.blockM2),
  });
  return {
    shape: discord(s.shape),
    fine: discord(s.fine),
    context: JSON.parse(JSON.stringify(s.context)),
    shapeTail: tail(s.shapeTail),
    fineTail: tail(s.fineTail),
    contextTail: tail(s.contextTail),
    alarms: { ...s.alarms },
    range: { ...s.range },
  };
}

function unpackState(p: PackedState): DetectorState {
  const discord = (d: PackedState["shape"], name: string): BlockDiscordState => {
    const half = unpackNumbers(d.ring, `${name}.ring`);
    const ring = new Float64Array(2 * half.length);
    ring.set(half);
    ring.set(half, half.length);
    return { ...d, ring, distances: unpackNumbers(d.distances, `${name}.distances`) };
  };
  const tail = (t: PackedState["shapeTail"], name: string): AnomalyLikelihoodState => ({
    ...t,
    recent: (t.recent as number[]).slice(),
    early: unpackNumberArray(t.early, `${name}.early`),
    blockMean: unpackNumberArray(t.blockMean, `${name}.blockMean`),
    blockM2: unpackNumberArray(t.blockM2, `${name}.blockM2`),
  });
  return {
    shape: discord(p.shape, "shape"),
    fine: discord(p.fine, "fine"),
    context: JSON.parse(JSON.stringify(p.context)),
    shapeTail: tail(p.shapeTail, "shapeTail"),
    fineTail: tail(p.fineTail, "fineTail"),
    contextTail: tail(p.contextTail, "contextTail"),
    alarms: { ...p.alarms },
    range: { ...p.range },
  };
}
