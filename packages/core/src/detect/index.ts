export {
  CONTEXT_DEFAULTS,
  type ContextRarityOptions,
  type ContextRarityParams,
  type ContextRarityState,
  initialContextState,
  stepContext,
} from "./context";
export {
  createDetector,
  DEFAULT_CHANNEL_WEIGHT,
  DEFAULT_THRESHOLD,
  DETECTOR_LIKELIHOOD_DEFAULTS,
  type DetectorOptions,
  FINE_DISCORD_DEFAULTS,
} from "./default";
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
  type AlarmDampingState,
  type AnomalyLikelihoodOptions,
  type AnomalyLikelihoodParams,
  type AnomalyLikelihoodState,
  dampTail,
  initialLikelihoodState,
  LIKELIHOOD_DEFAULTS,
  noteAlarm,
  RED_ZONE,
  stepLikelihood,
  stepTail,
} from "./likelihood";
export { createLikelihoodDetector, type LikelihoodDetectorOptions } from "./predictive";
export { initialRangeState, type RangeState, stepRange } from "./range";
export type { AnomalyDetector, DetectorSnapshot } from "./types";
