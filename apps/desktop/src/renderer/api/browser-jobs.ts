import type { ApiMethodName, JobSpec } from "@nqp/contract/api";
import { ApiError, Emitter } from "./client";
import type { LocalHost } from "./ws-transport";

/** Messages between the renderer and its analysis Web Worker (jobs.worker.ts). */
export type WorkerIn = { type: "start"; jobId: string; spec: JobSpec };
export type WorkerOut =
  | { type: "progress"; jobId: string; fraction: number; message: string; energy?: number; elapsedMs: number }
  | { type: "done"; jobId: string; result: unknown; elapsedMs: number }
  | { type: "failed"; jobId: string; code: string; message: string };

/**
 * Analysis jobs in a browser: each job gets its own Web Worker running the same job code as the desktop's worker
 * threads (src/analysis); cancelling terminates the worker. Events carry the same names and shapes as the IPC ones.
 */
export function browserJobs(): LocalHost {
  const events = new Emitter();
  const workers = new Map<string, Worker>();
  let n = 0;
  const finish = (jobId: string) => {
    workers.get(jobId)?.terminate();
    workers.delete(jobId);
  };
  return {
    on: (event, listener) => events.on(event, listener),
    call: async (method: ApiMethodName, params: unknown) => {
      if (method === "jobs.start") {
        const { spec } = params as { spec: JobSpec };
        const jobId = `job-${Date.now().toString(36)}-${++n}`;
        const worker = new Worker(new URL("./jobs.worker.ts", import.meta.url), { type: "module", name: jobId });
        workers.set(jobId, worker);
        worker.onmessage = (e: MessageEvent<WorkerOut>) => {
          const m = e.data;
          if (m.type === "progress") events.emit("jobs.progress", m);
          else if (m.type === "done") {
            finish(jobId);
            events.emit("jobs.done", { jobId, result: m.result, elapsedMs: m.elapsedMs });
          } else {
            finish(jobId);
            events.emit("jobs.failed", { jobId, code: m.code, message: m.message, cancelled: false });
          }
        };
        worker.onerror = (e) => {
          finish(jobId);
          events.emit("jobs.failed", {
            jobId,
            code: "worker",
            message: e.message || "the analysis worker failed",
            cancelled: false,
          });
        };
        worker.postMessage({ type: "start", jobId, spec } satisfies WorkerIn);
        return { jobId };
      }
      if (method === "jobs.cancel") {
        const { jobId } = params as { jobId: string };
        const had = workers.has(jobId);
        finish(jobId);
        if (had) events.emit("jobs.failed", { jobId, code: "cancelled", message: "cancelled", cancelled: true });
        return { cancelled: had };
      }
      throw new ApiError("not-here", `${method} is only available in the desktop app`);
    },
  };
}
