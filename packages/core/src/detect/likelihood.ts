import { erfc } from "./erfc";

/**
 * Anomaly likelihood (Ahmad, Lavin, Purdy, Agha, "Unsupervised real-time anomaly detection for streaming data",
 * Neurocomputing 262, 2017; NuPIC's anomaly_likelihood.py): the step that lifts Numenta HTM on NAB from 53.6 to
 * 70.1. It turns a raw surprise r ∈ [0, 1] into how unusual the recent surprise is for this stream:
 *
 * 1. a short moving average of r (`averagingWindow` = 10) is compared with a normal distribution fitted to the
 *    same average over the last `historicWindow` samples (8640: a month of 5-minute data), refitted every
 *    `reestimationPeriod` samples, skipping the first `learningPeriod` samples while the raw source learns. The
 *    window is summarised by the mean and squared deviations of each block of `reestimationPeriod` samples (NuPIC
 *    keeps the 8 640 scores and re-reads them: 69 KB per likelihood against ~1.4 KB here);
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
  /** The last `averagingWindow` raw scores (a ring) and their sum. */
  recent: number[];
  recentSum: number;
  /**
   * The moving averages of the first learningPeriod + estimationSamples samples, kept only until then: the warm-up's
   * fits use them exactly.
   */
  early: number[];
  /**
   * The moving averages summarised per block of `reestimationPeriod` samples (block b holds samples from
   * learningPeriod + b·P on):
   * their mean and sum of squared deviations (Welford), in a ring of ⌈historicWindow / P⌉ + 2 blocks, the newest
   * possibly partial. The distribution is refitted every P samples, so these few hundred numbers give the statistics
   * of the whole window that NuPIC re-reads from its 8 640 kept scores.
   */
  blockMean: number[];
  blockM2: number[];
  mean: number;
  std: number;
  estimated: boolean;
}

export function initialLikelihoodState(): AnomalyLikelihoodState {
  return {
    iteration: 0,
    recent: [],
    recentSum: 0,
    early: [],
    blockMean: [],
    blockM2: [],
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
  const average = s.recentSum / s.recent.length;
  let tail = 1;
  const learning = p.learningPeriod + p.estimationSamples;
  const learnt = s.iteration >= learning;
  const warming = !learnt && p.warmup > 0 && s.iteration >= p.warmup;
  if (learnt || warming) {
    const refit = warming ? s.iteration % p.averagingWindow === 0 : s.iteration % p.reestimationPeriod === 0;
    if (!s.estimated || refit) estimate(p, s);
    tail = average > s.mean ? 0.5 * erfc((average - s.mean) / (s.std * Math.SQRT2)) : 0.5;
  }
  // The sample joins the statistics after it was scored (the fit sees only earlier samples).
  if (s.iteration < learning) {
    if (p.warmup > 0) s.early.push(average);
  } else if (s.early.length) s.early = [];
  const ring = blockRing(p);
  if (s.blockMean.length === 0) {
    s.blockMean = new Array<number>(ring).fill(0);
    s.blockM2 = new Array<number>(ring).fill(0);
  }
  const block = blockOf(p, s.iteration);
  const b = slotOf(block, ring);
  const k = s.iteration - blockStart(p, block) + 1;
  if (k === 1) {
    s.blockMean[b] = average;
    s.blockM2[b] = 0;
  } else {
    const d = average - s.blockMean[b];
    s.blockMean[b] += d / k;
    s.blockM2[b] += d * (average - s.blockMean[b]);
  }
  s.iteration++;
  return tail;
}

/** Blocks kept: the window's ⌈historicWindow / P⌉ whole blocks, the one it starts in, and the current one. */
function blockRing(p: AnomalyLikelihoodParams): number {
  return Math.ceil(p.historicWindow / p.reestimationPeriod) + 2;
}

/**
 * Blocks start at learningPeriod + b·P, so the window starts exactly where the learning period ends until it is
 * full (most streams never fill 8 640 samples); a full window slides and its start is rounded to a block.
 */
function blockOf(p: AnomalyLikelihoodParams, sample: number): number {
  return Math.floor((sample - p.learningPeriod) / p.reestimationPeriod);
}

function blockStart(p: AnomalyLikelihoodParams, block: number): number {
  return p.learningPeriod + block * p.reestimationPeriod;
}

function slotOf(block: number, ring: number): number {
  return ((block % ring) + ring) % ring;
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

/**
 * Fits the normal distribution to the moving averages (of `averagingWindow` raw scores) of the samples before this
 * one, skipping what the raw source learnt on: during the warm-up over samples ⌊i·learningPeriod / (learningPeriod +
 * estimationSamples)⌋ … i − 1 exactly, afterwards over the last `historicWindow` samples from learningPeriod on
 * (NuPIC's window), with the start of a full, sliding window rounded to the nearest block.
 */
function estimate(p: AnomalyLikelihoodParams, s: AnomalyLikelihoodState): void {
  const learning = p.learningPeriod + p.estimationSamples;
  let count = 0;
  let mean = 0;
  let m2 = 0;
  if (s.iteration < learning) {
    const skip = Math.floor((s.iteration * p.learningPeriod) / learning);
    for (let i = skip; i < s.early.length; i++) {
      const x = s.early[i];
      count++;
      const d = x - mean;
      mean += d / count;
      m2 += d * (x - mean);
    }
  } else {
    const P = p.reestimationPeriod;
    const ring = blockRing(p);
    const end = s.iteration;
    const start = Math.max(p.learningPeriod, end - p.historicWindow);
    const last = blockOf(p, end - 1);
    const first = Math.min(last, Math.max(Math.round((start - p.learningPeriod) / P), last - ring + 1));
    // Chan, Golub & LeVeque's pairwise combination of the blocks' means and squared deviations.
    for (let b = first; b <= last; b++) {
      const n = Math.min(P, end - blockStart(p, b));
      const slot = slotOf(b, ring);
      const total = count + n;
      const d = s.blockMean[slot] - mean;
      mean += (d * n) / total;
      m2 += s.blockM2[slot] + (d * d * count * n) / total;
      count = total;
    }
  }
  const variance = count > 0 ? m2 / count : 0;
  s.mean = Math.max(count > 0 ? mean : 0.5, p.meanFloor);
  s.std = Math.sqrt(Math.max(variance, p.varianceFloor));
  s.estimated = true;
}
