/// <reference types="@webgpu/types" />
import type { LifState, ReservoirState } from "@nqp/core";
import { NqpError } from "@nqp/core";
import { BufferUsage, type GpuContext } from "../gpu/context";
import type { BatchedReadout, ReservoirKernel, ReservoirModel, ReservoirStepOptions } from "./types";
import { checkReadout, checkReservoir, checkStep } from "./validate";
import { esnSource, lifSource, RES_PROBLEM_WORDS, readoutSource } from "./wgsl-source";

const STRIDE = 256;
const PLANES = ["membrane", "current", "refractory", "spikes", "trace"] as const;

/**
 * Batched reservoir on the GPU: B streams × N units, state resident on the device, many samples per submission
 * (one dispatch for the step and one for the readout per sample), outputs read back once per call.
 */
export async function createWgslReservoirKernel(
  ctx: GpuContext,
  model: ReservoirModel,
  streams: number,
): Promise<ReservoirKernel> {
  checkReservoir(model, streams);
  const { device } = ctx;
  const p = model.params;
  const { units: n, inputs: m } = p;
  const lif = model.kind === "lif";
  const B = Math.ceil(streams / 4) * 4;
  const g4 = B / 4;
  const planes = lif ? 5 : 1;
  const stateBytes = planes * n * B * 4;
  const owned: GPUBuffer[] = [];
  const make = async (label: string, bytes: number, data?: ArrayBufferView, usage?: number) => {
    const b = await ctx.buffer(label, bytes, usage, data);
    owned.push(b);
    return b;
  };
  const uniformUsage = BufferUsage.UNIFORM | BufferUsage.COPY_DST;

  const { rowStart, column, value } = p.recurrent;
  const csr = new Uint32Array(n + 1 + column.length);
  csr.set(rowStart);
  csr.set(column, n + 1);
  const csrBuf = await make("res-csr", csr.byteLength, csr);
  const valBuf = await make("res-values", value.length * 4, Float32Array.from(value));
  const winBuf = await make("res-input-weights", p.input.length * 4, Float32Array.from(p.input));
  const biasBuf = await make("res-bias", n * 4, Float32Array.from(p.bias));
  const states = [await make("res-state-0", stateBytes), await make("res-state-1", stateBytes)];
  const problem = await make("res-problem", RES_PROBLEM_WORDS * 4, undefined, uniformUsage);
  let capacity = 0;
  let uBuf: GPUBuffer | undefined;
  let stepBuf: GPUBuffer | undefined;

  const stepLayout = ctx.layout([
    ["uniform", "read", "read", "read", "read", "read", "read", "rw"],
    ["dynamic-uniform"],
  ]);
  const readoutLayout = ctx.layout([["uniform", "read", "read", "read", "read", "rw"], ["dynamic-uniform"]]);
  const [stepPipe, readoutPipe] = await Promise.all([
    ctx.pipeline(`reservoir-${model.kind}`, lif ? lifSource : esnSource, stepLayout),
    ctx.pipeline("reservoir-readout", readoutSource, readoutLayout),
  ]);

  let readout: BatchedReadout | null = null;
  let wBuf: GPUBuffer | undefined;
  let cBuf: GPUBuffer | undefined;
  let extraBuf: GPUBuffer | undefined;
  let outBuf: GPUBuffer | undefined;
  let current = 0;

  const writeProblem = () => {
    const u = new ArrayBuffer(RES_PROBLEM_WORDS * 4);
    const w = new Uint32Array(u);
    const f = new Float32Array(u);
    const t = readout?.targets ?? 0;
    const e = readout?.extra ?? 0;
    w.set([n, g4, m, t, n + e, e, lif ? 4 * n * g4 : 0, 0]);
    if (model.kind === "esn") f.set([1 - model.params.leak, model.params.leak], 8);
    else {
      const q = model.params;
      f.set([0, 0, q.membraneDecay, q.synapseDecay, q.traceDecay, q.threshold, q.reset, q.refractorySteps], 8);
    }
    device.queue.writeBuffer(problem, 0, u);
  };
  writeProblem();

  const release = (b: GPUBuffer | undefined) => {
    if (!b) return;
    b.destroy();
    owned.splice(owned.indexOf(b), 1);
  };
  /** Per-call buffers sized for `steps` samples (grown, never shrunk). */
  async function reserve(steps: number) {
    if (steps <= capacity && uBuf) return;
    capacity = Math.max(steps, capacity * 2, 1);
    release(uBuf);
    release(stepBuf);
    uBuf = await make("res-inputs", capacity * m * B * 4);
    stepBuf = await make("res-steps", capacity * STRIDE, undefined, uniformUsage);
    const idx = new Uint32Array((capacity * STRIDE) / 4);
    for (let s = 0; s < capacity; s++) idx[(s * STRIDE) / 4] = s;
    device.queue.writeBuffer(stepBuf, 0, idx);
    if (readout) await reserveReadout();
  }
  async function reserveReadout() {
    if (!readout) return;
    release(extraBuf);
    release(outBuf);
    extraBuf = await make("res-extra", Math.max(1, capacity * readout.extra) * B * 4);
    outBuf = await make("res-outputs", capacity * readout.targets * B * 4);
  }

  const transposeIn = (from: ArrayLike<number>, rows: number, base: Float32Array, offset: number) => {
    // from: streams × rows (stream-major) → rows × B
    for (let b = 0; b < streams; b++) for (let r = 0; r < rows; r++) base[offset + r * B + b] = from[b * rows + r];
  };

  const kernel: ReservoirKernel = {
    backend: "wgsl",
    device: ctx.name,
    kind: model.kind,
    streams,
    units: n,
    inputs: m,
    async step(inputs, options: ReservoirStepOptions = {}) {
      ctx.assertAlive();
      const steps = checkStep(inputs, options, streams, m, readout);
      await reserve(steps);
      const t = readout?.targets ?? 0;
      const e = readout?.extra ?? 0;
      const u = new Float32Array(steps * m * B);
      for (let s = 0; s < steps; s++)
        for (let b = 0; b < streams; b++)
          for (let k = 0; k < m; k++) u[(s * m + k) * B + b] = inputs[(s * streams + b) * m + k];
      device.queue.writeBuffer(uBuf!, 0, u);
      if (readout && e > 0) {
        const x = new Float32Array(steps * e * B);
        for (let s = 0; s < steps; s++)
          for (let b = 0; b < streams; b++)
            for (let k = 0; k < e; k++)
              x[(s * e + k) * B + b] = (options.extra as ArrayLike<number>)[(s * streams + b) * e + k];
        device.queue.writeBuffer(extraBuf!, 0, x);
      }
      const stepGroups = [0, 1].map((parity) =>
        device.createBindGroup({
          layout: stepPipe.getBindGroupLayout(0),
          entries: [problem, csrBuf, valBuf, winBuf, biasBuf, uBuf!, states[parity], states[1 - parity]].map(
            (buffer, binding) => ({ binding, resource: { buffer } }),
          ),
        }),
      );
      const readoutGroups = readout
        ? [0, 1].map((parity) =>
            device.createBindGroup({
              layout: readoutPipe.getBindGroupLayout(0),
              entries: [problem, wBuf!, cBuf!, states[parity], extraBuf!, outBuf!].map((buffer, binding) => ({
                binding,
                resource: { buffer },
              })),
            }),
          )
        : [];
      const stepParams = [stepPipe, readoutPipe].map((pipe) =>
        device.createBindGroup({
          layout: pipe.getBindGroupLayout(1),
          entries: [{ binding: 0, resource: { buffer: stepBuf!, size: 16 } }],
        }),
      );
      const groups = Math.ceil((n * g4) / 64);
      const wx = Math.min(groups, 65535);
      const enc = device.createCommandEncoder({ label: "reservoir-steps" });
      const pass = enc.beginComputePass();
      for (let s = 0; s < steps; s++) {
        pass.setPipeline(stepPipe);
        pass.setBindGroup(0, stepGroups[current]);
        pass.setBindGroup(1, stepParams[0], [s * STRIDE]);
        pass.dispatchWorkgroups(wx, Math.ceil(groups / wx));
        current = 1 - current;
        if (readout) {
          pass.setPipeline(readoutPipe);
          pass.setBindGroup(0, readoutGroups[current]);
          pass.setBindGroup(1, stepParams[1], [s * STRIDE]);
          pass.dispatchWorkgroups(Math.ceil((t * g4) / 64));
        }
      }
      pass.end();
      device.queue.submit([enc.finish()]);
      if (!readout) {
        await device.queue.onSubmittedWorkDone();
        return new Float64Array(0);
      }
      const raw = new Float32Array(await ctx.read(outBuf!, 0, steps * t * B * 4));
      const out = new Float64Array(steps * streams * t);
      for (let s = 0; s < steps; s++)
        for (let b = 0; b < streams; b++)
          for (let k = 0; k < t; k++) out[(s * streams + b) * t + k] = raw[(s * t + k) * B + b];
      return out;
    },
    async setReadout(r) {
      if (r) checkReadout(r, streams, n);
      readout = r;
      release(wBuf);
      release(cBuf);
      wBuf = cBuf = undefined;
      writeProblem();
      if (!r) return;
      const F = n + r.extra;
      const w = new Float32Array(r.targets * F * B);
      const c = new Float32Array(r.targets * B);
      for (let b = 0; b < streams; b++)
        for (let k = 0; k < r.targets; k++) {
          c[k * B + b] = r.intercept[b * r.targets + k];
          for (let f = 0; f < F; f++) w[(k * F + f) * B + b] = r.weights[(b * r.targets + k) * F + f];
        }
      wBuf = await make("res-readout-weights", w.byteLength, w);
      cBuf = await make("res-readout-intercepts", c.byteLength, c);
      if (capacity > 0) await reserveReadout();
    },
    async features() {
      const raw = new Float32Array(await ctx.read(states[current], (lif ? 4 * n * B : 0) * 4, n * B * 4));
      const out = new Float64Array(streams * n);
      for (let i = 0; i < n; i++) for (let b = 0; b < streams; b++) out[b * n + i] = raw[i * B + b];
      return out;
    },
    async state() {
      const raw = new Float32Array(await ctx.read(states[current], 0, stateBytes));
      const plane = (k: number) => {
        const out = new Float64Array(streams * n);
        for (let i = 0; i < n; i++) for (let b = 0; b < streams; b++) out[b * n + i] = raw[k * n * B + i * B + b];
        return out;
      };
      if (!lif) return { batch: streams, units: n, activations: plane(0) } satisfies ReservoirState;
      const [v, c, r, s, tr] = PLANES.map((_, k) => plane(k));
      return {
        batch: streams,
        units: n,
        membrane: v,
        current: c,
        refractory: r,
        spikes: Uint8Array.from(s),
        trace: tr,
      };
    },
    async setState(s) {
      const data = new Float32Array(planes * n * B);
      if (!lif) {
        const a = (s as ReservoirState).activations;
        if (a.length !== streams * n)
          throw new NqpError(
            "shape-mismatch",
            `state has ${a.length} activations, expected streams×units = ${streams * n}`,
          );
        transposeIn(a, n, data, 0);
      } else
        PLANES.forEach((name, k) => {
          const v = (s as LifState)[name];
          if (v.length !== streams * n)
            throw new NqpError(
              "shape-mismatch",
              `state.${name} has ${v.length} values, expected streams×units = ${streams * n}`,
            );
          transposeIn(v, n, data, k * n * B);
        });
      device.queue.writeBuffer(states[current], 0, data);
    },
    dispose() {
      for (const b of owned) b.destroy();
      owned.length = 0;
    },
  };
  return kernel;
}
