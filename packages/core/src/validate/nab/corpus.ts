import type { NabProfile } from "./profiles";
import { addCounts, optimizeNabThreshold, scoreNabFile, ZERO_COUNTS } from "./score";
import type { PreparedNabFile } from "./sweep";
import type { NabCounts } from "./types";

export interface NabProfileResult {
  profile: NabProfile["name"];
  threshold: number;
  /** 100 · (raw − null) / (perfect − null): 0 for a detector that never fires, 100 for a perfect one. */
  normalized: number;
  raw: number;
  /** Raw scores of NAB's reference detectors on the same windows: one that never fires, one that catches every
   * window at its first row. */
  nullScore: number;
  perfectScore: number;
  totals: NabCounts;
  files: { name: string; counts: NabCounts }[];
}

/**
 * Scores a corpus for one profile at one threshold (or at the corpus-optimal one when `threshold` is "sweep"), and
 * normalises it the way NAB's runner does.
 */
export function scoreNabCorpus(
  files: readonly PreparedNabFile[],
  profile: NabProfile,
  threshold: number | "sweep",
): NabProfileResult {
  const t = threshold === "sweep" ? optimizeNabThreshold(files, profile).threshold : threshold;
  const perFile = files.map((f) => ({ name: f.name, counts: scoreNabFile(f, profile, t) }));
  const totals = perFile.reduce((acc, f) => addCounts(acc, f.counts), ZERO_COUNTS);
  const { nullScore, perfectScore } = nabReferenceScores(files, profile);
  return {
    profile: profile.name,
    threshold: t,
    normalized: normalizeNabScore(totals.score, nullScore, perfectScore),
    raw: totals.score,
    nullScore,
    perfectScore,
    totals,
    files: perFile,
  };
}

/**
 * The null detector (never fires) loses fnWeight per scored window. The perfect detector earns tpWeight per labelled
 * window (NAB's runner.normalize counts every window of the label file).
 */
export function nabReferenceScores(
  files: readonly PreparedNabFile[],
  profile: NabProfile,
): { nullScore: number; perfectScore: number } {
  let nullScore = 0;
  let perfectScore = 0;
  for (const f of files) {
    for (const scored of f.windowScored) if (scored) nullScore -= profile.fnWeight;
    perfectScore += f.windowCount * profile.tpWeight;
  }
  return { nullScore, perfectScore };
}

export function normalizeNabScore(raw: number, nullScore: number, perfectScore: number): number {
  return (100 * (raw - nullScore)) / (perfectScore - nullScore);
}
