import type { ApiEventName, ApiMethodName, ConnectionState, SessionInfo } from "@nqp/contract/api";
import { type ApiClient, ApiError } from "./client";

/** What Electron's preload script exposes as window.nqp (apps/desktop/src/preload/preload.ts). */
export interface PreloadBridge {
  call(
    method: ApiMethodName,
    params: unknown,
  ): Promise<{ ok: true; result: unknown } | { ok: false; code: string; message: string }>;
  on(event: ApiEventName, listener: (data: unknown) => void): () => void;
  platform: string;
}

declare global {
  interface Window {
    nqp?: PreloadBridge;
  }
}

/** The Electron transport: every method and event through the preload bridge to the main process. */
export function connectIpc(bridge: PreloadBridge): ApiClient {
  let state: ConnectionState = { connected: false, source: "cache", since: Date.now(), error: null };
  bridge.on("connection.state", (s) => {
    state = s as ConnectionState;
  });
  const call = async (method: ApiMethodName, params: unknown) => {
    const r = await bridge.call(method, params ?? {});
    if (!r.ok) throw new ApiError(r.code, r.message);
    return r.result;
  };
  return {
    call: (method, params) => call(method, params) as never,
    on: (event, listener) => bridge.on(event, listener as (d: unknown) => void),
    session: async () => {
      const s = (await call("session.info", {})) as SessionInfo;
      state = { ...state, connected: s.connected, source: s.connected ? "hub" : "cache" };
      return s;
    },
    connection: () => state,
    close: () => {},
  };
}
