import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { Worker } from "node:worker_threads";
import { NqpError } from "@nqp/core";
import type { DetectJob, DetectReply } from "./detect.worker";
import { type DetectFileOptions, detectFile } from "./detect-file";

export interface FileJob {
  input: string;
  output: string;
}

/**
 * Scores files on `workers` threads (largest first, so the two cores finish together), or in this thread when
 * one worker is asked for or the worker bundle is missing. Stops at the first failing file and rethrows its error.
 */
export async function detectFiles(
  jobs: FileJob[],
  options: DetectFileOptions,
  workers: number,
  onFile: (rows: number) => void,
): Promise<number> {
  const script = new URL("./workers/detect.worker.mjs", import.meta.url);
  if (workers <= 1 || jobs.length <= 1 || !existsSync(fileURLToPath(script))) {
    let rows = 0;
    for (const job of jobs) {
      const r = detectFile(job.input, job.output, options);
      rows += r.rows;
      onFile(r.rows);
    }
    return rows;
  }
  const threads = Array.from({ length: Math.min(workers, jobs.length) }, () => new Worker(script));
  let next = 0;
  let rows = 0;
  try {
    await Promise.all(
      threads.map(
        (worker) =>
          new Promise<void>((resolve, reject) => {
            const send = () => {
              if (next >= jobs.length) return resolve();
              const id = next++;
              worker.postMessage({ id, ...jobs[id], options } satisfies DetectJob);
            };
            worker.on("message", (reply: DetectReply) => {
              if ("error" in reply) {
                const { message, code, path, user } = reply.error;
                if (!user) return reject(new Error(message));
                if (path && code) return reject(Object.assign(new Error(message), { code, path }));
                return reject(new NqpError(code ?? "detect", message));
              }
              rows += reply.rows;
              onFile(reply.rows);
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
  return rows;
}
