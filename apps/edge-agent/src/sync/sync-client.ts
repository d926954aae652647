import { EventEmitter } from "node:events";
import {
  AckSchema,
  ackTopic,
  configTopic,
  downFilter,
  type PredictionRecord,
  predictionRow,
  type UpKind,
  upTopic,
  WIRE_VERSION,
} from "@nqp/contract";
import type { MqttClient } from "mqtt";
import type { Logger } from "pino";
import type { MqttConnect } from "../ingest/sensor-client";
import type { AgentStore, OutboxRecord } from "../store/agent-store";

export interface SyncClientOptions {
  connect: MqttConnect;
  url: string;
  agentId: string;
  username?: string;
  password?: string;
  store: AgentStore;
  batchRecords: () => number;
  windowRecords: () => number;
  ackTimeoutMs: () => number;
  /** A config envelope arrived on this agent's config topic. */
  onConfig: (payload: Buffer) => void;
  log: Logger;
}

/**
 * Publishes the outbox to the hub and advances on its acks: exactly-once effect over at-least-once MQTT.
 *
 * - Batches of up to `batchRecords` records of one kind go to nqp/v1/agents/{id}/up/{kind} at QoS 1, in seq order.
 * - At most `windowRecords` records are in flight beyond the last ack (backpressure: a slow hub slows the sender,
 *   never the ingest, which keeps writing to SQLite).
 * - The hub acks the highest contiguous seq it stored; the agent persists it and may compact what is below.
 * - After any reconnect, and whenever acks stop advancing for `ackTimeoutMs` (doubling up to 8×), the sender goes
 *   back to the last ack and resends from there (go-back-N). The hub upserts on (agent, seq), so resends are
 *   harmless; nothing is skipped, because the cursor never moves past a record that was not published.
 */
export class SyncClient extends EventEmitter {
  private readonly client: MqttClient;
  private cursor: number;
  private lastProgress = Date.now();
  private backoff = 1;
  private pumping = false;
  private readonly timer: NodeJS.Timeout;
  private stopped = false;
  /** Batches published and not yet acknowledged by the broker (mqtt.js keeps them in memory until PUBACK). */
  private brokerInflight = 0;
  /** Bumped on every connect: callbacks of publishes from an earlier connection no longer count. */
  private generation = 0;
  publishedRecords = 0;
  publishedBatches = 0;
  resends = 0;

  constructor(private readonly o: SyncClientOptions) {
    super();
    this.cursor = o.store.ackedSeq;
    this.client = o.connect(o.url, {
      clientId: `nqp-agent-${o.agentId}`,
      protocolVersion: 4,
      clean: true,
      reconnectPeriod: 1000,
      connectTimeout: 10_000,
      keepalive: 15,
      username: o.username ?? o.agentId,
      password: o.password,
      // The outbox in SQLite is the queue; mqtt.js's in-memory one is not needed while offline.
      queueQoSZero: false,
    });
    this.client.on("connect", () => {
      o.log.info({ url: o.url }, "hub connected");
      this.client.subscribe(downFilter(o.agentId), { qos: 1 }, (err, granted) => {
        if (err) o.log.error({ err: err.message }, "subscribing to the hub's down topics failed");
        else if (granted?.some((g) => g.qos === 128)) o.log.error("the hub broker refused the down subscription");
      });
      this.generation++;
      this.brokerInflight = 0;
      this.rewind("reconnect");
      this.emit("connected");
    });
    this.client.on("close", () => this.emit("disconnected"));
    this.client.on("error", (err) => o.log.warn({ err: err.message }, "hub connection error"));
    this.client.on("message", (topic, payload) => this.onMessage(topic, payload));
    this.timer = setInterval(() => this.checkAckTimeout(), 500);
    this.timer.unref();
  }

  get connected(): boolean {
    return this.client.connected;
  }

  /** Records published beyond the last ack. */
  get inflight(): number {
    return Math.max(0, this.cursor - this.o.store.ackedSeq);
  }

  /** New records were committed: send what the window allows. */
  notify(): void {
    this.pump();
  }

  private onMessage(topic: string, payload: Buffer): void {
    if (topic === ackTopic(this.o.agentId)) {
      let raw: unknown;
      try {
        raw = JSON.parse(payload.toString("utf8"));
      } catch {
        this.o.log.warn("ignored an ack that is not JSON");
        return;
      }
      const ack = AckSchema.safeParse(raw);
      if (!ack.success || ack.data.agent !== this.o.agentId) {
        this.o.log.warn("ignored a malformed ack");
        return;
      }
      if (ack.data.epoch !== this.o.store.epoch) {
        this.o.log.debug({ epoch: ack.data.epoch }, "ignored an ack for another database epoch");
        return;
      }
      if (ack.data.acked > this.o.store.lastSeq) {
        this.o.log.warn(
          { acked: ack.data.acked, lastSeq: this.o.store.lastSeq },
          "ignored an ack beyond the last record written",
        );
        return;
      }
      if (this.o.store.setAcked(ack.data.acked)) {
        this.lastProgress = Date.now();
        this.backoff = 1;
        if (this.cursor < ack.data.acked) this.cursor = ack.data.acked;
        this.emit("acked", ack.data.acked);
        this.pump();
      }
    } else if (topic === configTopic(this.o.agentId)) {
      this.o.onConfig(payload);
    }
  }

  private rewind(reason: string): void {
    const acked = this.o.store.ackedSeq;
    if (this.cursor > acked) {
      this.resends++;
      this.o.log.info({ reason, from: acked + 1, to: this.cursor }, "resending from the last ack");
    }
    this.cursor = acked;
    this.lastProgress = Date.now();
    this.pump();
  }

  private checkAckTimeout(): void {
    if (!this.client.connected || this.inflight === 0) {
      this.lastProgress = Date.now();
      return;
    }
    if (Date.now() - this.lastProgress > this.o.ackTimeoutMs() * this.backoff) {
      this.backoff = Math.min(8, this.backoff * 2);
      this.rewind("ack timeout");
    }
  }

  private pump(): void {
    if (this.pumping || this.stopped) return;
    this.pumping = true;
    try {
      while (this.client.connected && !this.stopped) {
        const room = this.o.windowRecords() - this.inflight;
        // Few batches at the broker at once, so mqtt.js's memory stays small however large the backlog.
        if (room <= 0 || this.brokerInflight >= 8) break;
        const limit = Math.min(this.o.batchRecords(), room);
        const records = this.o.store.readOutbox(this.cursor, limit);
        if (records.length === 0) break;
        for (const [kind, run] of groupByKind(records)) this.publish(kind, run);
        this.cursor = records[records.length - 1].record.seq;
      }
    } catch (err) {
      this.o.log.error({ err }, "publishing the outbox failed");
    } finally {
      this.pumping = false;
    }
  }

  private publish(kind: UpKind, records: OutboxRecord[]): void {
    const head = `{"v":${WIRE_VERSION},"agent":${JSON.stringify(this.o.agentId)},"epoch":${JSON.stringify(this.o.store.epoch)},"kind":"${kind}"`;
    let body: string;
    if (kind === "predictions") {
      // Rows with stream indexes (see PREDICTION_ROW_FIELDS in @nqp/contract).
      const index = new Map<string, number>();
      const rows: string[] = [];
      for (const r of records) {
        const p = r.record as PredictionRecord;
        let i = index.get(p.stream);
        if (i === undefined) {
          i = index.size;
          index.set(p.stream, i);
        }
        rows.push(JSON.stringify(predictionRow(p, i)));
      }
      body = `${head},"streams":${JSON.stringify([...index.keys()])},"rows":[${rows.join(",")}]}`;
    } else body = `${head},"records":[${records.map((r) => JSON.stringify(r.record)).join(",")}]}`;
    const generation = this.generation;
    this.brokerInflight++;
    this.publishedRecords += records.length;
    this.publishedBatches++;
    this.client.publish(upTopic(this.o.agentId, kind), body, { qos: 1 }, () => {
      if (generation !== this.generation) return;
      this.brokerInflight--;
      this.pump();
    });
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearInterval(this.timer);
    // Batches in flight need no waiting for: the outbox resends whatever the hub has not acknowledged.
    await this.client.endAsync(true).catch(() => {});
  }
}

/** Splits records (in seq order) into per-kind groups, each still in seq order. */
function groupByKind(records: OutboxRecord[]): Map<UpKind, OutboxRecord[]> {
  const m = new Map<UpKind, OutboxRecord[]>();
  for (const r of records) {
    const g = m.get(r.kind);
    if (g) g.push(r);
    else m.set(r.kind, [r]);
  }
  return m;
}
