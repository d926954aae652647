/**
 * Raw surprise from how rarely the stream has been at its current level at this time of day: a contextual anomaly
 * (a normal value at the wrong hour, a daily peak that does not come) that a novelty search over shapes misses.
 * Numenta HTM sees such anomalies through its time-of-day encoder and CAD OSE through its contexts; this channel
 * counts them directly, in the spirit of a naive-Bayes density estimate of (phase of day, level):
 *
 * - Samples are averaged in blocks of `blockSize`; a block's level is its z-score against the running mean and
 *   standard deviation of the block means, cut into `levels` bins over ±`span` standard deviations (the outer bins
 *   take everything beyond).
 * - The phase of day comes from the timestamps: the sampling interval is the median of the last 50 positive gaps,
 *   the day has P = 1 day / interval samples, and it is cut into B = min(`phaseBins`, ⌊P/2⌋) phases. With fewer
 *   than 12 samples a day, or without timestamps, there is one phase and the channel scores the level's rarity
 *   alone.
 * - The probability of the level in its phase is a histogram count shrunk towards the stream's overall level
 *   histogram (a Dirichlet prior of weight `prior` blocks, itself with a Jeffreys ½ per bin), so a phase seen only a
 *   few times borrows from the whole day; each bin is smoothed with half its neighbours.
 * - The surprise is s = ln(p_max / p) against the most likely level of that phase, mapped to r = s / (s + saturation).
 *
 * It learns all the time (counts only grow) and looks only at the past: a block is scored before it is counted.
 */
export interface ContextRarityOptions {
  blockSize?: number;
  levels?: number;
  span?: number;
  phaseBins?: number;
  prior?: number;
  saturation?: number;
  /** Blocks counted before the first score. */
  minBlocks?: number;
}

export type ContextRarityParams = Required<ContextRarityOptions>;

export const CONTEXT_DEFAULTS: ContextRarityParams = {
  blockSize: 4,
  levels: 10,
  span: 2.5,
  phaseBins: 12,
  prior: 2,
  saturation: 2,
  minBlocks: 10,
};

/** Gaps kept for the sampling interval's median, and how many are needed before phases are used. */
const GAPS_KEPT = 51;
const GAPS_NEEDED = 10;
const DAY_MS = 86_400_000;

export interface ContextRarityState {
  pendingSum: number;
  pendingCount: number;
  lastTime: number | null;
  /** The last positive gaps between timestamps (ms), oldest first, and the same gaps sorted. */
  gaps: number[];
  sortedGaps: number[];
  /** Running mean and sum of squared deviations of the block means (Welford). */
  count: number;
  mean: number;
  m2: number;
  /** Level counts per phase, phase-major (phaseBins × levels), and per phase in total. */
  counts: number[];
  phaseTotals: number[];
  /** Level counts over all phases. */
  levelCounts: number[];
  total: number;
  raw: number;
}

export function initialContextState(): ContextRarityState {
  return {
    pendingSum: 0,
    pendingCount: 0,
    lastTime: null,
    gaps: [],
    sortedGaps: [],
    count: 0,
    mean: 0,
    m2: 0,
    counts: [],
    phaseTotals: [],
    levelCounts: [],
    total: 0,
    raw: 0,
  };
}

/** Feeds one sample with its time (epoch ms; NaN when unknown) and returns the raw surprise in [0, 1). */
export function stepContext(p: ContextRarityParams, s: ContextRarityState, value: number, time: number): number {
  if (Number.isFinite(time)) {
    if (s.lastTime !== null && time > s.lastTime) {
      const gap = time - s.lastTime;
      s.gaps.push(gap);
      s.sortedGaps.splice(lowerBound(s.sortedGaps, gap), 0, gap);
      if (s.gaps.length > GAPS_KEPT) s.sortedGaps.splice(lowerBound(s.sortedGaps, s.gaps.shift() as number), 1);
    }
    s.lastTime = time;
  }
  s.pendingSum += value;
  s.pendingCount++;
  if (s.pendingCount < p.blockSize) return s.raw;
  const block = s.pendingSum / p.blockSize;
  s.pendingSum = 0;
  s.pendingCount = 0;
  s.count++;
  const d = block - s.mean;
  s.mean += d / s.count;
  s.m2 += d * (block - s.mean);
  if (Number.isFinite(time) && s.gaps.length < GAPS_NEEDED) return s.raw;

  const L = p.levels;
  if (s.counts.length === 0) {
    s.counts = new Array<number>(p.phaseBins * L).fill(0);
    s.phaseTotals = new Array<number>(p.phaseBins).fill(0);
    s.levelCounts = new Array<number>(L).fill(0);
  }
  const phase = phaseOf(p, s, time);
  const sd = s.count > 1 ? Math.sqrt(s.m2 / (s.count - 1)) : 0;
  const z = (block - s.mean) / (sd || 1);
  const level = Math.max(0, Math.min(L - 1, Math.floor(((z + p.span) / (2 * p.span)) * L)));

  if (s.total >= p.minBlocks) {
    const base = phase * L;
    const n = s.phaseTotals[phase];
    // p(level | phase) with the overall histogram as its prior, then smoothed with half of each neighbour.
    const prob = (l: number) => {
      if (l < 0 || l >= L) return 0;
      const overall = (s.levelCounts[l] + 0.5) / (s.total + 0.5 * L);
      return (s.counts[base + l] + p.prior * overall) / (n + p.prior);
    };
    const smooth = (l: number) => prob(l) + 0.5 * (prob(l - 1) + prob(l + 1));
    let top = 0;
    for (let l = 0; l < L; l++) top = Math.max(top, smooth(l));
    const surprise = Math.log(top / smooth(level));
    s.raw = surprise / (surprise + p.saturation);
  } else s.raw = 0;

  s.counts[phase * L + level]++;
  s.phaseTotals[phase]++;
  s.levelCounts[level]++;
  s.total++;
  return s.raw;
}

/** The phase-of-day bin of a block ending at `time`, from the median sampling interval; 0 without timestamps. */
function phaseOf(p: ContextRarityParams, s: ContextRarityState, time: number): number {
  if (!Number.isFinite(time) || s.gaps.length === 0) return 0;
  const perDay = DAY_MS / s.sortedGaps[s.sortedGaps.length >> 1];
  if (perDay < 12) return 0;
  const bins = Math.min(p.phaseBins, Math.floor(perDay / 2));
  const ofDay = ((time % DAY_MS) + DAY_MS) % DAY_MS;
  return Math.floor((ofDay / DAY_MS) * bins);
}

/** The first index of a sorted array whose value is ≥ x. */
function lowerBound(xs: number[], x: number): number {
  let lo = 0;
  let hi = xs.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (xs[mid] < x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
