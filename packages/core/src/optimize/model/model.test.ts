import { describe, expect, it } from "vitest";
import { createRng } from "../../random";
import { bruteForceIsing } from "../exact/brute-force";
import { randomIsing } from "../test-instances";
import { bitsToSpins, isingToQubo, quboToIsing, spinsToBits } from "./convert";
import { fixIsingSpins, fixQuboVariables } from "./fix";
import { createIsing, isingEnergy } from "./ising";
import { csrFromTriplets, denseFromRows, toCsr, toDense } from "./matrix";
import { createQubo, quboFromTerms, quboObjective } from "./qubo";

function allAssignments(n: number): Int8Array[] {
  const out: Int8Array[] = [];
  for (let b = 0; b < 2 ** n; b++) out.push(Int8Array.from({ length: n }, (_, i) => ((b >> i) & 1 ? -1 : 1)));
  return out;
}

describe("matrices", () => {
  it("CSR from triplets sums duplicates, mirrors, sorts, and round-trips through dense", () => {
    const m = csrFromTriplets(3, [0, 0, 2], [1, 1, 0], [1, 2, 5], { symmetric: true });
    expect(Array.from(m.rowPtr)).toEqual([0, 2, 3, 4]);
    expect(Array.from(m.colIndex)).toEqual([1, 2, 0, 0]);
    expect(Array.from(m.values)).toEqual([3, 5, 3, 5]);
    const d = toDense(m);
    expect(Array.from(d.values)).toEqual([0, 3, 5, 3, 0, 0, 5, 0, 0]);
    expect(toCsr(d)).toEqual(m);
  });

  it("CSR from random triplets (duplicates, cancelling pairs) equals the dense sum", () => {
    const rng = createRng(5);
    const n = 9;
    const rows: number[] = [];
    const cols: number[] = [];
    const vals: number[] = [];
    for (let k = 0; k < 120; k++) {
      rows.push(rng.int(n));
      cols.push(rng.int(n));
      vals.push(rng.int(5) - 2);
    }
    const reference = new Float64Array(n * n);
    for (let k = 0; k < rows.length; k++) reference[rows[k] * n + cols[k]] += vals[k];
    const m = csrFromTriplets(n, rows, cols, vals);
    expect(Array.from(toDense(m).values)).toEqual(Array.from(reference));
    for (let i = 0; i < n; i++)
      for (let p = m.rowPtr[i]; p < m.rowPtr[i + 1]; p++) {
        expect(m.values[p]).not.toBe(0);
        if (p > m.rowPtr[i]) expect(m.colIndex[p]).toBeGreaterThan(m.colIndex[p - 1]);
      }
  });
});

describe("models", () => {
  it("rejects non-symmetric and non-finite couplings with a message naming the entry", () => {
    expect(() =>
      createIsing({
        J: denseFromRows([
          [0, 1],
          [2, 0],
        ]),
      }),
    ).toThrow(/J\[0\]\[1\] = 1 but J\[1\]\[0\] = 2/);
    expect(() =>
      createQubo({
        Q: denseFromRows([
          [0, Number.NaN],
          [Number.NaN, 0],
        ]),
      }),
    ).toThrow(/finite/);
    expect(() =>
      createIsing({
        J: denseFromRows([
          [0, 1],
          [1, 0],
        ]),
        h: [1, Number.POSITIVE_INFINITY],
      }),
    ).toThrow(/h\[1\]/);
    expect(() =>
      createIsing({
        J: denseFromRows([
          [0, 1],
          [1, 0],
        ]),
        h: [1],
      }),
    ).toThrow(/h has 1 entries/);
  });

  it("checks sparse symmetry: a missing mirror entry is named, rounding-level differences pass", () => {
    expect(() => createIsing({ J: csrFromTriplets(3, [0, 1, 2], [1, 0, 0], [1, 1, 2]) })).toThrow(
      /J\[2\]\[0\] = 2 but J\[0\]\[2\] = 0/,
    );
    expect(() => createIsing({ J: csrFromTriplets(3, [0, 1], [2, 0], [1, 1]) })).toThrow(/not symmetric/);
    const nearly = createIsing({ J: csrFromTriplets(2, [0, 1], [1, 0], [0.1 + 0.2, 0.3]) });
    expect(nearly.n).toBe(2);
  });

  it("folds an Ising diagonal into the offset", () => {
    const m = createIsing({
      J: denseFromRows([
        [2, 1],
        [1, 0],
      ]),
    });
    expect(m.offset).toBe(-1);
    expect(isingEnergy(m, [1, 1])).toBe(-2);
  });

  it("QUBO ↔ Ising conversions preserve every assignment's value, dense and sparse, both ways", () => {
    for (const format of ["dense", "csr"] as const) {
      const ising = randomIsing(7, 3, { fieldScale: 0.7, density: 0.6, format });
      const qubo = isingToQubo(ising);
      const back = quboToIsing(qubo);
      expect(qubo.Q.format).toBe(format);
      for (const s of allAssignments(7)) {
        const e = isingEnergy(ising, s);
        expect(quboObjective(qubo, spinsToBits(s))).toBeCloseTo(e, 10);
        expect(isingEnergy(back, s)).toBeCloseTo(e, 10);
      }
    }
  });

  it("reads upper-triangular QUBO terms as D-Wave does", () => {
    const q = quboFromTerms(
      3,
      [
        [0, 0, -1],
        [0, 1, 2],
        [2, 1, -3],
        [1, 1, 0.5],
      ],
      { offset: 4 },
    );
    // f = 4 − x0 + 2 x0 x1 − 3 x1 x2 + 0.5 x1
    expect(quboObjective(q, [1, 1, 1])).toBeCloseTo(4 - 1 + 2 - 3 + 0.5, 12);
    expect(quboObjective(q, [1, 0, 1])).toBeCloseTo(3, 12);
    expect(() => quboFromTerms(2, [[0, 2, 1]])).toThrow(/term 1/);
  });

  it("fixing variables gives a reduced model equal to the full one on every completion", () => {
    const ising = randomIsing(6, 9, { fieldScale: 1, density: 0.8 });
    const fixed = new Map([
      [1, -1],
      [4, 1],
    ]);
    const r = fixIsingSpins(ising, fixed);
    expect(r.model.n).toBe(4);
    for (const s of allAssignments(4)) expect(isingEnergy(r.model, s)).toBeCloseTo(isingEnergy(ising, r.expand(s)), 10);

    const qubo = isingToQubo(randomIsing(6, 10, { fieldScale: 1, format: "csr" }));
    const rq = fixQuboVariables(
      qubo,
      new Map([
        [0, 1],
        [5, 0],
        [2, 1],
      ]),
    );
    for (const s of allAssignments(3)) {
      const x = spinsToBits(s);
      expect(quboObjective(rq.model, x)).toBeCloseTo(quboObjective(qubo, rq.expand(x)), 10);
    }
    expect(() => fixIsingSpins(ising, new Map([[9, 1]]))).toThrow(/cannot fix spin 9/);
  });

  it("brute force finds the minimum energy over all assignments", () => {
    const ising = randomIsing(10, 4, { fieldScale: 0.5 });
    const exhaustive = Math.min(...allAssignments(10).map((s) => isingEnergy(ising, s)));
    const r = bruteForceIsing(ising);
    expect(r.energy).toBeCloseTo(exhaustive, 10);
    expect(isingEnergy(ising, r.spins)).toBeCloseTo(exhaustive, 10);
    expect(bitsToSpins(spinsToBits(r.spins))).toEqual(r.spins);
  });
});
