import type { FastifyInstance } from "fastify";
import type { Registry } from "prom-client";
import { listenError } from "../broker/listen-error";
import { type DashboardServerOptions, dashboardServer } from "../dashboard";
import { type DashboardApiOptions, dashboardApi } from "./api";
import { findDashboardDir } from "./dashboard-dir";
import { STATUS_PAGE } from "./status-page";

export interface HubHttpOptions extends DashboardApiOptions {
  host: string;
  port: number;
  registry: Registry;
  health: () => { ok: boolean; [key: string]: unknown };
  /** The dashboard's static files; default: apps/desktop/dist/renderer when built, else the built-in status page. */
  dashboardDir?: string;
  /** The hub's data directory (its config-signing key, for configs pushed from the dashboard). */
  dataDir: string;
  hubVersion: string;
  anonymousRole?: DashboardServerOptions["anonymousRole"];
}

/**
 * The hub's HTTP server (Fastify): /healthz, /metrics, the dashboard API (./api.ts) and the dashboard itself.
 */
export async function startHubHttp(
  o: HubHttpOptions,
): Promise<{ app: FastifyInstance; port: number; dashboard: string }> {
  const [{ default: Fastify }, { default: fastifyWebsocket }, { default: fastifyStatic }] = await Promise.all([
    import("fastify"),
    import("@fastify/websocket"),
    import("@fastify/static"),
  ]);
  const app = Fastify({ logger: false });
  await app.register(fastifyWebsocket);
  app.get("/healthz", async (_req, reply) => {
    const h = o.health();
    return reply.code(h.ok ? 200 : 503).send(h);
  });
  app.get("/metrics", async (_req, reply) =>
    reply.header("content-type", o.registry.contentType).send(await o.registry.metrics()),
  );
  await app.register(dashboardApi, o);
  await app.register(dashboardServer, { ...o, httpHost: o.host });
  const dir = o.dashboardDir ?? findDashboardDir();
  if (dir) await app.register(fastifyStatic, { root: dir, index: ["index.html"] });
  else app.get("/", async (_req, reply) => reply.type("text/html; charset=utf-8").send(STATUS_PAGE));
  try {
    await app.listen({ host: o.host, port: o.port });
  } catch (err) {
    throw listenError(err, "--http-port", o.host, o.port);
  }
  const address = app.server.address();
  const port = typeof address === "object" && address ? address.port : o.port;
  return { app, port, dashboard: dir ?? "built-in status page" };
}
