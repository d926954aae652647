// One analysis job in a worker thread of the Electron main process (bundled to dist/main/analysis.worker.cjs).
import { parentPort } from "node:worker_threads";
import { isNqpError, NqpError, typescriptStepper } from "@nqp/core";
import { type BackendChoice, parseJobSpec, runJob } from "../analysis";
import type { JobMessage, JobRequest } from "./services/job-runner";

/** Desktop backend names (as the optimiser view lists them) → @nqp/kernels' back ends. */
const KERNELS: Record<string, "ort-cpu" | "wgsl" | "ort-cuda"> = { cpu: "ort-cpu", webgpu: "wgsl", cuda: "ort-cuda" };

/**
 * The SB steppers a job may use: core's TypeScript step always, and the requested kernel back end of @nqp/kernels
 * (loaded only then: ONNX Runtime and Dawn are native modules). A back end that cannot start here fails the job with
 * the reason (no GPU adapter, no CUDA provider).
 */
async function kernelBackends(requested: string): Promise<BackendChoice[]> {
  const list: BackendChoice[] = [{ name: "ts", stepper: typescriptStepper }];
  const kernel = KERNELS[requested];
  if (!kernel) return list;
  const { createKernelRuntime, createSbKernel, createSbStepper } = await import("@nqp/kernels");
  const runtime = createKernelRuntime({ backend: kernel });
  try {
    const probe = await createSbKernel(runtime, {
      J: { format: "dense", n: 4, values: new Float64Array(16) },
      params: { variant: "discrete", a0: 1, c0: 1, dt: 0.5, kerr: 1, heat: 0, steps: 1 },
      agents: 1,
    });
    probe.dispose();
  } catch (err) {
    runtime.dispose();
    throw new NqpError(
      "backend-unavailable",
      `backend '${requested}' is not available here: ${(err as Error).message}`,
    );
  }
  list.push({ name: requested, stepper: createSbStepper(runtime) });
  return list;
}

const port = parentPort;
if (port) {
  port.once("message", async (req: JobRequest) => {
    const post = (m: JobMessage) => port.postMessage(m);
    const start = performance.now();
    let last = 0;
    try {
      const spec = parseJobSpec(req.spec);
      const backends = await kernelBackends(spec.kind === "optimize" ? spec.backend : "ts");
      const result = await runJob(
        spec,
        {
          progress: (fraction, message, energy) => {
            const now = performance.now();
            if (now - last < 50 && fraction < 1) return;
            last = now;
            post({ type: "progress", fraction, message, energy, elapsedMs: now - start });
          },
        },
        backends,
      );
      post({ type: "done", result, elapsedMs: performance.now() - start });
      // The thread ends with the job; a GPU held by Dawn is released with it.
    } catch (err) {
      post({
        type: "failed",
        code: isNqpError(err) ? err.code : "failed",
        message: err instanceof Error ? err.message : String(err),
      });
    }
  });
}
