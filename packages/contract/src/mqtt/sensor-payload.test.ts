import { describe, expect, it } from "vitest";
import { decodeSensorPayload } from "./sensor-payload";

const enc = (s: string) => new TextEncoder().encode(s);
const decode = (s: string | Uint8Array, limits = {}) =>
  decodeSensorPayload("plant/t", typeof s === "string" ? enc(s) : s, 5000, limits);

describe("decodeSensorPayload", () => {
  it("reads every accepted form", () => {
    expect(decode('{"ts": 1700000000000, "value": 21.5}').samples).toEqual([
      { stream: "plant/t", ts: 1700000000000, value: 21.5 },
    ]);
    expect(decode('{"ts": "2024-01-01T00:00:00Z", "value": 1}').samples[0].ts).toBe(Date.UTC(2024, 0, 1));
    expect(decode('[{"ts": 1, "value": 1}, {"ts": 2, "value": 2}]').samples.map((s) => s.value)).toEqual([1, 2]);
    expect(decode('{"ts": 7, "temp": 20, "rpm": 1480}').samples).toEqual([
      { stream: "plant/t/temp", ts: 7, value: 20 },
      { stream: "plant/t/rpm", ts: 7, value: 1480 },
    ]);
    expect(decode("21.5").samples).toEqual([{ stream: "plant/t", ts: 5000, value: 21.5 }]);
    expect(decode('{"value": 3}').samples).toEqual([{ stream: "plant/t", ts: 5000, value: 3 }]);
    expect(decode("1700000000000,4.5").samples).toEqual([{ stream: "plant/t", ts: 1700000000000, value: 4.5 }]);
  });

  it("rejects hostile and malformed payloads with a reason, never throwing", () => {
    const cases: Array<[string | Uint8Array, string]> = [
      [new Uint8Array([0xff, 0xfe, 0x00, 0x80]), "not-text"],
      ["", "empty"],
      ["{not json", "not-json"],
      ["NaN", "not-json"],
      ['"21.5"', "bad-shape"],
      ["true", "bad-shape"],
      ["null", "bad-shape"],
      ["[]", "empty"],
      ['{"ts": 1, "value": "21"}', "bad-value"],
      ['{"ts": 1, "value": null}', "bad-value"],
      ['{"ts": -5, "value": 1}', "bad-timestamp"],
      ['{"ts": 1e300, "value": 1}', "bad-timestamp"],
      ['{"ts": "noon", "value": 1}', "bad-timestamp"],
      ['{"value": 1e999}', "bad-value"],
      ['{"ts": 1}', "empty"],
      ["9".repeat(400), "bad-value"],
    ];
    for (const [payload, reason] of cases) {
      const r = decode(payload);
      expect(r.samples, String(payload).slice(0, 40)).toEqual([]);
      expect(r.rejects, String(payload).slice(0, 40)).toEqual([reason]);
    }
    expect(decode("[1, 2]").rejects).toEqual(["bad-shape", "bad-shape"]);
    expect(decode("[".repeat(200_000)).rejects).toEqual(["too-deep"]);
    expect(decode(`${"[".repeat(50_000)}${"]".repeat(50_000)}`).rejects).toEqual(["too-deep"]);
    // Brackets inside strings do not count.
    expect(decode('{"ts": 1, "value": 2, "note": "[[[[[[[[[[[["}').samples).toHaveLength(1);
    expect(decode("x".repeat(300_000)).rejects).toEqual(["too-large"]);
    expect(
      decode(JSON.stringify(Array.from({ length: 11 }, (_, i) => ({ ts: i, value: i }))), { maxSamples: 10 }).rejects,
    ).toEqual(["too-many-samples"]);
  });

  it("keeps the good samples of a partly bad message", () => {
    const r = decode('[{"ts": 1, "value": 1}, {"ts": 2, "value": "x"}, 7, {"ts": 3, "value": 3}]');
    expect(r.samples.map((s) => s.ts)).toEqual([1, 3]);
    expect(r.rejects).toEqual(["bad-value", "bad-shape"]);
    const named = decode('{"ts": 1, "a": 1, "b": "x", "c#": 2, "__proto__": 4}');
    expect(named.samples.map((s) => s.stream)).toEqual(["plant/t/a", "plant/t/__proto__"]);
    expect(named.rejects).toEqual(["bad-value", "bad-stream-name"]);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});
