import { describe, expect, it } from "vitest";
import { createRng } from "../random";
import {
  advanceEsn,
  createEsn,
  createLif,
  createLifState,
  createReservoirState,
  type EsnParams,
  type LifParams,
  randomSparseMatrix,
  reservoirTanh,
  type SparseWeights,
  spectralRadius,
  stepEsn,
  stepLif,
} from ".";

function csr(dense: number[][]): SparseWeights {
  const rowStart = [0];
  const column: number[] = [];
  const value: number[] = [];
  for (const row of dense) {
    row.forEach((v, j) => {
      if (v !== 0) {
        column.push(j);
        value.push(v);
      }
    });
    rowStart.push(column.length);
  }
  return {
    rows: dense.length,
    cols: dense[0].length,
    rowStart: Int32Array.from(rowStart),
    column: Int32Array.from(column),
    value: Float64Array.from(value),
  };
}

describe("reservoirTanh", () => {
  it("stays within 1e-4 of tanh, is odd and monotone", () => {
    let last = -1;
    for (let x = -8; x <= 8; x += 0.001) {
      const y = reservoirTanh(x);
      expect(Math.abs(y - Math.tanh(x))).toBeLessThan(1e-4);
      expect(y).toBeGreaterThanOrEqual(last);
      expect(reservoirTanh(-x)).toBe(-y);
      last = y;
    }
    expect(Math.abs(reservoirTanh(1.3) - Math.tanh(1.3))).toBeLessThan(1e-7);
  });
});

describe("sparse random matrices", () => {
  it("have the in-degree asked for and a spectral radius estimate close to the circular law", () => {
    const a = randomSparseMatrix(400, 400, 10, createRng(1));
    for (let r = 0; r < 400; r++) expect(a.rowStart[r + 1] - a.rowStart[r]).toBe(10);
    // Circular law: iid entries of variance σ² = 1/3 (uniform on [−1, 1]) and 10 per row → ρ ≈ √(10/3).
    const rho = spectralRadius(a, createRng(2));
    expect(rho).toBeGreaterThan(Math.sqrt(10 / 3) * 0.9);
    expect(rho).toBeLessThan(Math.sqrt(10 / 3) * 1.1);
  });

  it("estimates the spectral radius exactly for a matrix with known eigenvalues", () => {
    // A rotation by 90° times 0.7 (eigenvalues ±0.7i: a complex pair), plus a smaller block of 0.5.
    const a = csr([
      [0, -0.7, 0],
      [0.7, 0, 0],
      [0, 0, 0.5],
    ]);
    expect(spectralRadius(a, createRng(3))).toBeCloseTo(0.7, 6);
  });

  it("are scaled by createEsn to the spectral radius asked for", () => {
    const p = createEsn({ units: 300, inputs: 1, spectralRadius: 0.8, seed: 4 });
    expect(spectralRadius(p.recurrent, createRng(9))).toBeGreaterThan(0.8 * 0.95);
    expect(spectralRadius(p.recurrent, createRng(9))).toBeLessThan(0.8 * 1.05);
  });
});

describe("echo-state reservoir", () => {
  const params: EsnParams = {
    units: 2,
    inputs: 1,
    leak: 0.5,
    recurrent: csr([
      [0, 0.5],
      [-0.25, 0.1],
    ]),
    input: Float64Array.from([1, -2]),
    bias: Float64Array.from([0.1, 0]),
  };

  it("matches a hand-computed step", () => {
    const state = { batch: 1, units: 2, activations: Float64Array.from([0.2, -0.4]) };
    const next = stepEsn(params, state, [0.3]);
    // x̃₀ = tanh(0.1 + 1·0.3 + 0.5·(−0.4)) = tanh(0.2); x̃₁ = tanh(−2·0.3 − 0.25·0.2 + 0.1·(−0.4)) = tanh(−0.69).
    expect(next.activations[0]).toBeCloseTo(0.5 * 0.2 + 0.5 * Math.tanh(0.2), 7);
    expect(next.activations[1]).toBeCloseTo(0.5 * -0.4 + 0.5 * Math.tanh(-0.69), 7);
    expect([...state.activations]).toEqual([0.2, -0.4]);
  });

  it("steps a batch of streams exactly as it steps each stream alone", () => {
    const p = createEsn({ units: 50, inputs: 2, seed: 5 });
    const rng = createRng(6);
    let batch = createReservoirState(50, 3);
    const single = [0, 1, 2].map(() => createReservoirState(50));
    for (let t = 0; t < 30; t++) {
      const u = Array.from({ length: 6 }, () => rng.normal());
      batch = stepEsn(p, batch, u);
      for (let b = 0; b < 3; b++) single[b] = stepEsn(p, single[b], u.slice(2 * b, 2 * b + 2));
    }
    for (let b = 0; b < 3; b++)
      expect([...batch.activations.slice(50 * b, 50 * b + 50)]).toEqual([...single[b].activations]);
  });

  it("steps in place (advanceEsn) as the reference step does, up to rounding", () => {
    const p = createEsn({ units: 200, inputs: 3, seed: 8 });
    const rng = createRng(9);
    let ref = createReservoirState(200, 2);
    let cur = new Float64Array(400);
    let nxt = new Float64Array(400);
    for (let t = 0; t < 100; t++) {
      const u = Array.from({ length: 6 }, () => rng.normal());
      ref = stepEsn(p, ref, u);
      advanceEsn(p, cur, Float64Array.from(u), nxt, 2);
      [cur, nxt] = [nxt, cur];
    }
    for (let i = 0; i < 400; i++) expect(Math.abs(cur[i] - ref.activations[i])).toBeLessThan(1e-12);
  });

  it("forgets its initial state (echo-state property) with the default scaling", () => {
    const p = createEsn({ units: 100, inputs: 1, seed: 7 });
    const a = new Float64Array(100).fill(0.9);
    const b = new Float64Array(100).fill(-0.9);
    const na = new Float64Array(100);
    const nb = new Float64Array(100);
    for (let t = 0; t < 300; t++) {
      const u = [Math.sin(t / 7)];
      advanceEsn(p, a, u, na);
      advanceEsn(p, b, u, nb);
      a.set(na);
      b.set(nb);
    }
    let diff = 0;
    for (let i = 0; i < 100; i++) diff = Math.max(diff, Math.abs(a[i] - b[i]));
    expect(diff).toBeLessThan(1e-6);
  });
});

describe("LIF reservoir", () => {
  const params: LifParams = {
    units: 2,
    inputs: 1,
    membraneDecay: 0.9,
    synapseDecay: 0.5,
    traceDecay: 0.8,
    threshold: 1,
    reset: 0,
    refractorySteps: 2,
    recurrent: csr([
      [0, 0.4],
      [0.3, 0],
    ]),
    input: Float64Array.from([2, 0.5]),
    bias: Float64Array.from([0, 0.1]),
  };

  it("matches a hand-computed step: leak, synaptic current, threshold, reset and refractory period", () => {
    const s = createLifState(2);
    s.membrane.set([0.95, 0.2]);
    s.current.set([0.6, 1]);
    s.spikes.set([0, 1]);
    s.trace.set([0.1, 0.5]);
    const n = stepLif(params, s, [1]);
    // Unit 0: I = 0.5·0.6 + 0.4·1 (unit 1 spiked) + 2·1 = 2.7; v = 0.9·0.95 + 0.1·2.7 = 1.125 ≥ 1 → spike, reset.
    expect(n.current[0]).toBeCloseTo(2.7, 12);
    expect(n.spikes[0]).toBe(1);
    expect(n.membrane[0]).toBe(0);
    expect(n.refractory[0]).toBe(2);
    expect(n.trace[0]).toBeCloseTo(0.8 * 0.1 + 0.2, 12);
    // Unit 1: I = 0.5·1 + 0.3·0 + 0.5·1 = 1; v = 0.9·0.2 + 0.1·(1 + 0.1) = 0.29 < 1 → silent.
    expect(n.current[1]).toBeCloseTo(1, 12);
    expect(n.membrane[1]).toBeCloseTo(0.29, 12);
    expect(n.spikes[1]).toBe(0);
    expect(n.trace[1]).toBeCloseTo(0.4, 12);
    // Next step: unit 0 is refractory (held at reset, cannot fire, counter falls) whatever its input.
    const n2 = stepLif(params, n, [5]);
    expect(n2.spikes[0]).toBe(0);
    expect(n2.membrane[0]).toBe(0);
    expect(n2.refractory[0]).toBe(1);
    expect(s.spikes[1]).toBe(1);
  });

  it("fires more under stronger input", () => {
    const p = createLif({ units: 100, inputs: 1, seed: 3, inputScaling: 1, biasScaling: 0.5 });
    const count = (u: number) => {
      let s = createLifState(100);
      let total = 0;
      for (let t = 0; t < 200; t++) {
        s = stepLif(p, s, [u]);
        total += s.spikes.reduce((a, b) => a + b, 0);
      }
      return total;
    };
    expect(count(0)).toBeLessThan(count(1));
  });
});
