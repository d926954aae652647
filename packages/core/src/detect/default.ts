import { NqpError } from "../errors";
import {
  type BlockDiscordOptions,
  type BlockDiscordState,
  DISCORD_DEFAULTS,
  initialDiscordState,
  stepDiscord,
} from "./discord";
import {
  type AnomalyLikelihoodOptions,
  type AnomalyLikelihoodState,
  initialLikelihoodState,
  LIKELIHOOD_DEFAULTS,
  noteAlarm,
  stepLikelihood,
} from "./likelihood";
import { initialRangeState, type RangeState, stepRange } from "./range";
import type { AnomalyDetector, DetectorSnapshot } from "./types";

export interface DetectorOptions {
  /** Accepted for the command line's --seed; this detector makes no random choice. */
  seed?: number;
  discord?: BlockDiscordOptions;
  likelihood?: AnomalyLikelihoodOptions;
  /** Relative margin beyond the range seen so far that makes a value anomalous on its own (NAB's 0.05). */
  rangeTolerance?: number;
}

interface DetectorState {
  discord: BlockDiscordState;
  likelihood: AnomalyLikelihoodState;
  range: RangeState;
}

/** Scores at or above this are alarms: the likelihood's red zone, a tail probability of 1e-5. */
export const DEFAULT_THRESHOLD = 0.5;

/**
 * The detector `nqp detect` and the edge agent use by default, with one setting for every stream: a discord raw
 * score (novelty of the recent stretch of block means against the stream's own past), turned into a log anomaly
 * likelihood with damping of consecutive alarms, overridden by the range check (whose alarms start the same
 * refractory hold). It learns all the time, looks only
 * at the past, and needs neither the stream's range nor its length. The forecast argument is not used: the raw
 * score comes from the stream itself (see createLikelihoodDetector for a forecast-driven one).
 */
export function createDetector(options: DetectorOptions = {}, snapshot?: DetectorSnapshot): AnomalyDetector {
  const discord = { ...DISCORD_DEFAULTS, ...options.discord };
  const likelihood = { ...LIKELIHOOD_DEFAULTS, ...options.likelihood };
  const rangeTolerance = options.rangeTolerance ?? 0.05;
  let s: DetectorState;
  if (snapshot) {
    if (snapshot.kind !== "discord-likelihood" || snapshot.version !== 1)
      throw new NqpError("bad-snapshot", `cannot resume a '${snapshot.kind}' v${snapshot.version} detector state`);
    s = cloneJson(snapshot.state as DetectorState);
  } else s = { discord: initialDiscordState(), likelihood: initialLikelihoodState(), range: initialRangeState() };

  return {
    threshold: DEFAULT_THRESHOLD,
    update(value) {
      if (!Number.isFinite(value)) throw new NqpError("bad-value", `value ${value} is not a finite number`);
      const raw = stepDiscord(discord, s.discord, value);
      const score = stepLikelihood(likelihood, s.likelihood, raw);
      if (!stepRange(rangeTolerance, s.range, value)) return score;
      noteAlarm(s.likelihood);
      return 1;
    },
    snapshot: () => ({
      kind: "discord-likelihood",
      version: 1,
      options: { discord, likelihood, rangeTolerance },
      state: cloneJson(s),
    }),
  };
}

/** Detector state is plain numbers and arrays, so a JSON round trip is an exact deep copy. */
function cloneJson<T>(x: T): T {
  return JSON.parse(JSON.stringify(x)) as T;
}
