// The dashboard API contract: one module for the hub (WebSocket), the desktop's main process (IPC), its preload
// script and the renderer. Browser-safe (zod only).
export {
  API_EVENTS,
  API_METHOD_NAMES,
  API_METHODS,
  type ApiEventName,
  type ApiMethodName,
  eventChannel,
  isApiEvent,
  isApiMethod,
  methodChannel,
} from "./channels";
export type { ApiEvent, ApiEvents } from "./events";
export {
  API_PARAMS,
  type ApiErrorBody,
  type ApiHandlers,
  type ApiParams,
  type ApiParsedParams,
  type ApiResult,
  type ApiResults,
  type JobSpec,
  JobSpecSchema,
  OptimizeJobSchema,
  type ParsedJobSpec,
  parseApiParams,
  SpikeJobSchema,
  StreamRefSchema,
  VALIDATION_PREDICTORS,
  ValidateJobSchema,
} from "./params";
export { isRole, ROLES, type Role, roleAllows } from "./roles";
export type * from "./types";
export { type ClientMessage, type ServerMessage, TOKEN_PARAM, WS_PATH } from "./wire";
