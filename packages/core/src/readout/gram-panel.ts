import { ensureMemory, instantiate } from "../wasm";
import { addGram, createGram, type Gram, scaleGram } from "./gram";
import { createGramKernel } from "./gram-kernel";
import { GRAM_PANEL_F32_KERNEL_WASM } from "./gram-panel-f32-kernel-bytes";
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

export interface PanelGramOptions {
  /** Rows held in the panel between kernel passes (256 keeps a 500-feature float64 panel within L2). */
  rows?: number;
  /**
   * "f64" (default): float64 products and sums. "f32": the row values are rounded to float32, products and the sums
   * over one panel (rows / 4 terms per lane) are float32 (twice the SIMD lanes), widened to float64 per panel.
   * About 1e-7 relative error per entry of XᵀX: only for well-regularised fits (see docs/engine.md).
   */
  precision?: "f64" | "f32";
}

export function createPanelGramKernel(
  features: number,
  targets = 1,
  options: PanelGramOptions = {},
): PanelGramKernel | null {
  const single = options.precision === "f32";
  const instance = instantiate(single ? GRAM_PANEL_F32_KERNEL_WASM : GRAM_PANEL_KERNEL_WASM);
  if (!instance) return null;
  const gram = instance.exports.gram as (...args: number[]) => void;
  const f = features;
  const q = targets;
  const n = f + q + 1;
  const blocks = Math.ceil(n / 4);
  const lanes = single ? 4 : 2;
  const rows = options.rows ?? 256;
  const capacity = Math.ceil(rows / lanes) * lanes;
  const block = 4 * capacity; // values per block of 4 columns
  const bytes = single ? 4 : 8;
  const triangleAt = bytes * blocks * block;
  const packed = (n * (n + 1)) / 2;
  ensureMemory(instance.exports.memory, triangleAt + 8 * packed);
  const buffer = instance.exports.memory.buffer;
  const panel = single ? new Float32Array(buffer, 0, blocks * block) : new Float64Array(buffer, 0, blocks * block);
  const sums = new Float64Array(buffer, triangleAt, packed);
  const f4 = f - (f % 4);
  const record = 4 * lanes;
  let fill = 0;
  let count = 0;

  const put = (row: number, column: number, v: number) => {
    panel[(column >> 2) * block + Math.floor(row / lanes) * record + (row % lanes) + (column & 3) * lanes] = v;
  };
  const run = (records: number) => gram(0, blocks, bytes * block, records, n, triangleAt);

  return {
    features,
    targets,
    addRow(x, y) {
      let o = Math.floor(fill / lanes) * record + (fill % lanes);
      for (let i = 0; i < f4; i += 4, o += block) {
        panel[o] = x[i];
        panel[o + lanes] = x[i + 1];
        panel[o + 2 * lanes] = x[i + 2];
        panel[o + 3 * lanes] = x[i + 3];
      }
      for (let i = f4; i < f; i++) put(fill, i, x[i]);
      for (let k = 0; k < q; k++) put(fill, f + k, y[k]);
      put(fill, f + q, 1);
      count++;
      if (++fill === capacity) {
        run(capacity / lanes);
        fill = 0;
      }
    },
    flush(g) {
      if (fill) {
        // The rest of the last record still holds older rows: zero it (every column, padding included).
        for (let r = fill; r % lanes; r++) for (let c = 0; c < 4 * blocks; c++) put(r, c, 0);
        run(Math.ceil(fill / lanes));
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
  options: PanelGramOptions & { simd?: boolean } = {},
): PanelGramKernel {
  const panel = options.simd === false ? null : createPanelGramKernel(features, targets, options);
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
