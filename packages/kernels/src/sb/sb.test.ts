import { existsSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import {
  bruteForceIsing,
  createIsing,
  createRng,
  csrFromTriplets,
  denseMatrix,
  initialSbState,
  type SbParams,
  type SbState,
  type SbVariant,
  type SquareMatrix,
  sbReferenceStep,
  solveSb,
} from "@nqp/core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createKernelRuntime, type KernelRuntime } from "../backend/runtime";
import type { GpuContext } from "../gpu/context";
import { gpuSkipReason, openTestGpu, testGpuOptions } from "../testing";
import { createSbKernel } from "./create";
import { sbEnergy } from "./energy";
import { createOrtSbKernel } from "./ort";
import { createSbStepper } from "./stepper";
import { createTsSbKernel } from "./ts";
import type { SbKernel, SbSetup } from "./types";
import { createWgslSbKernel } from "./wgsl";
import type { SbShape } from "./wgsl-source";

/** A random ±1 coupling graph of the given density (G-set-like), dense or CSR. */
function randomCouplings(n: number, density: number, seed: number, format: "dense" | "csr"): SquareMatrix {
  const rng = createRng(seed);
  const rows: number[] = [];
  const cols: number[] = [];
  const vals: number[] = [];
  for (let i = 0; i < n; i++)
    for (let j = i + 1; j < n; j++)
      if (rng.next() < density) {
        rows.push(i);
        cols.push(j);
        vals.push(rng.next() < 0.5 ? -1 : 1);
      }
  const csr = csrFromTriplets(n, rows, cols, vals, { symmetric: true });
  if (format === "csr") return csr;
  const d = denseMatrix(n);
  for (let i = 0; i < n; i++)
    for (let k = csr.rowPtr[i]; k < csr.rowPtr[i + 1]; k++) d.values[i * n + csr.colIndex[k]] = csr.values[k];
  return d;
}

function params(variant: SbVariant, n: number, steps = 100): SbParams {
  return {
    variant,
    a0: 1,
    c0: 0.5 / (Math.sqrt(0.2) * Math.sqrt(n)),
    dt: 0.5,
    kerr: 1,
    heat: variant === "ballistic" ? 0.05 : 0,
    steps,
  };
}

/** Core's reference, `steps` steps from `start`. */
function reference(J: SquareMatrix, p: SbParams, start: SbState, steps: number): SbState {
  let s = { ...start, x: Float64Array.from(start.x), y: Float64Array.from(start.y) };
  for (let k = 0; k < steps; k++) s = sbReferenceStep(J, p, s) as typeof s;
  return s;
}

const maxDiff = (a: ArrayLike<number>, b: ArrayLike<number>) => {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]));
  return m;
};

/**
 * Parity with core's sbReferenceStep (float64): float32 kernels stay within 1e-4 of it over 30 steps (measured
 * ≈ 3e-7; the dynamics are chaotic, so longer horizons are compared by solution quality, not trajectories), and
 * every measured energy is exactly the energy of the spins the kernel reports (integer couplings: float32 sums
 * of integers below 2²⁴ are exact).
 */
async function checkParity(kernel: SbKernel, setup: SbSetup) {
  const { J, params: p, agents } = setup;
  const start = initialSbState(agents, J.n, createRng(11));
  await kernel.setState(start);
  const r1 = await kernel.run({ steps: 30, checkEvery: 10 });
  expect(r1.step).toBe(30);
  expect(r1.stopped).toBe(false);
  const ref = reference(J, p, start, 30);
  const got = await kernel.state();
  expect(maxDiff(got.x, ref.x)).toBeLessThan(1e-4);
  expect(maxDiff(got.y, ref.y)).toBeLessThan(1e-4);
  for (let a = 0; a < agents; a++) expect(r1.energies[a]).toBeCloseTo(sbEnergy(J, got.x, a * J.n), 3);
  const best = await kernel.best();
  for (let a = 0; a < agents; a++) {
    expect(best.energies[a]).toBeLessThanOrEqual(r1.energies[a]);
    expect(best.energies[a]).toBeCloseTo(sbEnergy(J, best.spins, a * J.n), 3);
  }
  // Resuming continues the schedule where it stopped.
  const r2 = await kernel.run({ steps: 5, checkEvery: 0 });
  expect(r2.step).toBe(35);
  const ref2 = reference(J, p, ref, 5);
  expect(maxDiff((await kernel.state()).x, ref2.x)).toBeLessThan(2e-4);
}

/** Early stop on the device: a target every agent beats at once stops at the first measurement. */
async function checkEarlyStop(kernel: SbKernel, setup: SbSetup) {
  const { J, agents } = setup;
  await kernel.setState(initialSbState(agents, J.n, createRng(12)));
  const free = await kernel.run({ steps: 40, checkEvery: 10 });
  const target = Math.max(...free.energies) + 1e6;
  await kernel.setState(initialSbState(agents, J.n, createRng(12)));
  const r = await kernel.run({ steps: 1000, checkEvery: 10, targetEnergy: target });
  expect(r.stopped).toBe(true);
  expect(r.step).toBe(0);
  // A target that is reached part way: the run stops at a measurement, with the best energy at or below it.
  await kernel.setState(initialSbState(agents, J.n, createRng(12)));
  const mid = free.bestEnergies.reduce((m, e) => Math.min(m, e), Infinity);
  const r2 = await kernel.run({ steps: 40, checkEvery: 10, targetEnergy: mid });
  expect(r2.stopped).toBe(true);
  expect(r2.step % 10).toBe(0);
  expect(Math.min(...r2.bestEnergies)).toBeLessThanOrEqual(mid + 1e-3);
}

const variants: SbVariant[] = ["adiabatic", "ballistic", "discrete"];

describe("SB, ts back end (core's sbAdvance)", () => {
  for (const variant of variants)
    it(`${variant}: matches core's reference`, async () => {
      const setup = { J: randomCouplings(60, 0.2, 1, "dense"), params: params(variant, 60), agents: 5 };
      await checkParity(createTsSbKernel(setup), setup);
    });
  it("stops early at the target", async () => {
    const setup = { J: randomCouplings(40, 0.3, 2, "csr"), params: params("discrete", 40), agents: 4 };
    await checkEarlyStop(createTsSbKernel(setup), setup);
  });
  it("rejects a state of the wrong size and bad parameters", async () => {
    const setup = { J: randomCouplings(10, 0.5, 3, "dense"), params: params("ballistic", 10), agents: 2 };
    await expect(createTsSbKernel(setup).setState({ x: new Float64Array(5), y: new Float64Array(5) })).rejects.toThrow(
      /expected agents×n = 2×10 = 20/,
    );
    expect(() => createTsSbKernel({ ...setup, agents: 0 })).toThrow(/agents must be a positive integer/);
    expect(() => createTsSbKernel({ ...setup, params: { ...setup.params, dt: Number.NaN } })).toThrow(/dt must be/);
  });
});

describe("SB, ort-cpu back end (ONNX graphs on ORT)", () => {
  let runtime: KernelRuntime;
  beforeAll(() => {
    runtime = createKernelRuntime({ threads: 1 });
  });
  for (const variant of variants)
    it(`${variant}: matches core's reference`, async () => {
      const setup = { J: randomCouplings(50, 0.2, 4, "csr"), params: params(variant, 50), agents: 6 };
      const k = await createOrtSbKernel(await runtime.ort(), "cpu", setup, { threads: 1, maxUnroll: 7 });
      await checkParity(k, setup);
      k.dispose();
    });
  it("stops early at the target", async () => {
    const setup = { J: randomCouplings(40, 0.3, 5, "dense"), params: params("ballistic", 40), agents: 3 };
    const k = await createOrtSbKernel(await runtime.ort(), "cpu", setup, { threads: 1 });
    await checkEarlyStop(k, setup);
    k.dispose();
  });
});

const gpuSkip = gpuSkipReason();
describe.skipIf(gpuSkip !== undefined)("SB, GPU back ends (WGSL on Dawn; ORT WebGPU)", () => {
  let gpu: GpuContext;
  let runtime: KernelRuntime;
  beforeAll(async () => {
    gpu = await openTestGpu();
    runtime = createKernelRuntime({ gpu: testGpuOptions(), gpuContext: gpu, threads: 1 });
  });
  afterAll(() => {
    gpu?.destroy();
    runtime?.dispose();
  });
  // Every variant on the tiled and sparse kernels; the matvec kernel shares their update code, so dSB (the one whose
  // product differs) covers it. Sizes are small because SwiftShader runs the kernels on the CPU.
  type Case = { shape: SbShape; variant: SbVariant; n: number; agents: number; format: "dense" | "csr" };
  const cases: Case[] = [
    // The tiled kernels share the update code with the sparse one (tested with every variant below); what differs
    // is the product, φ(x) for dSB (here) or x (the early-stop and auto tests below run bSB on the tiled kernel).
    { shape: "tiled", variant: "discrete", n: 60, agents: 20, format: "dense" },
    { shape: "matvec", variant: "discrete", n: 40, agents: 3, format: "dense" },
    { shape: "tiled128", variant: "discrete", n: 100, agents: 128, format: "dense" },
    // dSB's integer product: DP4A on int8 couplings and signs.
    { shape: "int8", variant: "discrete", n: 100, agents: 128, format: "dense" },
    // Tensor cores (Dawn's int8 subgroup matrices; SwiftShader has none, build/gpu-check.sh runs these on a GPU).
    ...variants.map((variant): Case => ({ shape: "tensor", variant, n: 100, agents: 128, format: "dense" })),
    ...variants.map((variant): Case => ({ shape: "sparse", variant, n: 90, agents: 9, format: "csr" })),
  ];
  for (const { shape, variant, n, agents, format } of cases)
    it(`wgsl ${shape} kernel, ${variant}: matches core's reference`, async () => {
      if (shape === "tensor" && !gpu.subgroupMatrixConfigs.some((c) => c.componentType === "i8")) return;
      const setup = { J: randomCouplings(n, 0.2, 6, format), params: params(variant, n), agents };
      const k = await createWgslSbKernel(gpu, setup, { shape });
      await checkParity(k, setup);
      k.dispose();
    });
  for (const shape of ["tiled", "sparse"] as const)
    it(`wgsl ${shape} kernel stops early on the device`, async () => {
      const setup = {
        J: randomCouplings(50, 0.3, 7, shape === "sparse" ? "csr" : "dense"),
        params: params(shape === "tiled" ? "ballistic" : "discrete", 50),
        agents: 20,
      };
      const k = await createWgslSbKernel(gpu, setup, { shape, stepsPerSubmission: 16 });
      await checkEarlyStop(k, setup);
      k.dispose();
    });
  it("wgsl int8 kernel stops early and refuses what it cannot compute exactly", async () => {
    const setup = { J: randomCouplings(50, 0.3, 7, "dense"), params: params("discrete", 50), agents: 128 };
    const k = await createWgslSbKernel(gpu, setup, { shape: "int8", stepsPerSubmission: 16 });
    await checkEarlyStop(k, setup);
    k.dispose();
    await expect(
      createWgslSbKernel(gpu, { ...setup, params: params("ballistic", 50) }, { shape: "int8" }),
    ).rejects.toThrow(/dSB only/);
    const J = randomCouplings(50, 0.3, 7, "dense");
    J.values[1] = J.values[50] = 0.5;
    await expect(createWgslSbKernel(gpu, { ...setup, J }, { shape: "int8" })).rejects.toThrow(/J\[0\]\[1\] = 0.5/);
  });
  it("wgsl reports a buffer over the adapter's limit as an error to act on", async () => {
    const n = 40000;
    const big = {
      format: "csr" as const,
      n,
      rowPtr: new Int32Array(n + 1),
      colIndex: new Int32Array(0),
      values: new Float64Array(0),
    };
    await expect(createWgslSbKernel(gpu, { J: big, params: params("ballistic", n), agents: 8192 })).rejects.toThrow(
      /allows at most .* MiB per buffer: use fewer agents/,
    );
  });
  it("ort-webgpu: matches core's reference with the state kept on the device", async () => {
    const setup = { J: randomCouplings(48, 0.25, 8, "dense"), params: params("discrete", 48), agents: 4 };
    const k = await createOrtSbKernel(await runtime.ort(), "webgpu", setup, { gpu: testGpuOptions(), maxUnroll: 10 });
    await checkParity(k, setup);
    k.dispose();
  });
  it("auto picks wgsl when an adapter is there", async () => {
    const setup = { J: randomCouplings(30, 0.3, 9, "dense"), params: params("ballistic", 30), agents: 20 };
    const k = await createSbKernel(runtime, setup);
    expect(k.selection.backend).toBe("wgsl");
    expect(k.selection.attempts).toEqual([{ backend: "wgsl", ok: true, detail: k.device }]);
    k.dispose();
  });
});

describe("SB stepper for core's solveSb", () => {
  it("advances core's state like the reference and solves a small model to its ground state", async () => {
    const runtime = createKernelRuntime({ backend: "ort-cpu", threads: 1 });
    const stepper = createSbStepper(runtime);
    const J = randomCouplings(14, 0.5, 21, "dense");
    const p = params("discrete", 14, 200);
    const state = initialSbState(4, 14, createRng(3));
    const start = { ...state, x: Float64Array.from(state.x), y: Float64Array.from(state.y) };
    await stepper.advance(J, p, state, 7);
    await stepper.advance(J, p, state, 5);
    expect(state.step).toBe(12);
    expect(maxDiff(state.x, reference(J, p, start, 12).x)).toBeLessThan(1e-4);
    expect(stepper.selection?.backend).toBe("ort-cpu");
    const model = createIsing({ J });
    const result = await solveSb(model, { stepper, agents: 8, steps: 200, seed: 4 });
    expect(result.energy).toBeCloseTo(bruteForceIsing(model).energy, 9);
    stepper.dispose();
    runtime.dispose();
  });
});

describe("SB back end selection", () => {
  it("auto tries the back ends in order and says why each faster one was skipped", async () => {
    const lines: string[] = [];
    // No software adapter allowed: on a machine without a GPU, wgsl, ort-cuda and ort-webgpu are skipped.
    const runtime = createKernelRuntime({ threads: 1, log: (l) => lines.push(l) });
    const setup = { J: randomCouplings(20, 0.3, 10, "dense"), params: params("discrete", 20), agents: 2 };
    const k = await createSbKernel(runtime, setup);
    const order = ["wgsl", "ort-cuda", "ort-webgpu", "ort-cpu", "ts"];
    const tried = k.selection.attempts.map((a) => a.backend);
    expect(order.slice(0, tried.length)).toEqual(tried);
    expect(k.selection.attempts.at(-1)).toEqual({ backend: k.backend, ok: true, detail: k.device });
    for (const a of k.selection.attempts.slice(0, -1)) {
      expect(a.ok).toBe(false);
      expect(a.detail.length).toBeGreaterThan(10);
    }
    if (tried.includes("ort-cuda"))
      expect(k.selection.attempts.find((a) => a.backend === "ort-cuda")?.detail).toMatch(/CUDA|cuda/);
    expect(lines).toEqual([expect.stringMatching(/^kernels: sb: /)]);
    k.dispose();
    runtime.dispose();
  });
  const cudaInstalled = existsSync(
    join(
      dirname(createRequire(import.meta.url).resolve("onnxruntime-node")),
      "../bin/napi-v6/linux/x64/libonnxruntime_providers_cuda.so",
    ),
  );
  it.skipIf(cudaInstalled)("an explicit back end that cannot start is an error naming what is missing", async () => {
    const runtime = createKernelRuntime({ backend: "ort-cuda" });
    const setup = { J: randomCouplings(10, 0.3, 11, "dense"), params: params("discrete", 10), agents: 1 };
    await expect(createSbKernel(runtime, setup)).rejects.toThrow(/sb: no back end could run it \(ort-cuda: /);
    runtime.dispose();
  });
  it("a problem no back end accepts is reported once, not as unavailable back ends", async () => {
    const runtime = createKernelRuntime({ backend: "auto" });
    const setup = { J: randomCouplings(10, 0.3, 11, "dense"), params: params("discrete", 10), agents: -1 };
    await expect(createSbKernel(runtime, setup)).rejects.toThrow(/agents must be a positive integer/);
    runtime.dispose();
  });
});
