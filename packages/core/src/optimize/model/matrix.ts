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
export interface CsrMatrix {
  readonly format: "csr";
  readonly n: number;
  readonly rowPtr: Int32Array;
  readonly colIndex: Int32Array;
  readonly values: Float64Array;
}

export type SquareMatrix = DenseMatrix | CsrMatrix;

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
): CsrMatrix {
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
  const fill = count.slice(0, n);
  const total = count[n];
  const ci = new Int32Array(total);
  const cv = new Float64Array(total);
  const put = (i: number, j: number, v: number) => {
    const p = fill[i]++;
    ci[p] = j;
    cv[p] = v;
  };
  for (let k = 0; k < m; k++) {
    put(rows[k], cols[k], vals[k]);
    if (mirror && rows[k] !== cols[k]) put(cols[k], rows[k], vals[k]);
  }
  // Sort each row by column, merge duplicates, drop zeros.
  const rowPtr = new Int32Array(n + 1);
  const outC: number[] = [];
  const outV: number[] = [];
  const order: number[] = [];
  for (let i = 0; i < n; i++) {
    order.length = 0;
    for (let p = count[i]; p < count[i + 1]; p++) order.push(p);
    order.sort((a, b) => ci[a] - ci[b]);
    let k = 0;
    while (k < order.length) {
      const j = ci[order[k]];
      let v = 0;
      while (k < order.length && ci[order[k]] === j) v += cv[order[k++]];
      if (v !== 0) {
        outC.push(j);
        outV.push(v);
      }
    }
    rowPtr[i + 1] = outC.length;
  }
  return { format: "csr", n, rowPtr, colIndex: Int32Array.from(outC), values: Float64Array.from(outV) };
}

export function toCsr(m: SquareMatrix): CsrMatrix {
  if (m.format === "csr") return m;
  const { n, values } = m;
  const rows: number[] = [];
  const cols: number[] = [];
  const vals: number[] = [];
  for (let i = 0; i < n; i++)
    for (let j = 0; j < n; j++) {
      const v = values[i * n + j];
      if (v !== 0) {
        rows.push(i);
        cols.push(j);
        vals.push(v);
      }
    }
  return csrFromTriplets(n, rows, cols, vals);
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
