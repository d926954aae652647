import { ensureMemory, instantiate } from "../wasm";
import { accumulateColumns, type Gram, upperIndex } from "./gram";
import { GRAM_KERNEL_WASM } from "./gram-kernel-bytes";

/**
 * The readout fit's hot loop, XᵀX over blocks of feature-major rows, in WebAssembly SIMD (f64x2; gram-kernel.wat):
 * about three times the speed of the best plain-JavaScript tiling (accumulateColumns) in V8, in full float64. The
 * caller writes each block into `columns` (feature i of row t at columns[i·stride + t]) and calls `accumulate`;
 * `flush` moves the XᵀX sums held in WebAssembly memory into the Gram. Where WebAssembly SIMD is unavailable the
 * same interface runs accumulateColumns; both sum in float64 and differ only by rounding.
 */
export interface GramKernel {
  readonly features: number;
  readonly stride: number;
  /** The block buffer to fill: features × stride. */
  readonly columns: Float64Array;
  /** True when the WebAssembly kernel runs (false: the JavaScript fallback). */
  readonly simd: boolean;
  /** Adds the first `rows` rows of `columns` (targets: targets × stride, same layout) to `g`. */
  accumulate(g: Gram, targets: Float64Array, rows: number): void;
  /** Adds the pending XᵀX sums into `g` (call before reading or solving `g`). */
  flush(g: Gram): void;
}

export function createGramKernel(features: number, stride: number, options: { simd?: boolean } = {}): GramKernel {
  const f = features;
  const padded = stride + (stride % 2);
  const instance = options.simd === false ? null : instantiate(GRAM_KERNEL_WASM);
  if (!instance) {
    const columns = new Float64Array(f * padded);
    return {
      features,
      stride: padded,
      columns,
      simd: false,
      accumulate: (g, targets, rows) => accumulateColumns(g, columns, targets, rows, padded),
      flush: () => {},
    };
  }
  const gram = instance.exports.gram as (...args: number[]) => void;
  const packed = (f * (f + 1)) / 2;
  const memory = instance.exports.memory;
  ensureMemory(memory, 8 * (f * padded + packed));
  const columns = new Float64Array(memory.buffer, 0, f * padded);
  const sums = new Float64Array(memory.buffer, 8 * f * padded, packed);
  const f4 = f - (f % 4);
  const f2 = f - (f % 2);
  let pending = false;

  return {
    features,
    stride: padded,
    columns,
    simd: true,
    accumulate(g, targets, rows) {
      if (rows % 2) for (let i = 0; i < f; i++) columns[i * padded + rows] = 0;
      gram(0, f, padded, rows, 8 * f * padded);
      pending = true;
      // The pairs the kernel leaves out (features past the last full tile), then Σx, Xᵀy, Σy, Σy² and the count.
      const xtx = g.xtx;
      for (let i = 0; i < f; i++)
        for (let j = i < f4 ? f2 : i; j < f; j++) {
          let s = 0;
          for (let t = 0; t < rows; t++) s += columns[i * padded + t] * columns[j * padded + t];
          xtx[upperIndex(f, i, j)] += s;
        }
      accumulateRest(g, columns, targets, rows, padded);
    },
    flush(g) {
      if (!pending) return;
      for (let k = 0; k < packed; k++) g.xtx[k] += sums[k];
      sums.fill(0);
      pending = false;
    },
  };
}

/** Σx, Xᵀy, Σy, Σy² and the count for a block (everything accumulateColumns does besides XᵀX). */
function accumulateRest(g: Gram, columns: Float64Array, targets: Float64Array, rows: number, stride: number): void {
  const f = g.features;
  const q = g.targets;
  for (let i = 0; i < f; i++) {
    const a = i * stride;
    let sx = 0;
    for (let t = 0; t < rows; t++) sx += columns[a + t];
    g.sumX[i] += sx;
    for (let k = 0; k < q; k++) {
      const b = k * stride;
      let s = 0;
      for (let t = 0; t < rows; t++) s += columns[a + t] * targets[b + t];
      g.xty[i * q + k] += s;
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
    g.sumY[k] += sy;
    g.yty[k] += syy;
  }
  g.count += rows;
}
