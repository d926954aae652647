import { EventEmitter } from "node:events";
import {
  type AnomalyPage,
  API_METHODS,
  type ApiEventName,
  type ApiEvents,
  type ApiMethodName,
  type ApiParsedParams,
  type ApiResults,
  type ConnectionState,
  isApiMethod,
  parseApiParams,
  type SeriesData,
  type SessionInfo,
} from "@nqp/contract";
import { NqpError } from "@nqp/core";
import type { SettingsStore } from "../settings";
import { seriesFromCache } from "./cached-series";
import type { HubClient } from "./hub-client";
import type { JobRunner } from "./job-runner";
import type { LocalStore } from "./local-store";

export interface DesktopApiOptions {
  hub: HubClient;
  store: LocalStore;
  jobs: JobRunner;
  /** Kernel backends the worker threads offer. */
  backends: string[];
  /** The settings the settings panel edits (hub URL, token, theme); a hub change reconnects the hub client. */
  settings?: SettingsStore;
  /** How often pending annotations are retried while connected (default 10 s). */
  syncIntervalMs?: number;
}

/** Methods whose answers are cached for offline use (reads). */
const CACHED = new Set<ApiMethodName>([
  "fleet.list",
  "streams.list",
  "streams.series",
  "streams.validation",
  "anomalies.list",
  "config.get",
  "config.history",
  "audit.list",
  "audit.verify",
]);

/**
 * The typed API as the Electron main process serves it to its window (through IPC): reads go to the hub and are
 * cached locally, so that what the analyst has seen opens offline; annotations go through a local outbox and reach
 * the hub when the link is up (the hub keys them by id, so replays are harmless); config changes need the hub (only
 * it holds the signing key); analysis jobs run here, in worker threads; imported files stay in the local store.
 */
export class DesktopApi extends EventEmitter<{ event: [ApiEventName, unknown] }> {
  private subscription: ApiParsedParams<"streams.subscribe"> = { streams: [] };
  private readonly timer: NodeJS.Timeout;
  private since = Date.now();
  private syncing: Promise<void> | undefined;

  constructor(private readonly o: DesktopApiOptions) {
    super();
    o.hub.on("event", (event, data) => this.emit("event", event, data));
    o.hub.on("state", (s) => {
      this.since = Date.now();
      this.emitEvent("connection.state", this.connection(s.error));
      if (s.connected) {
        void this.flushOutbox();
        if (this.subscription.streams.length) void o.hub.call("streams.subscribe", this.subscription).catch(() => {});
      }
    });
    o.jobs.on("progress", (p) => this.emitEvent("jobs.progress", p));
    o.jobs.on("done", (d) => this.emitEvent("jobs.done", d));
    o.jobs.on("failed", (d) => this.emitEvent("jobs.failed", d));
    this.timer = setInterval(() => void this.flushOutbox(), o.syncIntervalMs ?? 10_000);
    this.timer.unref();
  }

  private emitEvent<E extends ApiEventName>(event: E, data: ApiEvents[E]): void {
    this.emit("event", event, data);
  }

  connection(error: string | null = this.o.hub.error): ConnectionState {
    const connected = this.o.hub.connected;
    return { connected, source: connected ? "hub" : "cache", since: this.since, error: connected ? null : error };
  }

  /** Validates and serves one call; errors are NqpErrors with a code the renderer can act on. */
  async call(method: unknown, params: unknown): Promise<unknown> {
    if (!isApiMethod(method)) throw new NqpError("unknown-method", `unknown method '${String(method)}'`);
    const parsed = parseApiParams(method, params);
    if (!parsed.ok) throw new NqpError(parsed.error.code, parsed.error.message);
    return this.serve(method, parsed.value);
  }

  private async serve(method: ApiMethodName, p: unknown): Promise<unknown> {
    const hub = this.o.hub;
    switch (method) {
      case "session.info":
        return this.session();
      case "streams.subscribe":
        this.subscription = p as ApiParsedParams<"streams.subscribe">;
        if (hub.connected) return hub.call(method, p);
        return { subscribed: this.subscription.streams.length };
      case "anomalies.annotate":
        return this.annotate(p as ApiParsedParams<"anomalies.annotate">);
      case "jobs.start":
        return { jobId: this.o.jobs.start((p as ApiParsedParams<"jobs.start">).spec) };
      case "jobs.cancel":
        return { cancelled: this.o.jobs.cancel((p as ApiParsedParams<"jobs.cancel">).jobId) };
      case "imports.list":
        return { imports: this.o.store.imports() };
      case "imports.save": {
        const s = p as ApiParsedParams<"imports.save">;
        return this.o.store.saveImport(s.name, s.kind, s.text);
      }
      case "settings.get":
        return this.settingsStore().view();
      case "settings.set": {
        const store = this.settingsStore();
        const { hubChanged } = store.update(p as ApiParsedParams<"settings.set">);
        if (hubChanged) hub.retarget(store.settings.hubUrl, store.settings.token);
        return store.view();
      }
      case "imports.get": {
        const r = this.o.store.importText((p as ApiParsedParams<"imports.get">).id);
        if (!r) throw new NqpError("unknown-import", "no such imported file in the local store");
        return r;
      }
      default:
        break;
    }
    if (API_METHODS[method].where !== "remote") throw new NqpError("not-here", `${method} is not served here`);
    const key = `${method} ${JSON.stringify(p)}`;
    if (hub.connected) {
      try {
        const result = await hub.call(method, p);
        if (CACHED.has(method)) this.o.store.put(key, result);
        return result;
      } catch (err) {
        if (!(err instanceof NqpError) || err.code !== "offline") throw err;
      }
    }
    if (!CACHED.has(method))
      throw new NqpError(
        "offline",
        `${method} needs the hub, which is not reachable now${method.startsWith("config.") ? " (only the hub can sign configs)" : ""}`,
      );
    if (method === "streams.series") {
      const q = p as ApiParsedParams<"streams.series">;
      const exact = this.o.store.get<SeriesData>(key);
      if (exact) return { ...exact.value, cachedAt: exact.fetchedAt };
      // Another range of the stream (a zoom not seen online): from the cached answers that cover it.
      const prefix = `${method} ${JSON.stringify({ agent: q.agent, stream: q.stream }).slice(0, -1)}`;
      const answers = this.o.store
        .getAll<SeriesData>(prefix)
        .filter((e) => e.key[prefix.length] === "," || e.key[prefix.length] === "}");
      const made = seriesFromCache(answers, q);
      if (made) return made;
      throw new NqpError(
        "offline",
        `the hub is not reachable and ${q.stream} of ${q.agent} was not viewed over this range while online (nothing cached there)`,
      );
    }
    const cached = this.o.store.get<unknown>(key);
    if (!cached)
      throw new NqpError(
        "offline",
        `the hub is not reachable and this view was not opened while online (nothing cached for ${method})`,
      );
    return method === "anomalies.list" ? this.overlayPending(cached.value as AnomalyPage) : cached.value;
  }

  private settingsStore(): SettingsStore {
    if (!this.o.settings)
      throw new NqpError("not-here", "this desktop keeps no settings (started without a data folder)");
    return this.o.settings;
  }

  private session(): SessionInfo {
    const h = this.o.hub.hello;
    return {
      role: h?.role ?? "viewer",
      user: h?.user ?? "offline",
      via: "desktop",
      hubVersion: h?.hubVersion ?? null,
      connected: this.o.hub.connected,
      local: { jobs: true, imports: true, settings: Boolean(this.o.settings), backends: this.o.backends },
      serverTime: Date.now(),
    };
  }

  /** Annotations not yet at the hub are shown as the analyst left them. */
  private overlayPending(page: AnomalyPage): AnomalyPage {
    const pending = new Map(this.o.store.pendingAnnotations().map((a) => [`${a.agent}/${a.seq}`, a]));
    return {
      ...page,
      anomalies: page.anomalies.map((e) => {
        const a = pending.get(`${e.agent}/${e.seq}`);
        if (!a) return e;
        const q = a.params as ApiParsedParams<"anomalies.annotate">;
        return {
          ...e,
          annotation: {
            id: q.id,
            acknowledged: q.acknowledged,
            label: q.label,
            note: q.note,
            author: "(not yet synced)",
            updatedAt: a.createdAt,
          },
        };
      }),
    };
  }

  private async annotate(p: ApiParsedParams<"anomalies.annotate">): Promise<ApiResults["anomalies.annotate"]> {
    const at = p.at ?? Date.now();
    const params = { ...p, at };
    this.o.store.queueAnnotation({ id: p.id, agent: p.agent, seq: p.seq, params, createdAt: at });
    if (this.o.hub.connected) {
      try {
        const r = (await this.o.hub.call("anomalies.annotate", params)) as ApiResults["anomalies.annotate"];
        this.o.store.markSynced(p.id);
        return r;
      } catch (err) {
        if (!(err instanceof NqpError) || (err.code !== "offline" && err.code !== "timeout")) {
          this.o.store.markRefused(p.id, err instanceof Error ? err.message : String(err));
          throw err;
        }
      }
    }
    return {
      annotation: {
        id: p.id,
        acknowledged: p.acknowledged,
        label: p.label,
        note: p.note,
        author: "(not yet synced)",
        updatedAt: at,
      },
      auditIndex: null,
      pending: true,
    };
  }

  /** Sends the annotations made offline, oldest first; stops at the first that cannot be delivered. */
  flushOutbox(): Promise<void> {
    if (this.syncing) return this.syncing;
    // Cleared in a .finally (a microtask later), so a flush that had nothing to do cannot leave a stale promise.
    this.syncing = this.deliverPending().finally(() => {
      this.syncing = undefined;
    });
    return this.syncing;
  }

  private async deliverPending(): Promise<void> {
    for (const a of this.o.store.pendingAnnotations()) {
      if (!this.o.hub.connected) return;
      try {
        await this.o.hub.call("anomalies.annotate", a.params);
        this.o.store.markSynced(a.id);
      } catch (err) {
        if (err instanceof NqpError && (err.code === "offline" || err.code === "timeout")) return;
        // Refused for good (unknown event, no longer allowed): kept with the reason, not retried forever.
        this.o.store.markRefused(a.id, err instanceof Error ? err.message : String(err));
      }
    }
  }

  close(): void {
    clearInterval(this.timer);
  }
}
