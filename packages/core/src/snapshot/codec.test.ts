import { describe, expect, it } from "vitest";
import { NqpError } from "../errors";
import { packNumbers, unpackNumberArray, unpackNumbers } from "./codec";

describe("packed numbers", () => {
  it("round-trips every float64 exactly, NaN, infinities and -0 included, through JSON", () => {
    const values = [0, -0, 1, -1.5, Math.PI, 1e-310, 1.7976931348623157e308, Number.NaN, Infinity, -Infinity];
    const json = JSON.parse(JSON.stringify(packNumbers(values)));
    const back = unpackNumbers(json, "x");
    expect(back).toHaveLength(values.length);
    for (let i = 0; i < values.length; i++) expect(Object.is(back[i], values[i])).toBe(true);
    // A view into a larger buffer packs only its own elements.
    const big = Float64Array.from({ length: 10 }, (_, i) => i);
    expect(unpackNumberArray(packNumbers(big.subarray(3, 6)), "y")).toEqual([3, 4, 5]);
    expect(unpackNumbers(packNumbers([]), "z")).toHaveLength(0);
  });

  it("is about half the size of the JSON numbers", () => {
    const values = Array.from({ length: 1000 }, (_, i) => Math.sin(i) * 1e3);
    expect(JSON.stringify(packNumbers(values)).length).toBeLessThan(0.6 * JSON.stringify(values).length);
  });

  it("names the field of a malformed snapshot", () => {
    expect(() => unpackNumbers([1, 2], "gram.xtx")).toThrow(NqpError);
    expect(() => unpackNumbers({ f64: "AAAA" }, "gram.xtx")).toThrow(/gram\.xtx.*3 bytes/);
    expect(() => unpackNumbers({ f64: "@@" }, "ring")).toThrow(/ring/);
  });
});
