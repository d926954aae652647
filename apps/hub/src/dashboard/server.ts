import {
  API_METHODS,
  type ApiEventName,
  type ApiHandlers,
  type ClientMessage,
  isApiMethod,
  type LiveBatch,
  parseApiParams,
  type Role,
  roleAllows,
  type ServerMessage,
  TOKEN_PARAM,
  WS_PATH,
} from "@nqp/contract";
import { isNqpError } from "@nqp/core";
import type { FastifyInstance } from "fastify";
import type { WebSocket } from "ws";
import type { HubStore } from "../store/hub-store";
import type { BatchEvent } from "../sync/sync-server";
import { type CallContext, dashboardHandlers } from "./handlers";
import { SeriesReader } from "./series";
import { authenticateToken, ensureDashboardSchema, listDashboardUsers } from "./users";

export interface DashboardServerOptions {
  store: HubStore;
  dataDir: string;
  hubVersion: string;
  /** Live sync events (the hub's "batch" events). */
  subscribe: (listener: (event: BatchEvent) => void) => () => void;
  /**
   * The role of a connection without a token. Default: "admin" while no dashboard user exists and the HTTP server
   * listens on loopback only (a single-user machine, the demo), otherwise none (a token is required).
   */
  anonymousRole?: Role | "none";
  /** The HTTP server's address, for the default above. */
  httpHost: string;
}

/** Live pushes to one connection are coalesced to at most this often (10 Hz). */
const PUSH_INTERVAL_MS = 100;
/** Rows read per agent per push at most; a subscriber far behind catches up over several pushes. */
const PUSH_ROWS = 20_000;

function isLoopback(host: string): boolean {
  return host === "127.0.0.1" || host === "::1" || host === "localhost" || host.startsWith("127.");
}

interface Connection {
  socket: WebSocket;
  ctx: CallContext;
  /** Subscribed streams per agent. */
  subs: Map<string, Set<string>>;
  /** Per agent: the last seq pushed (the cursor into the agent's rows). */
  cursors: Map<string, number>;
  dirtyAgents: Set<string>;
  batches: Map<string, LiveBatch>;
  timer: NodeJS.Timeout | undefined;
}

/**
 * The dashboard's WebSocket endpoint (/api/v1/ws): the typed API of packages/contract/src/api over JSON messages,
 * with role checks and parameter validation at this boundary, and live pushes (sync batches, subscribed streams'
 * new points, annotation and config changes).
 */
export async function dashboardServer(app: FastifyInstance, o: DashboardServerOptions): Promise<void> {
  ensureDashboardSchema(o.store.db);
  const connections = new Set<Connection>();
  const reader = new SeriesReader(o.store.db);
  const broadcast = (event: ApiEventName, data: unknown) => {
    for (const c of connections) send(c, { t: "event", event, data });
  };
  const handlers: ApiHandlers<CallContext> = dashboardHandlers({
    store: o.store,
    dataDir: o.dataDir,
    hubVersion: o.hubVersion,
    notify: broadcast,
  });

  const anonymousRole = (): Role | "none" => {
    if (o.anonymousRole) return o.anonymousRole;
    return isLoopback(o.httpHost) && listDashboardUsers(o.store.db).length === 0 ? "admin" : "none";
  };

  function send(c: Connection, m: ServerMessage): void {
    if (c.socket.readyState === c.socket.OPEN) c.socket.send(JSON.stringify(m));
  }

  function schedule(c: Connection): void {
    if (c.timer) return;
    c.timer = setTimeout(() => flush(c), PUSH_INTERVAL_MS);
  }

  function flush(c: Connection): void {
    c.timer = undefined;
    try {
      for (const b of c.batches.values()) send(c, { t: "event", event: "live.batch", data: b });
      c.batches.clear();
      let more = false;
      for (const agent of c.dirtyAgents) {
        const streams = c.subs.get(agent);
        if (!streams?.size) continue;
        const from = c.cursors.get(agent) ?? 0;
        const { cursor, points } = reader.rowsAfter(agent, from, PUSH_ROWS, (s) => streams.has(s));
        c.cursors.set(agent, cursor);
        for (const p of points) send(c, { t: "event", event: "streams.points", data: p });
        if (cursor - from >= PUSH_ROWS) more = true;
      }
      c.dirtyAgents.clear();
      if (more) {
        for (const agent of c.subs.keys()) c.dirtyAgents.add(agent);
        schedule(c);
      }
    } catch (err) {
      app.log.error({ err }, "dashboard push failed");
    }
  }

  const unsubscribe = o.subscribe((e) => {
    for (const c of connections) {
      const key = `${e.agent}/${e.kind}`;
      const prev = c.batches.get(key);
      c.batches.set(key, { agent: e.agent, kind: e.kind, records: (prev?.records ?? 0) + e.records, acked: e.acked });
      if (e.kind === "predictions" && c.subs.has(e.agent)) c.dirtyAgents.add(e.agent);
      schedule(c);
    }
  });
  app.addHook("onClose", async () => {
    unsubscribe();
    for (const c of connections) {
      if (c.timer) clearTimeout(c.timer);
      c.socket.terminate();
    }
  });

  const lastSeqOf = o.store.db.prepare("SELECT coalesce(max(last_seq), 0) FROM streams WHERE agent = ?").pluck();

  app.get<{ Querystring: Record<string, string | undefined> }>(WS_PATH, { websocket: true }, (socket, req) => {
    const token = req.query[TOKEN_PARAM];
    let ctx: CallContext | undefined;
    if (token) {
      const user = authenticateToken(o.store.db, token);
      if (user) ctx = { user: user.name, role: user.role };
    } else {
      const role = anonymousRole();
      if (role !== "none") ctx = { user: "local", role };
    }
    if (!ctx) {
      // 4401: the application-defined "unauthorised" close code the renderer shows as a sign-in problem.
      socket.close(4401, token ? "invalid token" : "a dashboard token is required");
      return;
    }
    const c: Connection = {
      socket,
      ctx,
      subs: new Map(),
      cursors: new Map(),
      dirtyAgents: new Set(),
      batches: new Map(),
      timer: undefined,
    };
    connections.add(c);
    socket.on("close", () => {
      if (c.timer) clearTimeout(c.timer);
      connections.delete(c);
    });
    send(c, { t: "hello", session: handlers["session.info"]?.({}, ctx) as never });

    socket.on("message", async (raw: Buffer) => {
      let msg: ClientMessage;
      try {
        msg = JSON.parse(raw.toString("utf8")) as ClientMessage;
      } catch {
        return;
      }
      if (msg?.t !== "call" || typeof msg.id !== "number") return;
      const fail = (code: string, message: string) => send(c, { t: "error", id: msg.id, error: { code, message } });
      if (!isApiMethod(msg.method)) return fail("unknown-method", `unknown method '${String(msg.method)}'`);
      const meta = API_METHODS[msg.method];
      if (!roleAllows(c.ctx.role, meta.role))
        return fail("forbidden", `${msg.method} needs the ${meta.role} role; this session is ${c.ctx.role}`);
      const parsed = parseApiParams(msg.method, msg.params);
      if (!parsed.ok) return fail(parsed.error.code, parsed.error.message);
      try {
        let result: unknown;
        if (msg.method === "streams.subscribe") {
          const p = parsed.value as { streams: { agent: string; stream: string }[] };
          c.subs.clear();
          for (const s of p.streams) {
            if (!c.subs.has(s.agent)) {
              c.subs.set(s.agent, new Set());
              if (!c.cursors.has(s.agent)) c.cursors.set(s.agent, lastSeqOf.get(s.agent) as number);
            }
            c.subs.get(s.agent)?.add(s.stream);
          }
          result = { subscribed: p.streams.length };
        } else {
          const handler = handlers[msg.method] as ((p: unknown, ctx: CallContext) => unknown) | undefined;
          if (!handler)
            return fail("not-here", `${msg.method} runs beside the dashboard (desktop app or browser), not at the hub`);
          result = await handler(parsed.value, c.ctx);
        }
        send(c, { t: "result", id: msg.id, result });
      } catch (err) {
        if (isNqpError(err)) return fail(err.code, err.message);
        app.log.error({ err, method: msg.method }, "dashboard call failed");
        fail("internal", `${msg.method} failed: ${(err as Error).message}`);
      }
    });
  });
}
