import { decodeSensorPayload, type SensorDecodeLimits, type SensorRejectReason } from "@nqp/contract";
import type { Logger } from "pino";
import type { AgentMetrics } from "../http/metrics";
import type { AgentStore } from "../store/agent-store";
import type { IncomingSample, StreamEngine } from "../streams/stream-engine";
import type { RejectLog } from "./reject-log";

/** Where the PUBACKs of the messages in a group commit come from, and go back to once it is committed. */
export interface AckGate<T> {
  takeHeldAcks(): T[];
  readonly heldAcks: number;
  releaseAcks(acks: T[]): void;
}

/** Acks waiting for durability that trigger a barrier at once (below Mosquitto's default in-flight window of 20). */
const BARRIER_AFTER_ACKS = 16;

export interface CommitInfo {
  accepted: number;
  lastSeq: number;
  /** Pipelines + SQLite for this group commit. */
  commitMs: number;
  /** Arrival → committed, per accepted sample, in ms (only when someone listens: see Agent's "commit" event). */
  latenciesMs?: number[];
}

export interface DurableInfo {
  durableSeq: number;
  /** Arrival → durable (and acknowledged to the broker), per sample, in ms (only when someone listens). */
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
  onCommit: (info: CommitInfo) => void;
  /** After records became durable (the barrier, or each commit with durability "every-commit"). */
  onDurable: (info: DurableInfo) => void;
  durability: () => "batched" | "every-commit";
  durableEveryMs: () => number;
  wantLatencies: () => boolean;
  /** A commit failed: memory and database may disagree; the agent must stop (and be restarted). */
  onFatal: (err: unknown) => void;
  log: Logger;
}

/**
 * Group commit: messages are decoded as they arrive and queued; the queue is stepped through the pipelines and
 * committed in one transaction when the current burst of network input has been handled (setImmediate). Only then are the PUBACKs of those messages released, so a sample is
 * acknowledged to the sensor broker only once its prediction record is durable.
 *
 * Commits are serialised (and so are `exclusive` tasks such as snapshots): while the pipelines of one batch run on
 * worker threads, the next batch queues. When the queue holds 4 × `commitMaxSamples`, `accept` returns a promise and the
 * MQTT client stops reading until it settles (backpressure to the broker instead of unbounded memory).
 */
export class IngestProcessor<A> {
  private pending: IncomingSample[] = [];
  private scheduled = false;
  private gate: AckGate<A> | undefined;
  private hasFailed = false;
  private lock: Promise<void> = Promise.resolve();
  private waiters: (() => void)[] = [];
  /** Committed batches whose acks wait for the next durability barrier. */
  private awaitingDurable: { acks: A[]; arrivedAt?: number[] }[] = [];
  private barrierTimer: NodeJS.Timeout | undefined;
  private awaitingAcks = 0;
  private barrierSoon = false;
  private barrierRunning = false;
  private barrierAgain = false;

  constructor(private readonly o: IngestProcessorOptions) {}

  attach(gate: AckGate<A>): void {
    this.gate = gate;
  }

  get queued(): number {
    return this.pending.length;
  }

  /** A commit failed: the pipelines in memory are ahead of the database, so their state must not be saved. */
  get failed(): boolean {
    return this.hasFailed;
  }

  /** One MQTT message; never throws. Returns a promise when the reader should wait (backpressure). */
  accept(topic: string, payload: Uint8Array, arrivedAt: number): Promise<void> | undefined {
    // Monotonic arrival time for the latency measure; the wall clock `arrivedAt` stamps samples without a ts.
    const arrivedHr = performance.now();
    this.o.metrics.messages.inc();
    const r = decodeSensorPayload(topic, payload, arrivedAt, this.o.limits());
    for (const reason of r.rejects) this.reject(reason, topic, payload);
    for (const s of r.samples) this.pending.push({ stream: s.stream, ts: s.ts, value: s.value, arrivedAt: arrivedHr });
    this.schedule();
    if (this.pending.length >= 4 * this.o.commitMaxSamples() && !this.hasFailed)
      return new Promise((resolve) => this.waiters.push(resolve));
    return undefined;
  }

  private reject(reason: SensorRejectReason, topic: string, payload?: Uint8Array): void {
    this.o.metrics.countReject(reason);
    this.o.rejectLog.reject(reason, topic, payload);
  }

  private schedule(): void {
    if (this.scheduled) return;
    this.scheduled = true;
    setImmediate(
      () =>
        void this.exclusive(() => {
          this.scheduled = false;
          return this.drainQueue();
        }),
    );
  }

  /** Runs `task` when no commit is in progress, and holds commits back until it is done. */
  exclusive<T>(task: () => Promise<T> | T): Promise<T> {
    const result = this.lock.then(task);
    this.lock = result.then(
      () => {},
      () => {},
    );
    return result;
  }

  /**
   * Every `durableEveryMs`, a durability barrier when anything was written since the last one (records of any
   * kind, or the hub's ack): one fsync for everything committed in that interval.
   */
  startBarrierTimer(): void {
    if (this.barrierTimer) return;
    this.barrierTimer = setInterval(() => {
      if (this.o.store.needsBarrier || this.awaitingDurable.length > 0) void this.barrierAsync();
    }, this.o.durableEveryMs());
  }

  /**
   * A barrier off the event loop (an fsync on libuv's thread pool, see AgentStore.barrierAsync): ingest goes on
   * meanwhile; what is committed during the fsync waits for the next one. One at a time.
   */
  async barrierAsync(): Promise<void> {
    if (this.hasFailed) return;
    if (this.barrierRunning) {
      this.barrierAgain = true;
      return;
    }
    this.barrierRunning = true;
    const covered = this.awaitingDurable;
    this.awaitingDurable = [];
    this.awaitingAcks = 0;
    try {
      const durableSeq = await this.o.store.barrierAsync();
      this.release(covered, durableSeq);
    } catch (err) {
      this.hasFailed = true;
      this.o.log.fatal({ err }, "durability barrier failed");
      this.o.onFatal(err);
      return;
    } finally {
      this.barrierRunning = false;
    }
    if (this.barrierAgain) {
      this.barrierAgain = false;
      void this.barrierAsync();
    }
  }

  /** Makes everything committed durable now, synchronously (on stop), then releases the acks that waited for it. */
  barrier(): void {
    if (this.hasFailed) return;
    let durableSeq: number;
    try {
      durableSeq = this.o.store.barrier();
    } catch (err) {
      this.hasFailed = true;
      this.o.log.fatal({ err }, "durability barrier failed");
      this.o.onFatal(err);
      return;
    }
    const done = this.awaitingDurable;
    this.awaitingDurable = [];
    this.awaitingAcks = 0;
    this.release(done, durableSeq);
  }

  private release(done: { acks: A[]; arrivedAt?: number[] }[], durableSeq: number): void {
    const now = performance.now();
    let latencies: number[] | undefined;
    for (const d of done) {
      this.gate?.releaseAcks(d.acks);
      if (d.arrivedAt) {
        latencies ??= [];
        for (const a of d.arrivedAt) latencies.push(now - a);
      }
    }
    this.o.onDurable({ durableSeq, latenciesMs: latencies });
  }

  /** Stops the barrier timer (the agent calls `barrier` itself when stopping). */
  stopTimers(): void {
    if (this.barrierTimer) clearInterval(this.barrierTimer);
    this.barrierTimer = undefined;
  }

  /** Commits everything queued so far (and what arrives meanwhile). */
  flush(): Promise<void> {
    return this.exclusive(() => this.drainQueue());
  }

  /**
   * A few commits, then the lock is let go (and taken again for what arrived meanwhile), so that exclusive tasks
   * (snapshots, stopping) are never starved by a steady flow of messages.
   */
  private async drainQueue(): Promise<void> {
    const more = () => !this.hasFailed && (this.pending.length > 0 || (this.gate?.heldAcks ?? 0) > 0);
    for (let i = 0; i < 4 && more(); i++) await this.commitOnce();
    if (more()) this.schedule();
    else {
      const w = this.waiters;
      this.waiters = [];
      for (const resolve of w) resolve();
    }
  }

  private async commitOnce(): Promise<void> {
    // The acks held now are exactly those of the messages whose samples are queued now: take both together.
    const acks = this.gate?.takeHeldAcks() ?? [];
    const batch = this.pending;
    this.pending = [];
    if (batch.length === 0) {
      this.gate?.releaseAcks(acks);
      return;
    }
    const started = performance.now();
    let accepted: number;
    let stepped: Awaited<ReturnType<StreamEngine["step"]>>;
    try {
      stepped = await this.o.engine.step(batch);
      this.o.store.transaction(() => this.o.engine.write(stepped));
      accepted = stepped.jobs.length;
    } catch (err) {
      // Pipelines advanced but nothing was committed: the acks stay unsent (the broker redelivers) and the agent
      // stops, so that a restart rebuilds the streams from the database.
      this.hasFailed = true;
      this.o.log.fatal({ err }, "commit failed");
      this.o.onFatal(err);
      for (const resolve of this.waiters.splice(0)) resolve();
      return;
    }
    const now = performance.now();
    const commitMs = now - started;
    this.o.metrics.commitSeconds.observe(commitMs / 1000);
    this.o.metrics.countAccepted(accepted);
    for (const reason of stepped.rejects) this.reject(reason, "(stream)");
    const latencies: number[] | undefined = this.o.wantLatencies() ? [] : undefined;
    for (const s of stepped.accepted) {
      const ms = now - s.arrivedAt;
      this.o.metrics.observeLatency(s.stream, ms / 1000);
      latencies?.push(ms);
    }
    this.o.onCommit({ accepted, lastSeq: this.o.store.lastSeq, commitMs, latenciesMs: latencies });
    if (this.o.durability() === "every-commit") {
      this.gate?.releaseAcks(acks);
      this.o.onDurable({
        durableSeq: this.o.store.durableSeq,
        latenciesMs: latencies ? stepped.accepted.map((s) => now - s.arrivedAt) : undefined,
      });
    } else {
      this.awaitingDurable.push({ acks, arrivedAt: latencies ? stepped.accepted.map((s) => s.arrivedAt) : undefined });
      this.awaitingAcks += acks.length;
      // Brokers send only so many unacknowledged messages (Mosquitto: 20 by default): once most of that window
      // waits for a barrier, run it now rather than at the next tick.
      if (this.awaitingAcks >= BARRIER_AFTER_ACKS && !this.barrierSoon) {
        this.barrierSoon = true;
        setImmediate(() => {
          this.barrierSoon = false;
          void this.barrierAsync();
        });
      }
    }
    if (this.pending.length < 4 * this.o.commitMaxSamples()) for (const resolve of this.waiters.splice(0)) resolve();
  }
}
