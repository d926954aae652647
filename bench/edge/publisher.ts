// A load publisher in its own process (so that it does not share the measured agent's event loop):
//   sim:  the sensor simulator at a fixed rate      node --import tsx publisher.ts sim URL STREAMS RATE TOTAL BATCH [PREFIX]
//   fuzz: hostile payloads as fast as QoS 1 allows   node --import tsx publisher.ts fuzz URL COUNT
// Prints one JSON line when done.

import { createRequire } from "node:module";
import { createRng } from "@nqp/core";
import { LoadGenerator } from "@nqp/edge-agent";
import { hostilePayloads } from "../../apps/edge-agent/test/fuzz/hostile";

// mqtt is the agent's dependency, not the repository root's.
interface MqttLike {
  once(event: "connect", cb: () => void): void;
  publish(topic: string, payload: Buffer, o: { qos: 1 }, cb: () => void): void;
  endAsync(): Promise<void>;
}
const mqtt = createRequire(new URL("../../apps/edge-agent/package.json", import.meta.url))("mqtt") as {
  connect(url: string, o: { protocolVersion: 4 }): MqttLike;
};
const [mode, url, ...rest] = process.argv.slice(2);
if (mode === "sim") {
  const [streams, rate, total, batch, prefix] = rest;
  const gen = new LoadGenerator({
    url,
    streams: Number(streams),
    rate: Number(rate),
    total: Number(total),
    batch: Number(batch),
    topicPrefix: prefix ?? "sensors/sim",
    seed: 3,
    stepMs: 1000,
    startMs: 1_700_000_000_000,
    maxInflight: 5000,
  });
  const t0 = performance.now();
  await gen.start();
  await gen.finished;
  console.log(JSON.stringify({ ...gen.stats, seconds: (performance.now() - t0) / 1000 }));
} else if (mode === "fuzz") {
  const payloads = hostilePayloads(Number(rest[0]), createRng(11));
  const client = mqtt.connect(url, { protocolVersion: 4 });
  await new Promise<void>((r) => client.once("connect", () => r()));
  const t0 = performance.now();
  let acked = 0;
  await new Promise<void>((resolve) => {
    let i = 0;
    let inflight = 0;
    const pump = () => {
      while (inflight < 500 && i < payloads.length) {
        inflight++;
        client.publish(`sensors/fuzz/${i % 20}`, payloads[i++], { qos: 1 }, () => {
          inflight--;
          if (++acked === payloads.length) resolve();
          else pump();
        });
      }
    };
    pump();
  });
  console.log(JSON.stringify({ published: acked, seconds: (performance.now() - t0) / 1000 }));
  await client.endAsync();
}
