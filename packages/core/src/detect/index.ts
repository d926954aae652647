export { createDetector, DEFAULT_THRESHOLD, type DetectorOptions } from "./default";
export {
  type BlockDiscordOptions,
  type BlockDiscordParams,
  type BlockDiscordState,
  DISCORD_DEFAULTS,
  initialDiscordState,
  stepDiscord,
} from "./discord";
export { erfc } from "./erfc";
export {
  type AnomalyLikelihoodOptions,
  type AnomalyLikelihoodParams,
  type AnomalyLikelihoodState,
  initialLikelihoodState,
  LIKELIHOOD_DEFAULTS,
  noteAlarm,
  RED_ZONE,
  stepLikelihood,
} from "./likelihood";
export { createLikelihoodDetector, type LikelihoodDetectorOptions } from "./predictive";
export { initialRangeState, type RangeState, stepRange } from "./range";
export type { AnomalyDetector, DetectorSnapshot } from "./types";
