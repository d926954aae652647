import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { Worker } from "node:worker_threads";
import { NqpError } from "@nqp/core";
import type { PredictorReply } from "./predict.worker";
import { type PredictorJob, type PredictorOutput, runPredictor } from "./run-predictor";

// Relative cost per row, to start the slow predictors first so the threads finish together.
const COST: Record<string, number> = { lif: 4, esn: 3, ets: 1, naive: 1 };

/**
 * Runs predictors over a series on `workers` threads (each predictor is independent of the others until fusion), or
 * in this thread when one worker is asked for or the worker bundle is missing (running from source).
 */
export async function runPredictors(
  jobs: PredictorJob[],
  workers: number,
  onDone: () => void,
): Promise<PredictorOutput[]> {
  const script = new URL("./workers/predict.worker.mjs", import.meta.url);
  const out: PredictorOutput[] = new Array(jobs.length);
  if (workers <= 1 || jobs.length <= 1 || !existsSync(fileURLToPath(script))) {
    jobs.forEach((job, i) => {
      out[i] = runPredictor(job);
      onDone();
    });
    return out;
  }
  const order = jobs.map((_, i) => i).sort((a, b) => (COST[jobs[b].kind] ?? 1) - (COST[jobs[a].kind] ?? 1));
  const threads = Array.from({ length: Math.min(workers, jobs.length) }, () => new Worker(script));
  let next = 0;
  try {
    await Promise.all(
      threads.map(
        (worker) =>
          new Promise<void>((resolve, reject) => {
            const send = () => {
              if (next >= order.length) return resolve();
              const id = order[next++];
              worker.postMessage({ id, job: jobs[id] });
            };
            worker.on("message", (reply: PredictorReply) => {
              if ("error" in reply) {
                const { message, code, user } = reply.error;
                return reject(user ? new NqpError(code ?? "validate", message) : new Error(message));
              }
              out[reply.id] = reply.output;
              onDone();
              send();
            });
            worker.on("error", reject);
            send();
          }),
      ),
    );
  } finally {
    await Promise.all(threads.map((t) => t.terminate()));
  }
  return out;
}
