import { EventEmitter } from "node:events";
import type { Server } from "node:http";
import type { AgentConfig, ConfigDocument } from "@nqp/contract";
import { parsePublicKey } from "@nqp/contract/signing";
import type { StreamPipelineConfig } from "@nqp/core";
import type { Logger } from "pino";
import { mergeRemote, RemoteConfig } from "./config/remote-config";
import { AgentMetrics, type PromClient } from "./http/metrics";
import { startAgentHttp } from "./http/server";
import { type CommitInfo, type DurableInfo, IngestProcessor } from "./ingest/ingest-processor";
import { RejectLog } from "./ingest/reject-log";
import { type HeldAck, type MqttConnect, SensorClient } from "./ingest/sensor-client";
import { AgentStore } from "./store/agent-store";
import { type BackendSelection, selectBackend } from "./streams/backend";
import { corePipelineProvider, type PipelineProvider } from "./streams/pipeline-factory";
import { InlinePipelineHost, type PipelineHost } from "./streams/pipeline-host";
import { StreamEngine } from "./streams/stream-engine";
import { findPipelineWorker, WorkerPipelineHost } from "./streams/worker-host";
import { SyncClient } from "./sync/sync-client";

export const AGENT_VERSION = "0.1.0";

export interface AgentOptions {
  config: AgentConfig;
  /** Defaults to core's stream pipeline. */
  pipeline?: PipelineProvider;
  /** The pipeline worker script (default: the one built beside the nqp bundle). */
  workerScript?: URL;
  logger?: Logger;
}

export interface AgentEvents {
  commit: [CommitInfo];
  durable: [DurableInfo];
  acked: [number];
  fatal: [unknown];
  config: [ConfigDocument];
}

/**
 * The edge agent: MQTT ingest → per-stream pipeline → SQLite (records + outbox in one transaction) → sync to the
 * hub. Start with `Agent.start`; `stop` shuts down cleanly (last commit, state snapshots, audit entry).
 */
export class Agent extends EventEmitter<AgentEvents> {
  readonly id: string;
  readonly store: AgentStore;
  readonly engine: StreamEngine;
  readonly metrics: AgentMetrics;
  readonly log: Logger;
  /** The kernel back end of the streams' reservoir steps (compute.backend, resolved against the pipeline). */
  readonly backendSelection: BackendSelection;
  readonly engineName: string;
  private settings: AgentConfig;
  private readonly base: AgentConfig;
  private readonly processor: IngestProcessor<HeldAck>;
  private readonly host: PipelineHost;
  private readonly remote: RemoteConfig;
  private sensor: SensorClient | undefined;
  private sync: SyncClient | undefined;
  private http: { server: Server; port: number; host: string } | undefined;
  private timers: NodeJS.Timeout[] = [];
  private readonly startedAt = Date.now();
  private stopping: Promise<void> | undefined;

  private readonly connect: MqttConnect;

  private constructor(options: AgentOptions, libs: { connect: MqttConnect; prom: PromClient; logger: Logger }) {
    super();
    const config = options.config;
    this.base = config;
    this.id = config.id;
    this.connect = libs.connect;
    this.log = libs.logger;
    const provider = options.pipeline ?? corePipelineProvider();
    this.backendSelection = selectBackend(config.compute.backend, provider);
    this.engineName = provider.engine;
    this.host = this.makeHost(options, provider);
    this.store = new AgentStore(config.data, { durability: config.storage.durability });
    this.remote = new RemoteConfig({
      agentId: this.id,
      store: this.store,
      publicKey: config.hub?.publicKey ? parsePublicKey(config.hub.publicKey) : undefined,
      apply: (doc) => this.applyRemote(doc),
      log: this.log,
    });
    const applied = this.remote.appliedDocument()?.config;
    this.settings = mergeRemote(config, applied);
    // A logger handed in keeps its level unless a remote config sets one.
    if (!options.logger || applied?.log?.level) this.log.level = this.settings.log.level;
    this.engine = new StreamEngine({
      store: this.store,
      host: this.host,
      pipelineConfig: () => this.pipelineConfig(),
      streamId: (name) => this.settings.ingest.streams[name] ?? name,
      maxStreams: config.ingest.maxStreams,
      snapshotEverySamples: config.storage.snapshotEverySamples,
      snapshotEverySeconds: config.storage.snapshotEverySeconds,
    });
    this.metrics = new AgentMetrics(
      libs.prom,
      { agent: this.id, version: AGENT_VERSION, engine: this.engineName, backend: this.backendSelection },
      {
        outboxDepth: () => this.store.outboxDepth,
        ackedSeq: () => this.store.ackedSeq,
        lastSeq: () => this.store.lastSeq,
        syncLagSeconds: () => this.syncLagSeconds(),
        streams: () => this.engine.streamCount,
        hubConnected: () => this.sync?.connected ?? false,
        ingestConnected: () => this.sensor?.connected ?? false,
      },
    );
    this.processor = new IngestProcessor({
      store: this.store,
      engine: this.engine,
      metrics: this.metrics,
      rejectLog: new RejectLog(this.log, () => this.settings.log.rejectsPerMinute),
      limits: () => ({
        maxPayloadBytes: this.settings.ingest.maxPayloadBytes,
        maxSamples: this.settings.ingest.maxSamplesPerMessage,
      }),
      commitMaxSamples: () => this.settings.storage.commitMaxSamples,
      onCommit: (info) => {
        if (this.listenerCount("commit") > 0) this.emit("commit", info);
      },
      onDurable: (info) => {
        this.sync?.notify();
        if (this.listenerCount("durable") > 0) this.emit("durable", info);
      },
      durability: () => this.settings.storage.durability,
      durableEveryMs: () => this.settings.storage.durableEveryMs,
      wantLatencies: () => this.listenerCount("commit") + this.listenerCount("durable") > 0,
      onFatal: (err) => this.emit("fatal", err),
      log: this.log,
    });
  }

  /** Opens the database, rebuilds stream state, connects to the sensor broker and the hub. */
  static async start(options: AgentOptions): Promise<Agent> {
    // Loaded here, not at the top: the command line's other commands need none of them.
    const [{ connect }, prom, logger] = await Promise.all([
      import("mqtt"),
      import("prom-client"),
      options.logger ??
        import("pino").then(({ pino }) =>
          pino({ level: options.config.log.level, base: { agent: options.config.id } }),
        ),
    ]);
    const agent = new Agent(options, { connect, prom, logger });
    await agent.begin();
    return agent;
  }

  private makeHost(options: AgentOptions, provider: PipelineProvider): PipelineHost {
    const workers = options.config.compute.pipelineWorkers;
    if (workers === 0) return new InlinePipelineHost(provider.create);
    const script = options.workerScript ?? findPipelineWorker();
    if (options.pipeline || !script) {
      this.log.warn(
        { workers },
        options.pipeline
          ? "a custom pipeline runs in the agent's thread; compute.pipelineWorkers ignored"
          : "the pipeline worker script was not found (build with 'pnpm build'); running pipelines in the agent's thread",
      );
      return new InlinePipelineHost(provider.create);
    }
    return new WorkerPipelineHost(script, workers, (err) => {
      this.log.fatal({ err: err.message }, "a pipeline worker failed");
      this.emit("fatal", err);
    });
  }

  /** The back end name that runs the reservoir steps ("ts", "wasm", …). */
  get backend(): string {
    return this.backendSelection.backend;
  }

  /** Where the pipelines run ("inline" or "N worker threads"). */
  get pipelineHost(): string {
    return this.host.description;
  }

  private async begin(): Promise<void> {
    const c = this.base;
    const restoring = performance.now();
    await this.engine.restore();
    this.log.info(
      { streams: this.engine.streamCount, ms: Math.round(performance.now() - restoring), host: this.host.description },
      "stream state restored",
    );
    this.store.transaction(() =>
      this.store.appendAudit(`agent:${this.id}`, "agent-started", {
        version: AGENT_VERSION,
        engine: this.engineName,
        backend: this.backend,
        streams: this.engine.streamCount,
        lastSeq: this.store.lastSeq,
        ackedSeq: this.store.ackedSeq,
        configVersion: this.remote.version,
      }),
    );
    if (c.http) {
      this.http = await startAgentHttp({
        address: c.http,
        registry: this.metrics.registry,
        health: () => this.health(),
      });
      this.log.info({ host: this.http.host, port: this.http.port }, "http listening");
    }
    if (c.hub) {
      this.sync = new SyncClient({
        connect: this.connect,
        url: c.hub.url,
        agentId: this.id,
        username: c.hub.username,
        password: c.hub.password,
        store: this.store,
        batchRecords: () => this.settings.sync.batchRecords,
        windowRecords: () => this.settings.sync.windowRecords,
        ackTimeoutMs: () => this.settings.sync.ackTimeoutSeconds * 1000,
        onConfig: (payload) => this.remote.receive(payload),
        log: this.log.child({ part: "sync" }),
      });
      // The ack is saved with the next barrier or commit: no fsync per ack.
      this.sync.on("acked", (seq: number) => this.emit("acked", seq));
    }
    this.sensor = new SensorClient({
      connect: this.connect,
      url: c.ingest.url,
      clientId: c.ingest.clientId ?? `nqp-agent-${this.id}-ingest`,
      username: c.ingest.username,
      password: c.ingest.password,
      topics: c.ingest.topics,
      qos: c.ingest.qos,
      onMessage: (topic, payload, arrivedAt) => this.processor.accept(topic, payload, arrivedAt),
      log: this.log.child({ part: "ingest" }),
    });
    this.processor.attach(this.sensor);
    this.processor.startBarrierTimer();
    this.every(this.settings.sync.statusIntervalSeconds * 1000, () => this.writeStatus());
    this.every(this.settings.retention.intervalSeconds * 1000, () => this.runRetention());
    this.writeStatus();
  }

  private every(ms: number, fn: () => void): void {
    const t = setInterval(() => {
      try {
        fn();
      } catch (err) {
        this.log.error({ err }, "periodic task failed");
      }
    }, ms);
    t.unref();
    this.timers.push(t);
  }

  private pipelineConfig(): StreamPipelineConfig {
    return { ...this.settings.pipeline };
  }

  private applyRemote(doc: ConfigDocument): void {
    this.settings = mergeRemote(this.base, doc.config);
    if (doc.config.log?.level) this.log.level = doc.config.log.level;
    this.emit("config", doc);
  }

  /** The settings in force (file and flags, with the last applied remote document on top). */
  get config(): AgentConfig {
    return this.settings;
  }

  get configVersion(): number {
    return this.remote.version;
  }

  get httpPort(): number | undefined {
    return this.http?.port;
  }

  get hubConnected(): boolean {
    return this.sync?.connected ?? false;
  }

  get ingestConnected(): boolean {
    return this.sensor?.connected ?? false;
  }

  syncLagSeconds(): number {
    const oldest = this.store.oldestUnackedCommit();
    return oldest === undefined ? 0 : Math.max(0, (Date.now() - oldest) / 1000);
  }

  health(): { ok: boolean; [key: string]: unknown } {
    return {
      ok: this.stopping === undefined,
      agent: this.id,
      version: AGENT_VERSION,
      engine: this.engineName,
      backend: this.backend,
      backendRequested: this.backendSelection.requested,
      backendDetail: this.backendSelection.detail,
      uptimeSeconds: (Date.now() - this.startedAt) / 1000,
      ingestConnected: this.ingestConnected,
      hubConnected: this.hubConnected,
      streams: this.engine.streamCount,
      lastSeq: this.store.lastSeq,
      ackedSeq: this.store.ackedSeq,
      outboxDepth: this.store.outboxDepth,
      syncLagSeconds: this.syncLagSeconds(),
      configVersion: this.remote.version,
    };
  }

  private writeStatus(): void {
    const rejects = Object.fromEntries(this.metrics.rejectCounts);
    this.store.transaction(() =>
      this.store.insertStatus({
        ts: Date.now(),
        version: AGENT_VERSION,
        backend: this.backend,
        streams: this.engine.streamCount,
        acceptedTotal: this.metrics.acceptedTotal,
        rejectedTotal: Object.values(rejects).reduce((a, b) => a + b, 0),
        rejects,
        outboxDepth: this.store.outboxDepth,
        ackedSeq: this.store.ackedSeq,
        uptimeSeconds: (Date.now() - this.startedAt) / 1000,
        rssBytes: process.memoryUsage.rss(),
        configVersion: this.remote.version,
        auditHead: this.store.auditHeadEntry,
        validation: this.engine.validationSummary(),
      }),
    );
    this.sync?.notify();
  }

  private runRetention(): void {
    const r = this.settings.retention;
    if (this.processor.failed) return;
    // Streams that changed since their last snapshot save it first, so retention is never held back by them.
    void this.processor
      .exclusive(() => this.engine.snapshotAll())
      .then(
        () => this.applyRetention(r),
        (err) => this.log.error({ err }, "snapshots before retention failed"),
      );
  }

  private applyRetention(r: AgentConfig["retention"]): void {
    const deleted = this.store.applyRetention(Date.now(), r.maxAgeHours * 3_600_000, r.maxRows);
    if (deleted > 0) this.log.info({ deleted }, "retention removed acknowledged records");
  }

  /** Stops cleanly: stops intake, commits what is queued, saves stream state, closes connections and the database. */
  stop(): Promise<void> {
    this.stopping ??= (async () => {
      for (const t of this.timers) clearInterval(t);
      await this.processor.flush();
      this.processor.barrier();
      await this.sensor?.stop();
      // What arrived meanwhile is committed too; its acks are gone with the connection, so the broker redelivers
      // those messages on the next start and they are refused there as duplicates.
      await this.processor.flush();
      this.processor.stopTimers();
      try {
        // After a failed commit the pipelines are ahead of the database: a restart rebuilds them from it instead.
        if (!this.processor.failed) await this.processor.exclusive(() => this.engine.snapshotAll());
        this.store.transaction(() =>
          this.store.appendAudit(`agent:${this.id}`, "agent-stopped", { lastSeq: this.store.lastSeq }),
        );
      } catch (err) {
        this.log.error({ err }, "saving state on stop failed");
      }
      await this.host.close();
      this.processor.barrier();
      this.sync?.notify();
      await this.sync?.stop();
      await new Promise<void>((resolve) => (this.http ? this.http.server.close(() => resolve()) : resolve()));
      this.store.close();
      this.log.info("agent stopped");
    })();
    return this.stopping;
  }
}
