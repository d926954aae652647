import { createRng } from "../random";
import { createIsing, type IsingModel } from "./model/ising";
import { csrFromTriplets, denseMatrix } from "./model/matrix";

/**
 * Random Ising instances for tests and benchmarks: Sherrington–Kirkpatrick-like dense couplings J_ij ~ N(0, 1) and
 * fields h_i ~ N(0, fieldScale²), or sparse random graphs with ±1 couplings. Seeded.
 */
export function randomIsing(
  n: number,
  seed: number,
  options: { fieldScale?: number; density?: number; integer?: boolean; format?: "dense" | "csr" } = {},
): IsingModel {
  const rng = createRng(seed);
  const density = options.density ?? 1;
  const rows: number[] = [];
  const cols: number[] = [];
  const vals: number[] = [];
  for (let i = 0; i < n; i++)
    for (let j = i + 1; j < n; j++) {
      if (rng.next() >= density) continue;
      const v = options.integer ? (rng.next() < 0.5 ? -1 : 1) : rng.normal();
      rows.push(i);
      cols.push(j);
      vals.push(v);
    }
  const csr = csrFromTriplets(n, rows, cols, vals, { symmetric: true });
  const fs = options.fieldScale ?? 0;
  const h = Array.from({ length: n }, () => (options.integer ? Math.round(fs * rng.normal()) : fs * rng.normal()));
  if (options.format === "csr") return createIsing({ J: csr, h });
  const d = denseMatrix(n);
  for (let k = 0; k < rows.length; k++) {
    d.values[rows[k] * n + cols[k]] = vals[k];
    d.values[cols[k] * n + rows[k]] = vals[k];
  }
  return createIsing({ J: d, h });
}
