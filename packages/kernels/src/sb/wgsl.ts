/// <reference types="@webgpu/types" />
import { isNqpError, NqpError, pumpAt, type SbVariant } from "@nqp/core";
import { type BindingKind, BufferUsage, type GpuContext } from "../gpu/context";
import { allExactInHalf, toHalfBits } from "../gpu/half";
import type { SbKernel, SbKernelState, SbRunOptions, SbRunResult, SbSetup } from "./types";
import { checkSbSetup, checkSbState } from "./validate";
import {
  int8Source,
  MATVEC_MAX_AGENTS,
  matvecSource,
  PROBLEM_WORDS,
  reduceSource,
  type SbShape,
  STEP_STRIDE,
  sparseSource,
  TENSOR_CONVENTIONS,
  type TensorBlock,
  type TensorConvention,
  TILE,
  TILE_LARGE,
  tensorPlanes,
  tensorProductSource,
  tensorStagedSource,
  tensorUpdateSource,
  tiled128Source,
  tiledSource,
} from "./wgsl-source";

export interface WgslSbOptions {
  /**
   * Storage of dense couplings. "auto" (default) uses f16 where the device has shader-f16 and every coupling is
   * exactly representable (integer weights up to 2048): half the bytes per step, identical results; the
   * matrix–vector kernel stores integer couplings within ±127 as int8 ("int8"), a quarter of the bytes.
   */
  precision?: "auto" | "f32" | "f16" | "int8";
  /**
   * Force a kernel shape (default, defaultShape below: sparse for CSR input; matvec up to 16 agents (int8 couplings
   * where exact); the int8 tensor-core or DP4A kernels for dSB with integer couplings; tiled otherwise).
   */
  shape?: SbShape;
  /** Steps encoded per submission (default 1024); a run of more steps submits several back to back. */
  stepsPerSubmission?: number;
  /** Result tiles per subgroup of the tensor kernel, rows × agents (default 2 × 2). */
  tensorTiles?: [number, number];
  /** Split-K of the tensor kernel (default 1): workgroups along z sum slices of the spins (TensorBlock.split). */
  tensorSplit?: number;
  /** The tensor kernel's workgroup-memory staging (TensorBlock.staged). */
  tensorStaged?: boolean;
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
  const shape: SbShape = options.shape ?? defaultShape(ctx, setup);
  if (shape === "sparse" && J.format !== "csr")
    throw new NqpError("bad-problem", "the sparse SB kernel needs CSR couplings");
  if (shape !== "sparse" && J.format !== "dense")
    throw new NqpError("bad-problem", `the ${shape} SB kernel needs dense J`);
  if (shape === "matvec" && agents > MATVEC_MAX_AGENTS)
    throw new NqpError("bad-params", `the matvec SB kernel takes at most ${MATVEC_MAX_AGENTS} agents, got ${agents}`);
  const tile = shape === "tiled" ? TILE : TILE_LARGE;
  const tiled = shape !== "matvec" && shape !== "sparse";
  const integerKernel = shape === "int8";
  let block: Omit<TensorBlock, "convention"> | undefined;
  if (shape === "tensor") {
    if (J.format !== "dense") throw new NqpError("bad-problem", "the tensor SB kernel needs dense J");
    const configs = ctx.subgroupMatrixConfigs.filter(
      (c) => c.componentType === "i8" && c.resultComponentType === "i32",
    );
    const config = configs.find((c) => c.M === 16 && c.N === 16) ?? configs[0];
    if (!config)
      throw new NqpError(
        "gpu-feature",
        `${ctx.name} offers no int8 subgroup matrix with i32 sums (chromium-experimental-subgroup-matrix; configs: ${JSON.stringify(ctx.subgroupMatrixConfigs)})`,
      );
    for (let i = 0; i < J.values.length; i++) {
      const v = J.values[i];
      if (!Number.isInteger(v) || Math.abs(v) > 127)
        throw new NqpError(
          "bad-problem",
          `the tensor SB kernel needs integer couplings within ±127: J[${Math.floor(i / n)}][${i % n}] = ${v}`,
        );
    }
    // Defaults measured on an H200 (docs/BENCHMARKS.md): for large batches the staged product, 4 × 4 tiles per
    // subgroup, 2-way split (10.6 M agent-steps/s at 2000 × 1024); for small ones 2 × 2 tiles and a 4-way split,
    // which keep enough subgroups in flight.
    const large = agents >= 512;
    const [rowTiles, agentTiles] = options.tensorTiles ?? (large ? [4, 4] : [2, 2]);
    const split = options.tensorSplit ?? (large ? 2 : 4);
    // The staged product indexes four subgroups of 32 in a 128-thread workgroup.
    const warps = ctx.hasSubgroups && ctx.adapter.subgroupMinSize === 32 && ctx.adapter.subgroupMaxSize === 32;
    if (options.tensorStaged && !warps)
      throw new NqpError(
        "gpu-feature",
        `the staged tensor kernel needs subgroups of exactly 32 invocations; ${ctx.name} has ${ctx.adapter.subgroupMinSize}–${ctx.adapter.subgroupMaxSize}`,
      );
    const staged = options.tensorStaged ?? (large && warps);
    block = { M: config.M, N: config.N, K: config.K, rowTiles, agentTiles, split, staged };
    if (!Number.isInteger(split) || split < 1 || (Math.ceil(n / TILE_LARGE) * TILE_LARGE) % (split * config.K))
      throw new NqpError("bad-params", `tensor split ${split} must divide the padded spins into slices of ${config.K}`);
    if (TILE_LARGE % (config.M * rowTiles) || TILE_LARGE % (config.N * agentTiles) || TILE_LARGE % config.K)
      throw new NqpError(
        "bad-params",
        `tensor tiles ${rowTiles}×${agentTiles} of ${config.M}×${config.N} do not divide 128`,
      );
  }
  if (integerKernel) {
    if (variant !== "discrete")
      throw new NqpError("bad-params", `the ${shape} SB kernel runs dSB only (variant discrete), got ${variant}`);
    if (J.format !== "dense") throw new NqpError("bad-problem", `the ${shape} SB kernel needs dense J`);
    // i32 sums of int8 products cannot overflow below 2³¹ / 127² ≈ 133 000 spins.
    for (let i = 0; i < n; i++)
      for (let j = 0; j < n; j++) {
        const v = J.values[i * n + j];
        if (!Number.isInteger(v) || Math.abs(v) > 127)
          throw new NqpError(
            "bad-problem",
            `the ${shape} SB kernel needs integer couplings within ±127: J[${i}][${j}] = ${v}`,
          );
      }
  }
  const nPad = shape === "sparse" ? n : Math.ceil(n / tile) * tile;
  const agentsPad = tiled ? Math.ceil(agents / tile) * tile : Math.ceil(agents / 4) * 4;
  const words = Math.ceil(n / 32);
  const partialRows = tiled ? nPad / tile : n;
  const chunk = Math.max(1, Math.floor(options.stepsPerSubmission ?? 1024));

  let jType: "f32" | "f16" | "i8" = "f32";
  if (shape !== "sparse") {
    const wantF16 = options.precision ?? "auto";
    if (wantF16 === "f16" && !ctx.hasF16)
      throw new NqpError("gpu-feature", `${ctx.name} has no shader-f16: use precision f32`);
    if (wantF16 === "f16" || (wantF16 === "auto" && ctx.hasF16 && allExactInHalf(J.values))) jType = "f16";
    // The matrix–vector kernel reads all of J every step: int8 where exact, a quarter of the f32 bytes.
    if (shape === "matvec" && (options.precision ?? "auto") === "auto" && integerCouplings(J.values, 127)) jType = "i8";
    if (shape === "matvec" && options.precision === "int8") {
      if (!integerCouplings(J.values, 127))
        throw new NqpError("bad-problem", "int8 couplings must be integers within ±127");
      jType = "i8";
    }
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
      const padded =
        jType === "i8"
          ? new Uint32Array((nPad * nPad) / 4)
          : jType === "f16"
            ? new Uint16Array(nPad * nPad)
            : new Float32Array(nPad * nPad);
      for (let i = 0; i < n; i++)
        for (let j = 0; j < n; j++) {
          const v = J.values[i * n + j];
          if (jType === "i8") padded[(i * nPad + j) >> 2] |= (v & 0xff) << (8 * (j & 3));
          else padded[i * nPad + j] = jType === "f16" ? toHalfBits(v) : v;
        }
      coupling.push(await make("sb-couplings", padded.byteLength, padded));
    }
    // int8: the couplings again, four to a word along k, k-word-major (see int8Source).
    let packedJ: GPUBuffer | undefined;
    if (shape === "int8") {
      const words = new Uint32Array((nPad / 4) * nPad);
      for (let i = 0; i < n; i++)
        for (let j = 0; j < n; j++) words[(j >> 2) * nPad + i] |= (J.values[i * n + j] & 0xff) << (8 * (j & 3));
      packedJ = await make("sb-couplings-int8", words.byteLength, words);
    }
    const stateBytes = 2 * nPad * agentsPad * 4;
    const states = [await make("sb-state-0", stateBytes), await make("sb-state-1", stateBytes)];
    const signBytes = (nPad / 4) * agentsPad * 4;
    const signs = shape === "int8" ? [await make("sb-signs-0", signBytes), await make("sb-signs-1", signBytes)] : [];
    // tensor: J in int8 (row-major, four to a word), the product's planes F = J·Φ between the two passes of a step,
    // and the int8 planes of Φ (tensorPlanes).
    let tensorBufs: { J: GPUBuffer; F: GPUBuffer; phi: GPUBuffer[] } | undefined;
    if (shape === "tensor") {
      const words = new Uint32Array((nPad * nPad) / 4);
      for (let i = 0; i < n; i++)
        for (let j = 0; j < n; j++) words[(i * nPad + j) >> 2] |= (J.values[i * n + j] & 0xff) << (8 * (j & 3));
      const planes = tensorPlanes(variant);
      const plane = nPad * agentsPad;
      tensorBufs = {
        J: await make("sb-couplings-int8-rows", words.byteLength, words),
        F: await make("sb-product", (block?.split ?? 1) * planes * plane * 4),
        phi: [
          await make("sb-phi-0", plane),
          await make("sb-phi-1", planes > 1 ? plane : 16),
          await make("sb-phi-2", planes > 2 ? plane : 16),
        ],
      };
    }
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
    const int8Layout = ctx.layout([["uniform", "read", "read", "rw", "rw", "read", "rw"], ["dynamic-uniform"]]);
    const productLayout = ctx.layout([["uniform", "read", "read", "read", "read", "rw", "rw"], ["dynamic-uniform"]]);
    const updateLayout = ctx.layout([["uniform", "read", "read", "rw", "rw", "rw", "rw", "rw"], ["dynamic-uniform"]]);
    const reduceLayout = ctx.layout([["uniform", "read", "read", "rw", "rw", "rw"], ["dynamic-uniform"]]);
    // i8 storage is the matrix–vector kernel's alone.
    const jDense = jType === "i8" ? "f32" : jType;
    const source = (pass: "step" | "energy") =>
      shape === "tiled"
        ? tiledSource(variant, pass, jDense)
        : shape === "tiled128" || ((integerKernel || shape === "tensor") && pass === "energy")
          ? tiled128Source(variant, pass, jDense)
          : shape === "int8"
            ? int8Source(variant)
            : shape === "tensor"
              ? tensorUpdateSource(variant, block?.split)
              : shape === "matvec"
                ? matvecSource(variant, pass, jType, agentsPad, nPad)
                : sparseSource(variant, pass);
    const [stepPipe, energyPipe, reducePipe, productPipe] = await Promise.all([
      ctx.pipeline(
        `sb-${shape}-${variant}-${jType}-step`,
        source("step"),
        shape === "int8" ? int8Layout : shape === "tensor" ? updateLayout : stepLayout,
      ),
      ctx.pipeline(`sb-${shape}-energy`, source("energy"), stepLayout),
      ctx.pipeline("sb-reduce", reduceSource, reduceLayout),
      block ? tensorProductPipeline(ctx, variant, block, productLayout) : undefined,
    ]);
    const stepGroup = (pipe: GPUComputePipeline, parity: number) =>
      device.createBindGroup({
        layout: pipe.getBindGroupLayout(0),
        entries: [problemUniform, ...coupling, states[parity], states[1 - parity], control, partial].map(
          (buffer, binding) => ({ binding, resource: { buffer } }),
        ),
      });
    const int8Group = (parity: number) =>
      device.createBindGroup({
        layout: stepPipe.getBindGroupLayout(0),
        entries: [
          problemUniform,
          packedJ as GPUBuffer,
          states[parity],
          states[1 - parity],
          control,
          signs[parity],
          signs[1 - parity],
        ].map((buffer, binding) => ({ binding, resource: { buffer } })),
      });
    const tensorGroup = (parity: number) => {
      const t = tensorBufs as NonNullable<typeof tensorBufs>;
      return device.createBindGroup({
        layout: stepPipe.getBindGroupLayout(0),
        entries: [problemUniform, t.F, states[parity], states[1 - parity], control, ...t.phi].map(
          (buffer, binding) => ({ binding, resource: { buffer } }),
        ),
      });
    };
    const stepGroups =
      shape === "int8"
        ? [int8Group(0), int8Group(1)]
        : shape === "tensor"
          ? [tensorGroup(0), tensorGroup(1)]
          : [stepGroup(stepPipe, 0), stepGroup(stepPipe, 1)];
    const productGroup =
      productPipe && tensorBufs
        ? device.createBindGroup({
            layout: productPipe.getBindGroupLayout(0),
            entries: [problemUniform, tensorBufs.J, ...tensorBufs.phi, tensorBufs.F, control].map(
              (buffer, binding) => ({ binding, resource: { buffer } }),
            ),
          })
        : undefined;
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
    const elementwise = (count: number): [number, number] => {
      const groups = Math.ceil(count / 64);
      const x = Math.min(groups, 65535);
      return [x, Math.ceil(groups / x)];
    };
    const [ux, uy] = elementwise((nPad * agentsPad) / 4);
    /** One step: the fused kernel, or (tensor) the product then the update. */
    const encodeStep = (pass: GPUComputePassEncoder, entry: number, parity: number) => {
      if (productPipe && productGroup && block) {
        pass.setPipeline(productPipe);
        pass.setBindGroup(0, productGroup);
        pass.setBindGroup(1, stepParams, [entry * STEP_STRIDE]);
        const grid = block.staged ? 2 : 1;
        pass.dispatchWorkgroups(
          agentsPad / (grid * block.N * block.agentTiles),
          nPad / (grid * block.M * block.rowTiles),
          block.split,
        );
        pass.setPipeline(stepPipe);
        pass.setBindGroup(0, stepGroups[parity]);
        pass.setBindGroup(1, stepParams, [entry * STEP_STRIDE]);
        pass.dispatchWorkgroups(ux, uy);
        return;
      }
      pass.setPipeline(stepPipe);
      pass.setBindGroup(0, stepGroups[parity]);
      pass.setBindGroup(1, stepParams, [entry * STEP_STRIDE]);
      pass.dispatchWorkgroups(wx, wy);
    };
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
        if (shape === "int8") {
          // sgn x of each spin, four spins to a word (int8 lanes), for the first step's product.
          const q = new Uint32Array((nPad / 4) * agentsPad);
          for (let i = 0; i < n; i++)
            for (let b = 0; b < agents; b++)
              q[(i >> 2) * agentsPad + b] |= (Math.sign(data[i * agentsPad + b]) & 0xff) << (8 * (i & 3));
          device.queue.writeBuffer(signs[step % 2], 0, q);
        }
        if (tensorBufs) {
          // The int8 planes of Φ for the starting x, as the update pass writes them (tensorPlanes).
          const plane = nPad * agentsPad;
          const planes = tensorPlanes(variant);
          const phi = [new Int8Array(plane), new Int8Array(plane), new Int8Array(plane)];
          for (let i = 0; i < plane; i++) {
            const x = data[i];
            if (planes === 1) phi[0][i] = Math.sign(x);
            else {
              const q = roundHalfEven(Math.max(-1.98, Math.min(1.98, x)) * 1048576);
              const d2 = ((q + 64) & 127) - 64;
              const q1 = (q - d2) >> 7;
              const d1 = ((q1 + 64) & 127) - 64;
              phi[0][i] = (q1 - d1) >> 7;
              phi[1][i] = d1;
              phi[2][i] = d2;
            }
          }
          for (let p = 0; p < planes; p++) device.queue.writeBuffer(tensorBufs.phi[p], 0, phi[p]);
        }
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
            encodeStep(pass, s, k % 2);
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
    // So are the integer kernels picked by default: where one fails to build, the next one down runs.
    if (!options.shape && (shape === "tensor" || shape === "int8") && isNqpError(err) && /gpu-/.test(err.code))
      return createWgslSbKernel(ctx, setup, { ...options, shape: shape === "tensor" ? "int8" : "tiled" });
    throw err;
  }
}

/** WGSL's round (half to even), for the host's copy of what the update pass computes. */
function roundHalfEven(v: number): number {
  const r = Math.round(v);
  return r - v === 0.5 && r % 2 !== 0 ? r - 1 : r;
}

/**
 * The tensor kernel's product pipeline, in the subgroup-matrix convention this Dawn follows (TensorConvention):
 * probed once per device with a small non-symmetric integer product checked on the host.
 */
async function tensorProductPipeline(
  ctx: GpuContext,
  variant: SbVariant,
  block: Omit<TensorBlock, "convention">,
  layout: GPUPipelineLayout,
): Promise<GPUComputePipeline> {
  const convention = await probeTensorConvention(ctx, block, layout);
  const label = `sb-tensor-${variant}-product-${block.rowTiles}x${block.agentTiles}`;
  const source = block.staged ? tensorStagedSource : tensorProductSource;
  return ctx.pipeline(`${label}${block.staged ? "-staged" : ""}`, source(variant, { ...block, convention }), layout);
}

const conventions = new WeakMap<GpuContext, Promise<TensorConvention>>();

export function probeTensorConvention(
  ctx: GpuContext,
  block: Omit<TensorBlock, "convention">,
  layout: GPUPipelineLayout,
): Promise<TensorConvention> {
  let p = conventions.get(ctx);
  if (!p) {
    p = findTensorConvention(ctx, block, layout);
    conventions.set(ctx, p);
  }
  return p;
}

async function findTensorConvention(
  ctx: GpuContext,
  block: Omit<TensorBlock, "convention">,
  layout: GPUPipelineLayout,
): Promise<TensorConvention> {
  const { device } = ctx;
  // A 64 × 64 by 64 × 32 product of small integers, J not symmetric so that a transposed load shows.
  const n = 64;
  const B = 32;
  const J = new Int8Array(n * n);
  const phi = new Int8Array(n * B);
  for (let i = 0; i < J.length; i++) J[i] = ((i * 7919 + 13) % 7) - 3;
  for (let i = 0; i < phi.length; i++) phi[i] = ((i * 104729 + 5) % 3) - 1;
  const want = new Int32Array(n * B);
  for (let i = 0; i < n; i++)
    for (let b = 0; b < B; b++) {
      let s = 0;
      for (let k = 0; k < n; k++) s += J[i * n + k] * phi[k * B + b];
      want[i * B + b] = s;
    }
  const problem = new Uint32Array(PROBLEM_WORDS);
  problem.set([n, n, B, B]);
  const bufs: GPUBuffer[] = [];
  const make = async (label: string, data: ArrayBufferView, usage?: number) => {
    const b = await ctx.buffer(label, Math.max(16, data.byteLength), usage, data);
    bufs.push(b);
    return b;
  };
  try {
    const uniform = await make("sb-probe-problem", problem, BufferUsage.UNIFORM | BufferUsage.COPY_DST);
    const step = await make("sb-probe-step", new Uint32Array(64), BufferUsage.UNIFORM | BufferUsage.COPY_DST);
    const jBuf = await make("sb-probe-j", J);
    const phiBuf = await make("sb-probe-phi", phi);
    const spare = await make("sb-probe-spare", new Int8Array(16));
    const out = await make("sb-probe-f", new Int32Array(n * B));
    const control = await make("sb-probe-control", new Uint32Array(4));
    const tried: string[] = [];
    const small = { ...block, rowTiles: 1, agentTiles: 1, split: 1 };
    for (const convention of TENSOR_CONVENTIONS) {
      let pipe: GPUComputePipeline;
      try {
        pipe = await ctx.pipeline("sb-tensor-probe", tensorProductSource("discrete", { ...small, convention }), layout);
      } catch (err) {
        tried.push(`${JSON.stringify(convention)}: ${(err as Error).message.split("\n")[0]}`);
        continue;
      }
      device.queue.writeBuffer(out, 0, new Int32Array(n * B).fill(-12345));
      const enc = device.createCommandEncoder();
      const pass = enc.beginComputePass();
      pass.setPipeline(pipe);
      pass.setBindGroup(
        0,
        device.createBindGroup({
          layout: pipe.getBindGroupLayout(0),
          entries: [uniform, jBuf, phiBuf, spare, spare, out, control].map((buffer, binding) => ({
            binding,
            resource: { buffer },
          })),
        }),
      );
      pass.setBindGroup(
        1,
        device.createBindGroup({
          layout: pipe.getBindGroupLayout(1),
          entries: [{ binding: 0, resource: { buffer: step, size: 16 } }],
        }),
        [0],
      );
      pass.dispatchWorkgroups(B / small.N, n / small.M);
      pass.end();
      device.queue.submit([enc.finish()]);
      const got = new Int32Array(await ctx.read(out, 0, n * B * 4));
      let wrong = 0;
      for (let i = 0; i < got.length; i++) if (got[i] !== want[i]) wrong++;
      if (wrong === 0) return convention;
      tried.push(`${JSON.stringify(convention)}: ${wrong} of ${got.length} products wrong`);
    }
    throw new NqpError(
      "gpu-shader",
      `${ctx.name}: no known spelling of Dawn's int8 subgroup matrices multiplies correctly here (${tried.join("; ")})`,
    );
  } finally {
    for (const b of bufs) b.destroy();
  }
}

/** Every coupling an integer within ±limit (what the int8 kernels multiply exactly). */
function integerCouplings(values: ArrayLike<number>, limit: number): boolean {
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (!Number.isInteger(v) || Math.abs(v) > limit) return false;
  }
  return true;
}

/**
 * The kernel shape for a problem, fastest first as measured on an H200 through Dawn/Vulkan (docs/BENCHMARKS.md):
 * dSB with integer couplings within ±127 on the int8 tensor cores (Dawn's subgroup matrices) where the adapter has
 * them, else DP4A for a multiple of 128 agents; the 64-tile f32 kernel otherwise (faster there than the 128-tile one);
 * the matrix–vector kernel up to 16 agents; CSR couplings on the sparse kernel.
 */
function defaultShape(ctx: GpuContext, setup: SbSetup): SbShape {
  const { J, params, agents } = setup;
  if (J.format === "csr") return "sparse";
  if (agents <= MATVEC_MAX_AGENTS) return "matvec";
  if (params.variant === "discrete" && integerCouplings(J.values, 127)) {
    const tensor = ctx.subgroupMatrixConfigs.some((c) => c.componentType === "i8" && c.resultComponentType === "i32");
    if (tensor && agents >= 64) return "tensor";
    if (agents >= TILE_LARGE && agents % TILE_LARGE === 0) return "int8";
  }
  return "tiled";
}
