import { describe, expect, it } from "vitest";
import { createRng } from "../random";
import {
  accumulateColumns,
  accumulateSample,
  addGram,
  createGram,
  createRls,
  gramEntry,
  predictReadout,
  predictRls,
  readoutSquaredError,
  scaleGram,
  solveRidge,
  solveRidges,
  updateRls,
} from ".";

function problem(n: number, f: number, seed: number, noise = 0.1) {
  const rng = createRng(seed);
  const truth = Array.from({ length: f }, () => rng.normal());
  const xs: number[][] = [];
  const ys: number[] = [];
  for (let t = 0; t < n; t++) {
    const x = Array.from({ length: f }, () => rng.normal() + 0.5);
    xs.push(x);
    ys.push(x.reduce((s, v, i) => s + v * truth[i], 0) + 0.7 + noise * rng.normal());
  }
  return { xs, ys, truth };
}

/** The 3 × 3 inverse by cofactors: an independent closed form to check the Cholesky path against. */
function inverse3(m: number[][]): number[][] {
  const [[a, b, c], [d, e, f], [g, h, i]] = m;
  const det = a * (e * i - f * h) - b * (d * i - f * g) + c * (d * h - e * g);
  return [
    [(e * i - f * h) / det, (c * h - b * i) / det, (b * f - c * e) / det],
    [(f * g - d * i) / det, (a * i - c * g) / det, (c * d - a * f) / det],
    [(d * h - e * g) / det, (b * g - a * h) / det, (a * e - b * d) / det],
  ];
}

describe("ridge regression", () => {
  it("matches the closed form (XᵀX + λI)⁻¹Xᵀy computed by cofactors", () => {
    const { xs, ys } = problem(50, 3, 1);
    const g = createGram(3);
    for (let t = 0; t < 50; t++) accumulateSample(g, xs[t], [ys[t]]);
    const lambda = 2.5;
    const xtx = [0, 1, 2].map((i) =>
      [0, 1, 2].map((j) => xs.reduce((s, x) => s + x[i] * x[j], 0) + (i === j ? lambda : 0)),
    );
    const xty = [0, 1, 2].map((i) => xs.reduce((s, x, t) => s + x[i] * ys[t], 0));
    const inv = inverse3(xtx);
    const expected = inv.map((row) => row.reduce((s, v, j) => s + v * xty[j], 0));
    const r = solveRidge(g, { ridge: lambda, intercept: false });
    for (let i = 0; i < 3; i++) expect(r.weights[i]).toBeCloseTo(expected[i], 10);
    expect(r.intercept[0]).toBe(0);
  });

  it("with an intercept satisfies the normal equations: residuals sum to zero and Xᵀr = λw", () => {
    const { xs, ys } = problem(200, 6, 2);
    const g = createGram(6);
    for (let t = 0; t < 200; t++) accumulateSample(g, xs[t], [ys[t]]);
    const r = solveRidge(g, { ridge: 3 });
    const res = xs.map((x, t) => ys[t] - predictReadout(r, x)[0]);
    expect(Math.abs(res.reduce((a, b) => a + b, 0))).toBeLessThan(1e-9);
    for (let i = 0; i < 6; i++) {
      const xr = xs.reduce((s, x, t) => s + x[i] * res[t], 0);
      expect(xr).toBeCloseTo(3 * r.weights[i], 8);
    }
  });

  it("recovers an exact linear law with a tiny regulariser", () => {
    const { xs, ys, truth } = problem(100, 8, 3, 0);
    const g = createGram(8);
    for (let t = 0; t < 100; t++) accumulateSample(g, xs[t], [ys[t]]);
    const r = solveRidge(g, { ridge: 1e-10 });
    for (let i = 0; i < 8; i++) expect(r.weights[i]).toBeCloseTo(truth[i], 8);
    expect(r.intercept[0]).toBeCloseTo(0.7, 8);
  });

  it("solves several ridge strengths from one work matrix exactly as one at a time", () => {
    const { xs, ys } = problem(300, 12, 4);
    const g = createGram(12);
    for (let t = 0; t < 300; t++) accumulateSample(g, xs[t], [ys[t]]);
    const ridges = [1e-5, 1e-2, 10, 0];
    const together = solveRidges(g, ridges);
    for (const [k, ridge] of ridges.entries()) expect(together[k]).toEqual(solveRidge(g, { ridge }));
  });

  it("accumulates the same statistics sample by sample and block by block (tiled kernel, ragged edge)", () => {
    for (const f of [4, 7, 13]) {
      const { xs, ys } = problem(37, f, f);
      const a = createGram(f, 2);
      const stride = 40;
      const cols = new Float64Array(f * stride);
      const tgt = new Float64Array(2 * stride);
      xs.forEach((x, t) => {
        accumulateSample(a, x, [ys[t], -ys[t]]);
        x.forEach((v, i) => {
          cols[i * stride + t] = v;
        });
        tgt[t] = ys[t];
        tgt[stride + t] = -ys[t];
      });
      const b = createGram(f, 2);
      accumulateColumns(b, cols, tgt, 20, stride);
      const rest = createGram(f, 2);
      accumulateColumns(
        rest,
        cols.map((_, k) => cols[Math.floor(k / stride) * stride + ((k % stride) + 20)] ?? 0),
        tgt.map((_, k) => tgt[Math.floor(k / stride) * stride + ((k % stride) + 20)] ?? 0),
        17,
        stride,
      );
      addGram(b, rest);
      expect(b.count).toBe(37);
      for (let i = 0; i < f; i++)
        for (let j = i; j < f; j++) expect(gramEntry(b, i, j)).toBeCloseTo(gramEntry(a, i, j), 9);
      for (let k = 0; k < a.xty.length; k++) expect(b.xty[k]).toBeCloseTo(a.xty[k], 9);
      for (let k = 0; k < 2; k++) expect(b.yty[k]).toBeCloseTo(a.yty[k], 9);
    }
  });

  it("computes the squared error of a readout on held-out data from its statistics alone", () => {
    const { xs, ys } = problem(300, 5, 4, 0.5);
    const fit = createGram(5);
    const held = createGram(5);
    for (let t = 0; t < 300; t++) accumulateSample(t < 200 ? fit : held, xs[t], [ys[t]]);
    const r = solveRidge(fit, { ridge: 1 });
    let sse = 0;
    for (let t = 200; t < 300; t++) sse += (ys[t] - predictReadout(r, xs[t])[0]) ** 2;
    expect(readoutSquaredError(r, held)[0]).toBeCloseTo(sse, 8);
  });

  it("forgets: a scaled-down Gram counts its samples less", () => {
    const g = createGram(2);
    accumulateSample(g, [1, 2], [3]);
    scaleGram(g, 0.5);
    expect(g.count).toBe(0.5);
    expect(gramEntry(g, 0, 1)).toBe(1);
    expect(gramEntry(g, 1, 0)).toBe(1);
  });
});

describe("recursive least squares", () => {
  it("converges to the ridge solution with the same regulariser (λ = 1, P₀ = I/δ)", () => {
    const { xs, ys } = problem(500, 10, 5);
    const rls = createRls(10, { delta: 0.3 });
    const g = createGram(10);
    xs.forEach((x, t) => {
      updateRls(rls, x, ys[t]);
      accumulateSample(g, x, [ys[t]]);
    });
    const ridge = solveRidge(g, { ridge: 0.3, intercept: false });
    for (let i = 0; i < 10; i++) expect(rls.weights[i]).toBeCloseTo(ridge.weights[i], 8);
  });

  it("tracks a law that changes when it forgets", () => {
    const rng = createRng(6);
    const rls = createRls(2, { forgetting: 0.98 });
    for (let t = 0; t < 2000; t++) {
      const x = [rng.normal(), 1];
      const slope = t < 1000 ? 2 : -1;
      updateRls(rls, x, slope * x[0] + 0.01 * rng.normal());
    }
    expect(rls.weights[0]).toBeCloseTo(-1, 2);
    expect(predictRls(rls, [1, 1])).toBeCloseTo(-1, 1);
  });
});
