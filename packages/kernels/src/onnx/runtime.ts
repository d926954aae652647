import { availableParallelism } from "node:os";
import { NqpError } from "@nqp/core";
import type * as Ort from "onnxruntime-node";
import { diagnoseNoAdapter, type GpuOptions, prepareVulkan } from "../gpu/dawn";

export type OrtModule = typeof Ort;
export type OrtProvider = "cpu" | "webgpu" | "cuda";

export interface OrtOptions {
  /** Threads of ORT's CPU kernels (intra-op), default: every core. */
  threads?: number;
  /** For the WebGPU provider: which Vulkan to use (it embeds its own Dawn). */
  gpu?: GpuOptions;
}

/** One loaded model on one execution provider. */
export interface OrtSession {
  readonly ort: OrtModule;
  readonly session: Ort.InferenceSession;
  readonly provider: OrtProvider;
  /** "onnxruntime 1.30.0 cpu, 2 threads" and the like, for reports. */
  readonly device: string;
}

/** Loads onnxruntime-node (native; Node only). ORT's own log is set to fatal: failures reach us as exceptions. */
export async function loadOrt(): Promise<OrtModule> {
  let ort: OrtModule;
  try {
    const mod = (await import("onnxruntime-node")) as OrtModule & { default?: OrtModule };
    ort = mod.InferenceSession ? mod : (mod.default as OrtModule);
  } catch (err) {
    throw new NqpError(
      "backend-unavailable",
      `onnxruntime-node cannot be loaded on ${process.platform}-${process.arch}: ${(err as Error).message}`,
    );
  }
  ort.env.logLevel = "fatal";
  return ort;
}

/**
 * Creates a session for `model` (bytes or a file path) on one provider. Failures become NqpError
 * "backend-unavailable" with what is missing: CUDA provider libraries, a Vulkan loader or driver for WebGPU.
 */
export async function createOrtSession(
  ort: OrtModule,
  model: Uint8Array | string,
  provider: OrtProvider,
  options: OrtOptions & { outputsOnDevice?: string[] } = {},
): Promise<OrtSession> {
  const threads = Math.max(1, Math.floor(options.threads ?? availableParallelism()));
  let loader: string | undefined;
  if (provider === "webgpu") {
    try {
      loader = prepareVulkan(options.gpu);
    } catch (err) {
      throw new NqpError("backend-unavailable", `ORT WebGPU: ${(err as Error).message}`);
    }
  }
  const sessionOptions: Ort.InferenceSession.SessionOptions = {
    executionProviders: [provider],
    intraOpNumThreads: threads,
    interOpNumThreads: 1,
    graphOptimizationLevel: "all",
    logSeverityLevel: 4,
  };
  if (provider === "webgpu" && options.outputsOnDevice?.length)
    sessionOptions.preferredOutputLocation = Object.fromEntries(options.outputsOnDevice.map((n) => [n, "gpu-buffer"]));
  let session: Ort.InferenceSession;
  try {
    session =
      typeof model === "string"
        ? await ort.InferenceSession.create(model, sessionOptions)
        : await ort.InferenceSession.create(model, sessionOptions);
  } catch (err) {
    throw explain(err as Error, provider, loader);
  }
  const version = (ort.env as { versions?: { common?: string } }).versions?.common ?? "";
  return {
    ort,
    session,
    provider,
    device: `onnxruntime${version ? ` ${version}` : ""} ${provider}${provider === "cpu" ? `, ${threads} thread${threads > 1 ? "s" : ""}` : ""}`,
  };
}

function explain(err: Error, provider: OrtProvider, loader: string | undefined): NqpError {
  const msg = err.message;
  if (provider === "cuda" && /Failed to load (shared )?library/i.test(msg))
    return new NqpError(
      "backend-unavailable",
      "ORT CUDA: Failed to load shared library: onnxruntime-node does not ship its CUDA provider; fetch it with `ONNXRUNTIME_NODE_INSTALL=cuda12 node script/install.js` inside node_modules/onnxruntime-node (downloads from NuGet), with CUDA 12 and cuDNN 9 on the library path",
    );
  if (provider === "webgpu" && /adapter/i.test(msg))
    return new NqpError("backend-unavailable", `ORT WebGPU: no GPU adapter: ${diagnoseNoAdapter(loader)}`);
  if (/protobuf|parse|invalid model|load model/i.test(msg))
    return new NqpError("bad-model", `ONNX model cannot be loaded: ${msg.split("\n")[0]}`);
  return new NqpError("backend-unavailable", `ORT ${provider}: ${msg.split("\n")[0]}`);
}
