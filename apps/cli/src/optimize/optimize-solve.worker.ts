// A solver thread for `nqp optimize --workers N`: solves the model it is sent with its own seed and posts progress
// and the result back. Bundled to dist/workers/optimize-solve.worker.mjs.
import { parentPort } from "node:worker_threads";
import { isNqpError, solveIsing } from "@nqp/core";
import { cpuClock } from "./cpu-clock";
import type { WorkerMessage, WorkerRequest } from "./solve-worker-protocol";

const port = parentPort;
if (port) {
  port.once("message", async (req: WorkerRequest) => {
    const post = (m: WorkerMessage) => port.postMessage(m);
    try {
      const result = await solveIsing(req.model, {
        ...req.options,
        clock: req.cpuClockShare ? cpuClock(req.cpuClockShare) : undefined,
        onProgress: (p) => post({ type: "progress", fraction: p.fraction, bestEnergy: p.bestEnergy }),
      });
      post({ type: "done", result });
    } catch (err) {
      post({
        type: "error",
        message: err instanceof Error ? err.message : String(err),
        code: isNqpError(err) ? err.code : undefined,
      });
    }
  });
}
