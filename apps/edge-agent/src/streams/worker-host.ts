import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { Worker } from "node:worker_threads";
import type { PipelineRecord } from "@nqp/core";
import { NqpError } from "@nqp/core";
import type { OpenStream, PipelineHost, StepJob, StepOutput } from "./pipeline-host";
import { decodeRecord, type WorkerReply, type WorkerRequest } from "./pipeline-protocol";

type DistributiveOmit<T, K extends keyof T> = T extends unknown ? Omit<T, K> : never;
type Pending = { resolve: (r: WorkerReply & { ok: true }) => void; reject: (e: Error) => void };

/**
 * Core's pipelines on worker threads: stream id mod N picks the thread, so a stream's samples always go to the
 * same one, in order. The agent's thread keeps MQTT, SQLite and the bookkeeping; the threads only compute. Each
 * thread runs core's createStreamPipeline, the same code as the inline host, so the records are identical.
 */
export class WorkerPipelineHost implements PipelineHost {
  readonly description: string;
  private readonly workers: Worker[];
  private readonly pending: Map<number, Pending>[];
  private nextId = 1;
  private failure: Error | undefined;
  private closing = false;

  constructor(script: URL, count: number, onFailure: (err: Error) => void) {
    this.description = `${count} worker thread${count === 1 ? "" : "s"}`;
    this.workers = Array.from({ length: count }, () => new Worker(script));
    this.pending = this.workers.map(() => new Map());
    this.workers.forEach((w, i) => {
      w.on("message", (reply: WorkerReply) => {
        const p = this.pending[i].get(reply.id);
        if (!p) return;
        this.pending[i].delete(reply.id);
        if (reply.ok) p.resolve(reply);
        else p.reject(reply.code ? new NqpError(reply.code, reply.message) : new Error(reply.message));
      });
      const fail = (err: Error) => {
        if (this.closing) return;
        this.failure ??= err;
        for (const p of this.pending[i].values()) p.reject(err);
        this.pending[i].clear();
        onFailure(err);
      };
      w.on("error", fail);
      w.on("exit", (code) => {
        if (code !== 0 || this.pending[i].size > 0) fail(new Error(`pipeline worker ${i} exited with code ${code}`));
      });
    });
  }

  private call(
    i: number,
    req: DistributiveOmit<WorkerRequest, "id">,
    transfer: ArrayBuffer[] = [],
  ): Promise<WorkerReply & { ok: true }> {
    if (this.failure) return Promise.reject(this.failure);
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending[i].set(id, { resolve, reject });
      this.workers[i].postMessage({ ...req, id } as WorkerRequest, transfer);
    });
  }

  private shard(streamId: number): number {
    return streamId % this.workers.length;
  }

  async open(streams: OpenStream[]): Promise<void> {
    const per = this.workers.map((): OpenStream[] => []);
    for (const s of streams) per[this.shard(s.streamId)].push(s);
    await Promise.all(per.map((list, i) => (list.length ? this.call(i, { type: "open", streams: list }) : undefined)));
  }

  private split(
    jobs: StepJob[],
  ): { indices: number[]; streamIds: Int32Array; ts: Float64Array; values: Float64Array }[] {
    const counts = new Array(this.workers.length).fill(0);
    for (const j of jobs) counts[this.shard(j.streamId)]++;
    const parts = counts.map((n) => ({
      indices: [] as number[],
      streamIds: new Int32Array(n),
      ts: new Float64Array(n),
      values: new Float64Array(n),
    }));
    jobs.forEach((j, k) => {
      const p = parts[this.shard(j.streamId)];
      const at = p.indices.length;
      p.indices.push(k);
      p.streamIds[at] = j.streamId;
      p.ts[at] = j.ts;
      p.values[at] = j.value;
    });
    return parts;
  }

  async replay(jobs: StepJob[]): Promise<void> {
    const parts = this.split(jobs);
    await Promise.all(
      parts.map((p, i) =>
        p.indices.length
          ? this.call(i, { type: "replay", streamIds: p.streamIds, ts: p.ts, values: p.values }, [
              p.streamIds.buffer as ArrayBuffer,
              p.ts.buffer as ArrayBuffer,
              p.values.buffer as ArrayBuffer,
            ])
          : undefined,
      ),
    );
  }

  async step(jobs: StepJob[], snapshotIds: number[]): Promise<StepOutput> {
    const parts = this.split(jobs);
    const snapsPer = this.workers.map((): number[] => []);
    for (const id of snapshotIds) snapsPer[this.shard(id)].push(id);
    const replies = await Promise.all(
      parts.map((p, i) =>
        p.indices.length || snapsPer[i].length
          ? this.call(
              i,
              { type: "step", streamIds: p.streamIds, ts: p.ts, values: p.values, snapshotIds: snapsPer[i] },
              [p.streamIds.buffer as ArrayBuffer, p.ts.buffer as ArrayBuffer, p.values.buffer as ArrayBuffer],
            )
          : undefined,
      ),
    );
    const records = new Array<PipelineRecord>(jobs.length);
    const snapshots = new Map<number, string>();
    replies.forEach((reply, i) => {
      if (!reply) return;
      const idx = parts[i].indices;
      const recs = reply.records as Float64Array;
      for (let k = 0; k < idx.length; k++) records[idx[k]] = decodeRecord(recs, k);
      for (const [k, p] of reply.patterns ?? []) records[idx[k]].patterns.push(p);
      for (const [id, s] of reply.snapshots ?? []) snapshots.set(id, s);
    });
    return { records, snapshots };
  }

  async close(): Promise<void> {
    const ws = this.workers;
    this.closing = true;
    for (const p of this.pending) p.clear();
    this.failure ??= new Error("pipeline workers closed");
    await Promise.all(ws.map((w) => w.terminate()));
  }
}

/**
 * The pipeline worker script: beside the nqp bundle (apps/cli/dist/workers/, where this code runs bundled), or the
 * repository's build of it when this code runs from sources (tests, benchmarks). Undefined when neither exists.
 */
export function findPipelineWorker(): URL | undefined {
  const candidates = [
    new URL("./workers/pipeline.worker.mjs", import.meta.url),
    new URL("../../../cli/dist/workers/pipeline.worker.mjs", import.meta.url),
  ];
  return candidates.find((u) => existsSync(fileURLToPath(u)));
}
