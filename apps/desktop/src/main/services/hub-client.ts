import { EventEmitter } from "node:events";
import type { ApiEventName, ApiMethodName, ServerMessage, SessionInfo } from "@nqp/contract";
import { TOKEN_PARAM, WS_PATH } from "@nqp/contract";
import { NqpError } from "@nqp/core";
import WebSocket from "ws";

export interface HubClientOptions {
  /** The hub's HTTP address, e.g. http://hub.plant.local:8080 */
  url: string;
  token?: string;
  /** Milliseconds a call waits for its answer (default 30 s). */
  timeoutMs?: number;
}

export interface HubClientEvents {
  state: [{ connected: boolean; error: string | null }];
  event: [ApiEventName, unknown];
  hello: [SessionInfo];
}

/**
 * The desktop's link to the hub: the dashboard WebSocket API, reconnecting with backoff (250 ms doubling to 5 s).
 * Calls fail fast with code "offline" while the link is down: the desktop answers them from its cache instead of
 * waiting.
 */
export class HubClient extends EventEmitter<HubClientEvents> {
  private socket: WebSocket | undefined;
  private readonly pending = new Map<
    number,
    { resolve: (v: unknown) => void; reject: (e: Error) => void; timer: NodeJS.Timeout }
  >();
  private nextId = 0;
  private retry = 250;
  private retryTimer: NodeJS.Timeout | undefined;
  private closed = false;
  private session: SessionInfo | undefined;
  private lastError: string | null = null;

  constructor(private o: HubClientOptions) {
    super();
    this.open();
  }

  get connected(): boolean {
    return this.session !== undefined && this.socket?.readyState === WebSocket.OPEN;
  }

  get hello(): SessionInfo | undefined {
    return this.session;
  }

  get error(): string | null {
    return this.lastError;
  }

  private open(): void {
    const url = new URL(WS_PATH, this.o.url);
    url.protocol = url.protocol === "https:" ? "wss:" : "ws:";
    if (this.o.token) url.searchParams.set(TOKEN_PARAM, this.o.token);
    const ws = new WebSocket(url);
    this.socket = ws;
    ws.on("message", (raw: Buffer) => {
      if (this.socket !== ws) return;
      let m: ServerMessage;
      try {
        m = JSON.parse(raw.toString("utf8")) as ServerMessage;
      } catch {
        return;
      }
      if (m.t === "hello") {
        this.session = m.session;
        this.retry = 250;
        this.lastError = null;
        this.emit("hello", m.session);
        this.emit("state", { connected: true, error: null });
      } else if (m.t === "event") this.emit("event", m.event, m.data);
      else {
        const p = this.pending.get(m.id);
        if (!p) return;
        this.pending.delete(m.id);
        clearTimeout(p.timer);
        if (m.t === "result") p.resolve(m.result);
        else p.reject(new NqpError(m.error.code, m.error.message));
      }
    });
    ws.on("error", (err) => {
      this.lastError = err.message;
    });
    ws.on("close", (code, reason) => {
      // A socket replaced by retarget() was cleaned up there.
      if (this.socket !== ws) return;
      const was = this.session !== undefined;
      this.session = undefined;
      this.socket = undefined;
      for (const [id, p] of this.pending) {
        clearTimeout(p.timer);
        p.reject(new NqpError("offline", "the connection to the hub was lost"));
        this.pending.delete(id);
      }
      if (code === 4401) this.lastError = `the hub refused the token: ${reason.toString()}`;
      if (was || code === 4401) this.emit("state", { connected: false, error: this.lastError });
      if (this.closed || code === 4401) return;
      this.retryTimer = setTimeout(() => this.open(), this.retry);
      this.retry = Math.min(this.retry * 2, 5000);
    });
  }

  call(method: ApiMethodName, params: unknown): Promise<unknown> {
    if (!this.connected || !this.socket)
      return Promise.reject(
        new NqpError(
          "offline",
          `the hub at ${this.o.url} is not reachable${this.lastError ? ` (${this.lastError})` : ""}`,
        ),
      );
    const socket = this.socket;
    return new Promise((resolve, reject) => {
      const id = ++this.nextId;
      const timeoutMs = this.o.timeoutMs ?? 30_000;
      const timer = setTimeout(() => {
        this.pending.delete(id);
        reject(new NqpError("timeout", `${method}: the hub did not answer within ${timeoutMs / 1000} s`));
      }, timeoutMs);
      this.pending.set(id, { resolve, reject, timer });
      socket.send(JSON.stringify({ t: "call", id, method, params }));
    });
  }

  /** The hub's address or token changed (the settings panel): drops the link and connects to the new one now. */
  retarget(url: string, token: string | undefined): void {
    this.o = { ...this.o, url, token };
    if (this.retryTimer) clearTimeout(this.retryTimer);
    this.retry = 250;
    const old = this.socket;
    const was = this.session !== undefined;
    this.socket = undefined;
    this.session = undefined;
    this.lastError = null;
    for (const [id, p] of this.pending) {
      clearTimeout(p.timer);
      p.reject(new NqpError("offline", "the hub's address or token changed; call again"));
      this.pending.delete(id);
    }
    old?.close();
    if (was) this.emit("state", { connected: false, error: null });
    if (!this.closed) this.open();
  }

  get url(): string {
    return this.o.url;
  }

  close(): void {
    this.closed = true;
    if (this.retryTimer) clearTimeout(this.retryTimer);
    this.socket?.close();
  }
}
