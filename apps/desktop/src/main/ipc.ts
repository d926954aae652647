import { API_EVENTS, API_METHOD_NAMES, type ApiEventName, eventChannel, methodChannel } from "@nqp/contract";
import { isNqpError } from "@nqp/core";
import type { DesktopApi } from "./services/desktop-api";

/** The slice of Electron's ipcMain the wiring uses (so it is tested under plain Node with a stand-in). */
export interface IpcMainLike {
  handle(
    channel: string,
    listener: (event: { senderFrame: { url: string } | null }, ...args: unknown[]) => unknown,
  ): void;
  removeHandler(channel: string): void;
}

export type IpcAnswer = { ok: true; result: unknown } | { ok: false; code: string; message: string };

/**
 * One handler per API method on its own namespaced channel ("nqp:fleet.list", …). Every call is checked at this
 * boundary: it must come from the app's own page (`trusted(url)`), and its parameters are validated by DesktopApi
 * against the contract's schemas. Errors travel as values (code + message), never as thrown Electron errors, so the
 * renderer shows the message the service wrote.
 */
export function registerIpc(
  ipcMain: IpcMainLike,
  api: DesktopApi,
  send: (channel: string, data: unknown) => void,
  trusted: (url: string) => boolean,
): () => void {
  for (const method of API_METHOD_NAMES) {
    ipcMain.handle(methodChannel(method), async (event, params): Promise<IpcAnswer> => {
      const url = event.senderFrame?.url ?? "";
      if (!trusted(url))
        return { ok: false, code: "forbidden", message: `calls from ${url || "an unknown frame"} are not accepted` };
      try {
        return { ok: true, result: await api.call(method, params) };
      } catch (err) {
        if (isNqpError(err)) return { ok: false, code: err.code, message: err.message };
        return { ok: false, code: "internal", message: err instanceof Error ? err.message : String(err) };
      }
    });
  }
  const forward = (event: ApiEventName, data: unknown) => {
    if ((API_EVENTS as readonly string[]).includes(event)) send(eventChannel(event), data);
  };
  api.on("event", forward);
  return () => {
    api.off("event", forward);
    for (const method of API_METHOD_NAMES) ipcMain.removeHandler(methodChannel(method));
  };
}
