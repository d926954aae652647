import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { NqpError } from "@nqp/core";
import type { Registry } from "prom-client";

export interface AgentHttpOptions {
  /** "host:port"; port 0 picks a free one. */
  address: string;
  registry: Registry;
  health: () => { ok: boolean; [key: string]: unknown };
}

/** GET /healthz (JSON; 503 when not ok) and GET /metrics (Prometheus text format). */
export async function startAgentHttp(o: AgentHttpOptions): Promise<{ server: Server; port: number; host: string }> {
  const i = o.address.lastIndexOf(":");
  const host = o.address.slice(0, i);
  const port = Number(o.address.slice(i + 1));
  const server = createServer((req, res) => {
    const url = (req.url ?? "/").split("?")[0];
    if (req.method !== "GET" && req.method !== "HEAD") {
      res.writeHead(405, { allow: "GET" }).end();
      return;
    }
    if (url === "/healthz") {
      const h = o.health();
      res.writeHead(h.ok ? 200 : 503, { "content-type": "application/json" }).end(`${JSON.stringify(h)}\n`);
    } else if (url === "/metrics") {
      o.registry.metrics().then(
        (text) => res.writeHead(200, { "content-type": o.registry.contentType }).end(text),
        (err: Error) => res.writeHead(500).end(err.message),
      );
    } else res.writeHead(404, { "content-type": "text/plain" }).end("not found: try /healthz or /metrics\n");
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", (err: NodeJS.ErrnoException) =>
      reject(
        new NqpError(
          "http-listen",
          `--http ${o.address}: ${err.code === "EADDRINUSE" ? "address in use" : err.message}`,
        ),
      ),
    );
    server.listen(port, host, () => resolve());
  });
  const addr = server.address() as AddressInfo;
  return { server, port: addr.port, host };
}
