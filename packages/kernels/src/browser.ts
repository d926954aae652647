/// <reference types="@webgpu/types" />
// @nqp/kernels in a browser or an Electron renderer: the same WGSL kernels on navigator.gpu, the WebAssembly and
// TypeScript ones, and nothing that needs Node (Dawn, onnxruntime-node).
import { NqpError } from "@nqp/core";
import { createGpuContext, type GpuContext } from "./gpu/context";

export type { BackendName } from "./backend/names";
export { createGpuContext, type GpuAdapterSummary, type GpuContext } from "./gpu/context";
export { createTsReservoirKernel } from "./reservoir/ts";
export type { BatchedReadout, ReservoirKernel, ReservoirModel } from "./reservoir/types";
export { compileReservoirWasm, createWasmReservoirKernel } from "./reservoir/wasm";
export { createWgslReservoirKernel } from "./reservoir/wgsl";
export { sbEnergy } from "./sb/energy";
export { createTsSbKernel } from "./sb/ts";
export type { SbKernel, SbRunOptions, SbRunResult, SbSetup } from "./sb/types";
export { createWgslSbKernel } from "./sb/wgsl";

/** A device from the page's navigator.gpu (Chromium, Electron's renderer), with a message where there is none. */
export async function openBrowserGpu(
  gpu: GPU | undefined = (globalThis as { navigator?: { gpu?: GPU } }).navigator?.gpu,
): Promise<GpuContext> {
  if (!gpu)
    throw new NqpError(
      "no-gpu-adapter",
      "this page has no WebGPU (navigator.gpu): it needs a secure context (https or localhost) and a browser with WebGPU",
    );
  const adapter = await gpu.requestAdapter({ powerPreference: "high-performance" });
  if (!adapter) throw new NqpError("no-gpu-adapter", "navigator.gpu found no adapter (GPU blocklisted or disabled)");
  return createGpuContext(adapter);
}
