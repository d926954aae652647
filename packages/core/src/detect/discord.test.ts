import { describe, expect, it } from "vitest";
import { DISCORD_DEFAULTS, initialDiscordState, stepDiscord } from "./discord";

function run(values: number[], p = DISCORD_DEFAULTS): number[] {
  const s = initialDiscordState();
  return values.map((v) => stepDiscord(p, s, v));
}

describe("block discord", () => {
  const period = 64;
  const wave = (i: number) => Math.sin((2 * Math.PI * i) / period);

  it("is zero once a periodic pattern has repeated, and high for a stretch unlike the past", () => {
    const xs = Array.from({ length: 2000 }, (_, i) => wave(i) + (i >= 1500 && i < 1540 ? 1.5 : 0));
    const raw = run(xs);
    expect(Math.max(...raw.slice(3 * period, 1500))).toBeLessThan(1e-9);
    // Shifted up by 1.5 the stretch is nearest to another phase of the wave, still ≈ 0.5 standard deviations away.
    expect(Math.max(...raw.slice(1500, 1560))).toBeGreaterThan(0.2);
  });

  it("does not depend on the stream's units or offset", () => {
    const xs = Array.from({ length: 1200 }, (_, i) => wave(i) + 0.3 * Math.sin(i * 0.37) ** 3);
    const a = run(xs);
    const b = run(xs.map((x) => 5000 + 1e4 * x));
    for (let i = 0; i < xs.length; i++) expect(b[i]).toBeCloseTo(a[i], 9);
  });

  it("matches a brute-force nearest-neighbour search on block means", () => {
    const p = { ...DISCORD_DEFAULTS, historyBlocks: 50 };
    const xs = Array.from(
      { length: 900 },
      (_, i) => Math.sin(i * 0.11) + Math.sin(i * 0.029) * 2 + ((i * 37) % 11) / 20,
    );
    expectBruteForce(xs, p, 9);
  });

  it("keeps the running distances exact on single samples far from zero (the fine channel's setting)", () => {
    // Values near 1e6 with unit-scale detail: the running sums cancel large squares, so rounding drift would show.
    const p = { ...DISCORD_DEFAULTS, blockSize: 1, windowBlocks: 8, historyBlocks: 300 };
    const xs = Array.from({ length: 1500 }, (_, i) => 1e6 + Math.sin(i * 0.3) * 3 + ((i * 7919) % 13) / 7);
    expectBruteForce(xs, p, 7);
  });
});

function expectBruteForce(xs: number[], p: typeof DISCORD_DEFAULTS, digits: number): void {
  const raw = run(xs, p);
  const B = p.blockSize;
  const L = p.windowBlocks;
  const blocks: number[] = [];
  for (let b = 0; (b + 1) * B <= xs.length; b++) blocks.push(xs.slice(b * B, (b + 1) * B).reduce((a, c) => a + c) / B);
  for (let T = 2 * L; T < blocks.length; T++) {
    const seen = blocks.slice(0, T + 1);
    const mean = seen.reduce((a, c) => a + c) / seen.length;
    const variance = seen.reduce((a, c) => a + (c - mean) ** 2, 0) / (seen.length - 1);
    let best = Number.POSITIVE_INFINITY;
    for (let u = Math.max(L - 1, T - p.historyBlocks); u <= T - L; u++) {
      let d = 0;
      for (let k = 0; k < L; k++) d += (blocks[T - k] - blocks[u - k]) ** 2;
      best = Math.min(best, d);
    }
    const distance = Math.sqrt(best / variance / L);
    expect(raw[(T + 1) * B - 1]).toBeCloseTo(distance / (distance + p.saturation), digits);
  }
}
