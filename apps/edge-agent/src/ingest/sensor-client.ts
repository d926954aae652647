import type { IClientOptions, MqttClient, Packet } from "mqtt";
import type { Logger } from "pino";

/**
 * The agent's subscription to the sensor broker, with PUBACKs sent only after the samples are committed.
 *
 * mqtt.js acknowledges a QoS 1 message as soon as `handleMessage` calls back, and calls handleMessage for one
 * message at a time (mqttjs/MQTT.js#691, #209): waiting for a commit there would mean one commit per message. So
 * handleMessage calls back at once and the PUBACK that mqtt.js then sends is held here until the group commit
 * that contains the message; `releaseAcks` sends them. A crash before the commit leaves the messages unacknowledged,
 * and the broker redelivers them to this persistent session (clean: false) when the agent is back.
 *
 * This relies on mqtt.js's internal `_sendPacket` (the version is pinned exactly in package.json; the agent's
 * tests and the chaos test exercise it). Held acks of a connection that has since dropped are discarded, never
 * sent on a new connection: after a reconnect their message ids may name other messages.
 */
/** mqtt.js's connect, passed in: the library loads when a service starts, not when the command line does. */
export type MqttConnect = typeof import("mqtt").connect;

export interface SensorClientOptions {
  connect: MqttConnect;
  url: string;
  clientId: string;
  username?: string;
  password?: string;
  topics: string[];
  qos: 0 | 1;
  /**
   * Called for every message, synchronously; must not throw. A returned promise holds the next message back until
   * it settles (backpressure: mqtt.js reads no further meanwhile).
   */
  onMessage: (topic: string, payload: Buffer, arrivedAt: number) => Promise<void> | undefined;
  log: Logger;
}

export interface HeldAck {
  packet: Packet;
  connection: number;
}

type SendPacket = (packet: Packet, cb?: (err?: Error) => void, ...rest: unknown[]) => void;

export class SensorClient {
  private readonly client: MqttClient;
  private held: HeldAck[] = [];
  private connection = 0;
  private readonly sendPacket: SendPacket;
  private subscribed = false;

  constructor(o: SensorClientOptions) {
    const options: IClientOptions = {
      clientId: o.clientId,
      protocolVersion: 4,
      clean: false,
      reconnectPeriod: 1000,
      connectTimeout: 10_000,
      keepalive: 30,
      username: o.username,
      password: o.password,
      resubscribe: true,
    };
    this.client = o.connect(o.url, options);
    const internal = this.client as unknown as { _sendPacket: SendPacket };
    this.sendPacket = internal._sendPacket.bind(this.client);
    internal._sendPacket = (packet, cb, ...rest) => {
      if (packet.cmd === "puback") {
        this.held.push({ packet, connection: this.connection });
        cb?.();
        return;
      }
      this.sendPacket(packet, cb, ...rest);
    };
    this.client.handleMessage = (packet, callback) => {
      let wait: Promise<void> | undefined;
      if (packet.cmd === "publish") {
        try {
          wait = o.onMessage(packet.topic, packet.payload as Buffer, Date.now());
        } catch (err) {
          o.log.error({ err }, "ingest handler failed");
        }
      }
      if (wait)
        wait.then(
          () => callback(),
          () => callback(),
        );
      else callback();
    };
    this.client.on("connect", (connack) => {
      this.connection++;
      o.log.info({ url: o.url, sessionPresent: connack.sessionPresent }, "sensor broker connected");
      if (!this.subscribed || !connack.sessionPresent) {
        this.client.subscribe(o.topics, { qos: o.qos }, (err, granted) => {
          if (err) o.log.error({ err }, "subscribe failed");
          else {
            this.subscribed = true;
            const refused = (granted ?? []).filter((g) => g.qos === 128).map((g) => g.topic);
            if (refused.length) o.log.error({ refused }, "the sensor broker refused some subscriptions");
          }
        });
      }
    });
    this.client.on("close", () => {
      this.connection++;
    });
    this.client.on("error", (err) => o.log.warn({ err: err.message }, "sensor broker error"));
  }

  get connected(): boolean {
    return this.client.connected;
  }

  get heldAcks(): number {
    return this.held.length;
  }

  /** Acks mqtt.js created since the last call: their messages are in the batch about to be committed. */
  takeHeldAcks(): HeldAck[] {
    const h = this.held;
    this.held = [];
    return h;
  }

  /** Sends acks taken before a commit, once it succeeded; acks of a dropped connection are discarded. */
  releaseAcks(acks: HeldAck[]): void {
    for (const a of acks) if (a.connection === this.connection && this.client.connected) this.sendPacket(a.packet);
  }

  /** Disconnects, giving queued PUBACKs a moment to go out (the broker would redeliver those messages otherwise). */
  async stop(): Promise<void> {
    const grace = new Promise<void>((r) => setTimeout(r, 2000).unref());
    await Promise.race([this.client.endAsync().catch(() => {}), grace]);
    await this.client.endAsync(true).catch(() => {});
  }
}
