import type { SensorRejectReason, StreamValidation } from "@nqp/contract";
import { createStreamValidator, type PipelineRecord, type StreamPipelineConfig, type StreamValidator } from "@nqp/core";
import type { AgentStore } from "../store/agent-store";
import type { PipelineHost, StepJob } from "./pipeline-host";

/** A decoded sample with the time it arrived at the agent (performance.now(), for the latency measure). */
export interface IncomingSample {
  stream: string;
  ts: number;
  value: number;
  arrivedAt: number;
}

interface StreamState {
  id: number;
  name: string;
  /** Validation metrics of this stream's forecasts over the samples processed since the agent started. */
  validator: StreamValidator;
  lastTs: number;
  sinceSnapshot: number;
  snapshotAt: number;
}

export interface StreamEngineOptions {
  store: AgentStore;
  host: PipelineHost;
  /** Pipeline settings for streams created from now on. */
  pipelineConfig: () => StreamPipelineConfig;
  /** Configured stream id for a decoded stream name (identity when unmapped). */
  streamId: (name: string) => string;
  maxStreams: number;
  snapshotEverySamples: number;
  snapshotEverySeconds: number;
}

/** A batch checked and stepped, ready to be written in one transaction (`StreamEngine.write`). */
export interface SteppedBatch {
  jobs: StepJob[];
  records: PipelineRecord[];
  snapshots: Map<number, string>;
  rejects: SensorRejectReason[];
  /** Per accepted sample: its stream id and arrival time (for latency after commit). */
  accepted: { stream: string; arrivedAt: number }[];
}

/** Replay rows are sent to the pipelines in chunks of this many (bounded memory on start). */
const REPLAY_CHUNK = 20_000;
/**
 * Snapshots taken with one commit, at most: a snapshot of core's pipeline is ~240 KB of JSON, and 1 000 streams
 * falling due together would otherwise build a quarter of a gigabyte of strings in one go.
 */
const SNAPSHOTS_PER_COMMIT = 8;

/**
 * Runs each stream's pipeline (on the pipeline host) and writes one prediction record per accepted sample. Samples
 * must come in time order per stream: a sample at or before the stream's last accepted time is rejected
 * ("duplicate" when equal: a QoS 1 redelivery of a sample already committed). On start, each stream is restored
 * from its last snapshot and the prediction rows after it, which rebuilds exactly the state it had.
 *
 * `step` must not be called again before the previous batch was written (the ingest processor serialises them).
 */
export class StreamEngine {
  private readonly streams = new Map<string, StreamState>();
  private readonly byId = new Map<number, StreamState>();
  /** Streams due for a snapshot, oldest first (taken SNAPSHOTS_PER_COMMIT at a time). */
  private readonly due = new Set<StreamState>();

  constructor(private readonly o: StreamEngineOptions) {}

  get streamCount(): number {
    return this.streams.size;
  }

  streamNames(): string[] {
    return [...this.streams.keys()];
  }

  /** Last accepted sample time per stream (for status and tests). */
  lastTs(stream: string): number | undefined {
    return this.streams.get(stream)?.lastTs;
  }

  /** Rebuilds every stream from the database (on start). */
  async restore(): Promise<void> {
    this.streams.clear();
    this.byId.clear();
    const rows = this.o.store.streams();
    if (rows.length === 0) return;
    const snapshotSeq = new Map<number, number>();
    let from = Number.POSITIVE_INFINITY;
    for (const row of rows) {
      const s: StreamState = {
        id: row.id,
        name: row.name,
        validator: validatorFor(JSON.parse(row.config) as StreamPipelineConfig),
        lastTs: row.snapshotLastTs ?? Number.NEGATIVE_INFINITY,
        sinceSnapshot: 0,
        snapshotAt: this.staggered(row.id),
      };
      this.streams.set(row.name, s);
      this.byId.set(row.id, s);
      snapshotSeq.set(row.id, row.snapshotSeq);
      from = Math.min(from, row.snapshotSeq);
    }
    await this.o.host.open(
      rows.map((r) => ({ streamId: r.id, config: JSON.parse(r.config) as StreamPipelineConfig, snapshot: r.snapshot })),
    );
    let chunk: StepJob[] = [];
    for (const r of this.o.store.replayRows(from)) {
      const s = this.byId.get(r.streamId);
      if (!s || r.seq <= (snapshotSeq.get(r.streamId) ?? 0)) continue;
      chunk.push({ streamId: r.streamId, ts: r.ts, value: r.value });
      s.lastTs = r.ts;
      s.sinceSnapshot++;
      if (chunk.length >= REPLAY_CHUNK) {
        await this.o.host.replay(chunk);
        chunk = [];
      }
    }
    if (chunk.length) await this.o.host.replay(chunk);
  }

  /**
   * Checks samples (order, duplicates, stream limit), creates new streams, and runs the pipelines. Nothing is
   * written yet except new stream rows; `write` does the rest inside the caller's transaction.
   */
  async step(samples: readonly IncomingSample[]): Promise<SteppedBatch> {
    const store = this.o.store;
    const jobs: StepJob[] = [];
    const rejects: SensorRejectReason[] = [];
    const accepted: SteppedBatch["accepted"] = [];
    const created: { streamId: number; config: StreamPipelineConfig; snapshot: null }[] = [];
    const touched = new Set<StreamState>();
    for (const sample of samples) {
      const name = this.o.streamId(sample.stream);
      let s = this.streams.get(name);
      if (!s) {
        if (this.streams.size >= this.o.maxStreams) {
          rejects.push("too-many-streams");
          continue;
        }
        const config = this.o.pipelineConfig();
        // A stream row without records is harmless after a crash: the stream restarts fresh.
        const id = store.transaction(() => store.createStream(name, config));
        s = {
          id,
          name,
          validator: validatorFor(config),
          lastTs: Number.NEGATIVE_INFINITY,
          sinceSnapshot: 0,
          snapshotAt: this.staggered(id),
        };
        this.streams.set(name, s);
        this.byId.set(id, s);
        created.push({ streamId: id, config, snapshot: null });
      }
      if (sample.ts <= s.lastTs) {
        rejects.push(sample.ts === s.lastTs ? "duplicate" : "out-of-order");
        continue;
      }
      s.lastTs = sample.ts;
      s.sinceSnapshot++;
      touched.add(s);
      jobs.push({ streamId: s.id, ts: sample.ts, value: sample.value });
      accepted.push({ stream: name, arrivedAt: sample.arrivedAt });
    }
    if (created.length) await this.o.host.open(created);
    const now = Date.now();
    for (const s of touched)
      if (s.sinceSnapshot >= this.o.snapshotEverySamples || now - s.snapshotAt >= this.o.snapshotEverySeconds * 1000)
        this.due.add(s);
    const due: number[] = [];
    for (const s of this.due) {
      if (due.length >= SNAPSHOTS_PER_COMMIT) break;
      this.due.delete(s);
      due.push(s.id);
      s.sinceSnapshot = 0;
      s.snapshotAt = now;
    }
    const out = jobs.length || due.length ? await this.o.host.step(jobs, due) : { records: [], snapshots: new Map() };
    for (let i = 0; i < jobs.length; i++) {
      const j = jobs[i];
      const rec = out.records[i];
      this.byId
        .get(j.streamId)
        ?.validator.add(j.value, rec.forecast ?? Number.NaN, rec.lower ?? Number.NaN, rec.upper ?? Number.NaN);
    }
    return { jobs, records: out.records, snapshots: out.snapshots, rejects, accepted };
  }

  /** Writes a stepped batch: one prediction per sample, its events, and the snapshots (call inside a transaction). */
  write(b: SteppedBatch): void {
    const store = this.o.store;
    for (let i = 0; i < b.jobs.length; i++) {
      const j = b.jobs[i];
      const rec = b.records[i];
      const seq = store.insertPrediction(j.streamId, j.ts, j.value, rec);
      if (rec.isAnomaly) store.insertAnomaly(j.streamId, j.ts, j.value, "anomaly", rec.anomalyScore, rec, null, seq);
      for (const p of rec.patterns)
        store.insertAnomaly(j.streamId, j.ts, j.value, p.kind, p.strength, rec, p.motif ?? null, seq);
    }
    for (const [id, snapshot] of b.snapshots) {
      const s = this.byId.get(id);
      if (s) store.saveSnapshot(id, snapshot, s.lastTs);
    }
  }

  /**
   * Per stream, the validation metrics of its forecasts (core's createStreamValidator) over the samples processed
   * since this engine started (replayed samples are not counted again), for the agent's status records.
   */
  validationSummary(): Record<string, StreamValidation> {
    const out: Record<string, StreamValidation> = {};
    for (const [name, s] of this.streams) {
      const r = s.validator.result();
      const f = (x: number | null) => (x !== null && Number.isFinite(x) ? x : null);
      out[name] = {
        count: r.count,
        rmse: f(r.rmse),
        nrmse: f(r.nrmse),
        mae: f(r.mae),
        mase: f(r.mase),
        smape: f(r.smape),
        bias: f(r.bias),
        coverage: f(r.coverage),
        meanWidth: f(r.meanWidth),
        winkler: f(r.winkler),
        nominal: r.nominal,
        score: f(r.score),
      };
    }
    return out;
  }

  /**
   * Snapshots of every stream that changed since its last one (before retention, on stop), a few streams per
   * transaction to bound memory. Serialise with step.
   */
  async snapshotAll(): Promise<void> {
    const all = [...this.streams.values()].filter((s) => s.sinceSnapshot > 0);
    for (let i = 0; i < all.length; i += SNAPSHOTS_PER_COMMIT) {
      const part = all.slice(i, i + SNAPSHOTS_PER_COMMIT);
      const now = Date.now();
      const out = await this.o.host.step(
        [],
        part.map((s) => s.id),
      );
      for (const s of part) {
        s.sinceSnapshot = 0;
        s.snapshotAt = now;
        this.due.delete(s);
      }
      this.o.store.transaction(() => {
        for (const [id, snapshot] of out.snapshots) {
          const s = this.byId.get(id);
          if (s) this.o.store.saveSnapshot(id, snapshot, s.lastTs);
        }
      });
    }
  }

  /**
   * A stream's first time-based snapshot falls somewhere in its first interval (spread by id), so that streams
   * created together do not all fall due together.
   */
  private staggered(id: number): number {
    return Date.now() - (((id * 7919) % 1000) / 1000) * this.o.snapshotEverySeconds * 1000;
  }
}

function validatorFor(config: StreamPipelineConfig): StreamValidator {
  return createStreamValidator({ horizon: config.horizon ?? 1, coverage: config.coverage ?? 0.9 });
}
