import { createServer } from "node:net";
import { listen } from "./embedded-broker";

/**
 * A plain MQTT broker without credentials, for sensors on one machine: the demo's sensor broker, and the tests'.
 * It listens on 127.0.0.1 by default; never expose it to a network.
 */
export async function startSensorBroker(
  o: { host?: string; port?: number } = {},
): Promise<{ port: number; close(): Promise<void> }> {
  const { Aedes } = await import("aedes");
  const broker = new Aedes({ maxClientsIdLength: 256 });
  await broker.listen();
  const server = createServer(broker.handle);
  const port = await listen(server, o.host ?? "127.0.0.1", o.port ?? 0, "sensor broker port");
  return {
    port,
    close: async () => {
      await new Promise<void>((r) => broker.close(() => r()));
      await new Promise<void>((r) => server.close(() => r()));
    },
  };
}
