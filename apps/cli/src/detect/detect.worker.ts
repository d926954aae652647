// A worker thread of `nqp detect` over a directory: scores the files it is sent, one message per file.
import { parentPort } from "node:worker_threads";
import { isNqpError } from "@nqp/core";
import { type DetectFileOptions, detectFile } from "./detect-file";

export interface DetectJob {
  id: number;
  input: string;
  output: string;
  options: DetectFileOptions;
}

export type DetectReply =
  | { id: number; rows: number }
  | { id: number; error: { message: string; code?: string; path?: string; user: boolean } };

parentPort?.on("message", (job: DetectJob) => {
  try {
    const { rows } = detectFile(job.input, job.output, job.options);
    parentPort!.postMessage({ id: job.id, rows } satisfies DetectReply);
  } catch (err) {
    const e = err as NodeJS.ErrnoException;
    const user = isNqpError(err) || (typeof e?.code === "string" && typeof e?.path === "string");
    parentPort!.postMessage({
      id: job.id,
      error: { message: e?.message ?? String(err), code: e?.code, path: e?.path, user },
    } satisfies DetectReply);
  }
});
