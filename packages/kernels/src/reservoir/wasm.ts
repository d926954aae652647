import type { LifState, ReservoirState } from "@nqp/core";
import { NqpError } from "@nqp/core";
import type { BatchedReadout, ReservoirKernel, ReservoirModel, ReservoirStepOptions } from "./types";
import { checkReadout, checkReservoir, checkStep } from "./validate";
import { reservoirWat } from "./wasm-source";

/**
 * The slice of the WebAssembly JS API used here, typed locally: Node's type definitions for Node 20 do not declare
 * WebAssembly, and pulling in the DOM library for it would leak browser globals into Node packages.
 */
interface WasmMemory {
  readonly buffer: ArrayBuffer;
  grow(pages: number): number;
}
interface WasmApi {
  validate(bytes: Uint8Array): boolean;
  compile(bytes: Uint8Array): Promise<object>;
  Instance: new (module: object, imports: object) => { exports: unknown };
}
const wasmApi = (globalThis as unknown as { WebAssembly?: WasmApi }).WebAssembly;

/** The reservoir kernels assembled and compiled once (a WebAssembly.Module), instantiated per kernel. */
export interface ReservoirWasm {
  readonly module: object;
}

type Exports = {
  memory: WasmMemory;
  esn: (...args: number[]) => void;
  lif: (...args: number[]) => void;
  readout: (...args: number[]) => void;
};

/** Assembles the reservoir kernels' WebAssembly (text → binary with wabt, SIMD enabled) into a compiled module. */
export async function compileReservoirWasm(): Promise<ReservoirWasm> {
  if (!wasmApi?.validate(simdProbe))
    throw new NqpError("backend-unavailable", "this JavaScript engine has no WebAssembly SIMD (Node 16.4+ has it)");
  const wabtModule = (await import("wabt")) as unknown as { default: () => Promise<WabtApi> };
  const wabt = await wabtModule.default();
  const parsed = wabt.parseWat("reservoir.wat", reservoirWat, { simd: true });
  try {
    const { buffer } = parsed.toBinary({});
    return { module: await wasmApi.compile(new Uint8Array(buffer)) };
  } finally {
    parsed.destroy();
  }
}

interface WabtApi {
  parseWat(
    name: string,
    text: string,
    features: Record<string, boolean>,
  ): { toBinary(o: object): { buffer: Uint8Array<ArrayBuffer> }; destroy(): void };
}

/** (module (func (result v128) v128.const i32x4 0 0 0 0)): validates only where SIMD is supported. */
const simdProbe = new Uint8Array([
  0, 97, 115, 109, 1, 0, 0, 0, 1, 5, 1, 96, 0, 1, 123, 3, 2, 1, 0, 10, 22, 1, 20, 0, 253, 12, 0, 0, 0, 0, 0, 0, 0, 0, 0,
  0, 0, 0, 0, 0, 0, 0, 11,
]);

/**
 * The `wasm` back end: core's reservoir steps as 128-bit SIMD WebAssembly (./wasm-source.ts), four streams per
 * instruction, float32; one thread. Streams are padded to a multiple of 4.
 */
export function createWasmReservoirKernel(
  wasm: ReservoirWasm,
  model: ReservoirModel,
  streams: number,
): ReservoirKernel {
  checkReservoir(model, streams);
  const p = model.params;
  const { units: n, inputs: m } = p;
  const B = Math.ceil(streams / 4) * 4;
  const rowBytes = B * 4;
  const nnz = p.recurrent.column.length;
  const lif = model.kind === "lif";

  let readout: BatchedReadout | null = null;
  let layout = plan(0, 0);
  if (!wasmApi) throw new NqpError("backend-unavailable", "this JavaScript engine has no WebAssembly");
  const instance = new wasmApi.Instance(wasm.module, {});
  const ex = instance.exports as unknown as Exports;
  let f32 = new Float32Array(ex.memory.buffer);
  let i32 = new Int32Array(ex.memory.buffer);
  let current = 0;

  /** Byte offsets of every array; the readout's size decides the tail. */
  function plan(targets: number, extra: number) {
    let at = 0;
    const take = (bytes: number) => {
      const o = at;
      at += Math.ceil(bytes / 16) * 16;
      return o;
    };
    const o = {
      rowStart: take((n + 1) * 4),
      col: take(nnz * 4),
      val: take(nnz * 4),
      win: take(n * m * 4),
      bias: take(n * 4),
      u: take(m * rowBytes),
      acc: take(rowBytes),
      // ESN: two activation buffers, each followed by the readout's extra features; LIF: five planes
      // (v, I, refractory, spikes, trace) then the extra features, and last step's spikes.
      state: [take((lif ? 5 * n : n) * rowBytes + extra * rowBytes), lif ? 0 : take(n * rowBytes + extra * rowBytes)],
      prev: lif ? take(n * rowBytes) : 0,
      weights: take(targets * (n + extra) * rowBytes),
      intercept: take(targets * rowBytes),
      out: take(targets * rowBytes),
      end: 0,
    };
    o.end = at;
    return o;
  }

  function ensureMemory(bytes: number) {
    const have = ex.memory.buffer.byteLength;
    if (bytes > have) ex.memory.grow(Math.ceil((bytes - have) / 65536));
    f32 = new Float32Array(ex.memory.buffer);
    i32 = new Int32Array(ex.memory.buffer);
  }

  /** The plane the readout reads: ESN activations or LIF traces (with the extra features after it). */
  const featureBase = () => (lif ? layout.state[0] + 4 * n * rowBytes : layout.state[current]);

  function relayout(targets: number, extra: number) {
    const keep = layout.end > 0 ? readState() : undefined;
    layout = plan(targets, extra);
    ensureMemory(layout.end);
    f32.fill(0, 0, layout.end / 4);
    const { rowStart, column, value } = p.recurrent;
    for (let i = 0; i <= n; i++) i32[layout.rowStart / 4 + i] = rowStart[i];
    for (let k = 0; k < nnz; k++) {
      i32[layout.col / 4 + k] = column[k] * rowBytes;
      f32[layout.val / 4 + k] = value[k];
    }
    f32.set(p.input, layout.win / 4);
    f32.set(p.bias, layout.bias / 4);
    current = 0;
    if (keep) writeState(keep);
  }

  const planes = lif ? (["membrane", "current", "refractory", "spikes", "trace"] as const) : undefined;
  function readState(): ReservoirState | LifState {
    const get = (base: number) => {
      const out = new Float64Array(streams * n);
      for (let i = 0; i < n; i++) for (let b = 0; b < streams; b++) out[b * n + i] = f32[base / 4 + i * B + b];
      return out;
    };
    if (!planes) return { batch: streams, units: n, activations: get(layout.state[current]) };
    const [v, c, r, s, t] = planes.map((_, k) => get(layout.state[0] + k * n * rowBytes));
    return {
      batch: streams,
      units: n,
      membrane: v,
      current: c,
      refractory: r,
      spikes: Uint8Array.from(s),
      trace: t,
    };
  }
  function writeState(s: ReservoirState | LifState) {
    const put = (base: number, from: ArrayLike<number>) => {
      if (from.length !== streams * n)
        throw new NqpError(
          "shape-mismatch",
          `state has ${from.length} values per plane, expected streams×units = ${streams * n}`,
        );
      for (let i = 0; i < n; i++) for (let b = 0; b < streams; b++) f32[base / 4 + i * B + b] = from[b * n + i];
    };
    if (!planes) put(layout.state[current], (s as ReservoirState).activations);
    else
      planes.forEach((name, k) => {
        put(layout.state[0] + k * n * rowBytes, (s as LifState)[name]);
      });
  }

  relayout(0, 0);

  return {
    backend: "wasm",
    device: "WebAssembly SIMD (1 thread, float32)",
    kind: model.kind,
    streams,
    units: n,
    inputs: m,
    async step(inputs, options: ReservoirStepOptions = {}) {
      const steps = checkStep(inputs, options, streams, m, readout);
      const t = readout?.targets ?? 0;
      const e = readout?.extra ?? 0;
      const out = new Float64Array(steps * streams * t);
      const L = layout;
      for (let s = 0; s < steps; s++) {
        for (let b = 0; b < streams; b++)
          for (let k = 0; k < m; k++) f32[L.u / 4 + k * B + b] = inputs[(s * streams + b) * m + k];
        if (model.kind === "esn") {
          const next = 1 - current;
          ex.esn(
            n,
            rowBytes,
            m,
            L.rowStart,
            L.col,
            L.val,
            L.win,
            L.bias,
            L.u,
            L.state[current],
            L.state[next],
            L.acc,
            1 - model.params.leak,
            model.params.leak,
          );
          current = next;
        } else {
          const q = model.params;
          f32.copyWithin(L.prev / 4, (L.state[0] + 3 * n * rowBytes) / 4, (L.state[0] + 4 * n * rowBytes) / 4);
          ex.lif(
            n,
            rowBytes,
            m,
            L.rowStart,
            L.col,
            L.val,
            L.win,
            L.bias,
            L.u,
            L.prev,
            L.state[0],
            L.acc,
            q.membraneDecay,
            q.synapseDecay,
            q.traceDecay,
            q.threshold,
            q.reset,
            q.refractorySteps,
          );
        }
        if (!readout) continue;
        const fb = featureBase();
        for (let b = 0; b < streams; b++)
          for (let k = 0; k < e; k++)
            f32[(fb + n * rowBytes) / 4 + k * B + b] = (options.extra as ArrayLike<number>)[(s * streams + b) * e + k];
        ex.readout(n + e, rowBytes, t, L.weights, L.intercept, fb, L.out);
        for (let b = 0; b < streams; b++)
          for (let k = 0; k < t; k++) out[(s * streams + b) * t + k] = f32[L.out / 4 + k * B + b];
      }
      return out;
    },
    async setReadout(r) {
      if (r) checkReadout(r, streams, n);
      relayout(r?.targets ?? 0, r?.extra ?? 0);
      readout = r;
      if (!r) return;
      const F = n + r.extra;
      const T = r.targets;
      for (let b = 0; b < streams; b++)
        for (let k = 0; k < T; k++) {
          f32[layout.intercept / 4 + k * B + b] = r.intercept[b * T + k];
          for (let f = 0; f < F; f++) f32[layout.weights / 4 + (k * F + f) * B + b] = r.weights[(b * T + k) * F + f];
        }
    },
    async features() {
      const base = featureBase();
      const out = new Float64Array(streams * n);
      for (let i = 0; i < n; i++) for (let b = 0; b < streams; b++) out[b * n + i] = f32[base / 4 + i * B + b];
      return out;
    },
    async state() {
      return readState();
    },
    async setState(s) {
      writeState(s);
    },
    dispose() {},
  };
}
