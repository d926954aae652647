import { randomBytes } from "node:crypto";
import { EventEmitter } from "node:events";
import type { Role } from "@nqp/contract";
import { NqpError } from "@nqp/core";
import type { FastifyInstance } from "fastify";
import type { Logger } from "pino";
import type { Counter, Gauge, Registry } from "prom-client";
import { agentUsername, type Principal } from "./broker/access";
import { type Denial, type EmbeddedBroker, startEmbeddedBroker } from "./broker/embedded-broker";
import { verifyPassword } from "./credentials/passwords";
import { startHubHttp } from "./http/server";
import { HubStore } from "./store/hub-store";
import { type BatchEvent, SyncServer } from "./sync/sync-server";

export const HUB_VERSION = "0.1.0";

interface Libs {
  connect: typeof import("mqtt").connect;
  prom: typeof import("prom-client");
  logger: Logger;
}

export interface HubOptions {
  data: string;
  /** Address the embedded broker listens on (default 0.0.0.0: agents connect over the network). */
  host?: string;
  /** Embedded broker's MQTT port (default 1883; 0 picks a free one). */
  mqttPort?: number;
  /** Embedded broker's MQTT-over-WebSocket port (path /mqtt); absent: off. */
  wsPort?: number;
  /** HTTP port for health, metrics, dashboard API and dashboard; absent: off. */
  httpPort?: number;
  /** Address of the HTTP server (default 127.0.0.1: the API has no authentication of its own). */
  httpHost?: string;
  /** Attach to this external broker instead of embedding one. */
  broker?: string;
  brokerUsername?: string;
  brokerPassword?: string;
  /** Shared-subscription group for several hubs on one broker. */
  shareGroup?: string;
  /** This hub's name, unique among hubs on one broker: its MQTT client id is nqp-hub-{name}. */
  name?: string;
  dashboardDir?: string;
  /** Role of dashboard connections without a token (see dashboard/server.ts for the default). */
  dashboardAnonymousRole?: Role | "none";
  logger?: Logger;
}

/**
 * The sync hub: an embedded MQTT broker (or an external one), the SQLite store, the fleet registry, signed config
 * distribution and the HTTP server. Start with `Hub.start`; `stop` shuts it down cleanly.
 */
export class Hub extends EventEmitter<{ batch: [BatchEvent] }> {
  readonly store: HubStore;
  readonly log: Logger;
  readonly registry: Registry;
  private broker: EmbeddedBroker | undefined;
  private sync: SyncServer | undefined;
  private http: { app: FastifyInstance; port: number; dashboard: string } | undefined;
  private readonly rejections = new Map<string, Record<string, number>>();
  private readonly rejectCounter: Counter<"reason">;
  private timer: NodeJS.Timeout | undefined;
  private stopping: Promise<void> | undefined;
  private readonly startedAt = Date.now();

  private readonly libs: Libs;

  private constructor(
    private readonly o: HubOptions,
    libs: Libs,
  ) {
    super();
    this.libs = libs;
    const { Counter, collectDefaultMetrics, Registry } = libs.prom;
    this.registry = new Registry();
    this.log = libs.logger;
    this.store = new HubStore(o.data);
    collectDefaultMetrics({ register: this.registry });
    const registers = [this.registry];
    this.rejectCounter = new Counter({
      name: "nqp_hub_rejects_total",
      help: "Refused connections, publishes, subscriptions and batches, by reason",
      labelNames: ["reason"],
      registers,
    });
    const batches = new Counter({
      name: "nqp_hub_batches_total",
      help: "Batches stored",
      labelNames: ["kind"],
      registers,
    });
    const records = new Counter({
      name: "nqp_hub_records_total",
      help: "Records stored (resends included)",
      labelNames: ["kind"],
      registers,
    });
    this.on("batch", (e) => {
      batches.inc({ kind: e.kind });
      records.inc({ kind: e.kind }, e.records);
    });
  }

  static async start(options: HubOptions): Promise<Hub> {
    // Loaded here, not at the top: the command line's other commands need none of them.
    const [{ connect }, prom, logger] = await Promise.all([
      import("mqtt"),
      import("prom-client"),
      options.logger ?? import("pino").then(({ pino }) => pino({ base: { hub: options.name ?? "hub" } })),
    ]);
    const hub = new Hub(options, { connect, prom, logger });
    try {
      await hub.begin();
    } catch (err) {
      await hub.stop().catch(() => {});
      throw err;
    }
    return hub;
  }

  private async begin(): Promise<void> {
    const o = this.o;
    const name = o.name ?? "hub";
    let url = o.broker;
    let username = o.brokerUsername;
    let password = o.brokerPassword;
    if (!url) {
      // The hub's own client on its embedded broker: a credential that exists only in this process.
      const internalUser = `$hub-${name}`;
      const token = randomBytes(24).toString("base64url");
      this.broker = await startEmbeddedBroker({
        host: o.host ?? "0.0.0.0",
        mqttPort: o.mqttPort ?? 1883,
        wsPort: o.wsPort,
        authenticate: (u, p) => this.authenticate(u, p, internalUser, token),
        onDenied: (denial, user, detail) => this.denied(denial, user, detail),
        log: this.log.child({ part: "broker" }),
      });
      url = `mqtt://127.0.0.1:${this.broker.mqttPort}`;
      username = internalUser;
      password = token;
      this.log.info({ mqttPort: this.broker.mqttPort, wsPort: this.broker.wsPort }, "embedded broker listening");
    } else if (!/^(mqtts?|wss?|tcp|ssl):\/\//.test(url)) {
      throw new NqpError("bad-option", `--broker ${url}: expected a broker URL such as mqtt://host:1883`);
    }
    this.sync = new SyncServer({
      connect: this.libs.connect,
      url,
      clientId: `nqp-hub-${name}`,
      username,
      password,
      shareGroup: o.shareGroup,
      store: this.store,
      onReject: (agent, reason, detail) => this.reject(agent, reason, detail),
      log: this.log.child({ part: "sync" }),
    });
    this.sync.on("batch", (e) => this.emit("batch", e));
    const { Gauge } = this.libs.prom;
    const sync = this.sync;
    new Gauge({
      name: "nqp_hub_broker_connected",
      help: "1 while the hub's sync client is connected to the broker",
      registers: [this.registry],
      collect(this: Gauge) {
        this.set(sync.connected ? 1 : 0);
      },
    });
    const store = this.store;
    new Gauge({
      name: "nqp_hub_agents",
      help: "Agents in the registry",
      registers: [this.registry],
      collect(this: Gauge) {
        this.set(store.agents().length);
      },
    });
    if (o.httpPort !== undefined) {
      this.http = await startHubHttp({
        host: o.httpHost ?? "127.0.0.1",
        port: o.httpPort,
        store: this.store,
        registry: this.registry,
        health: () => this.health(),
        subscribe: (listener) => {
          this.on("batch", listener);
          return () => this.off("batch", listener);
        },
        dashboardDir: o.dashboardDir,
        dataDir: o.data,
        hubVersion: HUB_VERSION,
        anonymousRole: o.dashboardAnonymousRole,
      });
      this.log.info({ port: this.http.port, dashboard: this.http.dashboard }, "http listening");
    }
    this.timer = setInterval(() => this.flushRejections(), 2000);
    this.timer.unref();
    this.store.appendAudit("hub", "hub-started", {
      name,
      version: HUB_VERSION,
      broker: o.broker ? "external" : "embedded",
      mqttPort: this.broker?.mqttPort ?? null,
      shareGroup: o.shareGroup ?? null,
    });
  }

  private async authenticate(
    username: string | undefined,
    password: Buffer | undefined,
    internalUser: string,
    token: string,
  ): Promise<Principal | undefined> {
    if (username === internalUser) return password?.toString() === token ? { kind: "hub" } : undefined;
    const id = agentUsername(username);
    if (!id || !password) return undefined;
    const hash = this.store.passwordHash(id);
    if (!hash) return undefined;
    return (await verifyPassword(password.toString("utf8"), hash)) ? { kind: "agent", id } : undefined;
  }

  private denied(denial: Denial, username: string | undefined, detail: string): void {
    this.log.warn({ denial, username, detail }, "refused by the broker's access control");
    this.reject(agentUsername(username), denial, detail);
  }

  private reject(agent: string | undefined, reason: string, detail: string): void {
    this.rejectCounter.inc({ reason });
    if (reason !== "bad-credentials" && reason !== "publish-denied" && reason !== "subscribe-denied")
      this.log.warn({ agent, reason, detail }, "refused a batch");
    if (!agent) return;
    const r = this.rejections.get(agent) ?? {};
    r[reason] = (r[reason] ?? 0) + 1;
    this.rejections.set(agent, r);
  }

  private flushRejections(): void {
    try {
      for (const [agent, counts] of this.rejections) this.store.addRejections(agent, counts);
      this.rejections.clear();
    } catch (err) {
      this.log.error({ err }, "saving rejection counters failed");
    }
  }

  get mqttPort(): number | undefined {
    return this.broker?.mqttPort;
  }

  get wsPort(): number | undefined {
    return this.broker?.wsPort;
  }

  get httpPort(): number | undefined {
    return this.http?.port;
  }

  get brokerConnected(): boolean {
    return this.sync?.connected ?? false;
  }

  health(): { ok: boolean; [key: string]: unknown } {
    return {
      ok: this.stopping === undefined && this.brokerConnected,
      version: HUB_VERSION,
      uptimeSeconds: (Date.now() - this.startedAt) / 1000,
      brokerConnected: this.brokerConnected,
      embeddedBroker: this.broker !== undefined,
      agents: this.store.agents().length,
      batches: this.sync?.batches ?? 0,
      records: this.sync?.records ?? 0,
    };
  }

  stop(): Promise<void> {
    this.stopping ??= (async () => {
      if (this.timer) clearInterval(this.timer);
      this.flushRejections();
      await this.http?.app.close();
      await this.sync?.stop();
      await this.broker?.close();
      try {
        this.store.appendAudit("hub", "hub-stopped", {});
      } catch {
        // the database may already be gone in a failed start
      }
      this.store.close();
    })();
    return this.stopping;
  }
}
