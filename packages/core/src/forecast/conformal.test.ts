import { describe, expect, it } from "vitest";
import { createRng } from "../random";
import { conformalHalfWidth, conformalScale, createConformal, updateConformal } from "./conformal";

/** Runs a conformal interval over residuals drawn by `draw` and returns the empirical coverage after `burn`. */
function coverageOf(draw: (t: number) => number, coverage: number, steps: number, options = {}) {
  const s = createConformal({ coverage, ...options });
  let inside = 0;
  let scored = 0;
  for (let t = 0; t < steps; t++) {
    const half = conformalHalfWidth(s);
    const scale = conformalScale(s);
    const r = draw(t);
    if (t >= 200) {
      scored++;
      if (Math.abs(r) <= half) inside++;
    }
    updateConformal(s, r, scale, half);
  }
  return inside / scored;
}

describe("conformal intervals", () => {
  it("cover exchangeable residuals at the nominal rate (split conformal, no adaptation)", () => {
    const rng = createRng(1);
    for (const c of [0.8, 0.9, 0.95]) {
      const got = coverageOf(() => rng.normal() * 3, c, 20_000, { adaptRate: 0, scaleRate: 0 });
      expect(Math.abs(got - c)).toBeLessThan(0.01);
    }
  });

  it("hold coverage through a tenfold change of noise level thanks to normalised scores and ACI", () => {
    const rng = createRng(2);
    const draw = (t: number) => rng.normal() * (t % 4000 < 2000 ? 0.1 : 1);
    const got = coverageOf(draw, 0.9, 20_000);
    expect(Math.abs(got - 0.9)).toBeLessThan(0.02);
  });

  it("widen when the residuals grow and narrow when they calm", () => {
    const rng = createRng(3);
    const s = createConformal({ coverage: 0.9 });
    const feed = (sd: number, n: number) => {
      for (let t = 0; t < n; t++) updateConformal(s, sd * rng.normal(), conformalScale(s), conformalHalfWidth(s));
      return conformalHalfWidth(s);
    };
    const calm = feed(0.1, 1000);
    const rough = feed(1, 300);
    const calmAgain = feed(0.1, 300);
    expect(rough).toBeGreaterThan(5 * calm);
    expect(calmAgain).toBeLessThan(rough / 5);
  });

  it("gives no finite interval before any residual and survives a flat series", () => {
    const s = createConformal({ coverage: 0.9 });
    expect(conformalHalfWidth(s)).toBe(Number.POSITIVE_INFINITY);
    for (let t = 0; t < 100; t++) updateConformal(s, 0, conformalScale(s), conformalHalfWidth(s));
    expect(conformalHalfWidth(s)).toBe(0);
    updateConformal(s, 5, conformalScale(s), 0);
    expect(Number.isFinite(conformalHalfWidth(s))).toBe(true);
  });
});
