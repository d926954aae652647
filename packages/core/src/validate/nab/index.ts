export { type NabProfileResult, nabReferenceScores, normalizeNabScore, scoreNabCorpus } from "./corpus";
export { NAB_PROFILES, type NabProfile, type NabProfileName, nabProfile } from "./profiles";
export { type NabThresholdScore, optimizeNabThreshold, scoreNabFile, sweepNabThresholds } from "./score";
export { type PreparedNabFile, prepareNabFile, probationaryLength, scaledSigmoid } from "./sweep";
export type { NabCounts, NabFile, NabWindow } from "./types";
export { parseNabWindows } from "./windows";
