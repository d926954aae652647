import { createServer as createHttpServer, type Server as HttpServer } from "node:http";
import type { AddressInfo } from "node:net";
import { createServer, type Server } from "node:net";
import type { AuthenticateError, Client } from "aedes";
import type { Logger } from "pino";
import type { WebSocketServer } from "ws";
import { mayPublish, maySubscribe, type Principal } from "./access";
import { listenError } from "./listen-error";

export type Denial = "bad-credentials" | "publish-denied" | "subscribe-denied";

export interface EmbeddedBrokerOptions {
  host: string;
  /** 0 picks a free port. */
  mqttPort: number;
  /** MQTT over WebSocket (path /mqtt); absent: off. */
  wsPort?: number;
  /** Who is connecting, or undefined to refuse (bad username or password). */
  authenticate: (username: string | undefined, password: Buffer | undefined) => Promise<Principal | undefined>;
  /** Every refusal, for the registry's rejection counters and the logs. */
  onDenied: (denial: Denial, username: string | undefined, detail: string) => void;
  log: Logger;
}

export interface EmbeddedBroker {
  mqttPort: number;
  wsPort?: number;
  close(): Promise<void>;
}

/**
 * The hub's embedded MQTT broker (aedes: MQTT 3.1.1 over TCP and WebSocket) with per-agent credentials and topic
 * ACLs: an agent publishes only under its own id and reads only its own down channel. A refused publish closes the
 * connection (MQTT 3.1.1 has no negative PUBACK, §3.3.5); a refused subscription is granted as 0x80.
 */
export async function startEmbeddedBroker(o: EmbeddedBrokerOptions): Promise<EmbeddedBroker> {
  const { Aedes } = await import("aedes");
  const principals = new WeakMap<Client, Principal>();
  const usernames = new WeakMap<Client, string | undefined>();
  const broker = new Aedes({
    maxClientsIdLength: 256,
    heartbeatInterval: 60_000,
    authenticate: (client, username, password, done) => {
      o.authenticate(username, password).then(
        (who) => {
          if (!who) {
            o.onDenied("bad-credentials", username, `client ${client.id}`);
            const err = new Error("bad username or password") as AuthenticateError;
            err.returnCode = 4;
            done(err, false);
            return;
          }
          principals.set(client, who);
          usernames.set(client, username);
          done(null, true);
        },
        (err: Error) => {
          o.log.error({ err: err.message }, "authentication failed");
          const e = new Error("server unavailable") as AuthenticateError;
          e.returnCode = 3;
          done(e, false);
        },
      );
    },
    authorizePublish: (client, packet, done) => {
      const who = client ? principals.get(client) : { kind: "hub" as const };
      if (!who || !mayPublish(who, packet.topic)) {
        const user = client ? usernames.get(client) : undefined;
        o.onDenied("publish-denied", user, packet.topic);
        done(new Error(`publish to ${packet.topic} denied`));
        return;
      }
      done(null);
    },
    authorizeSubscribe: (client, sub, done) => {
      const who = principals.get(client);
      if (!who || !maySubscribe(who, sub.topic)) {
        o.onDenied("subscribe-denied", usernames.get(client), sub.topic);
        done(null, null);
        return;
      }
      done(null, sub);
    },
  });
  await broker.listen();
  broker.on("clientError", (client, err) => o.log.debug({ client: client.id, err: err.message }, "mqtt client error"));

  const tcp: Server = createServer(broker.handle);
  const mqttPort = await listen(tcp, o.host, o.mqttPort, "--mqtt-port");
  let http: HttpServer | undefined;
  let wss: WebSocketServer | undefined;
  let wsPort: number | undefined;
  if (o.wsPort !== undefined) {
    const { createWebSocketStream, WebSocketServer } = await import("ws");
    http = createHttpServer();
    wss = new WebSocketServer({ server: http, path: "/mqtt" });
    wss.on("connection", (socket, req) => broker.handle(createWebSocketStream(socket), req));
    wsPort = await listen(http, o.host, o.wsPort, "--ws-port");
  }
  return {
    mqttPort,
    wsPort,
    close: async () => {
      for (const c of wss?.clients ?? []) c.terminate();
      await new Promise<void>((r) => (wss ? wss.close(() => r()) : r()));
      await new Promise<void>((r) => (http ? http.close(() => r()) : r()));
      await new Promise<void>((r) => broker.close(() => r()));
      await new Promise<void>((r) => tcp.close(() => r()));
    },
  };
}

export function listen(server: Server | HttpServer, host: string, port: number, flag: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const onError = (err: NodeJS.ErrnoException) => reject(listenError(err, flag, host, port));
    server.once("error", onError);
    server.listen(port, host, () => {
      server.off("error", onError);
      resolve((server.address() as AddressInfo).port);
    });
  });
}
