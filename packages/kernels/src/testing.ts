import { externalsRequired } from "@nqp/testkit";
import type { KernelRuntimeOptions } from "./backend/runtime";
import type { GpuContext } from "./gpu/context";
import { findSwiftShader, openDawnGpu } from "./gpu/dawn";

/**
 * For the kernels' tests (not exported): the GPU the WGSL and ORT-WebGPU parity tests run on. By default the
 * software Vulkan (SwiftShader) that Chromium ships, so that CI checks every GPU kernel without a GPU; with
 * NQP_TEST_GPU=hardware (build/gpu-check.sh) the machine's real adapter, and then a missing one is a failure.
 */
export function testGpuOptions(): KernelRuntimeOptions["gpu"] {
  return process.env.NQP_TEST_GPU === "hardware" ? {} : { software: true };
}

/** The reason GPU tests skip here, or undefined when they can run (throws where they must run). */
export function gpuSkipReason(): string | undefined {
  if (process.env.NQP_TEST_GPU === "hardware") return undefined;
  if (findSwiftShader()) return undefined;
  const why =
    "no software Vulkan (SwiftShader) for the GPU kernel tests: install chromium (apt-get install chromium) or set NQP_SWIFTSHADER_ICD";
  if (externalsRequired()) throw new Error(`${why}; NQP_REQUIRE_EXTERNALS=1 makes this a failure`);
  return `skipped: ${why}`;
}

export async function openTestGpu(): Promise<GpuContext> {
  return openDawnGpu(testGpuOptions());
}
