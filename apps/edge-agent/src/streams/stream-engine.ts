import type { SensorRejectReason, StreamValidation } from "@nqp/contract";
import {
  createStreamValidator,
  type PipelineSnapshot,
  type StreamPipeline,
  type StreamPipelineConfig,
  type StreamValidator,
} from "@nqp/core";
import type { AgentStore } from "../store/agent-store";
import type { PipelineFactory } from "./pipeline-factory";

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
  pipeline: StreamPipeline;
  /** Validation metrics of this stream's forecasts over the samples processed since the agent started. */
  validator: StreamValidator;
  lastTs: number;
  sinceSnapshot: number;
  snapshotAt: number;
}

export interface StreamEngineOptions {
  store: AgentStore;
  createPipeline: PipelineFactory;
  /** Pipeline settings for streams created from now on. */
  pipelineConfig: () => StreamPipelineConfig;
  /** Configured stream id for a decoded stream name (identity when unmapped). */
  streamId: (name: string) => string;
  maxStreams: number;
  snapshotEverySamples: number;
  snapshotEverySeconds: number;
}

export interface ProcessResult {
  accepted: number;
  rejects: SensorRejectReason[];
  /** Per accepted sample: its stream id and arrival time (for latency after commit). */
  acceptedSamples: { stream: string; arrivedAt: number }[];
}

/**
 * Runs each stream's pipeline and writes one prediction record per accepted sample, in the caller's transaction.
 * Samples must come in time order per stream: a sample at or before the stream's last accepted time is rejected
 * ("duplicate" when equal: a QoS 1 redelivery of a sample already committed). On start, each stream is restored
 * from its last snapshot and the prediction rows after it, which rebuilds exactly the state it had.
 */
export class StreamEngine {
  private readonly streams = new Map<string, StreamState>();
  private readonly o: StreamEngineOptions;

  constructor(options: StreamEngineOptions) {
    this.o = options;
    this.restore();
  }

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

  /** Rebuilds every stream from the database (on start, and after a failed transaction left memory ahead of it). */
  restore(): void {
    this.streams.clear();
    const rows = this.o.store.streams();
    const byId = new Map<number, StreamState>();
    let from = Number.POSITIVE_INFINITY;
    const snapshotSeq = new Map<number, number>();
    for (const row of rows) {
      const config = JSON.parse(row.config) as StreamPipelineConfig;
      const snapshot = row.snapshot ? (JSON.parse(row.snapshot) as PipelineSnapshot) : undefined;
      const state: StreamState = {
        id: row.id,
        name: row.name,
        pipeline: this.o.createPipeline(config, snapshot),
        validator: validatorFor(config),
        lastTs: row.snapshotLastTs ?? Number.NEGATIVE_INFINITY,
        sinceSnapshot: 0,
        snapshotAt: Date.now(),
      };
      this.streams.set(row.name, state);
      byId.set(row.id, state);
      snapshotSeq.set(row.id, row.snapshotSeq);
      from = Math.min(from, row.snapshotSeq);
    }
    if (rows.length === 0) return;
    for (const r of this.o.store.replayRows(from)) {
      const s = byId.get(r.streamId);
      if (!s || r.seq <= (snapshotSeq.get(r.streamId) ?? 0)) continue;
      s.pipeline.step(r.ts, r.value);
      s.lastTs = r.ts;
      s.sinceSnapshot++;
    }
  }

  /** Processes samples in order; call inside `store.transaction`. */
  process(samples: readonly IncomingSample[]): ProcessResult {
    const store = this.o.store;
    const result: ProcessResult = { accepted: 0, rejects: [], acceptedSamples: [] };
    const touched = new Set<StreamState>();
    for (const sample of samples) {
      const name = this.o.streamId(sample.stream);
      let s = this.streams.get(name);
      if (!s) {
        if (this.streams.size >= this.o.maxStreams) {
          result.rejects.push("too-many-streams");
          continue;
        }
        const config = this.o.pipelineConfig();
        s = {
          id: store.createStream(name, config),
          name,
          pipeline: this.o.createPipeline(config),
          validator: validatorFor(config),
          lastTs: Number.NEGATIVE_INFINITY,
          sinceSnapshot: 0,
          snapshotAt: Date.now(),
        };
        this.streams.set(name, s);
      }
      if (sample.ts <= s.lastTs) {
        result.rejects.push(sample.ts === s.lastTs ? "duplicate" : "out-of-order");
        continue;
      }
      const rec = s.pipeline.step(sample.ts, sample.value);
      s.validator.add(sample.value, rec.forecast ?? Number.NaN, rec.lower ?? Number.NaN, rec.upper ?? Number.NaN);
      const seq = store.insertPrediction(s.id, sample.ts, sample.value, rec);
      if (rec.isAnomaly)
        store.insertAnomaly(s.id, sample.ts, sample.value, "anomaly", rec.anomalyScore, rec, null, seq);
      for (const p of rec.patterns)
        store.insertAnomaly(s.id, sample.ts, sample.value, p.kind, p.strength, rec, p.motif ?? null, seq);
      s.lastTs = sample.ts;
      s.sinceSnapshot++;
      touched.add(s);
      result.accepted++;
      result.acceptedSamples.push({ stream: name, arrivedAt: sample.arrivedAt });
    }
    const now = Date.now();
    for (const s of touched)
      if (s.sinceSnapshot >= this.o.snapshotEverySamples || now - s.snapshotAt >= this.o.snapshotEverySeconds * 1000)
        this.snapshot(s, now);
    return result;
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

  /** Saves every stream's state that changed since its last snapshot (on shutdown; call inside a transaction). */
  snapshotAll(): void {
    const now = Date.now();
    for (const s of this.streams.values()) if (s.sinceSnapshot > 0) this.snapshot(s, now);
  }

  private snapshot(s: StreamState, now: number): void {
    this.o.store.saveSnapshot(s.id, s.pipeline.snapshot(), s.lastTs);
    s.sinceSnapshot = 0;
    s.snapshotAt = now;
  }
}

function validatorFor(config: StreamPipelineConfig): StreamValidator {
  return createStreamValidator({ horizon: config.horizon ?? 1, coverage: config.coverage ?? 0.9 });
}
