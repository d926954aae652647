import { describe, expect, it } from "vitest";
import { createRng } from "../../random";
import { bruteForceIsing } from "../exact/brute-force";
import { solveHybrid } from "../hybrid/solve";
import { randomIsing } from "../test-instances";
import { cutDistance, ElitePool, relinkBuckets, relinkPath } from "./elite-pool";
import { flipEnergy, flipGraph } from "./flip-state";
import { integerFlipGraph } from "./tabu-buckets";

const randomSpins = (n: number, seed: number) => {
  const rng = createRng(seed);
  return Int8Array.from({ length: n }, () => (rng.next() < 0.5 ? -1 : 1));
};

describe("elite pool and path relinking", () => {
  it("measures cut distance up to the mirror image", () => {
    const a = randomSpins(50, 1);
    const mirror = a.map((x) => -x);
    expect(cutDistance(a, mirror)).toBe(0);
    expect(cutDistance(a, mirror, false)).toBe(50);
    const b = Int8Array.from(a);
    b[3] = -b[3];
    b[7] = -b[7];
    expect(cutDistance(a, b)).toBe(2);
  });

  it("keeps distinct members, lets a new best replace its near twin and a distant candidate the worst", () => {
    const pool = new ElitePool(2, 5);
    const a = randomSpins(40, 2);
    expect(pool.offer(a, -10)).toBe(true);
    expect(
      pool.offer(
        a.map((x) => -x),
        -10,
      ),
    ).toBe(false);
    const b = randomSpins(40, 3);
    expect(pool.offer(b, -8)).toBe(true);
    // Full: a worse candidate is refused, a better one far from both replaces the worst (b).
    const c = randomSpins(40, 4);
    expect(cutDistance(c, a)).toBeGreaterThanOrEqual(5);
    expect(pool.offer(c, -7)).toBe(false);
    expect(pool.offer(c, -9)).toBe(true);
    expect(pool.energies.sort()).toEqual([-10, -9]);
    // A new best one flip from a replaces a, not c.
    const a2 = Int8Array.from(a);
    a2[0] = -a2[0];
    expect(pool.offer(a2, -11)).toBe(true);
    expect(pool.members.some((m) => cutDistance(m, a2) === 0)).toBe(true);
    expect(pool.members.some((m) => cutDistance(m, c) === 0)).toBe(true);
  });

  it("returns the middle point of the path with its exact energy, between a third and two thirds of the way", () => {
    for (const symmetric of [true, false]) {
      const model = randomIsing(60, 5, { integer: true, density: 0.3, format: "csr", fieldScale: symmetric ? 0 : 1 });
      const g = flipGraph(model);
      const ig = integerFlipGraph(g);
      if (!ig) throw new Error("expected integer couplings");
      const rng = createRng(6);
      const buckets = relinkBuckets(ig);
      for (let t = 0; t < 10; t++) {
        const a = randomSpins(60, 10 + t);
        const b = randomSpins(60, 30 + t);
        const out = new Int8Array(60);
        const e = relinkPath(buckets, a, b, out, rng, symmetric);
        if (e === undefined) throw new Error("ends should be far apart");
        expect(flipEnergy(g, out)).toBeCloseTo(flipEnergy(g, a) + 2 * ig.quantum * e, 9);
        const d = cutDistance(a, b, symmetric);
        expect(cutDistance(out, a, symmetric)).toBeGreaterThanOrEqual(Math.ceil(d / 3));
        expect(cutDistance(out, b, symmetric)).toBeGreaterThanOrEqual(d - Math.floor((2 * d) / 3));
      }
      expect(relinkPath(buckets, randomSpins(60, 1), randomSpins(60, 1), new Int8Array(60), rng)).toBeUndefined();
    }
  });

  it("the hybrid with relinking finds the brute-force optimum on small instances", async () => {
    for (const seed of [1, 2, 3]) {
      const model = randomIsing(18, seed, { integer: true, density: 0.5, format: "csr" });
      const exact = bruteForceIsing(model);
      const r = await solveHybrid(model, { seed, relink: 1, timeLimitMs: 5000, targetEnergy: exact.energy });
      expect(r.energy).toBe(exact.energy);
    }
  });
});
