export { createDetector, type DetectorOptions } from "./default";
export { createLikelihoodDetector, erfc, type LikelihoodDetectorOptions } from "./likelihood";
export type { AnomalyDetector, DetectorSnapshot } from "./types";
