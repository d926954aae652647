import { describe, expect, it } from "vitest";
import { createRng } from "../random";
import { createLikelihoodDetector, erfc } from "./likelihood";

describe("erfc", () => {
  it("matches known values", () => {
    expect(erfc(0)).toBeCloseTo(1, 6);
    expect(erfc(1)).toBeCloseTo(0.157299207, 6);
    expect(erfc(-1)).toBeCloseTo(1.842700793, 6);
    expect(erfc(3)).toBeCloseTo(2.2090497e-5, 8);
  });
});

describe("createLikelihoodDetector", () => {
  it("stays quiet on noise the forecaster explains and alarms once on a sustained error burst", () => {
    const rng = createRng(1);
    const d = createLikelihoodDetector();
    const scores: number[] = [];
    for (let i = 0; i < 3000; i++) {
      const truth = Math.sin(i / 20);
      const noise = 0.05 * rng.normal();
      const fault = i >= 2500 && i < 2520 ? 1.5 : 0;
      scores.push(d.update(truth + noise + fault, truth));
    }
    const before = scores.slice(400, 2500);
    expect(before.filter((s) => s >= d.threshold).length).toBeLessThan(5);
    const during = scores.slice(2500, 2520);
    expect(Math.max(...during)).toBeGreaterThanOrEqual(d.threshold);
    // Damping: only the first alarm of the burst keeps a score over the threshold.
    expect(during.filter((s) => s >= d.threshold).length).toBe(1);
    expect(scores.every((s) => s >= 0 && s <= 1)).toBe(true);
  });

  it("resumes exactly from a snapshot", () => {
    const rng = createRng(2);
    const xs = Array.from({ length: 1200 }, () => rng.normal());
    const a = createLikelihoodDetector();
    for (let i = 0; i < 700; i++) a.update(xs[i], 0);
    const b = createLikelihoodDetector({}, JSON.parse(JSON.stringify(a.snapshot())));
    for (let i = 700; i < 1200; i++) expect(b.update(xs[i], 0)).toBe(a.update(xs[i], 0));
  });

  it("flags a value far outside the range seen so far even when it was forecast", () => {
    const d = createLikelihoodDetector();
    for (let i = 0; i < 500; i++) d.update(Math.sin(i / 10), Math.sin(i / 10));
    expect(d.update(10, 10)).toBe(1);
  });
});
