import type { IsingModel } from "../model/ising";
import { denseMatrix, forEachEntry, nonZeroCount, type SquareMatrix, toCsr } from "../model/matrix";

/**
 * SB integrates couplings only. Fields h are handled exactly by an ancilla spin s_a coupled to spin i with
 * strength h_i: E'(s, s_a) = offset − ½ sᵀJs − s_a Σ h_i s_i equals E(s) when s_a = +1, and E' is invariant under
 * flipping every spin, so a solution with s_a = −1 is read as −s. Returns the coupling matrix for SB (dense when at
 * least a quarter full, since a contiguous row then beats index chasing) and how to read spins back.
 */
export interface SbCouplings {
  readonly J: SquareMatrix;
  /** Spins SB integrates: n, or n + 1 with the ancilla last. */
  readonly size: number;
  readonly hasAncilla: boolean;
}

export function sbCouplings(model: IsingModel, options: { format?: "dense" | "csr" | "auto" } = {}): SbCouplings {
  const n = model.n;
  const J = model.J;
  let fields = 0;
  for (let i = 0; i < n; i++) if (model.h[i] !== 0) fields++;
  const hasAncilla = fields > 0;
  const size = hasAncilla ? n + 1 : n;
  const format = options.format ?? "auto";
  const density = (nonZeroCount(J) + 2 * fields) / Math.max(1, size * size);
  const dense = format === "dense" || (format === "auto" && density >= 0.25);
  // Without fields the model's own matrix serves when it is already in the wanted format (no copy).
  if (!hasAncilla && dense === (J.format === "dense")) return { J, size, hasAncilla };
  if (dense) {
    const d = denseMatrix(size);
    forEachEntry(J, (i, j, v) => {
      d.values[i * size + j] = v;
    });
    for (let i = 0; i < n; i++) {
      d.values[i * size + n] = model.h[i];
      d.values[n * size + i] = model.h[i];
    }
    return { J: d, size, hasAncilla };
  }
  const csr = toCsr(J);
  if (!hasAncilla) return { J: csr, size, hasAncilla };
  // Append the ancilla's column to every row with a field, and its row (the fields) at the end.
  const nnz = csr.rowPtr[n];
  const rowPtr = new Int32Array(size + 1);
  const colIndex = new Int32Array(nnz + 2 * fields);
  const values = new Float64Array(nnz + 2 * fields);
  let q = 0;
  for (let i = 0; i < n; i++) {
    for (let p = csr.rowPtr[i]; p < csr.rowPtr[i + 1]; p++) {
      colIndex[q] = csr.colIndex[p];
      values[q++] = csr.values[p];
    }
    if (model.h[i] !== 0) {
      colIndex[q] = n;
      values[q++] = model.h[i];
    }
    rowPtr[i + 1] = q;
  }
  for (let i = 0; i < n; i++)
    if (model.h[i] !== 0) {
      colIndex[q] = i;
      values[q++] = model.h[i];
    }
  rowPtr[size] = q;
  return { J: { format: "csr", n: size, rowPtr, colIndex, values }, size, hasAncilla };
}

/** Reads an SB agent's signs back into the model's spins (undoing the ancilla gauge). */
export function spinsFromSb(c: SbCouplings, n: number, signs: Int8Array, out = new Int8Array(n)): Int8Array {
  const flip = c.hasAncilla && signs[n] < 0 ? -1 : 1;
  for (let i = 0; i < n; i++) out[i] = signs[i] * flip;
  return out;
}
