/**
 * Sufficient statistics of a least-squares problem, accumulated sample by sample or block by block: XᵀX (upper
 * triangle, row-major f × f), XᵀY (f × targets), Σx, Σy, Σy² and the (weighted) count. Everything a ridge fit, its
 * validation error and its forgetting need, in O(f²) memory however many samples went in.
 */
export interface Gram {
  features: number;
  targets: number;
  count: number;
  /**
   * The upper triangle of XᵀX (j ≥ i), packed row by row: entry (i, j) at upperIndex(f, i, j). Packing halves the
   * memory of every stream's readout statistics (1 000 streams × 200 units is the edge agent's budget case).
   */
  xtx: Float64Array;
  /** f × targets, row-major. */
  xty: Float64Array;
  sumX: Float64Array;
  sumY: Float64Array;
  /** Σy² per target. */
  yty: Float64Array;
}

/** Where entry (i, j), j ≥ i, of a packed upper triangle of an f × f matrix lives. */
export function upperIndex(f: number, i: number, j: number): number {
  return (i * (2 * f - i + 1)) / 2 + (j - i);
}

/** Entry (i, j) of XᵀX (either order). */
export function gramEntry(g: Gram, i: number, j: number): number {
  return i <= j ? g.xtx[upperIndex(g.features, i, j)] : g.xtx[upperIndex(g.features, j, i)];
}

export function createGram(features: number, targets = 1): Gram {
  return {
    features,
    targets,
    count: 0,
    xtx: new Float64Array((features * (features + 1)) / 2),
    xty: new Float64Array(features * targets),
    sumX: new Float64Array(features),
    sumY: new Float64Array(targets),
    yty: new Float64Array(targets),
  };
}

/** Adds one sample (features x, targets y) with weight w (a rank-one update of the upper triangle). */
export function accumulateSample(g: Gram, x: ArrayLike<number>, y: ArrayLike<number>, w = 1): void {
  const f = g.features;
  const q = g.targets;
  const { xtx, xty, sumX, sumY, yty } = g;
  for (let i = 0; i < f; i++) {
    const xi = w * x[i];
    if (xi === 0) continue;
    const row = upperIndex(f, i, i) - i;
    for (let j = i; j < f; j++) xtx[row + j] += xi * x[j];
    for (let k = 0; k < q; k++) xty[i * q + k] += xi * y[k];
    sumX[i] += xi;
  }
  for (let k = 0; k < q; k++) {
    sumY[k] += w * y[k];
    yty[k] += w * y[k] * y[k];
  }
  g.count += w;
}

/**
 * Adds `rows` samples stored feature-major: feature i of sample t at columns[i·stride + t], target k of sample t at
 * targets[k·stride + t] (stride ≥ rows). This is the fit's hot loop (for 7 000 samples of 500 features it is 0.9
 * GMAC), so it works on 4 × 4 tiles of XᵀX held in registers, reading each pair of feature columns contiguously.
 */
export function accumulateColumns(
  g: Gram,
  columns: Float64Array,
  targets: Float64Array,
  rows: number,
  stride = rows,
): void {
  const f = g.features;
  const q = g.targets;
  const { xtx, xty, sumX, sumY, yty } = g;
  const f4 = f - (f % 4);
  for (let i = 0; i < f4; i += 4) {
    const a0 = i * stride;
    const a1 = a0 + stride;
    const a2 = a1 + stride;
    const a3 = a2 + stride;
    for (let j = i; j < f4; j += 4) {
      const b0 = j * stride;
      const b1 = b0 + stride;
      const b2 = b1 + stride;
      const b3 = b2 + stride;
      let s00 = 0,
        s01 = 0,
        s02 = 0,
        s03 = 0,
        s10 = 0,
        s11 = 0,
        s12 = 0,
        s13 = 0;
      let s20 = 0,
        s21 = 0,
        s22 = 0,
        s23 = 0,
        s30 = 0,
        s31 = 0,
        s32 = 0,
        s33 = 0;
      for (let t = 0; t < rows; t++) {
        const x0 = columns[a0 + t];
        const x1 = columns[a1 + t];
        const x2 = columns[a2 + t];
        const x3 = columns[a3 + t];
        const y0 = columns[b0 + t];
        const y1 = columns[b1 + t];
        const y2 = columns[b2 + t];
        const y3 = columns[b3 + t];
        s00 += x0 * y0;
        s01 += x0 * y1;
        s02 += x0 * y2;
        s03 += x0 * y3;
        s10 += x1 * y0;
        s11 += x1 * y1;
        s12 += x1 * y2;
        s13 += x1 * y3;
        s20 += x2 * y0;
        s21 += x2 * y1;
        s22 += x2 * y2;
        s23 += x2 * y3;
        s30 += x3 * y0;
        s31 += x3 * y1;
        s32 += x3 * y2;
        s33 += x3 * y3;
      }
      // Row starts shifted so that rK + j' addresses (i + K, j'); entries below the diagonal land on the previous
      // row's tail, so the diagonal tile writes only its upper half (K ≤ column offset).
      const r0 = upperIndex(f, i, i) - i;
      const r1 = upperIndex(f, i + 1, i + 1) - (i + 1);
      const r2 = upperIndex(f, i + 2, i + 2) - (i + 2);
      const r3 = upperIndex(f, i + 3, i + 3) - (i + 3);
      xtx[r0 + j] += s00;
      xtx[r0 + j + 1] += s01;
      xtx[r0 + j + 2] += s02;
      xtx[r0 + j + 3] += s03;
      xtx[r1 + j + 1] += s11;
      xtx[r1 + j + 2] += s12;
      xtx[r1 + j + 3] += s13;
      xtx[r2 + j + 2] += s22;
      xtx[r2 + j + 3] += s23;
      xtx[r3 + j + 3] += s33;
      if (j > i) {
        xtx[r1 + j] += s10;
        xtx[r2 + j] += s20;
        xtx[r2 + j + 1] += s21;
        xtx[r3 + j] += s30;
        xtx[r3 + j + 1] += s31;
        xtx[r3 + j + 2] += s32;
      }
    }
  }
  // The ragged edge: pairs with a feature beyond the last full tile.
  for (let i = 0; i < f; i++) {
    const a = i * stride;
    for (let j = Math.max(i, f4); j < f; j++) {
      const b = j * stride;
      let s = 0;
      for (let t = 0; t < rows; t++) s += columns[a + t] * columns[b + t];
      xtx[upperIndex(f, i, j)] += s;
    }
  }
  for (let i = 0; i < f; i++) {
    const a = i * stride;
    let sx = 0;
    for (let t = 0; t < rows; t++) sx += columns[a + t];
    sumX[i] += sx;
    for (let k = 0; k < q; k++) {
      const b = k * stride;
      let s = 0;
      for (let t = 0; t < rows; t++) s += columns[a + t] * targets[b + t];
      xty[i * q + k] += s;
    }
  }
  for (let k = 0; k < q; k++) {
    const b = k * stride;
    let sy = 0;
    let syy = 0;
    for (let t = 0; t < rows; t++) {
      sy += targets[b + t];
      syy += targets[b + t] * targets[b + t];
    }
    sumY[k] += sy;
    yty[k] += syy;
  }
  g.count += rows;
}

/** Multiplies every statistic by `factor` (exponential forgetting: old samples count less). */
export function scaleGram(g: Gram, factor: number): void {
  for (const a of [g.xtx, g.xty, g.sumX, g.sumY, g.yty]) for (let i = 0; i < a.length; i++) a[i] *= factor;
  g.count *= factor;
}

/** target += source (both of the same shape). */
export function addGram(target: Gram, source: Gram): void {
  const pairs: [Float64Array, Float64Array][] = [
    [target.xtx, source.xtx],
    [target.xty, source.xty],
    [target.sumX, source.sumX],
    [target.sumY, source.sumY],
    [target.yty, source.yty],
  ];
  for (const [t, s] of pairs) for (let i = 0; i < t.length; i++) t[i] += s[i];
  target.count += source.count;
}

export function cloneGram(g: Gram): Gram {
  return {
    ...g,
    xtx: g.xtx.slice(),
    xty: g.xty.slice(),
    sumX: g.sumX.slice(),
    sumY: g.sumY.slice(),
    yty: g.yty.slice(),
  };
}
