import type { Rng } from "../../random";
import { GainBuckets } from "./gain-buckets";
import type { IntegerFlipGraph } from "./tabu-buckets";

/**
 * Distance between two spin configurations of a model without fields, where s and −s are the same solution (a cut
 * and its mirror): min(Hamming(a, b), n − Hamming(a, b)).
 */
export function cutDistance(a: Int8Array, b: Int8Array, symmetric = true): number {
  let d = 0;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) d++;
  return symmetric ? Math.min(d, a.length - d) : d;
}

/**
 * A pool of diverse local optima for path relinking (Wang, Lü, Glover & Hao 2012, "Path relinking for unconstrained
 * binary quadratic programming", EJOR 223(3); Ma & Hao 2017, "A multiple search operator heuristic for the max-k-cut
 * problem", Ann. Oper. Res. 248): a candidate enters when the pool has room, or when it beats the worst member and
 * lies at least `minDistance` from every member; a new overall best always enters, replacing its nearest member
 * so the pool does not fill with near-copies of the best.
 */
export class ElitePool {
  readonly members: Int8Array[] = [];
  readonly energies: number[] = [];

  /** `symmetric`: s and −s are the same solution (no fields), so distances count the nearer of the two. */
  constructor(
    readonly capacity: number,
    readonly minDistance: number,
    readonly symmetric = true,
  ) {}

  get size(): number {
    return this.members.length;
  }

  /** Offers a configuration (copied when it enters); returns true when it entered. */
  offer(s: Int8Array, energy: number): boolean {
    let nearest = -1;
    let nearestDistance = Number.POSITIVE_INFINITY;
    for (let k = 0; k < this.members.length; k++) {
      const d = cutDistance(s, this.members[k], this.symmetric);
      if (d < nearestDistance) {
        nearestDistance = d;
        nearest = k;
      }
    }
    if (nearestDistance === 0) return false;
    if (this.members.length < this.capacity) {
      this.members.push(Int8Array.from(s));
      this.energies.push(energy);
      return true;
    }
    let worst = 0;
    let best = Number.POSITIVE_INFINITY;
    for (let k = 0; k < this.energies.length; k++) {
      if (this.energies[k] > this.energies[worst]) worst = k;
      best = Math.min(best, this.energies[k]);
    }
    let slot = -1;
    if (energy < best) slot = nearestDistance < this.minDistance ? nearest : worst;
    else if (energy < this.energies[worst] && nearestDistance >= this.minDistance) slot = worst;
    if (slot < 0) return false;
    this.members[slot].set(s);
    this.energies[slot] = energy;
    return true;
  }
}

/**
 * Greedy path relinking between two configurations on gain buckets: from `initial`, flip one at a time the spin
 * that differs from `guiding` (mirrored when that is nearer and `symmetric`) with the lowest ΔE, and return in `out` the lowest-energy
 * point of the path whose distance to both ends is at least a third of theirs (Wang et al. 2012), so the result is
 * new. Each step costs a scan of the remaining differences plus the flip's O(degree) update. Returns the point's
 * energy relative to E(initial) in units of 2q (see GainBuckets), or undefined when the ends are too close (< 3).
 */
export function relinkPath(
  buckets: GainBuckets,
  initial: Int8Array,
  guiding: Int8Array,
  out: Int8Array,
  rng: Rng,
  symmetric = true,
): number | undefined {
  const n = initial.length;
  let same = 0;
  for (let i = 0; i < n; i++) if (initial[i] === guiding[i]) same++;
  const mirror = symmetric && same < n - same;
  const diff: number[] = [];
  for (let i = 0; i < n; i++) if ((initial[i] === guiding[i]) === mirror) diff.push(i);
  const d = diff.length;
  if (d < 3) return undefined;
  buckets.reset(initial);
  const key = buckets.key;
  const path: number[] = [];
  const lo = Math.max(1, Math.ceil(d / 3));
  const hi = Math.min(d - 1, Math.floor((2 * d) / 3));
  let bestStep = -1;
  let bestEnergy = Number.POSITIVE_INFINITY;
  let remaining = d;
  for (let step = 1; step <= hi; step++) {
    // Lowest key among the remaining differences; ties broken by a random start of the scan.
    const offset = rng.int(remaining);
    let pick = offset;
    for (let t = 1; t < remaining; t++) {
      const k = (offset + t) % remaining;
      if (key[diff[k]] < key[diff[pick]]) pick = k;
    }
    const i = diff[pick];
    diff[pick] = diff[remaining - 1];
    remaining--;
    buckets.flip(i);
    path.push(i);
    if (step >= lo && buckets.energy < bestEnergy) {
      bestEnergy = buckets.energy;
      bestStep = step;
    }
  }
  out.set(initial);
  for (let t = 0; t < bestStep; t++) out[path[t]] = -out[path[t]];
  return bestEnergy;
}

/** Gain buckets sized for relinking on `ig` (no tabu moves). */
export function relinkBuckets(ig: IntegerFlipGraph): GainBuckets {
  return new GainBuckets(ig, new Int8Array(ig.graph.n), 1);
}
