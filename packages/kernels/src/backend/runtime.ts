import { isNqpError, NqpError } from "@nqp/core";
import type { GpuContext } from "../gpu/context";
import { type GpuOptions, openDawnGpu } from "../gpu/dawn";
import { GraphBuilder } from "../onnx/graph";
import { createOrtSession, loadOrt, type OrtModule, type OrtProvider } from "../onnx/runtime";
import { compileReservoirWasm, type ReservoirWasm } from "../reservoir/wasm";
import { autoOrder, type BackendChoice, type BackendName, backendNames } from "./names";

export interface KernelRuntimeOptions {
  /** Back end for every kernel made through this runtime (default "auto"). */
  backend?: BackendChoice;
  gpu?: GpuOptions;
  /** A device the host already has (an Electron renderer's, a test's): used instead of opening one; not destroyed. */
  gpuContext?: GpuContext;
  /** ORT CPU threads (default: every core). */
  threads?: number;
  /** Receives one line per kernel saying which back end runs it and why the faster ones were skipped. */
  log?: (line: string) => void;
}

/** One back end tried for a kernel: the device it runs on, or why it could not be used. */
export interface BackendAttempt {
  backend: BackendName;
  ok: boolean;
  /** The device ("NVIDIA H200 (nvidia, hopper)") when ok, else the reason. */
  detail: string;
}

/** Which back end runs a kernel, for CLI output, agent status and metrics. */
export interface KernelSelection {
  kernel: string;
  requested: BackendChoice;
  backend: BackendName;
  device: string;
  /** Every back end tried, in order, the chosen one last. */
  attempts: BackendAttempt[];
}

export interface KernelRuntime {
  readonly options: KernelRuntimeOptions;
  /** The WebGPU device (opened once; a failure is remembered and rethrown). */
  gpu(): Promise<GpuContext>;
  ort(): Promise<OrtModule>;
  /**
   * Builds a kernel on the requested back end, or for "auto" on the first of `order` (default wgsl → ort-cuda →
   * ort-webgpu → ort-cpu → ts) that builds, recording why each faster one was skipped.
   */
  select<K extends { device: string }>(
    kernel: string,
    build: (backend: BackendName) => Promise<K>,
    choice?: BackendChoice,
    order?: readonly BackendName[],
  ): Promise<{ kernel: K; selection: KernelSelection }>;
  /** The reservoir kernels' WebAssembly, assembled once. */
  wasm(): Promise<ReservoirWasm>;
  /** Whether each back end initialises on this machine, and on what. */
  probe(): Promise<BackendAttempt[]>;
  /** Releases the GPU device. Kernels made by this runtime must be disposed first. */
  dispose(): void;
}

/** Where a kernel runs, as one line: "sb: ort-cpu (onnxruntime cpu, 2 threads); skipped wgsl: no GPU adapter: …". */
export function describeSelection(s: KernelSelection): string {
  const skipped = s.attempts.filter((a) => !a.ok).map((a) => `${a.backend}: ${a.detail}`);
  return `${s.kernel}: ${s.backend} (${s.device})${skipped.length ? `; skipped ${skipped.join("; ")}` : ""}`;
}

function reason(err: unknown): string {
  if (isNqpError(err)) return err.message;
  return err instanceof Error ? err.message.split("\n")[0] : String(err);
}

export function createKernelRuntime(options: KernelRuntimeOptions = {}): KernelRuntime {
  let gpu: Promise<GpuContext> | undefined;
  let ort: Promise<OrtModule> | undefined;
  let wasm: Promise<ReservoirWasm> | undefined;
  const runtime: KernelRuntime = {
    options,
    gpu() {
      gpu ??= options.gpuContext ? Promise.resolve(options.gpuContext) : openDawnGpu(options.gpu);
      return gpu;
    },
    ort() {
      ort ??= loadOrt();
      return ort;
    },
    wasm() {
      wasm ??= compileReservoirWasm();
      return wasm;
    },
    async select(kernel, build, choice = options.backend ?? "auto", autoList = autoOrder) {
      const order: readonly BackendName[] = choice === "auto" ? autoList : [choice];
      const attempts: BackendAttempt[] = [];
      for (const backend of order) {
        try {
          // ORT's WebGPU provider embeds its own Dawn: without an adapter Dawn would find, it fails less clearly.
          if (backend === "ort-webgpu") await runtime.gpu();
          const k = await build(backend);
          attempts.push({ backend, ok: true, detail: k.device });
          const selection: KernelSelection = { kernel, requested: choice, backend, device: k.device, attempts };
          options.log?.(`kernels: ${describeSelection(selection)}`);
          return { kernel: k, selection };
        } catch (err) {
          attempts.push({ backend, ok: false, detail: reason(err) });
          // A problem the kernel rejects is the caller's to fix, whichever back end reads it.
          if (isNqpError(err) && ["bad-problem", "bad-params", "shape-mismatch", "bad-model"].includes(err.code))
            throw err;
        }
      }
      const why = attempts.map((a) => `${a.backend}: ${a.detail}`).join("; ");
      throw new NqpError("backend-unavailable", `${kernel}: no back end could run it (${why})`);
    },
    async probe() {
      const out: BackendAttempt[] = [];
      for (const backend of backendNames) {
        try {
          out.push({ backend, ok: true, detail: await probeOne(runtime, backend) });
        } catch (err) {
          out.push({ backend, ok: false, detail: reason(err) });
        }
      }
      return out;
    },
    dispose() {
      const g = gpu;
      gpu = undefined;
      if (!options.gpuContext) g?.then((c) => c.destroy()).catch(() => {});
    },
  };
  return runtime;
}

async function probeOne(runtime: KernelRuntime, backend: BackendName): Promise<string> {
  if (backend === "ts") return "TypeScript reference (double precision)";
  if (backend === "wgsl") return (await runtime.gpu()).name;
  if (backend === "wasm") {
    await runtime.wasm();
    return "WebAssembly SIMD (1 thread, float32)";
  }
  const provider = backend.slice(4) as OrtProvider;
  if (provider === "webgpu") await runtime.gpu();
  const g = new GraphBuilder("probe");
  g.output(g.add(g.input("a", [1]), g.scalar(1)), "b", [1]);
  const ort = await runtime.ort();
  const s = await createOrtSession(ort, g.build(), provider, {
    threads: runtime.options.threads,
    gpu: runtime.options.gpu,
  });
  const r = await s.session.run({ a: new ort.Tensor("float32", new Float32Array([1]), [1]) });
  if ((r.b.data as Float32Array)[0] !== 2) throw new NqpError("backend-unavailable", `${backend} computed 1 + 1 wrong`);
  await s.session.release();
  return s.device;
}
