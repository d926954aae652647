import { describe, expect, it } from "vitest";
import { createRng } from "../../random";
import { integerKeys, integerMetropolisSweeps } from "../anneal/integer-sweeps";
import { bruteForceIsing } from "../exact/brute-force";
import { randomIsing } from "../test-instances";
import { flipEnergy, flipGraph } from "./flip-state";
import { integerFlipGraph, tabuSearchBuckets } from "./tabu-buckets";

describe("integer-gain fast paths", () => {
  it("detect a coupling quantum only where every coefficient is a multiple of it", () => {
    const ig = integerFlipGraph(flipGraph(randomIsing(20, 1, { integer: true, fieldScale: 2, density: 0.4 })));
    expect(ig?.quantum).toBe(1);
    expect(integerFlipGraph(flipGraph(randomIsing(20, 1, { density: 0.4 })))).toBeUndefined();
  });

  it("bucket tabu search reports the energy of the configuration it returns and finds small optima", () => {
    for (const seed of [1, 2, 3]) {
      const model = randomIsing(18, seed, { integer: true, fieldScale: 1.5, density: 0.5, format: "csr" });
      const g = flipGraph(model);
      const ig = integerFlipGraph(g);
      if (!ig) throw new Error("expected integer couplings");
      const rng = createRng(seed);
      const s = Int8Array.from({ length: 18 }, () => (rng.next() < 0.5 ? -1 : 1));
      const r = tabuSearchBuckets(
        ig,
        s,
        flipEnergy(g, s),
        { stallIterations: 3000, tenureBase: 3, tenureRange: 3 },
        rng,
      );
      expect(flipEnergy(g, s)).toBe(r.bestEnergy);
      expect(r.bestEnergy).toBe(bruteForceIsing(model).energy);
    }
  });

  it("integer Metropolis sweeps keep the gains consistent and report the exact energy change", () => {
    const model = randomIsing(60, 4, { integer: true, density: 0.2, format: "csr" });
    const g = flipGraph(model);
    const ig = integerFlipGraph(g);
    if (!ig) throw new Error("expected integer couplings");
    const rng = createRng(9);
    const s = Int8Array.from({ length: 60 }, () => (rng.next() < 0.5 ? -1 : 1));
    const before = flipEnergy(g, s);
    const keys = integerKeys(ig, s);
    const r = integerMetropolisSweeps(ig, s, keys, [0.1, 0.5, 1, 2, 5], 12345);
    expect(Array.from(keys)).toEqual(Array.from(integerKeys(ig, s)));
    expect(flipEnergy(g, s)).toBeCloseTo(before + 2 * ig.quantum * r.change, 9);
  });
});
