import { describe, expect, it } from "vitest";
import { createRng } from "../../random";
import { integerKeys } from "../anneal/integer-sweeps";
import { bruteForceIsing } from "../exact/brute-force";
import { randomIsing } from "../test-instances";
import { BreakoutWalk, breakoutLocalSearch } from "./breakout";
import { flipEnergy, flipGraph } from "./flip-state";
import { GainBuckets } from "./gain-buckets";
import { integerFlipGraph } from "./tabu-buckets";

const integerModel = (n: number, seed: number) =>
  randomIsing(n, seed, { integer: true, fieldScale: 1.5, density: 0.4, format: "csr" });

describe("gain buckets", () => {
  it("keep keys exact, find the lowest key, and track energy through flips", () => {
    const model = integerModel(40, 3);
    const g = flipGraph(model);
    const ig = integerFlipGraph(g);
    if (!ig) throw new Error("expected integer couplings");
    const rng = createRng(4);
    const s = Int8Array.from({ length: 40 }, () => (rng.next() < 0.5 ? -1 : 1));
    const e0 = flipEnergy(g, s);
    const gb = new GainBuckets(ig, s, 10);
    for (let k = 0; k < 300; k++) {
      const i = rng.int(40);
      gb.flip(i);
      if (k % 3 === 0) gb.makeTabu(i, 1 + rng.int(10));
      expect(Array.from(gb.key)).toEqual(Array.from(integerKeys(ig, gb.s)));
      expect(gb.key[gb.lowest()]).toBe(Math.min(...gb.key));
      expect(flipEnergy(g, gb.s)).toBeCloseTo(e0 + 2 * ig.quantum * gb.energy, 9);
    }
  });

  it("hide a tabu spin from lowestAllowed until its tenure ends, unless it reaches the aspiration level", () => {
    const model = integerModel(30, 5);
    const ig = integerFlipGraph(flipGraph(model));
    if (!ig) throw new Error("expected integer couplings");
    const s = new Int8Array(30).fill(1);
    const gb = new GainBuckets(ig, s, 5);
    const i = gb.lowest();
    gb.makeTabu(i, 3);
    const f = gb.lowestAllowed(Number.NEGATIVE_INFINITY);
    expect(f).not.toBe(i);
    expect(gb.key[gb.lowestAllowed(gb.key[i] + 1)]).toBe(Math.min(gb.key[i], gb.key[f]));
    // With every spin tabu, only a move below the aspiration level is allowed.
    for (let j = 0; j < 30; j++) gb.makeTabu(j, 5);
    expect(gb.lowestAllowed(Number.NEGATIVE_INFINITY)).toBe(-1);
    expect(gb.lowestAllowed(Number.POSITIVE_INFINITY)).toBe(gb.lowest());
    // Five flips later every tenure has ended.
    for (let k = 0; k < 5; k++) gb.flip(k);
    expect(gb.lowestAllowed(Number.NEGATIVE_INFINITY)).toBe(gb.lowest());
  });

  it("list spins least recently flipped first", () => {
    const ig = integerFlipGraph(flipGraph(integerModel(10, 2)));
    if (!ig) throw new Error("expected integer couplings");
    const gb = new GainBuckets(ig, new Int8Array(10).fill(-1), 4);
    expect(gb.leastRecent()).toBe(0);
    gb.flip(0);
    gb.flip(1);
    expect(gb.leastRecent()).toBe(2);
  });
});

describe("breakout local search", () => {
  it("finds the brute-force optimum of small instances and returns the configuration it reports", () => {
    for (const seed of [1, 2, 3]) {
      const model = integerModel(18, seed);
      const g = flipGraph(model);
      const ig = integerFlipGraph(g);
      if (!ig) throw new Error("expected integer couplings");
      const rng = createRng(seed);
      const s = Int8Array.from({ length: 18 }, () => (rng.next() < 0.5 ? -1 : 1));
      const r = breakoutLocalSearch(ig, s, flipEnergy(g, s), { maxWork: 200_000 }, rng);
      expect(flipEnergy(g, s)).toBeCloseTo(r.bestEnergy, 9);
      expect(r.bestEnergy).toBeCloseTo(bruteForceIsing(model).energy, 9);
    }
  });

  it("a paused walk resumes where it stopped and keeps its best", () => {
    const model = integerModel(60, 7);
    const g = flipGraph(model);
    const ig = integerFlipGraph(g);
    if (!ig) throw new Error("expected integer couplings");
    const s = new Int8Array(60).fill(1);
    const walk = new BreakoutWalk(ig, {}, createRng(9));
    walk.start(s, flipEnergy(g, s));
    let previous = walk.bestEnergy;
    for (let k = 0; k < 5; k++) {
      walk.run(2000);
      expect(walk.bestEnergy).toBeLessThanOrEqual(previous);
      expect(flipEnergy(g, walk.best)).toBeCloseTo(walk.bestEnergy, 9);
      previous = walk.bestEnergy;
    }
    expect(walk.flips).toBeGreaterThan(0);
    expect(walk.localOptima).toBeGreaterThan(5);
  });
});
