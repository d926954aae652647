// The browser's analysis worker: the same job code as the desktop's worker threads (src/analysis).
import { isNqpError } from "@nqp/core";
import { parseJobSpec, runJob } from "../../analysis";
import type { WorkerIn, WorkerOut } from "./browser-jobs";

// Typed by hand: the WebWorker lib cannot be loaded beside the DOM lib in one program.
const scope = self as unknown as {
  onmessage: ((e: MessageEvent<WorkerIn>) => void) | null;
  postMessage(message: WorkerOut): void;
};
scope.onmessage = async (e: MessageEvent<WorkerIn>) => {
  const { jobId, spec } = e.data;
  const start = performance.now();
  const post = (m: WorkerOut) => scope.postMessage(m);
  let last = 0;
  try {
    const result = await runJob(parseJobSpec(spec), {
      progress: (fraction, message, energy) => {
        const now = performance.now();
        if (now - last < 50 && fraction < 1) return;
        last = now;
        post({ type: "progress", jobId, fraction, message, energy, elapsedMs: now - start });
      },
    });
    post({ type: "done", jobId, result, elapsedMs: performance.now() - start });
  } catch (err) {
    post({
      type: "failed",
      jobId,
      code: isNqpError(err) ? err.code : "failed",
      message: err instanceof Error ? err.message : String(err),
    });
  }
};
