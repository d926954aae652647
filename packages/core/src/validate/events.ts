import { NqpError } from "../errors";
import { NAB_PROFILES, type NabProfileName, type NabWindow, prepareNabFile, scoreNabCorpus } from "./nab";

/**
 * One detector's NAB-style scores on one labelled series, normalised: 0 = never fires, 100 = perfect. Null when the
 * series has no scorable window (the normalisation is then undefined; the raw counts still say how many false alarms).
 */
export interface EventScores {
  detector: string;
  threshold: number;
  profiles: Record<NabProfileName, number | null>;
  windows: number;
  windowsDetected: number;
  truePositives: number;
  falsePositives: number;
}

/**
 * Scores anomaly scores of one series against labelled anomaly windows the way the NAB scorer does
 * (validate/nab: windows, scaled sigmoid, the three profiles, probationary first 15 %), at the detector's own fixed
 * threshold — no per-file tuning — and normalised against NAB's null and perfect detectors for this series alone.
 */
export function scoreEvents(
  detector: string,
  time: ArrayLike<number>,
  scores: ArrayLike<number>,
  windows: readonly NabWindow[],
  threshold: number,
): EventScores {
  if (time.length !== scores.length)
    throw new NqpError("bad-input", `${scores.length} anomaly scores for ${time.length} rows`);
  const file = prepareNabFile({ name: detector, time, scores, windows });
  const profiles = {} as Record<NabProfileName, number | null>;
  let counts = { windows: 0, windowsDetected: 0, tp: 0, fp: 0 };
  for (const p of NAB_PROFILES) {
    const r = scoreNabCorpus([file], p, threshold);
    profiles[p.name] = Number.isFinite(r.normalized) ? r.normalized : null;
    if (p.name === "standard") counts = r.totals;
  }
  return {
    detector,
    threshold,
    profiles,
    windows: counts.windows,
    windowsDetected: counts.windowsDetected,
    truePositives: counts.tp,
    falsePositives: counts.fp,
  };
}
