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

export interface BlockDiscordState {
  pendingSum: number;
  pendingCount: number;
  /** Block means, oldest first; at most historyBlocks + windowBlocks − 1 are needed, twice that are kept. */
  blocks: number[];
  /** Blocks seen in total. */
  count: number;
  mean: number;
  m2: number;
  raw: number;
}

export function initialDiscordState(): BlockDiscordState {
  return { pendingSum: 0, pendingCount: 0, blocks: [], count: 0, mean: 0, m2: 0, raw: 0 };
}

export function stepDiscord(p: BlockDiscordParams, s: BlockDiscordState, value: number): number {
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
  const keep = p.historyBlocks + p.windowBlocks;
  if (s.blocks.length >= 2 * keep) s.blocks.splice(0, s.blocks.length - keep + 1);
  s.blocks.push(block);

  const L = p.windowBlocks;
  const xs = s.blocks;
  const T = xs.length - 1;
  if (s.count < 2 * L + 1) return s.raw;
  const variance = s.m2 / (s.count - 1);
  const scale = variance > 0 ? 1 / variance : 1;
  let best = Number.POSITIVE_INFINITY;
  // Windows ending at u ≤ T − L do not overlap the current one, so a window is never its own neighbour.
  for (let u = Math.max(L - 1, T - p.historyBlocks); u <= T - L; u++) {
    let acc = 0;
    for (let k = 0; k < L && acc < best; k++) {
      const e = xs[T - k] - xs[u - k];
      acc += e * e;
    }
    if (acc < best) best = acc;
  }
  const distance = Math.sqrt((best * scale) / L);
  s.raw = distance / (distance + p.saturation);
  return s.raw;
}
