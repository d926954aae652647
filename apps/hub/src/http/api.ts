import type { FastifyInstance } from "fastify";
import type { HubStore } from "../store/hub-store";
import type { BatchEvent } from "../sync/sync-server";

/**
 * The hub's dashboard API (REST under /api/v1, live events over WebSocket at /api/v1/live). This is the module the
 * web dashboard builds on: add routes here (or register another Fastify plugin beside this one in http/server.ts).
 * Every route only reads the database; writes happen through MQTT (agents) and the nqp command line (operators).
 */
export interface DashboardApiOptions {
  store: HubStore;
  /** Live events to push to WebSocket clients. */
  subscribe: (listener: (event: BatchEvent) => void) => () => void;
}

const MAX_ROWS = 10_000;

export async function dashboardApi(app: FastifyInstance, o: DashboardApiOptions): Promise<void> {
  const db = o.store.db;
  const streamCount = db.prepare("SELECT count(*) FROM streams WHERE agent = ?").pluck();
  const agentStreams = db.prepare(
    "SELECT stream, records, last_seq AS lastSeq, last_ts AS lastTs FROM streams WHERE agent = ? ORDER BY stream",
  );
  const predictionAt = db.prepare(
    `SELECT seq, stream, ts, value, forecast, lower, upper, anomaly_score AS anomalyScore, is_anomaly AS isAnomaly
     FROM predictions WHERE agent = ? AND seq = ?`,
  );
  const predictions = db.prepare(
    `SELECT seq, stream, ts, value, forecast, lower, upper, anomaly_score AS anomalyScore, is_anomaly AS isAnomaly,
       next_forecast AS nextForecast, next_lower AS nextLower, next_upper AS nextUpper
     FROM predictions WHERE agent = ? AND stream = ? AND seq > ? ORDER BY seq LIMIT ?`,
  );
  const anomaliesOf = db.prepare(
    `SELECT agent, seq, stream, ts, type, value, score, forecast, lower, upper, motif FROM anomalies
     WHERE agent = ? AND seq > ? ORDER BY seq LIMIT ?`,
  );
  const latestAnomalies = db.prepare(
    `SELECT agent, seq, stream, ts, type, value, score, forecast, lower, upper, motif FROM anomalies
     ORDER BY ts DESC LIMIT ?`,
  );

  const limitOf = (q: Record<string, string | undefined>, key = "limit") =>
    Math.min(MAX_ROWS, Math.max(1, Number(q[key] ?? 1000) || 1000));

  app.get("/api/v1/agents", async () => ({
    agents: o.store.agents().map((a) => ({
      id: a.id,
      createdAt: a.createdAt,
      lastSeen: a.lastSeen,
      ackedSeq: a.ackedSeq,
      backlog: a.status ? a.status.outboxDepth : null,
      records: a.records,
      streams: streamCount.get(a.id) as number,
      version: a.version,
      backend: a.backend,
      rejected: a.rejected,
      status: a.status,
    })),
  }));

  app.get<{ Params: { id: string } }>("/api/v1/agents/:id", async (req, reply) => {
    const a = o.store.agent(req.params.id);
    if (!a) return reply.code(404).send({ error: `no agent '${req.params.id}'` });
    const { hasPassword, ...rest } = a;
    return { ...rest, authenticatesAtHub: hasPassword };
  });

  app.get<{ Params: { id: string }; Querystring: { latest?: string } }>("/api/v1/agents/:id/streams", async (req) => {
    const rows = agentStreams.all(req.params.id) as {
      stream: string;
      records: number;
      lastSeq: number;
      lastTs: number;
    }[];
    if (!req.query.latest) return { streams: rows };
    return {
      streams: rows.map((r) => ({ ...r, latest: predictionAt.get(req.params.id, r.lastSeq) ?? null })),
    };
  });

  app.get<{ Querystring: { agent?: string; stream?: string; after?: string; limit?: string } }>(
    "/api/v1/predictions",
    async (req, reply) => {
      const { agent, stream } = req.query;
      if (!agent || !stream) return reply.code(400).send({ error: "agent and stream are required query parameters" });
      const rows = predictions.all(agent, stream, Number(req.query.after ?? 0) || 0, limitOf(req.query));
      return { predictions: rows };
    },
  );

  app.get<{ Querystring: { agent?: string; after?: string; limit?: string; latest?: string } }>(
    "/api/v1/anomalies",
    async (req) => {
      if (req.query.latest || !req.query.agent) return { anomalies: latestAnomalies.all(limitOf(req.query, "latest")) };
      return { anomalies: anomaliesOf.all(req.query.agent, Number(req.query.after ?? 0) || 0, limitOf(req.query)) };
    },
  );

  app.get("/api/v1/live", { websocket: true }, (socket) => {
    const unsubscribe = o.subscribe((event) => {
      if (socket.readyState === socket.OPEN) socket.send(JSON.stringify({ type: "batch", ...event }));
    });
    socket.on("close", unsubscribe);
  });
}
