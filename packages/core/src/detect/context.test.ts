import { describe, expect, it } from "vitest";
import { createRng } from "../random";
import { CONTEXT_DEFAULTS, initialContextState, stepContext } from "./context";

const FIVE_MINUTES = 300_000;
const DAY = 288;

/** A day of 5-minute samples: low at night, a plateau from 09:00 to 17:00. */
function office(i: number, rng: { normal(): number }): number {
  const minute = (i % DAY) * 5;
  return (minute >= 540 && minute < 1020 ? 100 : 20) + rng.normal();
}

function run(values: number[], times: number[], p = CONTEXT_DEFAULTS): number[] {
  const s = initialContextState();
  return values.map((v, i) => stepContext(p, s, v, times[i]));
}

describe("context rarity", () => {
  const rng = createRng(7);
  const n = 12 * DAY;
  const times = Array.from({ length: n }, (_, i) => Date.UTC(2024, 0, 1) + i * FIVE_MINUTES);
  const normal = Array.from({ length: n }, (_, i) => office(i, rng));

  it("scores a level that is common overall but never seen at this time of day", () => {
    // Day 10 stays at the daytime plateau through the night from 00:00 to 04:00.
    const start = 10 * DAY;
    const values = normal.map((v, i) => (i >= start && i < start + 48 ? 100 + (v - 20) : v));
    const raw = run(values, times);
    const usual = raw.slice(5 * DAY, 10 * DAY);
    expect(Math.max(...raw.slice(start + 4, start + 48))).toBeGreaterThan(Math.max(...usual) + 0.3);
    // The same plateau at its usual hours is not surprising.
    expect(Math.max(...raw.slice(start + 108, start + 204))).toBeLessThan(0.2);
  });

  it("without timestamps scores the level alone, so the same night is ordinary", () => {
    const values = normal.map((v, i) => (i >= 10 * DAY && i < 10 * DAY + 48 ? 100 + (v - 20) : v));
    const raw = run(
      values,
      values.map(() => Number.NaN),
    );
    // Without the time of day the night-time plateau is as ordinary as the plateau on any afternoon.
    const afternoons = raw.slice(9 * DAY + 120, 9 * DAY + 200);
    expect(Math.max(...raw.slice(10 * DAY + 4, 10 * DAY + 48))).toBeLessThanOrEqual(Math.max(...afternoons) + 0.02);
  });

  it("does not depend on the stream's units", () => {
    const a = run(normal, times);
    const b = run(
      normal.map((v) => v * 8),
      times,
    );
    expect(b).toEqual(a);
  });

  it("learns the sampling interval as the median gap, ignoring repeated timestamps and outages", () => {
    const irregular = times.map((t, i) => (i % 7 === 3 ? times[i - 1] : t + (i > 2000 ? 3_600_000 : 0)));
    const s = initialContextState();
    for (let i = 0; i < 2100; i++) stepContext(CONTEXT_DEFAULTS, s, normal[i], irregular[i]);
    expect(s.sortedGaps[s.sortedGaps.length >> 1]).toBe(FIVE_MINUTES);
    expect(s.gaps.every((g) => g > 0)).toBe(true);
  });

  it("resumes exactly from a JSON copy of its state", () => {
    const s = initialContextState();
    for (let i = 0; i < 1000; i++) stepContext(CONTEXT_DEFAULTS, s, normal[i], times[i]);
    const copy = JSON.parse(JSON.stringify(s));
    for (let i = 1000; i < 2000; i++)
      expect(stepContext(CONTEXT_DEFAULTS, copy, normal[i], times[i])).toBe(
        stepContext(CONTEXT_DEFAULTS, s, normal[i], times[i]),
      );
  });
});
