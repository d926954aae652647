import { createIsing, type IsingModel } from "./ising";
import { csrFromTriplets, forEachEntry, mapEntries, type SquareMatrix } from "./matrix";
import { createQubo, type QuboModel } from "./qubo";

/*
 * Exact conversions through x = (1 + s)/2, s = 2x − 1 (standard; e.g. Lucas 2014, "Ising formulations of many NP
 * problems", §2). With f(x) = c + xᵀQx and E(s) = c' − ½ sᵀJs − h·s:
 *   QUBO → Ising: J_ij = −½ Q_ij (i ≠ j), h_i = −½ Σ_j Q_ij, c' = c + ¼ (Σ_ij Q_ij + Σ_i Q_ii)
 *   Ising → QUBO: Q_ij = −2 J_ij (i ≠ j), Q_ii = 2 Σ_j J_ij − 2 h_i, c = c' + Σ_i h_i − ½ Σ_{i≠j} J_ij
 * so that E(2x − 1) = f(x) for every x. Both keep the storage format (dense or CSR).
 */

export function quboToIsing(q: QuboModel): IsingModel {
  const n = q.n;
  const h = new Float64Array(n);
  let total = 0;
  let trace = 0;
  forEachEntry(q.Q, (i, j, v) => {
    h[i] -= 0.5 * v;
    total += v;
    if (i === j) trace += v;
  });
  const J = mapEntries(q.Q, (i, j, v) => (i === j ? 0 : -0.5 * v));
  return createIsing({ J, h, offset: q.offset + 0.25 * (total + trace) });
}

export function isingToQubo(m: IsingModel): QuboModel {
  const n = m.n;
  const rowSum = new Float64Array(n);
  let total = 0;
  forEachEntry(m.J, (i, _j, v) => {
    rowSum[i] += v;
    total += v;
  });
  let fieldSum = 0;
  for (let i = 0; i < n; i++) fieldSum += m.h[i];
  // Q's diagonal may be non-zero where J's is zero, so build from triplets rather than mapping J's entries.
  const diag = new Float64Array(n);
  for (let i = 0; i < n; i++) diag[i] = 2 * rowSum[i] - 2 * m.h[i];
  const withDiagonal = mapEntries(m.J, (_i, _j, v) => -2 * v);
  const Q = addDiagonal(withDiagonal, diag);
  return createQubo({ Q, offset: m.offset + fieldSum - 0.5 * total });
}

function addDiagonal(m: SquareMatrix, diag: Float64Array): SquareMatrix {
  if (m.format === "dense") {
    for (let i = 0; i < m.n; i++) m.values[i * m.n + i] += diag[i];
    return m;
  }
  const rows: number[] = [];
  const cols: number[] = [];
  const vals: number[] = [];
  forEachEntry(m, (i, j, v) => {
    rows.push(i);
    cols.push(j);
    vals.push(v);
  });
  for (let i = 0; i < m.n; i++) {
    rows.push(i);
    cols.push(i);
    vals.push(diag[i]);
  }
  return csrFromTriplets(m.n, rows, cols, vals);
}

/** Spins (±1) to binary variables (0/1): x = (1 + s)/2. */
export function spinsToBits(s: ArrayLike<number>): Uint8Array {
  const x = new Uint8Array(s.length);
  for (let i = 0; i < s.length; i++) x[i] = s[i] > 0 ? 1 : 0;
  return x;
}

/** Binary variables (0/1) to spins (±1): s = 2x − 1. */
export function bitsToSpins(x: ArrayLike<number>): Int8Array {
  const s = new Int8Array(x.length);
  for (let i = 0; i < x.length; i++) s[i] = x[i] ? 1 : -1;
  return s;
}
