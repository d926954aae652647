import { EventEmitter } from "node:events";
import {
  ackTopic,
  configTopic,
  formatIssues,
  parseAgentTopic,
  type UpBatch,
  UpBatchSchema,
  upFilter,
  WIRE_VERSION,
} from "@nqp/contract";
import type { MqttClient } from "mqtt";
import type { Logger } from "pino";
import type { HubStore } from "../store/hub-store";

const ACK_EVERY_MS = 20;

export interface SyncServerOptions {
  /** mqtt.js's connect (loaded when the hub starts). */
  connect: typeof import("mqtt").connect;
  url: string;
  clientId: string;
  username?: string;
  password?: string;
  /** MQTT shared-subscription group: several hubs on one broker then share the agents' uploads. */
  shareGroup?: string;
  store: HubStore;
  /** A batch or message refused: counted per agent in the registry. */
  onReject: (agent: string | undefined, reason: string, detail: string) => void;
  log: Logger;
}

export interface BatchEvent {
  agent: string;
  kind: UpBatch["kind"];
  records: number;
  acked: number;
}

/**
 * The hub's side of sync: receives agents' batches, stores them (upsert on (agent, seq)) and acks the highest
 * contiguous seq per agent, retained at QoS 1. Each message is committed before mqtt.js acknowledges it to the
 * broker (handleMessage calls back after the commit), so a hub killed mid-batch gets it again from its persistent
 * session, or from the agent's resend.
 *
 * Also publishes each agent's latest signed config document, retained, and again after every reconnect (a broker
 * without persistence forgets retained messages when it restarts).
 */
export class SyncServer extends EventEmitter<{ batch: [BatchEvent]; connected: []; disconnected: [] }> {
  private readonly client: MqttClient;
  private readonly pendingAcks = new Map<string, { acked: number; epoch: string }>();
  private ackScheduled = false;
  private barrierRunning = false;
  private readonly publishedConfig = new Map<string, number>();
  private readonly epochWarned = new Set<string>();
  private readonly timer: NodeJS.Timeout;
  batches = 0;
  records = 0;

  constructor(private readonly o: SyncServerOptions) {
    super();
    this.client = o.connect(o.url, {
      clientId: o.clientId,
      protocolVersion: 4,
      // A persistent session: uploads that arrive while the hub is down wait at the broker.
      clean: false,
      reconnectPeriod: 1000,
      connectTimeout: 10_000,
      keepalive: 30,
      username: o.username,
      password: o.password,
    });
    this.client.handleMessage = (packet, callback) => {
      if (packet.cmd !== "publish") return callback();
      try {
        this.onUpload(packet.topic, packet.payload as Buffer);
        callback();
      } catch (err) {
        // Not acknowledged: the broker redelivers after a reconnect, and the agent resends after its ack timeout.
        o.log.error({ err }, "storing a batch failed");
        callback(err as Error);
      }
    };
    this.client.on("connect", () => {
      o.log.info({ url: o.url, group: o.shareGroup }, "hub sync connected");
      this.client.subscribe(upFilter(o.shareGroup), { qos: 1 }, (err) => {
        if (err) o.log.error({ err: err.message }, "subscribing to agent uploads failed");
      });
      this.publishedConfig.clear();
      this.publishConfigs();
      this.emit("connected");
    });
    this.client.on("close", () => this.emit("disconnected"));
    this.client.on("error", (err) => o.log.warn({ err: err.message }, "hub sync connection error"));
    this.timer = setInterval(() => this.publishConfigs(), 1000);
    this.timer.unref();
  }

  get connected(): boolean {
    return this.client.connected;
  }

  private onUpload(topic: string, payload: Buffer): void {
    const t = parseAgentTopic(topic);
    if (t?.direction !== "up") return;
    let raw: unknown;
    try {
      raw = JSON.parse(payload.toString("utf8"));
    } catch {
      this.o.onReject(t.agentId, "malformed-batch", "not JSON");
      return;
    }
    const parsed = UpBatchSchema.safeParse(raw);
    if (!parsed.success) {
      this.o.onReject(t.agentId, "malformed-batch", formatIssues(parsed.error.issues.slice(0, 3)));
      return;
    }
    const batch = parsed.data;
    if (batch.agent !== t.agentId || batch.kind !== t.kind) {
      this.o.onReject(t.agentId, "mismatched-batch", `batch says agent ${batch.agent}, kind ${batch.kind}`);
      return;
    }
    const r = this.o.store.ingest(batch);
    if (!r.ok) {
      const key = `${batch.agent} ${batch.epoch}`;
      if (!this.epochWarned.has(key)) {
        this.epochWarned.add(key);
        this.o.log.error({ agent: batch.agent }, r.message);
        this.o.store.appendAudit("hub", "epoch-mismatch", { agent: batch.agent, epoch: batch.epoch });
      }
      this.o.onReject(batch.agent, "epoch-mismatch", r.message);
      return;
    }
    this.batches++;
    this.records += r.stored;
    this.queueAck(batch.agent, r.acked, batch.epoch);
    this.emit("batch", { agent: batch.agent, kind: batch.kind, records: r.stored, acked: r.acked });
  }

  /**
   * Acks are coalesced per agent and sent after a durability barrier, at most every ACK_EVERY_MS: one fsync covers
   * every batch stored in between, and nothing is acked before it would survive a power cut.
   */
  private queueAck(agent: string, acked: number, epoch: string): void {
    const prev = this.pendingAcks.get(agent);
    if (!prev || acked >= prev.acked) this.pendingAcks.set(agent, { acked, epoch });
    if (!this.ackScheduled) {
      this.ackScheduled = true;
      setTimeout(() => void this.flushAcks(), ACK_EVERY_MS);
    }
  }

  private async flushAcks(): Promise<void> {
    this.ackScheduled = false;
    if (this.pendingAcks.size === 0) return;
    if (this.barrierRunning) {
      this.queueAgain();
      return;
    }
    // The acks of every batch stored so far; later batches wait for the next barrier.
    const acks = new Map(this.pendingAcks);
    this.pendingAcks.clear();
    this.barrierRunning = true;
    try {
      await this.o.store.barrierAsync();
    } catch (err) {
      this.o.log.error({ err }, "durability barrier failed; acks held back");
      for (const [agent, a] of acks) this.queueAck(agent, a.acked, a.epoch);
      return;
    } finally {
      this.barrierRunning = false;
    }
    if (!this.client.connected) return;
    for (const [agent, a] of acks) {
      const body = JSON.stringify({ v: WIRE_VERSION, agent, epoch: a.epoch, acked: a.acked, ts: Date.now() });
      this.client.publish(ackTopic(agent), body, { qos: 1, retain: true });
    }
    if (this.pendingAcks.size) this.queueAgain();
  }

  private queueAgain(): void {
    if (this.ackScheduled) return;
    this.ackScheduled = true;
    setTimeout(() => void this.flushAcks(), ACK_EVERY_MS);
  }

  /** Publishes each agent's latest config document when it changed (or after a reconnect). */
  publishConfigs(): void {
    if (!this.client.connected) return;
    try {
      for (const a of this.o.store.agents()) {
        const latest = this.o.store.latestConfig(a.id);
        if (!latest || this.publishedConfig.get(a.id) === latest.version) continue;
        this.client.publish(configTopic(a.id), latest.envelope, { qos: 1, retain: true });
        this.publishedConfig.set(a.id, latest.version);
        this.o.log.info({ agent: a.id, version: latest.version }, "published config");
      }
    } catch (err) {
      this.o.log.error({ err }, "publishing configs failed");
    }
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    await this.flushAcks();
    // Acks still in flight need no waiting for (agents resend after their ack timeout); give them a moment anyway.
    const grace = new Promise<void>((r) => setTimeout(r, 1000).unref());
    await Promise.race([this.client.endAsync().catch(() => {}), grace]);
    await this.client.endAsync(true).catch(() => {});
  }
}
