import { ensureMemory, instantiate } from "../wasm";
import { choleskyInPlace } from "./cholesky";
import { CHOLESKY_KERNEL_WASM } from "./cholesky-kernel-bytes";

/**
 * An n × n work matrix and its in-place Cholesky factorisation (choleskyInPlace's contract). From WASM_FROM rows the
 * matrix lives in WebAssembly memory and is factored by cholesky-kernel.wat (f64x2 dot products: a 500 × 500 readout
 * in a fraction of the JavaScript loop's time, where V8 keeps bounds checks on every load); below that, and where
 * WebAssembly SIMD is missing, by choleskyInPlace: the edge agent's refits (up to ~200 features, 1 000 streams)
 * then allocate no WebAssembly memory, whose release waits on the garbage collector and would add to the peak RSS
 * measured against the 512 MB bar.
 */
export interface CholeskyWorkspace {
  readonly matrix: Float64Array;
  /** Factors `matrix` in place; false when a pivot is not positive. */
  factor(): boolean;
}

const WASM_FROM = 256;

export function createCholeskyWorkspace(n: number, options: { wasm?: boolean } = {}): CholeskyWorkspace {
  const instance = options.wasm === false || n < WASM_FROM ? null : instantiate(CHOLESKY_KERNEL_WASM);
  if (!instance) {
    const matrix = new Float64Array(n * n);
    return { matrix, factor: () => choleskyInPlace(matrix, n) };
  }
  ensureMemory(instance.exports.memory, 8 * n * n);
  const matrix = new Float64Array(instance.exports.memory.buffer, 0, n * n);
  const cholesky = instance.exports.cholesky as (at: number, n: number) => number;
  return { matrix, factor: () => cholesky(0, n) === 1 };
}
