import { NqpError } from "../errors";
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
    if (snapshot.kind !== "discord-likelihood" || snapshot.version !== 2)
      throw new NqpError("bad-snapshot", `cannot resume a '${snapshot.kind}' v${snapshot.version} detector state`);
    s = cloneJson(snapshot.state as DetectorState);
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
      version: 2,
      options: { discord: shape, fine, context, likelihood, channelWeight: weight, rangeTolerance },
      state: cloneJson(s),
    }),
  };
}

/** Detector state is plain numbers and arrays, so a JSON round trip is an exact deep copy. */
function cloneJson<T>(x: T): T {
  return JSON.parse(JSON.stringify(x)) as T;
}
