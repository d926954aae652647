import { describe, expect, it } from "vitest";
import { erfc } from "./erfc";

describe("erfc", () => {
  it("matches known values", () => {
    expect(erfc(0)).toBeCloseTo(1, 6);
    expect(erfc(1)).toBeCloseTo(0.157299207, 6);
    expect(erfc(-1)).toBeCloseTo(1.842700793, 6);
    expect(erfc(3)).toBeCloseTo(2.2090497e-5, 8);
  });
});
