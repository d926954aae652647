import { describe, expect, it } from "vitest";
import { decimate, lowerBound } from "./decimate";

describe("min/max decimation", () => {
  it("keeps every extreme of each column and the time order", () => {
    const n = 100_000;
    const x = Float64Array.from({ length: n }, (_, i) => i * 10);
    const value = Float64Array.from(
      { length: n },
      (_, i) => Math.sin(i / 300) + (i === 54_321 ? 50 : 0) - (i === 777 ? 9 : 0),
    );
    const d = decimate({ x, value }, 0, x[n - 1], 500);
    expect(d.rows).toBe(n);
    expect(d.x.length).toBeLessThanOrEqual(1002); // two per column, and the rows just beyond each edge
    expect(Math.max(...(d.value as number[]))).toBe(value[54_321]);
    expect(Math.min(...(d.value as number[]))).toBe(value[777]);
    for (let i = 1; i < d.x.length; i++) expect(d.x[i]).toBeGreaterThan(d.x[i - 1]);
  });

  it("returns the rows themselves (and one beyond each edge) when they fit", () => {
    const x = [0, 10, 20, 30, 40, 50];
    const d = decimate({ x, value: [1, 2, 3, 4, 5, 6], lower: [0, 1, 2, 3, 4, 5] }, 15, 35, 100);
    expect(d.x).toEqual([10, 20, 30, 40]);
    expect(d.lower).toEqual([1, 2, 3, 4]);
    expect(lowerBound(x, 25)).toBe(3);
  });

  it("widens the band to each column's outermost bounds and keeps its top score", () => {
    const n = 1000;
    const x = Array.from({ length: n }, (_, i) => i);
    const value = x.map(() => 0);
    const lower = x.map((i) => (i === 500 ? -7 : -1));
    const upper = x.map((i) => (i === 501 ? 9 : 1));
    const score = x.map((i) => (i === 502 ? 0.9 : 0.1));
    const d = decimate({ x, value, lower, upper, score }, 0, n - 1, 10);
    expect(Math.min(...(d.lower as number[]))).toBe(-7);
    expect(Math.max(...(d.upper as number[]))).toBe(9);
    expect(Math.max(...(d.score as number[]))).toBe(0.9);
  });
});
