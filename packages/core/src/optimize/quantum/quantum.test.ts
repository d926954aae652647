import { describe, expect, it } from "vitest";
import { bruteForceIsing, isingSpectrum } from "../exact/brute-force";
import { isingEnergy } from "../model/ising";
import { randomIsing } from "../test-instances";
import { adiabaticEvolution } from "./adiabatic";
import { basisToSpins } from "./measure";
import { nelderMead } from "./nelder-mead";
import { solveQaoa } from "./qaoa";
import { solveQuantum } from "./solve";
import { applyMixer, diagonalExpectation, stateBytes, uniformSuperposition } from "./state-vector";

describe("state vector", () => {
  it("the spectrum indexes basis states as s_q = 1 − 2·bit_q(b)", () => {
    const model = randomIsing(5, 2, { fieldScale: 1 });
    const spectrum = isingSpectrum(model);
    for (let b = 0; b < 32; b++) expect(spectrum[b]).toBeCloseTo(isingEnergy(model, basisToSpins(b, 5)), 9);
  });

  it("the mixer is unitary and |+⟩ is its eigenstate", () => {
    const s = uniformSuperposition(6);
    s.re[3] += 0.3;
    s.im[10] -= 0.2;
    const norm = () => s.re.reduce((a, v, i) => a + v * v + s.im[i] * s.im[i], 0);
    const n0 = norm();
    applyMixer(s, 0.37);
    expect(norm()).toBeCloseTo(n0, 12);
    const plus = uniformSuperposition(4);
    applyMixer(plus, Math.PI / 2); // exp(−iπ/2·X)|+⟩ = −i|+⟩ per qubit: probabilities unchanged
    for (let b = 0; b < 16; b++) expect(plus.re[b] ** 2 + plus.im[b] ** 2).toBeCloseTo(1 / 16, 12);
  });

  it("a 20-qubit state fits in 16 MiB", () => {
    expect(stateBytes(uniformSuperposition(20))).toBe(16 * 1024 * 1024);
    expect(() => uniformSuperposition(21)).toThrow(/1…20 qubits/);
  });
});

describe("adiabatic evolution", () => {
  it("returns the brute-force ground state with probability ≥ 0.9 on random 12-spin instances", () => {
    // Seeds 1 and 3 include the hardest of the first six (seed 1: classical gap 0.058, P = 0.62 at T = 60).
    for (const seed of [1, 3]) {
      const model = randomIsing(12, seed, { fieldScale: 0.5 });
      const exact = bruteForceIsing(model);
      const r = adiabaticEvolution(model, { totalTime: 1500, steps: 6000 });
      expect(r.groundEnergy).toBeCloseTo(exact.energy, 9);
      expect(r.groundStateProbability, `seed ${seed}`).toBeGreaterThanOrEqual(0.9);
      expect(r.mostLikely.energy).toBeCloseTo(exact.energy, 9);
    }
  });
});

describe("QAOA", () => {
  it("optimised angles lower ⟨H_P⟩ below the uniform state's and deeper circuits do better", () => {
    const model = randomIsing(8, 4, { fieldScale: 0.3 });
    const spectrum = isingSpectrum(model);
    const uniform = diagonalExpectation(uniformSuperposition(8), spectrum);
    const p1 = solveQaoa(model, { layers: 1 });
    const p3 = solveQaoa(model, { layers: 3 });
    expect(p1.expectedEnergy).toBeLessThan(uniform);
    expect(p3.expectedEnergy).toBeLessThan(p1.expectedEnergy);
    expect(p3.groundStateProbability).toBeGreaterThan(p1.groundStateProbability);
    expect(p3.gamma).toHaveLength(3);
    const total = p3.distribution.reduce((a, v) => a + v, 0);
    expect(total).toBeCloseTo(1, 10);
  });

  it("Nelder–Mead minimises the Rosenbrock function", () => {
    const r = nelderMead(([x, y]) => (1 - x) ** 2 + 100 * (y - x * x) ** 2, [-1.2, 1], {
      maxEvaluations: 2000,
      tolerance: 1e-14,
    });
    expect(r.x[0]).toBeCloseTo(1, 3);
    expect(r.x[1]).toBeCloseTo(1, 3);
  });
});

describe("quantum solvers", () => {
  it("sample shots from the final state and return the best, with the simulation's report", () => {
    const model = randomIsing(8, 6, { fieldScale: 0.4 });
    const exact = bruteForceIsing(model);
    const r = solveQuantum(model, { method: "adiabatic", totalTime: 40, shots: 200, seed: 3 });
    const direct = adiabaticEvolution(model, { totalTime: 40 });
    expect(r.quantum.groundStateProbability).toBeCloseTo(direct.groundStateProbability, 12);
    expect(r.energy).toBeCloseTo(isingEnergy(model, r.spins), 9);
    expect(r.quantum.groundEnergy).toBeCloseTo(exact.energy, 9);
    expect(r.quantum.bestShotCount).toBeGreaterThan(0);
    expect(r.quantum.top).toHaveLength(10);
    for (let k = 1; k < 10; k++)
      expect(r.quantum.top[k].probability).toBeLessThanOrEqual(r.quantum.top[k - 1].probability);
    expect(r.quantum.top[0].probability).toBeCloseTo(direct.mostLikely.probability, 12);
    // With P(ground) this high, 200 shots all but surely include a ground state (P(miss) = (1 − p)^200).
    expect(direct.groundStateProbability).toBeGreaterThan(0.2);
    expect(r.energy).toBeCloseTo(exact.energy, 9);
    expect(solveQuantum(model, { method: "adiabatic", totalTime: 40, shots: 200, seed: 3 }).spins).toEqual(r.spins);
  });

  it("stop at the time limit and say how much of the schedule ran", () => {
    const model = randomIsing(6, 2);
    let now = 0;
    const r = solveQuantum(model, { method: "adiabatic", totalTime: 100, timeLimitMs: 50, clock: () => now++ });
    expect(r.stoppedBy).toBe("time-limit");
    expect(r.quantum.completed).toBeGreaterThan(0);
    expect(r.quantum.completed).toBeLessThan(1);
    now = 0;
    const q = solveQuantum(model, { method: "qaoa", layers: 4, timeLimitMs: 200, clock: () => now++ });
    expect(q.quantum.layers).toBeLessThan(4);
    expect(q.stoppedBy).toBe("time-limit");
  });
});

describe("mixer blocking", () => {
  it("the blocked and paired mixer equals qubit-by-qubit rotations on 16 qubits", () => {
    const n = 16;
    const s = uniformSuperposition(n);
    for (let b = 0; b < s.re.length; b++) {
      s.re[b] = Math.sin(b * 0.37) / 256;
      s.im[b] = Math.cos(b * 0.11) / 256;
    }
    const expected = { re: s.re.slice(), im: s.im.slice() };
    const theta = 0.61;
    const c = Math.cos(theta);
    const sn = Math.sin(theta);
    for (let q = 0; q < n; q++)
      for (let b = 0; b < expected.re.length; b++) {
        if ((b >> q) & 1) continue;
        const p = b | (1 << q);
        const [ar, ai, br, bi] = [expected.re[b], expected.im[b], expected.re[p], expected.im[p]];
        expected.re[b] = c * ar + sn * bi;
        expected.im[b] = c * ai - sn * br;
        expected.re[p] = c * br + sn * ai;
        expected.im[p] = c * bi - sn * ar;
      }
    applyMixer(s, theta);
    for (let b = 0; b < s.re.length; b++) {
      expect(s.re[b]).toBeCloseTo(expected.re[b], 12);
      expect(s.im[b]).toBeCloseTo(expected.im[b], 12);
    }
  });
});
