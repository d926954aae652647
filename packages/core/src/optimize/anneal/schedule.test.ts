import { describe, expect, it } from "vitest";
import { flipGraph } from "../local/flip-state";
import { createIsing } from "../model/ising";
import { csrFromTriplets } from "../model/matrix";
import { geometricBetas, glassTransitionBeta, luby } from "./schedule";

describe("annealing schedules", () => {
  it("luby gives 1, 1, 2, 1, 1, 2, 4, 1, 1, 2, 1, 1, 2, 4, 8", () => {
    expect(Array.from({ length: 15 }, (_, k) => luby(k + 1))).toEqual([1, 1, 2, 1, 1, 2, 4, 1, 1, 2, 1, 1, 2, 4, 8]);
  });

  it("geometric betas run from hot to cold with a constant ratio", () => {
    const b = geometricBetas(0.1, 10, 5);
    expect(b[0]).toBeCloseTo(0.1, 12);
    expect(b[4]).toBeCloseTo(10, 12);
    for (let k = 1; k < 4; k++) expect(b[k + 1] / b[k]).toBeCloseTo(b[1] / b[0], 12);
  });

  it("puts the glass transition of a regular graph where (d − 1)·tanh²(βJ) = 1", () => {
    // A ring with chords: every node has degree 4 and couplings ±0.5, so B = 3 and tanh(β/2) = 1/√3.
    const n = 40;
    const rows: number[] = [];
    const cols: number[] = [];
    const vals: number[] = [];
    for (let i = 0; i < n; i++)
      for (const step of [1, 7]) {
        rows.push(i);
        cols.push((i + step) % n);
        vals.push(i % 3 === 0 ? 0.5 : -0.5);
      }
    const model = createIsing({ J: csrFromTriplets(n, rows, cols, vals, { symmetric: true }) });
    expect(glassTransitionBeta(flipGraph(model))).toBeCloseTo(2 * Math.atanh(1 / Math.sqrt(3)), 6);
  });

  it("has no transition on a graph with branching ratio ≤ 1 (a path)", () => {
    const model = createIsing({ J: csrFromTriplets(3, [0, 1], [1, 2], [1, 1], { symmetric: true }) });
    expect(glassTransitionBeta(flipGraph(model))).toBe(Number.POSITIVE_INFINITY);
  });
});
