import type { ApiEventName, ApiMethodName } from "./channels";
import type { ApiErrorBody } from "./params";
import type { SessionInfo } from "./types";

/**
 * Messages on the dashboard WebSocket (/api/v1/ws), JSON text frames. The client calls; the server answers each call
 * by id and pushes events. The first server message is `hello` with the session (role) the token earned.
 */
export type ClientMessage = { t: "call"; id: number; method: ApiMethodName; params?: unknown };

export type ServerMessage =
  | { t: "hello"; session: SessionInfo }
  | { t: "result"; id: number; result: unknown }
  | { t: "error"; id: number; error: ApiErrorBody }
  | { t: "event"; event: ApiEventName; data: unknown };

export const WS_PATH = "/api/v1/ws";

/** Browsers cannot set headers on a WebSocket: the dashboard token travels as this query parameter. */
export const TOKEN_PARAM = "token";
