import type { Counter, Gauge, Histogram, Registry } from "prom-client";
import type { BackendSelection } from "../streams/backend";

export type PromClient = typeof import("prom-client");

/** Streams beyond this many share one latency series (stream="_other"), to bound the exposition's size. */
const MAX_STREAM_SERIES = 1000;

export interface AgentMetricsSource {
  outboxDepth(): number;
  ackedSeq(): number;
  lastSeq(): number;
  syncLagSeconds(): number;
  streams(): number;
  hubConnected(): boolean;
  ingestConnected(): boolean;
}

/** The agent's Prometheus metrics, in a registry of its own (several agents may share a process in tests). */
export class AgentMetrics {
  readonly registry: Registry;
  readonly messages: Counter;
  readonly accepted: Counter;
  readonly rejects: Counter<"reason">;
  readonly commitSeconds: Histogram;
  readonly latency: Histogram<"stream">;
  private readonly ingestRate: Gauge;
  private readonly latencyChildren = new Map<string, ReturnType<Histogram<"stream">["labels"]>>();
  private rateWindow: { at: number; accepted: number }[] = [];
  /** Plain totals for the status record (prom-client's own values are meant for scraping). */
  acceptedTotal = 0;
  readonly rejectCounts = new Map<string, number>();

  constructor(
    prom: PromClient,
    labels: { agent: string; version: string; engine: string; backend: BackendSelection },
    source: AgentMetricsSource,
  ) {
    const { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } = prom;
    this.registry = new Registry();
    const registers = [this.registry];
    collectDefaultMetrics({ register: this.registry });
    new Gauge({
      name: "nqp_agent_info",
      help: "Agent identity; value is always 1",
      labelNames: ["agent", "version", "engine"],
      registers,
    }).set({ agent: labels.agent, version: labels.version, engine: labels.engine }, 1);
    new Gauge({
      name: "nqp_agent_backend_info",
      help: "Kernel back end of the streams' reservoir steps (requested: compute.backend); value is always 1",
      labelNames: ["backend", "requested"],
      registers,
    }).set({ backend: labels.backend.backend, requested: labels.backend.requested }, 1);
    this.messages = new Counter({ name: "nqp_agent_messages_total", help: "Sensor messages received", registers });
    this.accepted = new Counter({
      name: "nqp_agent_samples_accepted_total",
      help: "Samples committed with their prediction",
      registers,
    });
    this.rejects = new Counter({
      name: "nqp_agent_rejects_total",
      help: "Rejected messages or samples, by reason",
      labelNames: ["reason"],
      registers,
    });
    this.ingestRate = new Gauge({
      name: "nqp_agent_ingest_rate",
      help: "Samples accepted per second over the last 10 seconds",
      registers,
      collect: () => this.ingestRate.set(this.rate()),
    });
    this.commitSeconds = new Histogram({
      name: "nqp_agent_commit_seconds",
      help: "Duration of a group commit (pipelines + SQLite)",
      buckets: [0.0005, 0.001, 0.002, 0.005, 0.01, 0.02, 0.05, 0.1, 0.25, 1],
      registers,
    });
    this.latency = new Histogram({
      name: "nqp_agent_stream_latency_seconds",
      help: "Sample arrival to prediction committed, per stream",
      labelNames: ["stream"],
      buckets: [0.001, 0.002, 0.005, 0.01, 0.02, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
      registers,
    });
    const gauge = (name: string, help: string, read: () => number) =>
      new Gauge({
        name,
        help,
        registers,
        collect(this: Gauge) {
          this.set(read());
        },
      });
    gauge("nqp_agent_outbox_depth", "Records not yet acknowledged by the hub", source.outboxDepth);
    gauge("nqp_agent_acked_seq", "Highest seq the hub acknowledged", source.ackedSeq);
    gauge("nqp_agent_last_seq", "Highest seq written", source.lastSeq);
    gauge("nqp_agent_sync_lag_seconds", "Age of the oldest unacknowledged record", source.syncLagSeconds);
    gauge("nqp_agent_streams", "Streams known to the agent", source.streams);
    gauge("nqp_agent_hub_connected", "1 while connected to the hub broker", () => (source.hubConnected() ? 1 : 0));
    gauge("nqp_agent_ingest_connected", "1 while connected to the sensor broker", () =>
      source.ingestConnected() ? 1 : 0,
    );
  }

  countAccepted(n: number): void {
    this.accepted.inc(n);
    this.acceptedTotal += n;
    const now = Date.now();
    this.rateWindow.push({ at: now, accepted: this.acceptedTotal });
    while (this.rateWindow.length > 2 && this.rateWindow[0].at < now - 10_000) this.rateWindow.shift();
  }

  countReject(reason: string): void {
    this.rejects.inc({ reason });
    this.rejectCounts.set(reason, (this.rejectCounts.get(reason) ?? 0) + 1);
  }

  private rate(): number {
    const w = this.rateWindow;
    if (w.length < 2) return 0;
    const first = w[0];
    const last = w[w.length - 1];
    const dt = (Date.now() - first.at) / 1000;
    return dt > 0 ? (last.accepted - first.accepted) / dt : 0;
  }

  observeLatency(stream: string, seconds: number): void {
    let child = this.latencyChildren.get(stream);
    if (!child) {
      const label = this.latencyChildren.size < MAX_STREAM_SERIES ? stream : "_other";
      child = this.latency.labels(label);
      this.latencyChildren.set(stream, child);
    }
    child.observe(seconds);
  }
}
