import type { IsingModel } from "../model/ising";
import { csrFromTriplets, denseMatrix, forEachEntry, nonZeroCount, type SquareMatrix } from "../model/matrix";

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
  const hasAncilla = model.h.some((v) => v !== 0);
  const size = hasAncilla ? n + 1 : n;
  const rows: number[] = [];
  const cols: number[] = [];
  const vals: number[] = [];
  forEachEntry(model.J, (i, j, v) => {
    rows.push(i);
    cols.push(j);
    vals.push(v);
  });
  if (hasAncilla)
    for (let i = 0; i < n; i++)
      if (model.h[i] !== 0) {
        rows.push(i, n);
        cols.push(n, i);
        vals.push(model.h[i], model.h[i]);
      }
  const format = options.format ?? "auto";
  const density = (nonZeroCount(model.J) + 2 * n) / Math.max(1, size * size);
  if (format === "dense" || (format === "auto" && density >= 0.25)) {
    const d = denseMatrix(size);
    for (let k = 0; k < rows.length; k++) d.values[rows[k] * size + cols[k]] += vals[k];
    return { J: d, size, hasAncilla };
  }
  return { J: csrFromTriplets(size, rows, cols, vals), size, hasAncilla };
}

/** Reads an SB agent's signs back into the model's spins (undoing the ancilla gauge). */
export function spinsFromSb(c: SbCouplings, n: number, signs: Int8Array, out = new Int8Array(n)): Int8Array {
  const flip = c.hasAncilla && signs[n] < 0 ? -1 : 1;
  for (let i = 0; i < n; i++) out[i] = signs[i] * flip;
  return out;
}
