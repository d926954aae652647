import {
  createRng,
  createSensorSimulator,
  type SensorReading,
  type SensorSimulator,
  sensorFleetOptions,
} from "@nqp/core";
import type { MqttClient } from "mqtt";

export interface LoadGeneratorOptions {
  url: string;
  username?: string;
  password?: string;
  /** Streams publish to `${topicPrefix}/${i}` (default "sensors/sim"). */
  topicPrefix?: string;
  streams: number;
  /** Samples per second over all streams. */
  rate: number;
  /** Samples per message (1: single-sample payloads; more: JSON arrays). */
  batch?: number;
  /** Stop after this many samples in all (default: run until stopped). */
  total?: number;
  qos?: 0 | 1;
  seed?: number;
  /** Milliseconds of simulated time between a stream's samples (default 1000). */
  stepMs?: number;
  /** Simulated start time (default: now, rounded down to the step). */
  startMs?: number;
  /** Published messages not yet acknowledged, at most (QoS 1 flow control). */
  maxInflight?: number;
  /** Called for every message published (tests record what was sent). */
  onPublish?: (topic: string, readings: readonly { ts: number; value: number }[]) => void;
}

export interface LoadGeneratorStats {
  published: number;
  acked: number;
  dropped: number;
  faults: number;
}

/**
 * The sensor simulator published over MQTT: the demo's data source and the benchmarks' load generator. Each stream
 * is a seeded industrial sensor (core's createSensorSimulator: daily and weekly cycles, drift, noise, dropouts,
 * labelled faults); dropouts are simply not published. Payloads are `{"ts", "value"}` or arrays of them.
 */
export class LoadGenerator {
  private client!: MqttClient;
  private readonly sims: SensorSimulator[];
  private timer: NodeJS.Timeout | undefined;
  private next = 0;
  private done!: () => void;
  readonly finished: Promise<void>;
  readonly stats: LoadGeneratorStats = { published: 0, acked: 0, dropped: 0, faults: 0 };
  private inflight = 0;

  constructor(private readonly o: LoadGeneratorOptions) {
    const rng = createRng(o.seed ?? 1);
    const stepMs = o.stepMs ?? 1000;
    const start = o.startMs ?? Math.floor(Date.now() / stepMs) * stepMs;
    this.sims = sensorFleetOptions(o.streams, rng, { stepMs, startMs: start }).map((opts) =>
      createSensorSimulator(opts, rng.fork()),
    );
    this.finished = new Promise((r) => (this.done = r));
  }

  /** Resolves once connected; publishing starts then. */
  async start(): Promise<void> {
    const { connect } = await import("mqtt");
    this.client = connect(this.o.url, {
      protocolVersion: 4,
      username: this.o.username,
      password: this.o.password,
      reconnectPeriod: 500,
      clientId: `nqp-loadgen-${process.pid}-${Math.floor(Math.random() * 1e9)}`,
    });
    return new Promise((resolve, reject) => {
      const onError = (err: Error) => reject(err);
      this.client.once("error", onError);
      this.client.once("connect", () => {
        this.client.off("error", onError);
        this.schedule();
        resolve();
      });
    });
  }

  private schedule(): void {
    const tickMs = 10;
    let budget = 0;
    let last = performance.now();
    const topicPrefix = this.o.topicPrefix ?? "sensors/sim";
    const batch = this.o.batch ?? 1;
    const qos = this.o.qos ?? 1;
    const maxInflight = this.o.maxInflight ?? 1000;
    const buffers: SensorReading[][] = this.sims.map(() => []);
    this.timer = setInterval(() => {
      // Budget by elapsed time, so a late timer (busy event loop) catches up instead of slowing the rate.
      const now = performance.now();
      budget = Math.min(budget + (this.o.rate * (now - last)) / 1000, Math.max(1, this.o.rate));
      last = now;
      while (budget >= 1 && this.inflight < maxInflight) {
        if (this.o.total !== undefined && this.stats.published >= this.o.total) {
          this.stop();
          return;
        }
        const i = this.next;
        this.next = (this.next + 1) % this.sims.length;
        const r = this.sims[i].next();
        budget--;
        if (r.dropped) {
          this.stats.dropped++;
          continue;
        }
        if (r.label) this.stats.faults++;
        buffers[i].push(r);
        if (buffers[i].length < batch) continue;
        const readings = buffers[i];
        buffers[i] = [];
        const body =
          batch === 1
            ? JSON.stringify({ ts: readings[0].ts, value: readings[0].value })
            : JSON.stringify(readings.map((x) => ({ ts: x.ts, value: x.value })));
        this.stats.published += readings.length;
        this.inflight++;
        const topic = `${topicPrefix}/${i}`;
        this.o.onPublish?.(topic, readings);
        this.client.publish(topic, body, { qos }, (err) => {
          this.inflight--;
          if (!err) this.stats.acked += readings.length;
        });
      }
    }, tickMs);
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    const grace = new Promise<void>((r) => setTimeout(r, 5000).unref());
    await Promise.race([this.client?.endAsync().catch(() => {}), grace]);
    await this.client?.endAsync(true).catch(() => {});
    this.done();
  }
}
