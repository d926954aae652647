import { NqpError } from "@nqp/core";
import type { SbSetup } from "./types";

/**
 * Rejects what no back end can run, with a message naming the field. Symmetry and finiteness of J are core's
 * model checks (createIsing); here only what the kernels rely on beyond them.
 */
export function checkSbSetup({ J, params, agents }: SbSetup): void {
  if (!Number.isInteger(J.n) || J.n < 1)
    throw new NqpError("bad-problem", `SB needs at least one spin, got n = ${J.n}`);
  if (J.format === "dense" && J.values.length !== J.n * J.n)
    throw new NqpError("shape-mismatch", `dense J has ${J.values.length} entries, expected n×n = ${J.n * J.n}`);
  if (J.format === "csr" && (J.rowPtr.length !== J.n + 1 || J.rowPtr[J.n] !== J.colIndex.length))
    throw new NqpError("shape-mismatch", `CSR J: rowPtr has ${J.rowPtr.length} entries for n = ${J.n}`);
  if (!Number.isInteger(agents) || agents < 1)
    throw new NqpError("bad-params", `agents must be a positive integer, got ${agents}`);
  if (!["adiabatic", "ballistic", "discrete"].includes(params.variant))
    throw new NqpError("bad-params", `unknown SB variant '${params.variant}'`);
  if (!Number.isInteger(params.steps) || params.steps < 1)
    throw new NqpError("bad-params", `steps must be a positive integer, got ${params.steps}`);
  for (const key of ["dt", "a0", "c0", "kerr", "heat"] as const)
    if (!Number.isFinite(params[key]))
      throw new NqpError("bad-params", `${key} must be a finite number, got ${params[key]}`);
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
