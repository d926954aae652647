/// <reference types="@webgpu/types" />
import { isNqpError, NqpError, pumpAt } from "@nqp/core";
import { type BindingKind, BufferUsage, type GpuContext } from "../gpu/context";
import { allExactInHalf, toHalfBits } from "../gpu/half";
import type { SbKernel, SbKernelState, SbRunOptions, SbRunResult, SbSetup } from "./types";
import { checkSbSetup, checkSbState } from "./validate";
import {
  MATVEC_MAX_AGENTS,
  matvecSource,
  PROBLEM_WORDS,
  reduceSource,
  type SbShape,
  STEP_STRIDE,
  sparseSource,
  TILE,
  TILE_LARGE,
  tiled128Source,
  tiledSource,
} from "./wgsl-source";

export interface WgslSbOptions {
  /**
   * Storage of dense couplings. "auto" (default) uses f16 where the device has shader-f16 and every coupling is
   * exactly representable (integer weights up to 2048): half the bytes per step, identical results.
   */
  precision?: "auto" | "f32" | "f16";
  /**
   * Force a kernel shape (default: sparse for CSR input; matvec up to 16 agents; tiled up to 64; tiled128 for 128
   * agents and more, 65–127 pad to 128 only if forced).
   */
  shape?: SbShape;
  /** Steps encoded per submission (default 1024); a run of more steps submits several back to back. */
  stepsPerSubmission?: number;
}

const NO_TARGET = -3.0e38;
const NOT_MEASURED = 3.0e38;

/** Batched SB in hand-written WGSL (see ./wgsl-source.ts for the kernels). State stays on the device. */
export async function createWgslSbKernel(
  ctx: GpuContext,
  setup: SbSetup,
  options: WgslSbOptions = {},
): Promise<SbKernel> {
  checkSbSetup(setup);
  const { J, params, agents } = setup;
  const { n } = J;
  const { variant } = params;
  const shape: SbShape =
    options.shape ??
    (J.format === "csr"
      ? "sparse"
      : agents <= MATVEC_MAX_AGENTS
        ? "matvec"
        : agents >= TILE_LARGE && agents % TILE_LARGE === 0
          ? "tiled128"
          : "tiled");
  if (shape === "sparse" && J.format !== "csr")
    throw new NqpError("bad-problem", "the sparse SB kernel needs CSR couplings");
  if (shape !== "sparse" && J.format !== "dense")
    throw new NqpError("bad-problem", `the ${shape} SB kernel needs dense J`);
  if (shape === "matvec" && agents > MATVEC_MAX_AGENTS)
    throw new NqpError("bad-params", `the matvec SB kernel takes at most ${MATVEC_MAX_AGENTS} agents, got ${agents}`);
  const tile = shape === "tiled128" ? TILE_LARGE : TILE;
  const tiled = shape === "tiled" || shape === "tiled128";
  const nPad = shape === "sparse" ? n : Math.ceil(n / tile) * tile;
  const agentsPad = tiled ? Math.ceil(agents / tile) * tile : Math.ceil(agents / 4) * 4;
  const words = Math.ceil(n / 32);
  const partialRows = tiled ? nPad / tile : n;
  const chunk = Math.max(1, Math.floor(options.stepsPerSubmission ?? 1024));

  let jType: "f32" | "f16" = "f32";
  if (shape !== "sparse") {
    const wantF16 = options.precision ?? "auto";
    if (wantF16 === "f16" && !ctx.hasF16)
      throw new NqpError("gpu-feature", `${ctx.name} has no shader-f16: use precision f32`);
    if (wantF16 === "f16" || (wantF16 === "auto" && ctx.hasF16 && allExactInHalf(J.values))) jType = "f16";
  }

  const { device } = ctx;
  const buffers: GPUBuffer[] = [];
  const make = async (label: string, size: number, data?: ArrayBufferView, usage?: number) => {
    const b = await ctx.buffer(label, size, usage, data);
    buffers.push(b);
    return b;
  };
  try {
    // Couplings.
    const coupling: GPUBuffer[] = [];
    if (J.format === "csr") {
      const csr = new Uint32Array(n + 1 + J.colIndex.length);
      csr.set(J.rowPtr);
      csr.set(J.colIndex, n + 1);
      coupling.push(
        await make("sb-csr", csr.byteLength, csr),
        await make("sb-values", J.values.length * 4, Float32Array.from(J.values)),
      );
    } else {
      const padded = jType === "f16" ? new Uint16Array(nPad * nPad) : new Float32Array(nPad * nPad);
      for (let i = 0; i < n; i++)
        for (let j = 0; j < n; j++)
          padded[i * nPad + j] = jType === "f16" ? toHalfBits(J.values[i * n + j]) : J.values[i * n + j];
      coupling.push(await make("sb-couplings", padded.byteLength, padded));
    }
    const stateBytes = 2 * nPad * agentsPad * 4;
    const states = [await make("sb-state-0", stateBytes), await make("sb-state-1", stateBytes)];
    const control = await make("sb-control", 16);
    const partial = await make("sb-energy-partials", partialRows * agentsPad * 4);
    const energies = await make("sb-energies", 2 * agentsPad * 4);
    const bits = await make("sb-best-spins", agentsPad * words * 4);
    const problemUniform = await make(
      "sb-problem",
      PROBLEM_WORDS * 4,
      undefined,
      BufferUsage.UNIFORM | BufferUsage.COPY_DST,
    );
    const stepUniform = await make(
      "sb-steps",
      (chunk + 1) * STEP_STRIDE,
      undefined,
      BufferUsage.UNIFORM | BufferUsage.COPY_DST,
    );

    // Pipelines.
    const sparse = shape === "sparse";
    const stepKinds: BindingKind[] = [
      "uniform",
      ...(sparse ? (["read", "read"] as const) : (["read"] as const)),
      "read",
      "rw",
      "rw",
      "rw",
    ];
    const stepLayout = ctx.layout([stepKinds, ["dynamic-uniform"]]);
    const reduceLayout = ctx.layout([["uniform", "read", "read", "rw", "rw", "rw"], ["dynamic-uniform"]]);
    const source = (pass: "step" | "energy") =>
      shape === "tiled"
        ? tiledSource(variant, pass, jType)
        : shape === "tiled128"
          ? tiled128Source(variant, pass, jType)
          : shape === "matvec"
            ? matvecSource(variant, pass, jType, agentsPad, nPad)
            : sparseSource(variant, pass);
    const [stepPipe, energyPipe, reducePipe] = await Promise.all([
      ctx.pipeline(`sb-${shape}-${variant}-step`, source("step"), stepLayout),
      ctx.pipeline(`sb-${shape}-energy`, source("energy"), stepLayout),
      ctx.pipeline("sb-reduce", reduceSource, reduceLayout),
    ]);
    const stepGroup = (pipe: GPUComputePipeline, parity: number) =>
      device.createBindGroup({
        layout: pipe.getBindGroupLayout(0),
        entries: [problemUniform, ...coupling, states[parity], states[1 - parity], control, partial].map(
          (buffer, binding) => ({ binding, resource: { buffer } }),
        ),
      });
    const stepGroups = [stepGroup(stepPipe, 0), stepGroup(stepPipe, 1)];
    const energyGroups = [stepGroup(energyPipe, 0), stepGroup(energyPipe, 1)];
    const reduceGroups = [0, 1].map((parity) =>
      device.createBindGroup({
        layout: reducePipe.getBindGroupLayout(0),
        entries: [problemUniform, states[parity], partial, energies, bits, control].map((buffer, binding) => ({
          binding,
          resource: { buffer },
        })),
      }),
    );
    const stepParams = device.createBindGroup({
      layout: stepPipe.getBindGroupLayout(1),
      entries: [{ binding: 0, resource: { buffer: stepUniform, size: 16 } }],
    });
    const reduceParams = device.createBindGroup({
      layout: reducePipe.getBindGroupLayout(1),
      entries: [{ binding: 0, resource: { buffer: stepUniform, size: 16 } }],
    });

    const stepWorkgroups = (): [number, number] => {
      if (tiled) return [agentsPad / tile, nPad / tile];
      const groups = shape === "matvec" ? n : Math.ceil((n * agentsPad) / 4 / 64);
      const x = Math.min(groups, 65535);
      return [x, Math.ceil(groups / x)];
    };
    const [wx, wy] = stepWorkgroups();
    const reduceGroupsX = Math.ceil(agents / 64);

    const writeProblem = (target: number) => {
      const u = new ArrayBuffer(PROBLEM_WORDS * 4);
      const w = new Uint32Array(u);
      const f = new Float32Array(u);
      w.set([n, nPad, agents, agentsPad]);
      f.set([params.dt, params.a0, params.c0, Math.max(NO_TARGET, target)], 4);
      w.set([partialRows, words], 8);
      f.set([params.kerr, 1 + params.heat * params.dt], 10);
      device.queue.writeBuffer(problemUniform, 0, u);
    };

    let step = 0;
    const resetBest = () => {
      const e = new Float32Array(2 * agentsPad);
      e.fill(NOT_MEASURED, 0, agentsPad);
      device.queue.writeBuffer(energies, 0, e);
      device.queue.writeBuffer(bits, 0, new Uint32Array(agentsPad * words));
    };
    writeProblem(NO_TARGET);
    resetBest();

    const kernel: SbKernel = {
      backend: "wgsl",
      device: ctx.name,
      n,
      agents,
      params,
      get step() {
        return step;
      },
      async setState(state, at = 0) {
        checkSbState(state, n, agents);
        const data = new Float32Array(2 * nPad * agentsPad);
        const yOff = nPad * agentsPad;
        for (let b = 0; b < agents; b++)
          for (let i = 0; i < n; i++) {
            data[i * agentsPad + b] = state.x[b * n + i];
            data[yOff + i * agentsPad + b] = state.y[b * n + i];
          }
        step = at;
        device.queue.writeBuffer(states[step % 2], 0, data);
        resetBest();
      },
      async run(opts: SbRunOptions): Promise<SbRunResult> {
        ctx.assertAlive();
        const total = opts.steps;
        if (!Number.isInteger(total) || total < 0)
          throw new NqpError("bad-params", `steps must be a non-negative integer, got ${total}`);
        const checkEvery = opts.checkEvery ?? 10;
        writeProblem(opts.targetEnergy ?? NO_TARGET);
        device.queue.writeBuffer(control, 0, new Uint32Array(4));
        const t0 = step;
        for (let done = 0; done <= total; ) {
          const count = Math.min(chunk, total - done);
          const last = done + count === total;
          const u = new ArrayBuffer((count + 1) * STEP_STRIDE);
          const f = new Float32Array(u);
          const w = new Uint32Array(u);
          const enc = device.createCommandEncoder({ label: "sb-run" });
          const pass = enc.beginComputePass();
          const measure = (entry: number, parity: number) => {
            pass.setPipeline(energyPipe);
            pass.setBindGroup(0, energyGroups[parity]);
            pass.setBindGroup(1, stepParams, [entry * STEP_STRIDE]);
            pass.dispatchWorkgroups(wx, wy);
          };
          const reduce = (entry: number, parity: number) => {
            pass.setPipeline(reducePipe);
            pass.setBindGroup(0, reduceGroups[parity]);
            pass.setBindGroup(1, reduceParams, [entry * STEP_STRIDE]);
            pass.dispatchWorkgroups(reduceGroupsX);
          };
          for (let s = 0; s < count; s++) {
            const k = t0 + done + s;
            const check = checkEvery > 0 && (done + s) % checkEvery === 0;
            const o = (s * STEP_STRIDE) / 4;
            f[o] = pumpAt(params, k);
            w[o + 1] = k;
            w[o + 2] = check ? 1 : 0;
            w[o + 3] = k;
            if (check) {
              measure(s, k % 2);
              reduce(s, k % 2);
            }
            pass.setPipeline(stepPipe);
            pass.setBindGroup(0, stepGroups[k % 2]);
            pass.setBindGroup(1, stepParams, [s * STEP_STRIDE]);
            pass.dispatchWorkgroups(wx, wy);
          }
          if (last && opts.measureAtEnd !== false) {
            const k = t0 + total;
            const o = (count * STEP_STRIDE) / 4;
            f[o] = pumpAt(params, k);
            w[o + 1] = k;
            w[o + 2] = 1;
            w[o + 3] = k;
            measure(count, k % 2);
            reduce(count, k % 2);
          }
          pass.end();
          device.queue.writeBuffer(stepUniform, 0, u);
          device.queue.submit([enc.finish()]);
          done += count;
          if (last) break;
        }
        const [ctl, en] = await Promise.all([ctx.read(control, 0, 16), ctx.read(energies, 0, 2 * agentsPad * 4)]);
        const c = new Uint32Array(ctl);
        const stopped = c[0] !== 0;
        step = stopped ? c[1] : t0 + total;
        const e = new Float32Array(en);
        const bestEnergies = Float64Array.from(e.subarray(0, agents), (v) => (v >= NOT_MEASURED ? Infinity : v));
        return { step, stopped, energies: Float64Array.from(e.subarray(agentsPad, agentsPad + agents)), bestEnergies };
      },
      async state(): Promise<SbKernelState> {
        const raw = new Float32Array(await ctx.read(states[step % 2], 0, stateBytes));
        const x = new Float64Array(agents * n);
        const y = new Float64Array(agents * n);
        const yOff = nPad * agentsPad;
        for (let b = 0; b < agents; b++)
          for (let i = 0; i < n; i++) {
            x[b * n + i] = raw[i * agentsPad + b];
            y[b * n + i] = raw[yOff + i * agentsPad + b];
          }
        return { x, y };
      },
      async best() {
        const [en, raw] = await Promise.all([
          ctx.read(energies, 0, agentsPad * 4),
          ctx.read(bits, 0, agentsPad * words * 4),
        ]);
        const e = new Float32Array(en);
        const w = new Uint32Array(raw);
        const spins = new Int8Array(agents * n);
        for (let b = 0; b < agents; b++)
          for (let i = 0; i < n; i++) spins[b * n + i] = (w[b * words + (i >>> 5)] >>> (i & 31)) & 1 ? 1 : -1;
        return {
          energies: Float64Array.from(e.subarray(0, agents), (v) => (v >= NOT_MEASURED ? Infinity : v)),
          spins,
        };
      },
      dispose() {
        for (const b of buffers) b.destroy();
        buffers.length = 0;
      },
    };
    return kernel;
  } catch (err) {
    for (const b of buffers) b.destroy();
    // f16 storage is an optimisation: a driver whose compiler rejects it still runs the f32 kernel.
    if (jType === "f16" && (options.precision ?? "auto") === "auto" && isNqpError(err) && err.code === "gpu-shader")
      return createWgslSbKernel(ctx, setup, { ...options, precision: "f32" });
    throw err;
  }
}
