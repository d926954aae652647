import { describe, expect, it } from "vitest";
import { createRng } from "../random";
import { bruteForceIsing } from "./exact/brute-force";
import { flipEnergy, flipGraph } from "./local/flip-state";
import { greedyDescent } from "./local/greedy";
import { tabuSearch } from "./local/tabu";
import { isingEnergy } from "./model/ising";
import { cutValue, maxCutToIsing, parseRudyGraph } from "./problems/maxcut";
import { type IsingSolverName, solveIsing } from "./solve";
import { randomIsing } from "./test-instances";

describe("solvers", () => {
  it("every solver finds the brute-force optimum on small random instances", async () => {
    for (const seed of [11, 12]) {
      const model = randomIsing(16, seed, { fieldScale: 0.4, density: 0.7 });
      const exact = bruteForceIsing(model);
      for (const solver of ["sb", "bsb", "dsb", "sa", "exact"] as IsingSolverName[]) {
        const r = await solveIsing(model, { solver, seed, agents: 16 });
        expect(r.energy, `${solver} on seed ${seed}`).toBeCloseTo(exact.energy, 9);
        expect(isingEnergy(model, r.spins)).toBeCloseTo(r.energy, 9);
      }
    }
  });

  it("stops at the target and reports a best-so-far timeline", async () => {
    const model = randomIsing(60, 3, { density: 0.2, integer: true, format: "csr" });
    const r = await solveIsing(model, { solver: "sb", seed: 1, timeLimitMs: 20_000, targetEnergy: 1e9 });
    expect(r.stoppedBy).toBe("target");
    expect(r.timeline.length).toBeGreaterThan(0);
    for (let k = 1; k < r.timeline.length; k++) expect(r.timeline[k].energy).toBeLessThan(r.timeline[k - 1].energy);
  });

  it("respects a time limit and reports progress", async () => {
    const model = randomIsing(300, 5, { density: 0.05, integer: true, format: "csr" });
    const seen: number[] = [];
    let now = 0;
    // A fake clock advancing 1 ms per reading makes the limit deterministic.
    const r = await solveIsing(model, {
      solver: "sb",
      seed: 2,
      timeLimitMs: 400,
      clock: () => now++,
      onProgress: (p) => seen.push(p.fraction),
    });
    expect(r.stoppedBy).toBe("time-limit");
    expect(seen.length).toBeGreaterThan(0);
    expect(Math.max(...seen)).toBeLessThanOrEqual(1);
  });

  it("greedy descent ends in a one-flip local minimum; tabu search never returns worse than its start", () => {
    const model = randomIsing(80, 8, { density: 0.1, fieldScale: 0.3, format: "csr" });
    const g = flipGraph(model);
    const rng = createRng(3);
    const s = Int8Array.from({ length: 80 }, () => (rng.next() < 0.5 ? -1 : 1));
    const before = flipEnergy(g, s);
    greedyDescent(g, s);
    const after = flipEnergy(g, s);
    expect(after).toBeLessThanOrEqual(before);
    for (let i = 0; i < 80; i++) {
      s[i] = -s[i];
      expect(flipEnergy(g, s)).toBeGreaterThanOrEqual(after - 1e-9);
      s[i] = -s[i];
    }
    const t = tabuSearch(g, s, after, { stallIterations: 2000 }, rng);
    expect(t.bestEnergy).toBeLessThanOrEqual(after);
    expect(flipEnergy(g, s)).toBeCloseTo(t.bestEnergy, 9);
  });

  it("exact refuses models too large to enumerate", async () => {
    const model = randomIsing(25, 1, { density: 0.1, format: "csr" });
    await expect(solveIsing(model, { solver: "exact" })).rejects.toThrow(/at most 24/);
  });
});

describe("max-cut", () => {
  it("parses rudy text and maps cut = −energy", () => {
    const g = parseRudyGraph("4 5\n1 2 1\n2 3 1\n3 4 1\n4 1 1\n1 3 1\n");
    const model = maxCutToIsing(g);
    const exact = bruteForceIsing(model);
    expect(-exact.energy).toBe(4);
    expect(cutValue(g, exact.spins)).toBe(4);
    expect(isingEnergy(model, [1, -1, 1, -1])).toBe(-4);
  });

  it("rejects malformed files with the line number", () => {
    expect(() => parseRudyGraph("")).toThrow(/empty/);
    expect(() => parseRudyGraph("0 0\n")).toThrow(/line 1: the graph has zero nodes/);
    expect(() => parseRudyGraph("3 2\n1 2 1\n1 4 1\n")).toThrow(
      /line 3: node id 4 is out of range; ids run from 1 to 3/,
    );
    expect(() => parseRudyGraph("3 2\n1 2 1\n1 x 1\n")).toThrow(/line 3: second node id 'x'/);
    expect(() => parseRudyGraph("3 2\n1 2 1\n2 3 abc\n")).toThrow(/line 3: weight 'abc'/);
    expect(() => parseRudyGraph("3 2\n1 2 1\n")).toThrow(/announces 2 edges but the file has 1/);
    expect(() => parseRudyGraph("3 1\n1 2 1\n2 3 1\n")).toThrow(/line 3: more edge lines/);
    expect(() => parseRudyGraph("3 1\n2 2 1\n")).toThrow(/line 2: self-loop/);
    expect(() => parseRudyGraph("3\n")).toThrow(/line 1: expected `n m`/);
  });
});
