import { NqpError } from "@nqp/core";
import type { BackendChoice } from "../backend/names";
import type { KernelRuntime, KernelSelection } from "../backend/runtime";
import { createOrtSbKernel, type OrtSbOptions } from "./ort";
import { createTsSbKernel } from "./ts";
import type { SbKernel, SbSetup } from "./types";
import { createWgslSbKernel, type WgslSbOptions } from "./wgsl";

export interface SbKernelOptions {
  /** Overrides the runtime's back end for this kernel. */
  backend?: BackendChoice;
  wgsl?: WgslSbOptions;
  ort?: Pick<OrtSbOptions, "maxUnroll">;
}

/** A batched SB kernel on the runtime's back end (or `auto`'s pick), with the selection that explains it. */
export async function createSbKernel(
  runtime: KernelRuntime,
  setup: SbSetup,
  options: SbKernelOptions = {},
): Promise<SbKernel & { selection: KernelSelection }> {
  const ortOptions = { ...options.ort, threads: runtime.options.threads, gpu: runtime.options.gpu };
  const { kernel, selection } = await runtime.select(
    "sb",
    async (backend): Promise<SbKernel> => {
      switch (backend) {
        case "ts":
          return createTsSbKernel(setup);
        case "wgsl":
          return createWgslSbKernel(await runtime.gpu(), setup, options.wgsl);
        case "ort-cpu":
          return createOrtSbKernel(await runtime.ort(), "cpu", setup, ortOptions);
        case "ort-webgpu":
          return createOrtSbKernel(await runtime.ort(), "webgpu", setup, ortOptions);
        case "ort-cuda":
          return createOrtSbKernel(await runtime.ort(), "cuda", setup, ortOptions);
        case "wasm":
          throw new NqpError("backend-unavailable", "SB has no WebAssembly kernel: use ort-cpu for its dense products");
      }
    },
    options.backend,
  );
  return Object.assign(kernel, { selection });
}
