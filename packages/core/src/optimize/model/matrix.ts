import { NqpError } from "../../errors";

/** A square matrix stored row-major, n × n values. */
export interface DenseMatrix {
  readonly format: "dense";
  readonly n: number;
  readonly values: Float64Array;
}

/**
 * A square sparse matrix in compressed sparse row form: row i's entries are colIndex/values[rowPtr[i]..rowPtr[i+1]),
 * columns ascending, no duplicates, no stored zeros. Symmetric matrices store both triangles, so that a row is a
 * node's whole neighbourhood (what a matrix-vector product and a one-flip gain update need).
 */
export interface CsrCouplings {
  readonly format: "csr";
  readonly n: number;
  readonly rowPtr: Int32Array;
  readonly colIndex: Int32Array;
  readonly values: Float64Array;
}

export type SquareMatrix = DenseMatrix | CsrCouplings;

export function denseMatrix(n: number, values?: ArrayLike<number>): DenseMatrix {
  if (!Number.isInteger(n) || n < 0) throw new NqpError("bad-matrix", `matrix size must be a whole number, got ${n}`);
  const v = new Float64Array(n * n);
  if (values) {
    if (values.length !== n * n)
      throw new NqpError("bad-matrix", `a ${n}×${n} matrix needs ${n * n} values, got ${values.length}`);
    v.set(values);
  }
  return { format: "dense", n, values: v };
}

/** A dense matrix from rows (`rows[i][j]`); every row must have n entries. */
export function denseFromRows(rows: readonly (readonly number[])[]): DenseMatrix {
  const n = rows.length;
  const m = denseMatrix(n);
  rows.forEach((row, i) => {
    if (row.length !== n)
      throw new NqpError("bad-matrix", `row ${i + 1} has ${row.length} entries; a ${n}×${n} matrix needs ${n}`);
    m.values.set(row, i * n);
  });
  return m;
}

/**
 * A CSR matrix from (row, column, value) triplets. Duplicates are summed (a graph may list an edge twice) and
 * exact zeros dropped. With `symmetric: true` each off-diagonal triplet (i, j, v) is stored at (i, j) and (j, i),
 * which is how an undirected edge list becomes a symmetric coupling matrix.
 */
export function csrFromTriplets(
  n: number,
  rows: ArrayLike<number>,
  cols: ArrayLike<number>,
  vals: ArrayLike<number>,
  options: { symmetric?: boolean } = {},
): CsrCouplings {
  const m = rows.length;
  if (cols.length !== m || vals.length !== m)
    throw new NqpError("bad-matrix", "triplet arrays (rows, columns, values) must have equal lengths");
  const mirror = options.symmetric === true;
  const count = new Int32Array(n + 1);
  for (let k = 0; k < m; k++) {
    const i = rows[k];
    const j = cols[k];
    if (!Number.isInteger(i) || !Number.isInteger(j) || i < 0 || j < 0 || i >= n || j >= n)
      throw new NqpError("bad-matrix", `entry ${k + 1}: index (${i}, ${j}) is outside a ${n}×${n} matrix`);
    count[i + 1]++;
    if (mirror && i !== j) count[j + 1]++;
  }
  for (let i = 0; i < n; i++) count[i + 1] += count[i];
  const total = count[n];
  // Two counting-sort passes (by column, then stably by row) leave every row's entries in column order in O(nnz),
  // where a comparison sort per row would cost O(nnz log d) and allocate.
  const byCol = new Int32Array(n + 1);
  for (let k = 0; k < m; k++) {
    byCol[cols[k] + 1]++;
    if (mirror && rows[k] !== cols[k]) byCol[rows[k] + 1]++;
  }
  for (let j = 0; j < n; j++) byCol[j + 1] += byCol[j];
  const tRow = new Int32Array(total);
  const tVal = new Float64Array(total);
  const putT = (i: number, j: number, v: number) => {
    const p = byCol[j]++;
    tRow[p] = i;
    tVal[p] = v;
  };
  for (let k = 0; k < m; k++) {
    putT(rows[k], cols[k], vals[k]);
    if (mirror && rows[k] !== cols[k]) putT(cols[k], rows[k], vals[k]);
  }
  // byCol[j] now ends column j; walk columns in order and drop each entry into its row.
  const fill = count.slice(0, n);
  const ci = new Int32Array(total);
  const cv = new Float64Array(total);
  for (let j = 0, p = 0; j < n; j++)
    for (; p < byCol[j]; p++) {
      const q = fill[tRow[p]]++;
      ci[q] = j;
      cv[q] = tVal[p];
    }
  // Merge duplicates (now adjacent) and drop zeros, compacting in place.
  const rowPtr = new Int32Array(n + 1);
  let out = 0;
  for (let i = 0; i < n; i++) {
    let p = count[i];
    const end = count[i + 1];
    while (p < end) {
      const j = ci[p];
      let v = 0;
      while (p < end && ci[p] === j) v += cv[p++];
      if (v !== 0) {
        ci[out] = j;
        cv[out] = v;
        out++;
      }
    }
    rowPtr[i + 1] = out;
  }
  return { format: "csr", n, rowPtr, colIndex: ci.slice(0, out), values: cv.slice(0, out) };
}

export function toCsr(m: SquareMatrix): CsrCouplings {
  if (m.format === "csr") return m;
  const { n, values } = m;
  let nnz = 0;
  for (const v of values) if (v !== 0) nnz++;
  const rowPtr = new Int32Array(n + 1);
  const colIndex = new Int32Array(nnz);
  const out = new Float64Array(nnz);
  let q = 0;
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) {
      const v = values[i * n + j];
      if (v !== 0) {
        colIndex[q] = j;
        out[q++] = v;
      }
    }
    rowPtr[i + 1] = q;
  }
  return { format: "csr", n, rowPtr, colIndex, values: out };
}

export function toDense(m: SquareMatrix): DenseMatrix {
  if (m.format === "dense") return m;
  const d = denseMatrix(m.n);
  forEachEntry(m, (i, j, v) => {
    d.values[i * m.n + j] = v;
  });
  return d;
}

/** Calls `visit` for every stored non-zero entry (dense matrices skip zeros too). */
export function forEachEntry(m: SquareMatrix, visit: (i: number, j: number, v: number) => void): void {
  const n = m.n;
  if (m.format === "dense") {
    for (let i = 0; i < n; i++)
      for (let j = 0; j < n; j++) {
        const v = m.values[i * n + j];
        if (v !== 0) visit(i, j, v);
      }
    return;
  }
  for (let i = 0; i < n; i++) for (let p = m.rowPtr[i]; p < m.rowPtr[i + 1]; p++) visit(i, m.colIndex[p], m.values[p]);
}

export function entryAt(m: SquareMatrix, i: number, j: number): number {
  if (m.format === "dense") return m.values[i * m.n + j];
  let lo = m.rowPtr[i];
  let hi = m.rowPtr[i + 1] - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const c = m.colIndex[mid];
    if (c === j) return m.values[mid];
    if (c < j) lo = mid + 1;
    else hi = mid - 1;
  }
  return 0;
}

/** Builds a matrix of the same storage format from a transformed copy of the entries (zeros are dropped). */
export function mapEntries(m: SquareMatrix, f: (i: number, j: number, v: number) => number): SquareMatrix {
  if (m.format === "dense") {
    const d = denseMatrix(m.n);
    forEachEntry(m, (i, j, v) => {
      d.values[i * m.n + j] = f(i, j, v);
    });
    return d;
  }
  const rows: number[] = [];
  const cols: number[] = [];
  const vals: number[] = [];
  forEachEntry(m, (i, j, v) => {
    rows.push(i);
    cols.push(j);
    vals.push(f(i, j, v));
  });
  return csrFromTriplets(m.n, rows, cols, vals);
}

/** Number of stored non-zero entries (both triangles of a symmetric matrix). */
export function nonZeroCount(m: SquareMatrix): number {
  if (m.format === "csr") return m.rowPtr[m.n];
  let c = 0;
  for (const v of m.values) if (v !== 0) c++;
  return c;
}

/**
 * Throws a message naming the first offending entry when the matrix has a non-finite value or is not symmetric
 * (within a relative tolerance, since matrices read from text carry rounding).
 */
export function assertSymmetricFinite(m: SquareMatrix, name: string): void {
  let finite = true;
  for (const v of m.values) if (!Number.isFinite(v)) finite = false;
  // The common case (finite and exactly symmetric) is settled in O(nnz); anything else takes the slow path below,
  // which applies the tolerance and names the first offending entry.
  if (finite && exactlySymmetric(m)) return;
  let scale = 0;
  forEachEntry(m, (i, j, v) => {
    if (!Number.isFinite(v))
      throw new NqpError("bad-matrix", `${name}[${i}][${j}] is ${v}; every coefficient must be a finite number`);
    scale = Math.max(scale, Math.abs(v));
  });
  const tol = 1e-9 * Math.max(1, scale);
  forEachEntry(m, (i, j, v) => {
    const t = entryAt(m, j, i);
    if (Math.abs(v - t) > tol)
      throw new NqpError(
        "not-symmetric",
        `${name} is not symmetric: ${name}[${i}][${j}] = ${v} but ${name}[${j}][${i}] = ${t} (0-based indices); ` +
          "give both triangles with equal values",
      );
  });
}

/**
 * Exact symmetry in one pass. CSR: visiting rows in order, the entries (i, j) with j > i must meet row j's
 * entries below its diagonal in increasing i, so one cursor per row matches both triangles without a search.
 */
function exactlySymmetric(m: SquareMatrix): boolean {
  const n = m.n;
  if (m.format === "dense") {
    const v = m.values;
    for (let i = 0; i < n; i++) for (let j = i + 1; j < n; j++) if (v[i * n + j] !== v[j * n + i]) return false;
    return true;
  }
  const { rowPtr, colIndex, values } = m;
  const cursor = rowPtr.slice(0, n);
  for (let i = 0; i < n; i++)
    for (let p = rowPtr[i]; p < rowPtr[i + 1]; p++) {
      const j = colIndex[p];
      if (j <= i) continue;
      const q = cursor[j]++;
      if (q >= rowPtr[j + 1] || colIndex[q] !== i || values[q] !== values[p]) return false;
    }
  // Every below-diagonal entry must have been matched: each row's cursor now stands at its diagonal or above.
  for (let j = 0; j < n; j++) {
    const q = cursor[j];
    if (q < rowPtr[j + 1] && colIndex[q] < j) return false;
  }
  return true;
}
