import { NqpError } from "../../errors";
import { assertSymmetricFinite, csrFromTriplets, denseMatrix, forEachEntry, type SquareMatrix } from "./matrix";

/**
 * A QUBO over x ∈ {0, 1}ⁿ with objective f(x) = offset + xᵀQx = offset + Σ_i Q_ii x_i + 2 Σ_{i<j} Q_ij x_i x_j,
 * Q symmetric. Lower is better (minimisation).
 */
export interface QuboModel {
  readonly kind: "qubo";
  readonly n: number;
  readonly Q: SquareMatrix;
  readonly offset: number;
}

export function createQubo(input: { Q: SquareMatrix; offset?: number }): QuboModel {
  assertSymmetricFinite(input.Q, "Q");
  const offset = input.offset ?? 0;
  if (!Number.isFinite(offset)) throw new NqpError("bad-model", `offset is ${offset}; it must be a finite number`);
  return { kind: "qubo", n: input.Q.n, Q: input.Q, offset };
}

/**
 * A QUBO from the upper-triangular coefficient list used by D-Wave's BQM and most QUBO files: each term (i, j, c)
 * adds c·x_i·x_j (i = j: the linear term c·x_i). Terms for the same pair are summed; (j, i) counts as (i, j).
 */
export function quboFromTerms(
  n: number,
  terms: readonly (readonly [number, number, number])[],
  options: { offset?: number; dense?: boolean } = {},
): QuboModel {
  const rows: number[] = [];
  const cols: number[] = [];
  const vals: number[] = [];
  terms.forEach(([i, j, c], k) => {
    if (!Number.isInteger(i) || !Number.isInteger(j) || i < 0 || j < 0 || i >= n || j >= n)
      throw new NqpError("bad-model", `term ${k + 1}: variable index (${i}, ${j}) is outside 0…${n - 1}`);
    if (!Number.isFinite(c)) throw new NqpError("bad-model", `term ${k + 1}: coefficient ${c} is not a finite number`);
    rows.push(Math.min(i, j));
    cols.push(Math.max(i, j));
    vals.push(i === j ? c : c / 2);
  });
  const csr = csrFromTriplets(n, rows, cols, vals, { symmetric: true });
  if (!options.dense) return createQubo({ Q: csr, offset: options.offset });
  const d = denseMatrix(n);
  forEachEntry(csr, (i, j, v) => {
    d.values[i * n + j] = v;
  });
  return createQubo({ Q: d, offset: options.offset });
}

/** f(x) for one assignment (entries 0/1). */
export function quboObjective(model: QuboModel, x: ArrayLike<number>): number {
  let s = model.offset;
  forEachEntry(model.Q, (i, j, v) => {
    s += v * x[i] * x[j];
  });
  return s;
}
