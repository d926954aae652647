// One analysis job in a worker thread of the Electron main process (bundled to dist/main/analysis.worker.cjs).
import { parentPort } from "node:worker_threads";
import { isNqpError, typescriptStepper } from "@nqp/core";
import { parseJobSpec, runJob } from "../analysis";
import type { JobMessage, JobRequest } from "./services/job-runner";

const port = parentPort;
if (port) {
  port.once("message", async (req: JobRequest) => {
    const post = (m: JobMessage) => port.postMessage(m);
    const start = performance.now();
    let last = 0;
    try {
      // Kernel backends (packages/kernels: WebGPU, ONNX Runtime) join this list when they provide an SB stepper.
      const backends = [{ name: "ts", stepper: typescriptStepper }];
      const result = await runJob(
        parseJobSpec(req.spec),
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
    } catch (err) {
      post({
        type: "failed",
        code: isNqpError(err) ? err.code : "failed",
        message: err instanceof Error ? err.message : String(err),
      });
    }
  });
}
