import type { SeriesData } from "@nqp/contract";
import { describe, expect, it } from "vitest";
import { seriesFromCache } from "./cached-series";

const T0 = Date.UTC(2026, 0, 1);
const STEP = 60_000;
const N = 1000;
const at = (i: number) => T0 + i * STEP;
const valueAt = (i: number) => Math.sin(i / 17) + (i === 420 ? 5 : 0);

/** An answer as the hub gives it: rows i ∈ [a, b], every `every`-th one (every > 1: a coarse, decimated answer). */
function answer(a: number, b: number, every = 1): SeriesData {
  const idx: number[] = [];
  for (let i = a; i <= b; i += every) idx.push(i);
  return {
    agent: "a1",
    stream: "s",
    from: at(a),
    to: at(b),
    rows: b - a + 1,
    decimated: every > 1,
    extent: { first: at(0), last: at(N - 1) },
    lastSeq: N,
    ts: idx.map(at),
    value: idx.map(valueAt),
    forecast: idx.map(() => 0),
    // A coarse answer's interval is its bucket's envelope: wider than a row's own.
    lower: idx.map((i) => valueAt(i) - (every > 1 ? 2 : 1)),
    upper: idx.map((i) => valueAt(i) + 1),
    score: idx.map((i) => (i === 420 ? 0.9 : 0.1)),
    anomalies: { ts: [at(420)], value: [valueAt(420)], score: [0.9] },
  };
}

describe("offline series from the cache", () => {
  const cached = [
    { value: answer(0, N - 1, 10), fetchedAt: 1000 },
    { value: answer(400, 499), fetchedAt: 2000 },
  ];
  const q = { agent: "a1", stream: "s", maxPoints: 4000 };

  it("answers a zoom inside a full-resolution answer with its rows", () => {
    const r = seriesFromCache(cached, { ...q, from: at(410), to: at(430) });
    expect(r).toMatchObject({ rows: 21, decimated: false, cachedAt: 1000 });
    expect(r?.value).toEqual(Array.from({ length: 21 }, (_, k) => valueAt(410 + k)));
    expect(r?.lower).toEqual(r?.value.map((v) => v - 1));
    expect(r?.anomalies.ts).toEqual([at(420)]);
  });

  it("merges the coarse overview with the finer zoom, and decimates to maxPoints keeping the extremes", () => {
    const r = seriesFromCache(cached, { ...q, from: at(300), to: at(599) });
    // 10 coarse rows on each side, 100 fine ones in the middle.
    expect(r).toMatchObject({ rows: 120, decimated: true });
    expect(r?.ts).toEqual([...(r?.ts ?? [])].sort((x, y) => x - y));
    const small = seriesFromCache(cached, { ...q, from: at(300), to: at(599), maxPoints: 10 });
    expect(small?.value.length).toBeLessThanOrEqual(10);
    expect(Math.max(...(small?.value ?? []))).toBe(valueAt(420));
    expect(Math.max(...(small?.score ?? []))).toBe(0.9);
  });

  it("answers the whole extent, and nothing outside the cached ranges", () => {
    expect(seriesFromCache(cached, q)?.rows).toBe(190);
    // A margin past the newest row (the explorer asks for one) is no gap: the stream had nothing there.
    expect(seriesFromCache(cached, { ...q, from: at(980), to: at(1100) })?.rows).toBe(2);
    expect(seriesFromCache(cached, { ...q, from: at(-100), to: at(10) })?.rows).toBe(2);
    expect(seriesFromCache([cached[1]], { ...q, from: at(350), to: at(450) })).toBeUndefined();
    expect(seriesFromCache([cached[1]], { ...q, from: at(390), to: at(450) })).toBeUndefined();
    expect(seriesFromCache([], q)).toBeUndefined();
  });
});
