import { NqpError } from "../../errors";
import { createIsing, type IsingModel } from "./ising";
import { csrFromTriplets, denseMatrix, forEachEntry } from "./matrix";
import { createQubo, type QuboModel } from "./qubo";

/** A model with some variables fixed: the reduced model over the free ones and how to map back. */
export interface FixedModel<M> {
  readonly model: M;
  /** free[k] = the original index of the reduced model's variable k. */
  readonly free: Int32Array;
  /** Expands a reduced solution to a full one (fixed variables take their fixed values). */
  expand(reduced: ArrayLike<number>): Int8Array;
}

/**
 * Fixes spins to ±1 and returns the exactly equivalent Ising model over the others: a coupling to a fixed spin
 * becomes a field (h_i += J_ij s_j), couplings among fixed spins and their fields move into the offset, so the
 * reduced energy equals the full energy for every completion.
 */
export function fixIsingSpins(model: IsingModel, fixed: ReadonlyMap<number, number>): FixedModel<IsingModel> {
  const { n } = model;
  const value = new Int8Array(n);
  for (const [i, v] of fixed) {
    if (!Number.isInteger(i) || i < 0 || i >= n) throw new NqpError("bad-fix", `cannot fix spin ${i}: 0…${n - 1}`);
    if (v !== 1 && v !== -1) throw new NqpError("bad-fix", `spin ${i} can be fixed to −1 or +1, not ${v}`);
    value[i] = v;
  }
  const { free, position } = freeIndex(value);
  const h = new Float64Array(free.length);
  for (let k = 0; k < free.length; k++) h[k] = model.h[free[k]];
  let offset = model.offset;
  for (let i = 0; i < n; i++) if (value[i]) offset -= model.h[i] * value[i];
  const rows: number[] = [];
  const cols: number[] = [];
  const vals: number[] = [];
  forEachEntry(model.J, (i, j, v) => {
    if (!value[i] && !value[j]) {
      rows.push(position[i]);
      cols.push(position[j]);
      vals.push(v);
    } else if (!value[i]) h[position[i]] += v * value[j];
    else if (value[j]) offset -= 0.5 * v * value[i] * value[j];
  });
  const J = reduceMatrix(model.J.format, free.length, rows, cols, vals);
  return {
    model: createIsing({ J, h, offset }),
    free,
    expand: (reduced) => {
      const s = Int8Array.from(value);
      for (let k = 0; k < free.length; k++) s[free[k]] = reduced[k] > 0 ? 1 : -1;
      return s;
    },
  };
}

/** Fixes binary variables to 0/1; the reduced QUBO equals the full objective for every completion. */
export function fixQuboVariables(model: QuboModel, fixed: ReadonlyMap<number, number>): FixedModel<QuboModel> {
  const { n } = model;
  const value = new Int8Array(n); // 0 free, 1 fixed to 0, 2 fixed to 1
  for (const [i, v] of fixed) {
    if (!Number.isInteger(i) || i < 0 || i >= n) throw new NqpError("bad-fix", `cannot fix variable ${i}: 0…${n - 1}`);
    if (v !== 0 && v !== 1) throw new NqpError("bad-fix", `variable ${i} can be fixed to 0 or 1, not ${v}`);
    value[i] = v + 1;
  }
  const { free, position } = freeIndex(value);
  const diag = new Float64Array(free.length);
  let offset = model.offset;
  const rows: number[] = [];
  const cols: number[] = [];
  const vals: number[] = [];
  forEachEntry(model.Q, (i, j, v) => {
    const xi = value[i] - 1;
    const xj = value[j] - 1;
    if (!value[i] && !value[j]) {
      rows.push(position[i]);
      cols.push(position[j]);
      vals.push(v);
    } else if (!value[i]) {
      // Q_ij x_i x_j and Q_ji x_j x_i both reduce to linear terms in x_i; the row pass sees Q_ij, the column pass Q_ji.
      diag[position[i]] += v * xj;
    } else if (!value[j]) diag[position[j]] += v * xi;
    else offset += v * xi * xj;
  });
  for (let k = 0; k < free.length; k++) {
    rows.push(k);
    cols.push(k);
    vals.push(diag[k]);
  }
  const Q = reduceMatrix(model.Q.format, free.length, rows, cols, vals);
  return {
    model: createQubo({ Q, offset }),
    free,
    expand: (reduced) => {
      const x = new Int8Array(n);
      for (let i = 0; i < n; i++) x[i] = value[i] ? value[i] - 1 : 0;
      for (let k = 0; k < free.length; k++) x[free[k]] = reduced[k] ? 1 : 0;
      return x;
    },
  };
}

function freeIndex(value: Int8Array) {
  const free: number[] = [];
  const position = new Int32Array(value.length).fill(-1);
  for (let i = 0; i < value.length; i++)
    if (!value[i]) {
      position[i] = free.length;
      free.push(i);
    }
  return { free: Int32Array.from(free), position };
}

function reduceMatrix(format: "dense" | "csr", n: number, rows: number[], cols: number[], vals: number[]) {
  if (format === "csr") return csrFromTriplets(n, rows, cols, vals);
  const d = denseMatrix(n);
  for (let k = 0; k < rows.length; k++) d.values[rows[k] * n + cols[k]] += vals[k];
  return d;
}
