import { ensureMemory, instantiate } from "../wasm";
import { addGram, createGram, type Gram, scaleGram } from "./gram";
import { createGramKernel } from "./gram-kernel";
import { GRAM_PANEL_KERNEL_WASM } from "./gram-panel-kernel-bytes";

/**
 * The batch readout fit's statistics (XᵀX, Xᵀy, Σx, Σy, Σy²) in one register-blocked WebAssembly SIMD pass: rows
 * are written straight into a packed panel (blocks of 4 columns, two rows per 64-byte record; gram-panel-kernel.wat)
 * with the targets and a column of ones appended, so the one XᵀX kernel of the augmented matrix [X y 1] yields every
 * statistic, and the hot loop reads two sequential streams with immediate offsets (the feature-major
 * GramKernel computes six addresses per step and sums Xᵀy in JavaScript). Sums are float64 in a fixed order (a
 * run is deterministic); they differ from accumulateSample's only by rounding. Null where WebAssembly SIMD is
 * missing (callers fall back to createGramKernel).
 */
export interface PanelGramKernel {
  readonly features: number;
  readonly targets: number;
  /** Adds one row: features x (length `features`) and its targets y (length `targets`). */
  addRow(x: ArrayLike<number>, y: ArrayLike<number>): void;
  /** Adds every statistic of the rows added since the last flush into `g` (call before reading or solving `g`). */
  flush(g: Gram): void;
}

/** `rows`: rows held in the panel between kernel passes (even; 256 keeps a 500-feature panel within L2). */
export function createPanelGramKernel(features: number, targets = 1, rows = 256): PanelGramKernel | null {
  const instance = instantiate(GRAM_PANEL_KERNEL_WASM);
  if (!instance) return null;
  const gram = instance.exports.gram as (...args: number[]) => void;
  const f = features;
  const q = targets;
  const n = f + q + 1;
  const blocks = Math.ceil(n / 4);
  const capacity = rows + (rows % 2);
  const block = 4 * capacity; // doubles per block of 4 columns
  const triangleAt = 8 * blocks * block;
  const packed = (n * (n + 1)) / 2;
  ensureMemory(instance.exports.memory, triangleAt + 8 * packed);
  const panel = new Float64Array(instance.exports.memory.buffer, 0, blocks * block);
  const sums = new Float64Array(instance.exports.memory.buffer, triangleAt, packed);
  const f4 = f - (f % 4);
  let fill = 0;
  let count = 0;

  const put = (row: number, column: number, v: number) => {
    panel[(column >> 2) * block + (row >> 1) * 8 + (row & 1) + (column & 3) * 2] = v;
  };
  const run = (pairs: number) => gram(0, blocks, 8 * block, pairs, n, triangleAt);

  return {
    features,
    targets,
    addRow(x, y) {
      let o = (fill >> 1) * 8 + (fill & 1);
      for (let i = 0; i < f4; i += 4, o += block) {
        panel[o] = x[i];
        panel[o + 2] = x[i + 1];
        panel[o + 4] = x[i + 2];
        panel[o + 6] = x[i + 3];
      }
      for (let i = f4; i < f; i++) put(fill, i, x[i]);
      for (let k = 0; k < q; k++) put(fill, f + k, y[k]);
      put(fill, f + q, 1);
      count++;
      if (++fill === capacity) {
        run(capacity / 2);
        fill = 0;
      }
    },
    flush(g) {
      if (fill) {
        // The partner row of an odd last row still holds an older row: zero it (every column, padding included).
        if (fill % 2) for (let c = 0; c < 4 * blocks; c++) put(fill, c, 0);
        run((fill + 1) >> 1);
        fill = 0;
      }
      if (count === 0) return;
      // Row i of the augmented triangle is (X row i | Xᵀy row i | Σx_i); the target rows carry Σy² and Σy.
      let a = 0;
      let b = 0;
      for (let i = 0; i < f; i++) {
        for (let j = i; j < f; j++) g.xtx[b++] += sums[a++];
        for (let k = 0; k < q; k++) g.xty[i * q + k] += sums[a++];
        g.sumX[i] += sums[a++];
      }
      for (let k = 0; k < q; k++) {
        g.yty[k] += sums[a];
        a += q - k;
        g.sumY[k] += sums[a++];
      }
      g.count += count;
      count = 0;
      sums.fill(0);
    },
  };
}

/**
 * Row-by-row Gram accumulation for batch fits: the packed-panel kernel where WebAssembly SIMD runs, else the
 * JavaScript GramKernel (accumulateColumns) behind the same addRow / flush interface.
 */
export function createRowGramKernel(
  features: number,
  targets = 1,
  options: { rows?: number; simd?: boolean } = {},
): PanelGramKernel {
  const panel = options.simd === false ? null : createPanelGramKernel(features, targets, options.rows);
  if (panel) return panel;
  const kernel = createGramKernel(features, 128, { simd: false });
  const { columns, stride } = kernel;
  const ys = new Float64Array(targets * stride);
  // Full blocks are summed here until flush names the destination.
  const scratch = createGram(features, targets);
  let fill = 0;
  return {
    features,
    targets,
    addRow(x, y) {
      for (let i = 0; i < features; i++) columns[i * stride + fill] = x[i];
      for (let k = 0; k < targets; k++) ys[k * stride + fill] = y[k];
      if (++fill === stride) {
        kernel.accumulate(scratch, ys, fill);
        fill = 0;
      }
    },
    flush(g) {
      if (fill) kernel.accumulate(scratch, ys, fill);
      fill = 0;
      addGram(g, scratch);
      scaleGram(scratch, 0);
    },
  };
}
