import { EventEmitter } from "node:events";
import { Worker } from "node:worker_threads";
import type { JobProgress, JobResult, JobSpec } from "@nqp/contract";
import { NqpError } from "@nqp/core";

/** Messages between the runner and its worker threads (analysis.worker.ts). */
export type JobRequest = { jobId: string; spec: JobSpec };
export type JobMessage =
  | { type: "progress"; fraction: number; message: string; energy?: number; elapsedMs: number }
  | { type: "done"; result: JobResult; elapsedMs: number }
  | { type: "failed"; code: string; message: string };

export interface JobRunnerEvents {
  progress: [JobProgress];
  done: [{ jobId: string; result: JobResult; elapsedMs: number }];
  failed: [{ jobId: string; code: string; message: string; cancelled: boolean }];
}

/**
 * Analysis jobs in worker threads: one thread per job, so a long optimisation never blocks the main process (nor
 * the window), and cancelling is terminating its thread. At most `concurrency` jobs run at once; more are refused
 * with a message rather than queued behind an unknown wait.
 */
export class JobRunner extends EventEmitter<JobRunnerEvents> {
  private readonly jobs = new Map<string, Worker>();
  private n = 0;

  constructor(private readonly o: { workerPath: string; concurrency?: number }) {
    super();
  }

  get running(): number {
    return this.jobs.size;
  }

  start(spec: JobSpec): string {
    const limit = this.o.concurrency ?? 4;
    if (this.jobs.size >= limit)
      throw new NqpError("busy", `${this.jobs.size} analysis jobs are running (at most ${limit}): wait or cancel one`);
    const jobId = `job-${Date.now().toString(36)}-${++this.n}`;
    const worker = new Worker(this.o.workerPath);
    this.jobs.set(jobId, worker);
    worker.on("message", (m: JobMessage) => {
      if (m.type === "progress")
        this.emit("progress", {
          jobId,
          fraction: m.fraction,
          message: m.message,
          energy: m.energy,
          elapsedMs: m.elapsedMs,
        });
      else if (m.type === "done") {
        this.finish(jobId);
        this.emit("done", { jobId, result: m.result, elapsedMs: m.elapsedMs });
      } else {
        this.finish(jobId);
        this.emit("failed", { jobId, code: m.code, message: m.message, cancelled: false });
      }
    });
    worker.on("error", (err) => {
      if (!this.jobs.has(jobId)) return;
      this.finish(jobId);
      this.emit("failed", { jobId, code: "worker", message: err.message, cancelled: false });
    });
    worker.postMessage({ jobId, spec } satisfies JobRequest);
    return jobId;
  }

  cancel(jobId: string): boolean {
    if (!this.jobs.has(jobId)) return false;
    this.finish(jobId);
    this.emit("failed", { jobId, code: "cancelled", message: "cancelled", cancelled: true });
    return true;
  }

  private finish(jobId: string): void {
    const w = this.jobs.get(jobId);
    this.jobs.delete(jobId);
    void w?.terminate();
  }

  async close(): Promise<void> {
    await Promise.all([...this.jobs.values()].map((w) => w.terminate()));
    this.jobs.clear();
  }
}
