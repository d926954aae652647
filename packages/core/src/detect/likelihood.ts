import { erfc } from "./erfc";

/**
 * Anomaly likelihood (Ahmad, Lavin, Purdy, Agha, "Unsupervised real-time anomaly detection for streaming data",
 * Neurocomputing 262, 2017; NuPIC's anomaly_likelihood.py): the step that lifts Numenta HTM on NAB from 53.6 to
 * 70.1. It turns a raw surprise r ∈ [0, 1] into how unusual the recent surprise is for this stream:
 *
 * 1. a short moving average of r (`averagingWindow` = 10) is compared with a normal distribution fitted to the
 *    same average over the last `historicWindow` samples (8640: a month of 5-minute data), refitted every
 *    `reestimationPeriod` samples, skipping the first `learningPeriod` samples while the raw source learns;
 * 2. floors on the fitted mean (0.03) and variance (0.0003) so that a stream whose surprise is almost always zero
 *    does not alarm on a tiny blip;
 * 3. the Gaussian tail probability q of the average; a q in the "red zone" (≤ 1e-5) right after another red one, or
 *    within `refractory` samples of the last reported alarm, is held at the yellow level 1e-3, so the first sample
 *    of a burst stands out (NAB pays only for the earliest detection in a window and charges every false positive);
 * 4. the log scale of NuPIC's computeLogLikelihood: score = log(q + 1e-10) / log(1e-10), so 0.5 means q = 1e-5.
 *
 * The defaults are NuPIC's own (learningPeriod 288, estimationSamples 100, window 8640, reestimation 100, floors);
 * `refractory` is this project's addition (see docs/anomaly-detection.md).
 */
export interface AnomalyLikelihoodOptions {
  learningPeriod?: number;
  estimationSamples?: number;
  historicWindow?: number;
  reestimationPeriod?: number;
  averagingWindow?: number;
  meanFloor?: number;
  varianceFloor?: number;
  refractory?: number;
}

export type AnomalyLikelihoodParams = Required<AnomalyLikelihoodOptions>;

export const LIKELIHOOD_DEFAULTS: AnomalyLikelihoodParams = {
  learningPeriod: 288,
  estimationSamples: 100,
  historicWindow: 8640,
  reestimationPeriod: 100,
  averagingWindow: 10,
  meanFloor: 0.03,
  varianceFloor: 0.0003,
  refractory: 100,
};

/** Tail probabilities at or below this are "red" (an alarm); held ones are set to the yellow level. */
export const RED_ZONE = 1e-5;
const YELLOW_ZONE = 1e-3;

export interface AnomalyLikelihoodState {
  iteration: number;
  /** The last `historicWindow` raw scores, oldest first (a ring starting at `head`). */
  history: number[];
  head: number;
  /** The last `averagingWindow` raw scores (a ring) and their sum. */
  recent: number[];
  recentSum: number;
  mean: number;
  std: number;
  estimated: boolean;
  previousTail: number;
  /** Iteration of the last reported alarm, −1 before the first. */
  lastAlarm: number;
}

export function initialLikelihoodState(): AnomalyLikelihoodState {
  return {
    iteration: 0,
    history: [],
    head: 0,
    recent: [],
    recentSum: 0,
    mean: 0,
    std: 1,
    estimated: false,
    previousTail: 1,
    lastAlarm: -1,
  };
}

/** Feeds one raw surprise; returns the log-likelihood score in [0, 1] (0 while the distribution is learnt). */
export function stepLikelihood(p: AnomalyLikelihoodParams, s: AnomalyLikelihoodState, raw: number): number {
  const slot = s.iteration % p.averagingWindow;
  if (s.recent.length < p.averagingWindow) s.recent.push(raw);
  else {
    s.recentSum -= s.recent[slot];
    s.recent[slot] = raw;
  }
  s.recentSum += raw;
  let score = 0;
  if (s.iteration >= p.learningPeriod + p.estimationSamples) {
    if (!s.estimated || s.iteration % p.reestimationPeriod === 0) estimate(p, s);
    const average = s.recentSum / s.recent.length;
    let tail = average > s.mean ? 0.5 * erfc((average - s.mean) / (s.std * Math.SQRT2)) : 0.5;
    const red = tail <= RED_ZONE;
    if (red && (s.previousTail <= RED_ZONE || (s.lastAlarm >= 0 && s.iteration - s.lastAlarm <= p.refractory)))
      tail = YELLOW_ZONE;
    else if (red) s.lastAlarm = s.iteration;
    s.previousTail = red ? RED_ZONE : tail;
    score = Math.log(tail + 1e-10) / Math.log(1e-10);
  }
  if (s.history.length < p.historicWindow) s.history.push(raw);
  else {
    s.history[s.head] = raw;
    s.head = (s.head + 1) % p.historicWindow;
  }
  s.iteration++;
  return Math.min(1, Math.max(0, score));
}

/**
 * Records that the sample just stepped raised an alarm from another part of a detector (the range check), so the
 * refractory hold follows it too: one event, one alarm, whichever part saw it first.
 */
export function noteAlarm(s: AnomalyLikelihoodState): void {
  s.lastAlarm = s.iteration - 1;
}

/** Fits the normal distribution to the moving averages of the history, skipping what the raw source learnt on. */
function estimate(p: AnomalyLikelihoodParams, s: AnomalyLikelihoodState): void {
  const n = s.history.length;
  const shiftedOut = Math.max(0, s.iteration - p.historicWindow);
  const skip = Math.min(n, Math.max(0, p.learningPeriod - shiftedOut));
  const window = new Float64Array(p.averagingWindow);
  let sum = 0;
  let count = 0;
  let mean = 0;
  let m2 = 0;
  for (let i = 0; i < n; i++) {
    const x = s.history[(s.head + i) % n];
    const slot = i % p.averagingWindow;
    if (i >= p.averagingWindow) sum -= window[slot];
    window[slot] = x;
    sum += x;
    if (i < skip) continue;
    const average = sum / Math.min(i + 1, p.averagingWindow);
    count++;
    const d = average - mean;
    mean += d / count;
    m2 += d * (average - mean);
  }
  const variance = count > 0 ? m2 / count : 0;
  s.mean = Math.max(count > 0 ? mean : 0.5, p.meanFloor);
  s.std = Math.sqrt(Math.max(variance, p.varianceFloor));
  s.estimated = true;
}
