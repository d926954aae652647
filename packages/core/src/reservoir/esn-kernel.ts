import { ensureMemory, instantiate } from "../wasm";
import { advanceEsn, type EsnParams } from "./esn";
import { ESN_KERNEL_WASM } from "./esn-kernel-bytes";

/**
 * The echo-state step for hosts that step one reservoir many times (the forecaster's runs, benchmarks): the same
 * arithmetic as advanceEsn in the same order — so the same bits — compiled to WebAssembly (esn-kernel.wat), which
 * V8 runs about three times faster than the JavaScript loop (no bounds checks on the sparse gathers). The weights
 * are copied into the kernel's memory once; the caller writes `inputs`, calls `step()` and reads `state`.
 * Where WebAssembly is missing the kernel runs advanceEsn on plain arrays.
 *
 * Memory layout (byte offsets, 8-aligned): rowStart i32[units + 1] · column i32[nnz] · value f64[nnz] ·
 * input f64[units·m] · bias f64[units] · inputs f64[batch·m] · two state buffers f64[batch·units].
 */
export interface EsnKernel {
  readonly units: number;
  readonly batch: number;
  /** The current activations, batch × units (a view that changes after every step: re-read it). */
  readonly state: Float64Array;
  /** The next step's inputs, batch × inputs. */
  readonly inputs: Float64Array;
  readonly wasm: boolean;
  /** Advances every stream one step. */
  step(): void;
  /** Sets every stream's activations (e.g. to restart a run). */
  reset(activations?: ArrayLike<number>): void;
}

export function createEsnKernel(params: EsnParams, batch = 1, options: { wasm?: boolean } = {}): EsnKernel {
  const { units, inputs: m } = params;
  const instance = options.wasm === false ? null : instantiate(ESN_KERNEL_WASM);
  if (!instance) {
    let current = new Float64Array(batch * units);
    let next = new Float64Array(batch * units);
    const inputs = new Float64Array(batch * m);
    return {
      units,
      batch,
      inputs,
      wasm: false,
      get state() {
        return current;
      },
      step() {
        advanceEsn(params, current, inputs, next, batch);
        const swap = current;
        current = next;
        next = swap;
      },
      reset(activations) {
        current.fill(0);
        if (activations) current.set(Array.from(activations));
      },
    };
  }
  const nnz = params.recurrent.value.length;
  let offset = 0;
  const take = (bytes: number) => {
    const at = offset;
    offset += Math.ceil(bytes / 8) * 8;
    return at;
  };
  const rowStart = take(4 * (units + 1));
  const column = take(4 * nnz);
  const value = take(8 * nnz);
  const input = take(8 * units * m);
  const bias = take(8 * units);
  const inputsAt = take(8 * batch * m);
  const stateAt = [take(8 * batch * units), take(8 * batch * units)];
  const memory = instance.exports.memory;
  ensureMemory(memory, offset);
  const buffer = memory.buffer;
  new Int32Array(buffer, rowStart, units + 1).set(params.recurrent.rowStart);
  new Int32Array(buffer, column, nnz).set(params.recurrent.column);
  new Float64Array(buffer, value, nnz).set(params.recurrent.value);
  new Float64Array(buffer, input, units * m).set(params.input);
  new Float64Array(buffer, bias, units).set(params.bias);
  const views = stateAt.map((at) => new Float64Array(buffer, at, batch * units));
  const step = instance.exports.step as (...args: number[]) => void;
  let current = 0;
  return {
    units,
    batch,
    inputs: new Float64Array(buffer, inputsAt, batch * m),
    wasm: true,
    get state() {
      return views[current];
    },
    step() {
      step(
        units,
        m,
        params.leak,
        batch,
        rowStart,
        column,
        value,
        input,
        bias,
        stateAt[current],
        inputsAt,
        stateAt[1 - current],
      );
      current = 1 - current;
    },
    reset(activations) {
      views[current].fill(0);
      if (activations) views[current].set(Array.from(activations));
    },
  };
}
