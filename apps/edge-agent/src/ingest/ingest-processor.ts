import { decodeSensorPayload, type SensorDecodeLimits, type SensorRejectReason } from "@nqp/contract";
import type { Logger } from "pino";
import type { AgentMetrics } from "../http/metrics";
import type { AgentStore } from "../store/agent-store";
import type { IncomingSample, StreamEngine } from "../streams/stream-engine";
import type { RejectLog } from "./reject-log";

/** Where the PUBACKs of the messages in a group commit come from, and go back to once it is committed. */
export interface AckGate<T> {
  takeHeldAcks(): T[];
  releaseAcks(acks: T[]): void;
}

export interface CommitInfo {
  accepted: number;
  lastSeq: number;
  commitMs: number;
  /** Arrival → committed, per accepted sample, in ms (only when someone listens: see Agent's "commit" event). */
  latenciesMs?: number[];
}

export interface IngestProcessorOptions {
  store: AgentStore;
  engine: StreamEngine;
  metrics: AgentMetrics;
  rejectLog: RejectLog;
  limits: () => SensorDecodeLimits;
  commitMaxSamples: () => number;
  /** After every successful commit. */
  onCommit: (info: CommitInfo, wantLatencies: boolean) => void;
  wantLatencies: () => boolean;
  /** A commit failed: memory and database may disagree; the agent must stop (and be restarted). */
  onFatal: (err: unknown) => void;
  log: Logger;
}

/**
 * Group commit: messages are decoded as they arrive and queued; the queue is processed and committed in one
 * transaction when the current burst of network input has been handled (setImmediate) or when it reaches
 * `commitMaxSamples`. Only then are the PUBACKs of those messages released, so a sample is acknowledged to the
 * sensor broker only once its prediction record is durable.
 */
export class IngestProcessor<A> {
  private pending: IncomingSample[] = [];
  private scheduled = false;
  private gate: AckGate<A> | undefined;
  private failed = false;

  constructor(private readonly o: IngestProcessorOptions) {}

  attach(gate: AckGate<A>): void {
    this.gate = gate;
  }

  get queued(): number {
    return this.pending.length;
  }

  /** One MQTT message; never throws. */
  accept(topic: string, payload: Uint8Array, arrivedAt: number): void {
    // Monotonic arrival time for the latency measure; the wall clock `arrivedAt` stamps samples without a ts.
    const arrivedHr = performance.now();
    this.o.metrics.messages.inc();
    const r = decodeSensorPayload(topic, payload, arrivedAt, this.o.limits());
    for (const reason of r.rejects) this.reject(reason, topic, payload);
    for (const s of r.samples) this.pending.push({ stream: s.stream, ts: s.ts, value: s.value, arrivedAt: arrivedHr });
    if (this.pending.length >= this.o.commitMaxSamples()) this.flush();
    else if (!this.scheduled && (this.pending.length > 0 || r.rejects.length > 0)) {
      // Rejected-only messages still need their PUBACK released.
      this.scheduled = true;
      setImmediate(() => this.flush());
    }
  }

  private reject(reason: SensorRejectReason, topic: string, payload?: Uint8Array): void {
    this.o.metrics.countReject(reason);
    this.o.rejectLog.reject(reason, topic, payload);
  }

  /** Processes and commits everything queued, then releases the PUBACKs of those messages. */
  flush(): void {
    this.scheduled = false;
    if (this.failed) return;
    const acks = this.gate?.takeHeldAcks() ?? [];
    const batch = this.pending;
    this.pending = [];
    if (batch.length > 0) {
      const started = performance.now();
      let result: ReturnType<StreamEngine["process"]>;
      try {
        result = this.o.store.transaction(() => this.o.engine.process(batch));
      } catch (err) {
        // Pipelines advanced in memory but nothing was committed: the acks stay unsent (the broker redelivers),
        // and the agent stops so that a restart rebuilds the streams from the database.
        this.failed = true;
        this.o.log.fatal({ err }, "commit failed");
        this.o.onFatal(err);
        return;
      }
      const now = performance.now();
      const commitMs = now - started;
      this.o.metrics.commitSeconds.observe(commitMs / 1000);
      this.o.metrics.countAccepted(result.accepted);
      for (const reason of result.rejects) this.reject(reason, "(stream)");
      const want = this.o.wantLatencies();
      const latencies: number[] | undefined = want ? [] : undefined;
      for (const s of result.acceptedSamples) {
        const ms = now - s.arrivedAt;
        this.o.metrics.observeLatency(s.stream, ms / 1000);
        latencies?.push(ms);
      }
      this.gate?.releaseAcks(acks);
      this.o.onCommit(
        { accepted: result.accepted, lastSeq: this.o.store.lastSeq, commitMs, latenciesMs: latencies },
        want,
      );
    } else this.gate?.releaseAcks(acks);
  }
}
