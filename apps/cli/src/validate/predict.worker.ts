// A worker thread of `nqp validate`: runs the predictors it is sent over the series, one message per predictor.
import { parentPort } from "node:worker_threads";
import { isNqpError } from "@nqp/core";
import { type PredictorJob, type PredictorOutput, runPredictor } from "./run-predictor";

export type PredictorReply =
  | { id: number; output: PredictorOutput }
  | { id: number; error: { message: string; code?: string; user: boolean } };

parentPort?.on("message", ({ id, job }: { id: number; job: PredictorJob }) => {
  try {
    const output = runPredictor(job);
    parentPort!.postMessage({ id, output } satisfies PredictorReply, [output.forecasts.buffer as ArrayBuffer]);
  } catch (err) {
    const e = err as { message?: string; code?: string };
    parentPort!.postMessage({
      id,
      error: { message: e?.message ?? String(err), code: e?.code, user: isNqpError(err) },
    } satisfies PredictorReply);
  }
});
