import { describe, expect, it } from "vitest";
import { createRng } from "../random";
import { createDetector } from "./default";
import { createLikelihoodDetector } from "./predictive";

/** A daily pattern of 5-minute samples with noise. */
function day(i: number, rng: { normal(): number }): number {
  return 50 + 20 * Math.sin((2 * Math.PI * i) / 288) + rng.normal();
}

describe("createDetector", () => {
  it("scores in [0, 1], stays quiet on a regular stream and flags a level shift at its start", () => {
    const rng = createRng(11);
    const d = createDetector();
    const scores: number[] = [];
    for (let i = 0; i < 4000; i++) scores.push(d.update(day(i, rng) + (i >= 3000 && i < 3100 ? 15 : 0), Number.NaN));
    expect(scores.every((s) => s >= 0 && s <= 1)).toBe(true);
    const alarms = scores.map((s, i) => (s >= d.threshold ? i : -1)).filter((i) => i >= 0);
    expect(alarms.filter((i) => i < 3000 && i > 900)).toHaveLength(0);
    expect(alarms.some((i) => i >= 3000 && i < 3020)).toBe(true);
  });

  it("flags a value far outside the range seen so far at once", () => {
    const rng = createRng(12);
    const d = createDetector();
    for (let i = 0; i < 500; i++) d.update(day(i, rng), Number.NaN);
    expect(d.update(200, Number.NaN)).toBe(1);
  });

  it("resumes exactly from a JSON snapshot", () => {
    const rng = createRng(13);
    const xs = Array.from({ length: 2500 }, (_, i) => day(i, rng) + (i > 2000 ? 10 : 0));
    const a = createDetector();
    for (let i = 0; i < 1200; i++) a.update(xs[i], Number.NaN);
    const b = createDetector({}, JSON.parse(JSON.stringify(a.snapshot())));
    for (let i = 1200; i < xs.length; i++) expect(b.update(xs[i], Number.NaN)).toBe(a.update(xs[i], Number.NaN));
  });

  it("keeps a compact snapshot that resumes exactly, early on and after its windows are full", () => {
    const rng = createRng(15);
    const time = (i: number) => Date.UTC(2024, 0, 1) + i * 300_000;
    const xs = Array.from({ length: 10_000 }, (_, i) => day(i, rng) + (i % 3000 === 2999 ? 30 : 0));
    const a = createDetector();
    const cuts = [0, 100, 300, 9_500, xs.length];
    for (let c = 0; c + 1 < cuts.length; c++) {
      const text = JSON.stringify(a.snapshot());
      const b = createDetector({}, JSON.parse(text));
      for (let i = cuts[c]; i < cuts[c + 1]; i++)
        expect(b.update(xs[i], Number.NaN, time(i))).toBe(a.update(xs[i], Number.NaN, time(i)));
    }
    // Two discords (ring once + running distances: ~2 000 float64 each) dominate; v2 took ~640 KB.
    expect(JSON.stringify(a.snapshot()).length).toBeLessThan(60_000);
  });

  it("uses timestamps to flag a daily peak that does not come", () => {
    // A daily jump to a plateau from 10:00 to 14:00; on day 12 it does not happen (NAB's art_daily_nojump).
    const rng = createRng(14);
    const t0 = Date.UTC(2024, 0, 1);
    const value = (i: number) => {
      const minute = (i % 288) * 5;
      const plateau = minute >= 600 && minute < 840 && Math.floor(i / 288) !== 12;
      return (plateau ? 80 : 20) + rng.normal();
    };
    const xs = Array.from({ length: 15 * 288 }, (_, i) => value(i));
    const missing = 12 * 288 + 120;
    const alarms = (withTime: boolean) => {
      const d = createDetector();
      return xs
        .map((x, i) => d.update(x, Number.NaN, withTime ? t0 + i * 300_000 : undefined))
        .map((s, i) => (s >= d.threshold && i > 1000 ? i : -1))
        .filter((i) => i >= 0);
    };
    const timed = alarms(true);
    expect(timed.some((i) => i >= missing && i < missing + 48)).toBe(true);
    expect(timed.filter((i) => i < missing - 288)).toHaveLength(0);
    // The stretch is a level the stream is at every night, so without the time of day nothing flags it.
    expect(alarms(false).some((i) => i >= missing && i < missing + 48)).toBe(false);
  });

  it("rejects a non-finite value and a foreign snapshot", () => {
    expect(() => createDetector().update(Number.NaN, 0)).toThrow(/not a finite number/);
    expect(() => createDetector({}, { kind: "other", version: 1, state: {} })).toThrow(/cannot resume/);
    // The single-channel detector's state (version 1) cannot be resumed by the fused one.
    expect(() => createDetector({}, { kind: "discord-likelihood", version: 1, state: {} })).toThrow(/v1/);
  });
});

describe("createLikelihoodDetector (forecast-driven)", () => {
  it("alarms once when the forecast error jumps and stays for a while", () => {
    const rng = createRng(1);
    const d = createLikelihoodDetector();
    const scores: number[] = [];
    for (let i = 0; i < 3000; i++) {
      const truth = Math.sin(i / 20);
      scores.push(d.update(truth + 0.05 * rng.normal() + (i >= 2500 && i < 2520 ? 0.6 : 0), truth));
    }
    expect(scores.slice(400, 2500).filter((s) => s >= d.threshold).length).toBeLessThan(3);
    expect(scores.slice(2500, 2520).filter((s) => s >= d.threshold)).toHaveLength(1);
  });
});
