/**
 * Raw surprise from how unlike anything seen before the recent stretch of the stream is: the distance from the
 * last `windowBlocks` block means to their nearest neighbour among the earlier windows (a time-series "discord",
 * Keogh, Lin & Fu, ICDM 2005; the nearest-neighbour novelty of KNN-CAD, Burnaev & Ishimtsev 2016, and of
 * ARTime's new-category test on downsampled windows).
 *
 * - Blocks of `blockSize` samples are averaged (downsampling, as ARTime does, so one sample of noise does not make
 *   a window novel) and the search runs once per block, over the last `historyBlocks` windows.
 * - Distances are in units of the running standard deviation of the block means (Welford), so the score does not
 *   depend on the stream's units and needs no knowledge of its range.
 * - The root-mean-square distance d is mapped to r = d / (d + saturation) ∈ [0, 1): HTM's raw score lives in
 *   [0, 1] and the likelihood's floors assume that scale.
 * - Between block ends the last score is held.
 *
 * The search is exact and costs O(historyBlocks) per block whatever the data: the squared distance to the window
 * `lag` blocks back is kept for every lag and updated in O(1) when a block arrives (add the newest pair's squared
 * difference, drop the oldest's: the diagonal recurrence of matrix-profile algorithms, Zhu et al., "Matrix Profile
 * II", ICDM 2016). Every `EXACT_EVERY` blocks all distances are recomputed from scratch, which bounds the rounding
 * drift of the running sums.
 */
export interface BlockDiscordOptions {
  blockSize?: number;
  windowBlocks?: number;
  historyBlocks?: number;
  saturation?: number;
}

export type BlockDiscordParams = Required<BlockDiscordOptions>;

export const DISCORD_DEFAULTS: BlockDiscordParams = {
  blockSize: 4,
  windowBlocks: 4,
  historyBlocks: 1000,
  saturation: 2,
};

/** Full recomputation period of the running distances, in blocks. */
const EXACT_EVERY = 64;

export interface BlockDiscordState {
  pendingSum: number;
  pendingCount: number;
  /**
   * The last historyBlocks + windowBlocks + 1 block means in a ring, each written twice (at its slot and at slot +
   * ring size) so that every window reads as one contiguous run. Empty until the first block.
   */
  ring: Float64Array;
  /** Squared distance from the current window to the window `lag` blocks earlier, indexed by lag. */
  distances: Float64Array;
  /** Blocks seen in total. */
  count: number;
  mean: number;
  m2: number;
  raw: number;
}

export function initialDiscordState(): BlockDiscordState {
  // Typed arrays: outside the JavaScript heap, so 1 000 streams' windows cost the garbage collector nothing.
  return {
    pendingSum: 0,
    pendingCount: 0,
    ring: new Float64Array(0),
    distances: new Float64Array(0),
    count: 0,
    mean: 0,
    m2: 0,
    raw: 0,
  };
}

export function stepDiscord(p: BlockDiscordParams, s: BlockDiscordState, value: number): number {
  s.pendingSum += value;
  s.pendingCount++;
  if (s.pendingCount < p.blockSize) return s.raw;
  const block = s.pendingSum / p.blockSize;
  s.pendingSum = 0;
  s.pendingCount = 0;
  const L = p.windowBlocks;
  const H = p.historyBlocks;
  const size = H + L + 1;
  if (s.ring.length === 0) {
    s.ring = new Float64Array(2 * size);
    s.distances = new Float64Array(H + 1);
  }
  const T = s.count++;
  const d = block - s.mean;
  s.mean += d / s.count;
  s.m2 += d * (block - s.mean);
  const ring = s.ring;
  const D = s.distances;
  const slot = T % size;
  ring[slot] = block;
  ring[slot + size] = block;
  // ring[now − k] is block T − k for 0 ≤ k < size.
  const now = slot + size;
  // Windows end at u ≥ L − 1 (a full window) and u ≤ T − L (not overlapping the current one): lags L … T − L + 1.
  const newest = T - L + 1;
  const maxLag = Math.min(H, newest);
  let best = Number.POSITIVE_INFINITY;
  if (T % EXACT_EVERY === 0) {
    for (let lag = L; lag <= maxLag; lag++) {
      const v = windowDistance(ring, now, now - lag, L);
      D[lag] = v;
      if (v < best) best = v;
    }
  } else {
    const leaving = ring[now - L];
    const last = Math.min(maxLag, newest - 1);
    // i and j walk back from the blocks `lag` before the newest and before the leaving one.
    for (let lag = L, i = now - L, j = now - 2 * L; lag <= last; lag++, i--, j--) {
      const a = block - ring[i];
      const b = leaving - ring[j];
      const v = D[lag] + a * a - b * b;
      D[lag] = v;
      if (v < best) best = v;
    }
    if (newest >= L && newest <= H) {
      const v = windowDistance(ring, now, now - newest, L);
      D[newest] = v;
      if (v < best) best = v;
    }
  }
  if (s.count < 2 * L + 1) return s.raw;
  const variance = s.m2 / (s.count - 1);
  const scale = variance > 0 ? 1 / variance : 1;
  const distance = Math.sqrt((Math.max(0, best) * scale) / L);
  s.raw = distance / (distance + p.saturation);
  return s.raw;
}

/** Squared Euclidean distance between the windows of L blocks ending at ring positions a and b. */
function windowDistance(ring: Float64Array, a: number, b: number, L: number): number {
  let v = 0;
  for (let k = 0; k < L; k++) {
    const e = ring[a - k] - ring[b - k];
    v += e * e;
  }
  return v;
}
