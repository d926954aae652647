import { describe, expect, it } from "vitest";
import { createRng } from "../random";
import { mackeyGlass } from "./mackey-glass";
import { narma10 } from "./narma10";

describe("mackeyGlass", () => {
  it("stays on the known attractor range and is chaotic, not periodic", () => {
    const x = mackeyGlass({ n: 5000 });
    const min = Math.min(...x);
    const max = Math.max(...x);
    // The τ = 17 attractor lives in about [0.2, 1.4].
    expect(min).toBeGreaterThan(0.15);
    expect(max).toBeLessThan(1.45);
    expect(max - min).toBeGreaterThan(0.9);
    // Integration error: halving the step changes samples by far less than the signal.
    const fine = mackeyGlass({ n: 200, stepsPerUnit: 20 });
    const coarse = mackeyGlass({ n: 200, stepsPerUnit: 10 });
    for (let i = 0; i < 50; i++) expect(Math.abs(fine[i] - coarse[i])).toBeLessThan(1e-3);
  });
});

describe("narma10", () => {
  it("follows its recurrence exactly and stays bounded", () => {
    const { u, y } = narma10(2000, createRng(3));
    for (let t = 20; t < 1999; t++) {
      let sum = 0;
      for (let i = 0; i < 10; i++) sum += y[t - i];
      expect(y[t + 1]).toBeCloseTo(0.3 * y[t] + 0.05 * y[t] * sum + 1.5 * u[t - 9] * u[t] + 0.1, 12);
    }
    expect(Math.max(...y)).toBeLessThan(1.5);
  });
});
