// A pipeline worker thread of the edge agent: owns the pipelines of the streams sharded to it and steps them.
import { parentPort } from "node:worker_threads";
import { createStreamPipeline, isNqpError, type StreamPipeline } from "@nqp/core";
import { encodeRecords, type WorkerReply, type WorkerRequest } from "./pipeline-protocol";

const pipelines = new Map<number, StreamPipeline>();

function pipeline(id: number): StreamPipeline {
  const p = pipelines.get(id);
  if (!p) throw new Error(`no pipeline for stream ${id}`);
  return p;
}

parentPort?.on("message", (req: WorkerRequest) => {
  try {
    if (req.type === "open") {
      for (const s of req.streams)
        pipelines.set(s.streamId, createStreamPipeline(s.config, s.snapshot ? JSON.parse(s.snapshot) : undefined));
      parentPort!.postMessage({ id: req.id, ok: true } satisfies WorkerReply);
    } else if (req.type === "replay") {
      for (let i = 0; i < req.streamIds.length; i++) pipeline(req.streamIds[i]).step(req.ts[i], req.values[i]);
      parentPort!.postMessage({ id: req.id, ok: true } satisfies WorkerReply);
    } else {
      const records = [];
      for (let i = 0; i < req.streamIds.length; i++)
        records.push(pipeline(req.streamIds[i]).step(req.ts[i], req.values[i]));
      const enc = encodeRecords(records);
      const snapshots: [number, string][] = req.snapshotIds.map((id) => [id, JSON.stringify(pipeline(id).snapshot())]);
      parentPort!.postMessage(
        { id: req.id, ok: true, records: enc.records, patterns: enc.patterns, snapshots } satisfies WorkerReply,
        [enc.records.buffer as ArrayBuffer],
      );
    }
  } catch (err) {
    const e = err as Error;
    parentPort!.postMessage({
      id: req.id,
      ok: false,
      message: e?.message ?? String(err),
      code: isNqpError(err) ? err.code : undefined,
    } satisfies WorkerReply);
  }
});
