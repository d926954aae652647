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
 * `refractory` and `warmup` are this project's additions (see docs/anomaly-detection.md).
 *
 * The two halves are separate so that a detector can fuse several raw sources: `stepTail` turns one source's raw
 * surprise into its tail probability q, `dampTail` turns a (possibly fused) q into the damped log score.
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
  /**
   * Adaptive warm-up: from this sample on (0 = off, NuPIC's behaviour) the distribution is fitted on what has been
   * seen so far, before the full learning and estimation periods have passed, so that anomalies in a stream's first
   * few hundred samples can be scored. During the warm-up the fit is refreshed every `averagingWindow` samples and
   * skips the same share of the history that the learning period is of learning + estimation (288 of 388 by
   * default), since the raw source is still learning then.
   */
  warmup?: number;
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
  warmup: 0,
};

/** Tail probabilities at or below this are "red" (an alarm); held ones are set to the yellow level. */
export const RED_ZONE = 1e-5;
const YELLOW_ZONE = 1e-3;

export interface AnomalyLikelihoodState extends AlarmDampingState {
  /** The last `historicWindow` raw scores, oldest first (a ring starting at `head`). */
  history: number[];
  head: number;
  /** The last `averagingWindow` raw scores (a ring) and their sum. */
  recent: number[];
  recentSum: number;
  mean: number;
  std: number;
  estimated: boolean;
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
  return dampTail(p, s, stepTail(p, s, raw));
}

/**
 * Feeds one raw surprise and returns the Gaussian tail probability q of its moving average under the stream's
 * fitted distribution: 1 while the distribution is learnt, 0.5 at or below the mean.
 */
export function stepTail(p: AnomalyLikelihoodParams, s: AnomalyLikelihoodState, raw: number): number {
  const slot = s.iteration % p.averagingWindow;
  if (s.recent.length < p.averagingWindow) s.recent.push(raw);
  else {
    s.recentSum -= s.recent[slot];
    s.recent[slot] = raw;
  }
  s.recentSum += raw;
  let tail = 1;
  const learnt = s.iteration >= p.learningPeriod + p.estimationSamples;
  const warming = !learnt && p.warmup > 0 && s.iteration >= p.warmup;
  if (learnt || warming) {
    const refit = warming ? s.iteration % p.averagingWindow === 0 : s.iteration % p.reestimationPeriod === 0;
    if (!s.estimated || refit) estimate(p, s);
    const average = s.recentSum / s.recent.length;
    tail = average > s.mean ? 0.5 * erfc((average - s.mean) / (s.std * Math.SQRT2)) : 0.5;
  }
  if (s.history.length < p.historicWindow) s.history.push(raw);
  else {
    s.history[s.head] = raw;
    s.head = (s.head + 1) % p.historicWindow;
  }
  s.iteration++;
  return tail;
}

/** What alarm damping needs to know: the sample count, whether the last sample was red, the last alarm. */
export interface AlarmDampingState {
  /** Samples stepped so far; the sample being damped is number `iteration − 1`. */
  iteration: number;
  previousTail: number;
  /** Sample number of the last reported alarm, −1 before the first. */
  lastAlarm: number;
}

/**
 * Damps the tail probability q of the sample just stepped and returns its log score in [0, 1]: a red q right after
 * another red one (NuPIC's filter) or within `refractory` samples of the last reported alarm is held at the yellow
 * level, so that only the first sample of a burst stands out.
 */
export function dampTail(p: { refractory: number }, s: AlarmDampingState, q: number): number {
  const now = s.iteration - 1;
  let tail = q;
  const red = tail <= RED_ZONE;
  if (red && (s.previousTail <= RED_ZONE || (s.lastAlarm >= 0 && now - s.lastAlarm <= p.refractory)))
    tail = YELLOW_ZONE;
  else if (red) s.lastAlarm = now;
  s.previousTail = red ? RED_ZONE : tail;
  return Math.min(1, Math.max(0, Math.log(tail + 1e-10) / Math.log(1e-10)));
}

/**
 * Records that the sample just stepped raised an alarm from another part of a detector (the range check), so the
 * refractory hold follows it too: one event, one alarm, whichever part saw it first.
 */
export function noteAlarm(s: AlarmDampingState): void {
  s.lastAlarm = s.iteration - 1;
}

/** Fits the normal distribution to the moving averages of the history, skipping what the raw source learnt on. */
function estimate(p: AnomalyLikelihoodParams, s: AnomalyLikelihoodState): void {
  const n = s.history.length;
  const shiftedOut = Math.max(0, s.iteration - p.historicWindow);
  const learning = p.learningPeriod + p.estimationSamples;
  const skip =
    s.iteration < learning
      ? Math.floor((s.iteration * p.learningPeriod) / learning)
      : Math.min(n, Math.max(0, p.learningPeriod - shiftedOut));
  const w = p.averagingWindow;
  const window = new Float64Array(w);
  let sum = 0;
  let count = 0;
  let mean = 0;
  let m2 = 0;
  // Walks the ring oldest first without a modulo per sample (this loop is most of the detector's cost).
  let j = s.head;
  let slot = 0;
  for (let i = 0; i < n; i++) {
    const x = s.history[j];
    if (++j === n) j = 0;
    if (i >= w) sum -= window[slot];
    window[slot] = x;
    if (++slot === w) slot = 0;
    sum += x;
    if (i < skip) continue;
    const average = sum / (i < w ? i + 1 : w);
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
