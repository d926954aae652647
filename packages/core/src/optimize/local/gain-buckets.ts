import type { IntegerFlipGraph } from "./tabu-buckets";

/**
 * One-flip gains of an integer-gain model kept in bucket lists (Fiduccia & Mattheyses 1982), so that the spin with
 * the lowest ΔE is found in O(1) amortised and a flip costs O(degree) list moves. Keys are k_i = ΔE_i / (2q) =
 * s_i·(Σ_j (J_ij/q)·s_j + h_i/q); bucket b holds the spins with k = b − range as a doubly linked list (most
 * recently moved first).
 *
 * Tabu spins sit in a second set of buckets, so that "the best move that is not tabu" is as cheap as the best
 * move: the spins a search has just flipped are exactly the ones with the lowest keys (flipping them back would
 * undo the move), and skipping them in one list would cost a scan of all of them at every step. A spin made tabu
 * until clock t is put on a ring of per-time lists and returns to the free buckets when the clock reaches t.
 *
 * A third list orders the spins by when they were last flipped (least recent first), which recency-based
 * perturbation (Benlic & Hao 2013) reads from its head. `energy` is tracked in units of 2q relative to the
 * configuration the structure was last reset on, in exact integer arithmetic.
 */
export class GainBuckets {
  readonly n: number;
  readonly range: number;
  readonly key: Int32Array;
  readonly s: Int8Array;
  /** Energy change since the last `reset`, in units of 2q. */
  energy = 0;
  /** Flips made so far: the clock of tabu tenures. */
  clock = 0;
  /** Work done so far: one per flip plus one per neighbour key updated (a measure of time that is deterministic). */
  work = 0;
  private readonly rowPtr: Int32Array;
  private readonly colIndex: Int32Array;
  private readonly weight: Int32Array;
  private readonly fieldQ: Int32Array;
  private readonly headFree: Int32Array;
  private readonly headTabu: Int32Array;
  private readonly next: Int32Array;
  private readonly prev: Int32Array;
  private readonly tabu: Uint8Array;
  private lowFree: number;
  private lowTabu: number;
  private readonly ringHead: Int32Array;
  private readonly ringNext: Int32Array;
  private readonly ringPrev: Int32Array;
  private readonly ringSlot: Int32Array;
  private readonly recentNext: Int32Array;
  private readonly recentPrev: Int32Array;
  private oldest = -1;
  private newest = -1;

  /** `maxTenure` bounds the tenures `makeTabu` will be given (the size of the expiry ring). */
  constructor(ig: IntegerFlipGraph, s: Int8Array, maxTenure: number) {
    const n = ig.graph.n;
    this.n = n;
    this.range = ig.range;
    this.s = s;
    this.rowPtr = ig.graph.rowPtr;
    this.colIndex = ig.graph.colIndex;
    this.weight = ig.weight;
    this.fieldQ = ig.h;
    this.key = new Int32Array(n);
    this.headFree = new Int32Array(2 * ig.range + 1);
    this.headTabu = new Int32Array(2 * ig.range + 1);
    this.next = new Int32Array(n);
    this.prev = new Int32Array(n);
    this.tabu = new Uint8Array(n);
    this.lowFree = this.headFree.length;
    this.lowTabu = this.headTabu.length;
    this.ringHead = new Int32Array(Math.max(1, Math.ceil(maxTenure)) + 2);
    this.ringNext = new Int32Array(n);
    this.ringPrev = new Int32Array(n);
    this.ringSlot = new Int32Array(n);
    this.recentNext = new Int32Array(n);
    this.recentPrev = new Int32Array(n);
    this.reset(s);
  }

  /**
   * Rebuilds keys and lists for `s` (copied in when it is not this structure's own array), with no spin tabu.
   * Spins enter their buckets in `order` when given, so that equal keys are not ranked by index.
   */
  reset(s: Int8Array = this.s, order?: ArrayLike<number>): void {
    if (s !== this.s) this.s.set(s);
    const { n, key, rowPtr, colIndex, weight, fieldQ } = this;
    const spins = this.s;
    for (let i = 0; i < n; i++) {
      let f = fieldQ[i];
      for (let p = rowPtr[i], end = rowPtr[i + 1]; p < end; p++) f += weight[p] * spins[colIndex[p]];
      key[i] = spins[i] * f;
    }
    this.headFree.fill(-1);
    this.headTabu.fill(-1);
    this.ringHead.fill(-1);
    this.ringSlot.fill(-1);
    this.tabu.fill(0);
    this.lowFree = this.headFree.length;
    this.lowTabu = this.headTabu.length;
    this.oldest = -1;
    this.newest = -1;
    for (let k = 0; k < n; k++) {
      const i = order ? order[k] : k;
      this.link(i);
      this.append(i);
    }
    this.energy = 0;
  }

  /** The spin with the lowest key, tabu or not (the steepest-descent move); −1 when n = 0. */
  lowest(): number {
    const f = this.lowestFree();
    const t = this.lowestTabu();
    if (t < 0) return f;
    if (f < 0) return t;
    return this.key[t] < this.key[f] ? t : f;
  }

  /** The lowest key present (+∞ when n = 0). */
  lowestKey(): number {
    const i = this.lowest();
    return i < 0 ? Number.POSITIVE_INFINITY : this.key[i];
  }

  /**
   * The lowest-key spin that is not tabu, or a tabu one when its key is lower still and below `aspiration` (a
   * move reaching a new best); −1 when every spin is tabu and none qualifies.
   */
  lowestAllowed(aspiration: number): number {
    const f = this.lowestFree();
    const t = this.lowestTabu();
    if (t >= 0 && this.key[t] < aspiration && (f < 0 || this.key[t] < this.key[f])) return t;
    return f;
  }

  /** The spin flipped longest ago (or never flipped). */
  leastRecent(): number {
    return this.oldest;
  }

  /** Forbids flipping spin i back for `tenure` clock ticks (1 ≤ tenure ≤ the constructor's maxTenure). */
  makeTabu(i: number, tenure: number): void {
    this.unlink(i);
    this.ringRemove(i);
    this.tabu[i] = 1;
    this.link(i);
    const slot = (this.clock + tenure) % this.ringHead.length;
    const h = this.ringHead[slot];
    this.ringSlot[i] = slot;
    this.ringPrev[i] = -1;
    this.ringNext[i] = h;
    if (h >= 0) this.ringPrev[h] = i;
    this.ringHead[slot] = i;
  }

  /**
   * Flips spin i: its key changes sign, each neighbour's key changes by 2·(J_ij/q)·s_i'·s_j. Advances the clock
   * (releasing spins whose tenure ends) and returns the ΔE/(2q) made.
   */
  flip(i: number): number {
    const { key, s, rowPtr, colIndex, weight } = this;
    const d = key[i];
    this.unlink(i);
    const si = -s[i];
    s[i] = si;
    key[i] = -d;
    this.link(i);
    this.energy += d;
    const k2 = 2 * si;
    const end = rowPtr[i + 1];
    this.work += 1 + end - rowPtr[i];
    for (let p = rowPtr[i]; p < end; p++) {
      const j = colIndex[p];
      this.unlink(j);
      key[j] += k2 * weight[p] * s[j];
      this.link(j);
    }
    this.unappend(i);
    this.append(i);
    this.tick();
    return d;
  }

  private tick(): void {
    this.clock++;
    const slot = this.clock % this.ringHead.length;
    let i = this.ringHead[slot];
    if (i < 0) return;
    this.ringHead[slot] = -1;
    while (i >= 0) {
      const nx = this.ringNext[i];
      this.unlink(i);
      this.tabu[i] = 0;
      this.ringSlot[i] = -1;
      this.link(i);
      i = nx;
    }
  }

  private lowestFree(): number {
    const head = this.headFree;
    let b = this.lowFree;
    while (b < head.length && head[b] < 0) b++;
    this.lowFree = b;
    return b < head.length ? head[b] : -1;
  }

  private lowestTabu(): number {
    const head = this.headTabu;
    let b = this.lowTabu;
    while (b < head.length && head[b] < 0) b++;
    this.lowTabu = b;
    return b < head.length ? head[b] : -1;
  }

  private link(i: number): void {
    const b = this.key[i] + this.range;
    const head = this.tabu[i] ? this.headTabu : this.headFree;
    const h = head[b];
    this.next[i] = h;
    this.prev[i] = -1;
    if (h >= 0) this.prev[h] = i;
    head[b] = i;
    if (this.tabu[i]) {
      if (b < this.lowTabu) this.lowTabu = b;
    } else if (b < this.lowFree) this.lowFree = b;
  }

  private unlink(i: number): void {
    const p = this.prev[i];
    const nx = this.next[i];
    if (p >= 0) this.next[p] = nx;
    else (this.tabu[i] ? this.headTabu : this.headFree)[this.key[i] + this.range] = nx;
    if (nx >= 0) this.prev[nx] = p;
  }

  private ringRemove(i: number): void {
    const slot = this.ringSlot[i];
    if (slot < 0) return;
    const p = this.ringPrev[i];
    const nx = this.ringNext[i];
    if (p >= 0) this.ringNext[p] = nx;
    else this.ringHead[slot] = nx;
    if (nx >= 0) this.ringPrev[nx] = p;
    this.ringSlot[i] = -1;
  }

  private append(i: number): void {
    this.recentPrev[i] = this.newest;
    this.recentNext[i] = -1;
    if (this.newest >= 0) this.recentNext[this.newest] = i;
    else this.oldest = i;
    this.newest = i;
  }

  private unappend(i: number): void {
    const p = this.recentPrev[i];
    const nx = this.recentNext[i];
    if (p >= 0) this.recentNext[p] = nx;
    else this.oldest = nx;
    if (nx >= 0) this.recentPrev[nx] = p;
    else this.newest = p;
  }
}
