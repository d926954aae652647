import { NqpError } from "@nqp/core";

/** The back ends a kernel can run on. */
export const backendNames = ["ts", "wasm", "wgsl", "ort-cpu", "ort-webgpu", "ort-cuda"] as const;
export type BackendName = (typeof backendNames)[number];
export type BackendChoice = BackendName | "auto";

/**
 * What `auto` tries, fastest first. Measured for this project on an H200 (ARCHITECTURE.md, issue 7): a fused WGSL
 * kernel beat the same step as an ONNX graph on ORT's WebGPU provider 2.4×, and both beat 16 CPU cores; CUDA
 * kernels of ORT come before its WebGPU provider; the TypeScript reference is the last resort.
 */
export const autoOrder: readonly BackendName[] = ["wgsl", "ort-cuda", "ort-webgpu", "ort-cpu", "ts"];

/**
 * The reservoirs' order: their recurrent matrix is sparse (10 inputs per unit), which ORT can only run as a dense
 * product, so on a CPU the SIMD WebAssembly kernel beats it (docs/BENCHMARKS.md, Kernels).
 */
export const reservoirAutoOrder: readonly BackendName[] = ["wgsl", "ort-cuda", "ort-webgpu", "wasm", "ort-cpu", "ts"];

export function parseBackendChoice(text: string): BackendChoice {
  if (text === "auto" || (backendNames as readonly string[]).includes(text)) return text as BackendChoice;
  throw new NqpError("bad-backend", `unknown backend '${text}' (expected auto, ${backendNames.join(", ")})`);
}
