import type { NabProfile } from "./profiles";
import type { PreparedNabFile } from "./sweep";
import type { NabCounts } from "./types";

/** NAB's weighted value of a detection at row i: a true positive earns tpWeight at best, a false positive costs. */
function weighted(file: PreparedNabFile, i: number, profile: NabProfile): number {
  return file.window[i] >= 0 ? file.value[i] * profile.tpWeight : file.value[i] * profile.fpWeight;
}

/**
 * Scores one file with detections at every scored row whose anomaly score is ≥ threshold (NAB's Sweeper.scoreDataSet):
 * each window earns the best value of its detections, or −fnWeight when it has none; every detection outside a
 * window adds its (negative) value.
 */
export function scoreNabFile(file: PreparedNabFile, profile: NabProfile, threshold: number): NabCounts {
  const best = new Float64Array(file.windowCount).fill(Number.NEGATIVE_INFINITY);
  let fpSum = 0;
  let tp = 0;
  let fp = 0;
  let fn = 0;
  let tn = 0;
  for (let i = file.firstScored; i < file.scores.length; i++) {
    const w = file.window[i];
    const detected = file.scores[i] >= threshold;
    if (w >= 0) {
      if (detected) {
        tp++;
        const v = weighted(file, i, profile);
        if (v > best[w]) best[w] = v;
      } else fn++;
    } else if (detected) {
      fp++;
      fpSum += weighted(file, i, profile);
    } else tn++;
  }
  let score = fpSum;
  let windows = 0;
  let windowsDetected = 0;
  for (let w = 0; w < file.windowCount; w++) {
    if (!file.windowScored[w]) continue;
    windows++;
    if (best[w] > Number.NEGATIVE_INFINITY) {
      windowsDetected++;
      score += Math.max(best[w], -profile.fnWeight);
    } else score -= profile.fnWeight;
  }
  return { score, tp, fp, fn, tn, windows, windowsDetected };
}

export function addCounts(a: NabCounts, b: NabCounts): NabCounts {
  return {
    score: a.score + b.score,
    tp: a.tp + b.tp,
    fp: a.fp + b.fp,
    fn: a.fn + b.fn,
    tn: a.tn + b.tn,
    windows: a.windows + b.windows,
    windowsDetected: a.windowsDetected + b.windowsDetected,
  };
}

export const ZERO_COUNTS: NabCounts = { score: 0, tp: 0, fp: 0, fn: 0, tn: 0, windows: 0, windowsDetected: 0 };

export interface NabThresholdScore {
  threshold: number;
  counts: NabCounts;
}

/**
 * NAB's threshold sweep over a whole corpus (Sweeper.calcScoreByThreshold as used by its optimizer): every distinct
 * anomaly score is a candidate threshold, from the highest down; returns the corpus score at each, starting with a
 * threshold of 1.1 at which nothing is detected. One pass over the rows sorted by score, so O(n log n).
 */
export function sweepNabThresholds(files: readonly PreparedNabFile[], profile: NabProfile): NabThresholdScore[] {
  let total = 0;
  for (const f of files) total += f.scores.length - f.firstScored;
  const score = new Float64Array(total);
  const value = new Float64Array(total);
  const window = new Int32Array(total);
  let k = 0;
  let windowBase = 0;
  let windows = 0;
  for (const f of files) {
    for (let i = f.firstScored; i < f.scores.length; i++, k++) {
      score[k] = f.scores[i];
      value[k] = weighted(f, i, profile);
      window[k] = f.window[i] >= 0 ? windowBase + f.window[i] : -1;
    }
    windowBase += f.windowCount;
    for (const s of f.windowScored) if (s) windows++;
  }
  const order = Array.from({ length: total }, (_, i) => i);
  order.sort((a, b) => score[b] - score[a] || a - b);

  const best = new Float64Array(windowBase).fill(Number.NaN);
  let current = -profile.fnWeight * windows;
  let tp = 0;
  let fp = 0;
  let windowsDetected = 0;
  let positives = 0;
  for (let i = 0; i < total; i++) if (window[i] >= 0) positives++;
  const rows: NabThresholdScore[] = [];
  const record = (threshold: number) =>
    rows.push({
      threshold,
      counts: { score: current, tp, fp, fn: positives - tp, tn: total - positives - fp, windows, windowsDetected },
    });
  let threshold = 1.1;
  for (const i of order) {
    if (score[i] !== threshold) {
      record(threshold);
      threshold = score[i];
    }
    const w = window[i];
    if (w < 0) {
      fp++;
      current += value[i];
    } else {
      tp++;
      const before = Number.isNaN(best[w]) ? -profile.fnWeight : best[w];
      if (Number.isNaN(best[w])) windowsDetected++;
      const after = Math.max(before, value[i]);
      best[w] = after;
      current += after - before;
    }
  }
  record(threshold);
  return rows;
}

/**
 * NAB's optimizer: the threshold with the highest corpus score (the highest such threshold when several tie, as
 * NAB's stable sort picks).
 */
export function optimizeNabThreshold(files: readonly PreparedNabFile[], profile: NabProfile): NabThresholdScore {
  const rows = sweepNabThresholds(files, profile);
  let best = rows[0];
  for (const r of rows) if (r.counts.score > best.counts.score) best = r;
  return best;
}
