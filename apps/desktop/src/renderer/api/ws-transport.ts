import type { ApiEventName, ApiMethodName, ConnectionState, ServerMessage, SessionInfo } from "@nqp/contract/api";
// Values from the zod-free parts of the contract, so that the first download carries no schema library.
import { API_METHODS } from "@nqp/contract/api/channels";
import { TOKEN_PARAM, WS_PATH } from "@nqp/contract/api/wire";
import { type ApiClient, ApiError, Emitter } from "./client";

export interface LocalHost {
  call(method: ApiMethodName, params: unknown): Promise<unknown>;
  on(event: string, listener: (data: unknown) => void): () => void;
}

/**
 * The browser transport: the hub's dashboard WebSocket, reconnecting with backoff; calls made while the socket is
 * down wait for it (up to their timeout). Methods that run beside the renderer (jobs, imports) go to `local`.
 */
export function connectWebSocket(options: { url: string; token?: string; local?: LocalHost }): ApiClient {
  const events = new Emitter();
  const pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void; timer: number }>();
  const queue: string[] = [];
  let socket: WebSocket | undefined;
  let nextId = 0;
  let closed = false;
  let retry = 250;
  let state: ConnectionState = { connected: false, source: "hub", since: Date.now(), error: null };
  let hello: SessionInfo | undefined;
  const waiting: ((s: SessionInfo) => void)[] = [];

  const setState = (s: Partial<ConnectionState>) => {
    state = {
      ...state,
      ...s,
      since: s.connected !== undefined && s.connected !== state.connected ? Date.now() : state.since,
    };
    events.emit("connection.state", state);
  };

  const open = () => {
    const url = new URL(WS_PATH, options.url);
    url.protocol = url.protocol === "https:" ? "wss:" : "ws:";
    if (options.token) url.searchParams.set(TOKEN_PARAM, options.token);
    const ws = new WebSocket(url);
    socket = ws;
    ws.onopen = () => {
      retry = 250;
    };
    ws.onmessage = (e) => {
      const m = JSON.parse(String(e.data)) as ServerMessage;
      if (m.t === "hello") {
        hello = m.session;
        setState({ connected: true, error: null });
        for (const w of waiting.splice(0)) w(m.session);
        for (const q of queue.splice(0)) ws.send(q);
        events.emit("session", m.session);
      } else if (m.t === "event") events.emit(m.event, m.data);
      else {
        const p = pending.get(m.id);
        if (!p) return;
        pending.delete(m.id);
        clearTimeout(p.timer);
        if (m.t === "result") p.resolve(m.result);
        else p.reject(new ApiError(m.error.code, m.error.message));
      }
    };
    ws.onclose = (e) => {
      socket = undefined;
      const unauthorised = e.code === 4401;
      setState({
        connected: false,
        error: unauthorised
          ? `not signed in: ${e.reason}`
          : state.connected
            ? "connection to the hub lost"
            : "hub unreachable",
      });
      if (closed || unauthorised) return;
      setTimeout(open, retry);
      retry = Math.min(retry * 2, 5000);
    };
  };
  open();

  const callRemote = (method: ApiMethodName, params: unknown, timeoutMs = 30_000): Promise<unknown> =>
    new Promise((resolve, reject) => {
      const id = ++nextId;
      const timer = window.setTimeout(() => {
        pending.delete(id);
        reject(new ApiError("timeout", `${method}: no answer from the hub within ${timeoutMs / 1000} s`));
      }, timeoutMs);
      pending.set(id, { resolve, reject, timer });
      const text = JSON.stringify({ t: "call", id, method, params: params ?? {} });
      if (socket && socket.readyState === WebSocket.OPEN && hello) socket.send(text);
      else queue.push(text);
    });

  return {
    call: (method, params) => {
      if (API_METHODS[method].where === "local") {
        if (!options.local)
          return Promise.reject(new ApiError("not-here", `${method} is not available in this window`));
        return options.local.call(method, params ?? {}) as never;
      }
      return callRemote(method, params) as never;
    },
    on: (event: ApiEventName, listener) => {
      const off = events.on(event, listener as (d: unknown) => void);
      const offLocal = options.local?.on(event, listener as (d: unknown) => void);
      return () => {
        off();
        offLocal?.();
      };
    },
    session: () => {
      if (hello) {
        const local = Boolean(options.local);
        return Promise.resolve({
          ...hello,
          local: { jobs: local, imports: false, settings: false, backends: local ? ["ts"] : [] },
        });
      }
      return new Promise((resolve) =>
        waiting.push((s) =>
          resolve({ ...s, local: { jobs: Boolean(options.local), imports: false, settings: false, backends: ["ts"] } }),
        ),
      );
    },
    connection: () => state,
    close: () => {
      closed = true;
      socket?.close();
    },
  };
}
