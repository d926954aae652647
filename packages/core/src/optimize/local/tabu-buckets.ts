import type { Rng } from "../../random";
import type { FlipGraph } from "./flip-state";
import type { TabuParams, TabuRun } from "./tabu";

/** Couplings and fields as integer multiples of a quantum q, when they are (G-set ±1 weights, integer QUBOs). */
export interface IntegerFlipGraph {
  readonly graph: FlipGraph;
  readonly quantum: number;
  /** J_ij / q per CSR entry, h_i / q. */
  readonly weight: Int32Array;
  readonly h: Int32Array;
  /** Largest |ΔE_i| / (2q) possible: the bucket range. */
  readonly range: number;
}

/**
 * Detects integrality: q = the smallest non-zero |coefficient|, accepted when every coefficient is an integer
 * multiple of q and the gain range stays small enough for a bucket array (≤ 2²⁰ buckets).
 */
export function integerFlipGraph(g: FlipGraph): IntegerFlipGraph | undefined {
  let q = Number.POSITIVE_INFINITY;
  for (const w of g.weight) if (w !== 0) q = Math.min(q, Math.abs(w));
  for (const v of g.h) if (v !== 0) q = Math.min(q, Math.abs(v));
  if (!Number.isFinite(q)) return undefined;
  const weight = new Int32Array(g.weight.length);
  const h = new Int32Array(g.n);
  const toInt = (v: number) => {
    const k = Math.round(v / q);
    return Math.abs(k * q - v) <= 1e-12 * Math.max(1, Math.abs(v)) && Math.abs(k) < 1 << 20 ? k : undefined;
  };
  for (let p = 0; p < weight.length; p++) {
    const k = toInt(g.weight[p]);
    if (k === undefined) return undefined;
    weight[p] = k;
  }
  let range = 0;
  for (let i = 0; i < g.n; i++) {
    const k = toInt(g.h[i]);
    if (k === undefined) return undefined;
    h[i] = k;
    let s = Math.abs(k);
    for (let p = g.rowPtr[i]; p < g.rowPtr[i + 1]; p++) s += Math.abs(weight[p]);
    range = Math.max(range, s);
  }
  if (range > 1 << 20) return undefined;
  return { graph: g, quantum: q, weight, h, range };
}

/**
 * The same one-flip tabu search as `tabuSearch`, with the best move found in O(1) amortised instead of by a scan:
 * gains are integers (ΔE_i = 2q·k_i), so spins sit in bucket lists by k_i (the classic gain-bucket structure of
 * Fiduccia & Mattheyses 1982), free and tabu spins in separate bucket arrays so aspiration is also O(1), and tabu
 * expiry runs from a ring of per-iteration lists. A flip costs O(degree) list moves.
 */
export function tabuSearchBuckets(
  ig: IntegerFlipGraph,
  s: Int8Array,
  energy: number,
  params: TabuParams,
  rng: Rng,
  hooks: { shouldStop?: () => boolean; onBest?: (energy: number) => boolean | undefined } = {},
): TabuRun {
  const g = ig.graph;
  const n = g.n;
  const { rowPtr, colIndex } = g;
  const W = ig.weight;
  const R = ig.range;
  const nb = 2 * R + 1;
  const key = new Int32Array(n); // ΔE_i / (2q) = s_i·(Σ_j (J_ij/q) s_j + h_i/q)
  for (let i = 0; i < n; i++) {
    let f = ig.h[i];
    for (let p = rowPtr[i]; p < rowPtr[i + 1]; p++) f += W[p] * s[colIndex[p]];
    key[i] = s[i] * f;
  }
  const base = params.tenureBase ?? Math.max(7, Math.floor(n / 100));
  const span = Math.max(1, params.tenureRange ?? Math.max(10, Math.floor(n / 50)));
  const ringSize = base + span + 2;
  // Bucket lists: list 0 = free spins, list 1 = tabu spins; heads per bucket, doubly linked through next/prev.
  const headFree = new Int32Array(nb).fill(-1);
  const headTabu = new Int32Array(nb).fill(-1);
  const next = new Int32Array(n);
  const prev = new Int32Array(n);
  const tabu = new Uint8Array(n);
  const ringHead = new Int32Array(ringSize).fill(-1);
  const ringNext = new Int32Array(n);
  const ringPrev = new Int32Array(n);
  const ringSlot = new Int32Array(n).fill(-1);
  let minFree = nb;
  let minTabu = nb;
  const insert = (i: number) => {
    const b = key[i] + R;
    const heads = tabu[i] ? headTabu : headFree;
    const h = heads[b];
    next[i] = h;
    prev[i] = -1;
    if (h >= 0) prev[h] = i;
    heads[b] = i;
    if (tabu[i]) {
      if (b < minTabu) minTabu = b;
    } else if (b < minFree) minFree = b;
  };
  const remove = (i: number) => {
    const b = key[i] + R;
    const heads = tabu[i] ? headTabu : headFree;
    if (prev[i] >= 0) next[prev[i]] = next[i];
    else heads[b] = next[i];
    if (next[i] >= 0) prev[next[i]] = prev[i];
  };
  const ringRemove = (i: number) => {
    const r = ringSlot[i];
    if (r < 0) return;
    if (ringPrev[i] >= 0) ringNext[ringPrev[i]] = ringNext[i];
    else ringHead[r] = ringNext[i];
    if (ringNext[i] >= 0) ringPrev[ringNext[i]] = ringPrev[i];
    ringSlot[i] = -1;
  };
  // Random insertion order so that ties within a bucket are not broken by index.
  const order = Int32Array.from({ length: n }, (_, i) => i);
  for (let i = n - 1; i > 0; i--) {
    const j = rng.int(i + 1);
    const t = order[i];
    order[i] = order[j];
    order[j] = t;
  }
  for (const i of order) insert(i);

  const twoQ = 2 * ig.quantum;
  const best = Int8Array.from(s);
  const maxIt = params.maxIterations ?? Number.POSITIVE_INFINITY;
  const stall = params.stallIterations;
  // Energies relative to the start, in units of 2q: exact integer arithmetic.
  let e = 0;
  let bestE = 0;
  let atBest = true;
  let lastImprovement = 0;
  let it = 0;
  while (it < maxIt && it - lastImprovement < stall) {
    if ((it & 255) === 0 && hooks.shouldStop?.()) break;
    it++;
    // Expire tabu spins whose tenure ends now.
    const slot = it % ringSize;
    for (let i = ringHead[slot]; i >= 0; ) {
      const nx = ringNext[i];
      remove(i);
      tabu[i] = 0;
      ringSlot[i] = -1;
      insert(i);
      i = nx;
    }
    ringHead[slot] = -1;
    while (minFree < nb && headFree[minFree] < 0) minFree++;
    while (minTabu < nb && headTabu[minTabu] < 0) minTabu++;
    let bi = minFree < nb ? headFree[minFree] : -1;
    // Aspiration: a tabu move that reaches a new best of this run.
    if (minTabu < nb && e + (minTabu - R) < bestE && (bi < 0 || minTabu < minFree)) bi = headTabu[minTabu];
    if (bi < 0) continue;
    const d = key[bi];
    if (atBest && d > 0) {
      best.set(s);
      atBest = false;
    }
    // Flip bi: its key changes sign; each neighbour j changes by 2·(J_ij/q)·s_i'·s_j.
    remove(bi);
    ringRemove(bi);
    const si = -s[bi];
    s[bi] = si;
    key[bi] = -d;
    e += d;
    tabu[bi] = 1;
    const expiry = (it + base + rng.int(span) + 1) % ringSize;
    ringSlot[bi] = expiry;
    ringPrev[bi] = -1;
    ringNext[bi] = ringHead[expiry];
    if (ringNext[bi] >= 0) ringPrev[ringNext[bi]] = bi;
    ringHead[expiry] = bi;
    insert(bi);
    const k2 = 2 * si;
    for (let p = rowPtr[bi], end = rowPtr[bi + 1]; p < end; p++) {
      const j = colIndex[p];
      remove(j);
      key[j] += k2 * W[p] * s[j];
      insert(j);
    }
    if (e < bestE) {
      bestE = e;
      atBest = true;
      lastImprovement = it;
      if (hooks.onBest?.(energy + twoQ * e)) break;
    }
  }
  if (atBest) best.set(s);
  s.set(best);
  return { bestEnergy: energy + twoQ * bestE, iterations: it };
}
