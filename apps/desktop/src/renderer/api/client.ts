import type {
  ApiEventName,
  ApiEvents,
  ApiMethodName,
  ApiParams,
  ApiResult,
  ConnectionState,
  SessionInfo,
} from "@nqp/contract/api";

/**
 * The renderer's one view of the dashboard API, whatever carries it: Electron IPC through the preload script, or the
 * hub's WebSocket in a browser (with analysis jobs in a Web Worker). Views and stores only ever see this.
 */
export interface ApiClient {
  call<M extends ApiMethodName>(method: M, params?: ApiParams<M>): Promise<ApiResult<M>>;
  on<E extends ApiEventName>(event: E, listener: (data: ApiEvents[E]) => void): () => void;
  /** The session the host granted (role, capabilities), once known. */
  session(): Promise<SessionInfo>;
  connection(): ConnectionState;
  close(): void;
}

/** An error from the API, with the code the host gave it ("forbidden", "offline", "bad-params", …). */
export class ApiError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = "ApiError";
  }
}

/** A small typed event hub, shared by the transports. */
export class Emitter {
  private readonly listeners = new Map<string, Set<(data: unknown) => void>>();

  on(event: string, listener: (data: unknown) => void): () => void {
    let set = this.listeners.get(event);
    if (!set) {
      set = new Set();
      this.listeners.set(event, set);
    }
    set.add(listener);
    return () => set?.delete(listener);
  }

  emit(event: string, data: unknown): void {
    for (const l of this.listeners.get(event) ?? []) {
      try {
        l(data);
      } catch (err) {
        console.error(`listener of ${event} failed`, err);
      }
    }
  }
}

let current: ApiClient | undefined;

export function setApi(client: ApiClient): void {
  current = client;
}

/** The API client of this window (set once at start-up by main.tsx). */
export function api(): ApiClient {
  if (!current) throw new Error("the API client is not set up yet");
  return current;
}
