import { NqpError } from "@nqp/core";
import type { SbParams, SbProblem } from "./types";

/** Rejects inputs a kernel cannot run with a message that names the field (all back ends share these checks). */
export function checkSbInputs(problem: SbProblem, params: SbParams): void {
  const { n } = problem;
  if (!Number.isInteger(n) || n < 1) throw new NqpError("bad-problem", `n must be a positive integer, got ${n}`);
  if (!problem.dense && !problem.sparse)
    throw new NqpError("bad-problem", "the problem has no couplings: give J as dense (n×n) or sparse (CSR)");
  if (problem.dense) {
    const J = problem.dense;
    if (J.length !== n * n)
      throw new NqpError("shape-mismatch", `dense J has ${J.length} entries, expected n×n = ${n * n}`);
    for (let i = 0; i < n; i++) {
      if (J[i * n + i] !== 0)
        throw new NqpError("bad-problem", `J[${i}][${i}] = ${J[i * n + i]}: the diagonal must be zero`);
      for (let j = i + 1; j < n; j++) {
        const a = J[i * n + j];
        const b = J[j * n + i];
        if (!Number.isFinite(a)) throw new NqpError("bad-problem", `J[${i}][${j}] = ${a} is not finite`);
        if (Math.abs(a - b) > 1e-9 * Math.max(1, Math.abs(a)))
          throw new NqpError("bad-problem", `J is not symmetric: J[${i}][${j}] = ${a} but J[${j}][${i}] = ${b}`);
      }
    }
  }
  if (problem.sparse) {
    const { rowPtr, col, val } = problem.sparse;
    if (rowPtr.length !== n + 1)
      throw new NqpError("shape-mismatch", `CSR rowPtr has ${rowPtr.length} entries, expected n + 1 = ${n + 1}`);
    if (rowPtr[0] !== 0 || rowPtr[n] !== col.length || col.length !== val.length)
      throw new NqpError(
        "shape-mismatch",
        `CSR arrays disagree: rowPtr[0] = ${rowPtr[0]}, rowPtr[n] = ${rowPtr[n]}, ${col.length} columns, ${val.length} values`,
      );
    for (let i = 0; i < n; i++) {
      if (rowPtr[i + 1] < rowPtr[i]) throw new NqpError("bad-problem", `CSR rowPtr decreases at row ${i}`);
      for (let k = rowPtr[i]; k < rowPtr[i + 1]; k++) {
        if (!Number.isInteger(col[k]) || col[k] < 0 || col[k] >= n)
          throw new NqpError("bad-problem", `CSR row ${i}: column ${col[k]} is outside 0..${n - 1}`);
        if (col[k] === i && val[k] !== 0) throw new NqpError("bad-problem", `CSR row ${i}: the diagonal must be zero`);
        if (!Number.isFinite(val[k])) throw new NqpError("bad-problem", `CSR row ${i}: value ${val[k]} is not finite`);
      }
    }
  }
  if (problem.h) {
    if (problem.h.length !== n)
      throw new NqpError("shape-mismatch", `h has ${problem.h.length} entries, expected n = ${n}`);
    for (let i = 0; i < n; i++)
      if (!Number.isFinite(problem.h[i])) throw new NqpError("bad-problem", `h[${i}] = ${problem.h[i]} is not finite`);
  }
  const { agents, steps, dt, a0, c0, variant } = params;
  if (!["asb", "bsb", "dsb"].includes(variant))
    throw new NqpError("bad-params", `unknown SB variant '${variant}' (expected asb, bsb or dsb)`);
  if (!Number.isInteger(agents) || agents < 1)
    throw new NqpError("bad-params", `agents must be a positive integer, got ${agents}`);
  if (!Number.isInteger(steps) || steps < 1)
    throw new NqpError("bad-params", `steps must be a positive integer, got ${steps}`);
  for (const [name, v] of [
    ["dt", dt],
    ["a0", a0],
    ["c0", c0],
  ] as const)
    if (!Number.isFinite(v) || v <= 0) throw new NqpError("bad-params", `${name} must be a positive number, got ${v}`);
}

/** Checks a state given to setState: agents·n positions and momenta. */
export function checkSbState(state: { x: ArrayLike<number>; y: ArrayLike<number> }, n: number, agents: number): void {
  const want = n * agents;
  if (state.x.length !== want || state.y.length !== want)
    throw new NqpError(
      "shape-mismatch",
      `state has ${state.x.length} positions and ${state.y.length} momenta, expected agents×n = ${agents}×${n} = ${want} each`,
    );
}

/** The product term of every agent in every run uses this many couplings (for sizing and reports). */
export function couplingCount(problem: SbProblem): number {
  return problem.sparse ? problem.sparse.col.length : problem.n * problem.n;
}
