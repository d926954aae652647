import type { Role } from "./roles";

/**
 * Every method of the dashboard API, named "area.action" (Insomnia-style namespaced channels), with the least role
 * that may call it and where it runs. This file has no dependencies, so Electron's sandboxed preload script can
 * bundle it to whitelist channels.
 *
 * `remote`: served by the hub (over WebSocket), and by the desktop's main process on the hub's behalf (with its
 * offline cache); `local`: served next to the renderer — by the desktop's main process (worker threads) in
 * Electron, by a Web Worker in a browser.
 */
export const API_METHODS = {
  "session.info": { role: "viewer", where: "remote" },
  "fleet.list": { role: "viewer", where: "remote" },
  "streams.list": { role: "viewer", where: "remote" },
  "streams.series": { role: "viewer", where: "remote" },
  "streams.subscribe": { role: "viewer", where: "remote" },
  "streams.validation": { role: "viewer", where: "remote" },
  "anomalies.list": { role: "viewer", where: "remote" },
  "anomalies.annotate": { role: "analyst", where: "remote" },
  "config.get": { role: "viewer", where: "remote" },
  "config.history": { role: "viewer", where: "remote" },
  "config.push": { role: "admin", where: "remote" },
  "config.rollback": { role: "admin", where: "remote" },
  "audit.list": { role: "viewer", where: "remote" },
  "audit.verify": { role: "viewer", where: "remote" },
  "jobs.start": { role: "viewer", where: "local" },
  "jobs.cancel": { role: "viewer", where: "local" },
  "imports.list": { role: "viewer", where: "local" },
  "imports.save": { role: "viewer", where: "local" },
  "imports.get": { role: "viewer", where: "local" },
  "settings.get": { role: "viewer", where: "local" },
  "settings.set": { role: "viewer", where: "local" },
} as const satisfies Record<string, { role: Role; where: "remote" | "local" }>;

export type ApiMethodName = keyof typeof API_METHODS;
export const API_METHOD_NAMES = Object.keys(API_METHODS) as ApiMethodName[];

/** Events pushed to the renderer, also namespaced. */
export const API_EVENTS = [
  "live.batch",
  "streams.points",
  "anomalies.changed",
  "config.changed",
  "connection.state",
  "jobs.progress",
  "jobs.done",
  "jobs.failed",
] as const;
export type ApiEventName = (typeof API_EVENTS)[number];

export function isApiMethod(name: unknown): name is ApiMethodName {
  return typeof name === "string" && Object.hasOwn(API_METHODS, name);
}

export function isApiEvent(name: unknown): name is ApiEventName {
  return typeof name === "string" && (API_EVENTS as readonly string[]).includes(name);
}

/** Electron IPC channel of a method (ipcMain.handle / ipcRenderer.invoke): the method's own namespaced name. */
export function methodChannel(method: ApiMethodName): string {
  return `nqp:${method}`;
}

/** Electron IPC channel of an event (webContents.send / ipcRenderer.on). */
export function eventChannel(event: ApiEventName): string {
  return `nqp:event:${event}`;
}
