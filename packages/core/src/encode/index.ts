export {
  createDeltaState,
  type DeltaEncoderParams,
  type DeltaEncoderState,
  type DeltaStep,
  decodeDelta,
  stepDelta,
} from "./delta";
export { decodeLatency, encodeLatency, type LatencyEncoderParams, latencySpikeTrain } from "./latency";
export { decodePopulation, encodePopulation, type PopulationEncoderParams, populationCenters } from "./population";
export {
  decodeRate,
  encodeRateBernoulli,
  encodeRatePoisson,
  type RateEncoderParams,
  rateOf,
} from "./rate";
