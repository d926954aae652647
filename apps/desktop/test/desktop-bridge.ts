import type { Page } from "playwright-core";
import { type IpcMainLike, registerIpc } from "../src/main/ipc";
import type { DesktopApi } from "../src/main/services";

type Handler = (event: { senderFrame: { url: string } | null }, ...args: unknown[]) => unknown;

/**
 * The desktop's main process for a page in headless Chromium, without Electron (whose binary cannot be had here):
 * the real services and IPC handlers (registerIpc: channels, sender check, parameter check) behind a window.nqp of
 * the preload's shape. Calls cross with Playwright's page bindings in place of ipcRenderer.invoke, events with
 * page.evaluate in place of webContents.send; the page is the app's own (`nqp://app/…`) to the sender check.
 */
export async function attachDesktopMain(page: Page, api: DesktopApi): Promise<() => void> {
  const handlers = new Map<string, Handler>();
  const ipc: IpcMainLike = {
    handle: (channel, listener) => handlers.set(channel, listener),
    removeHandler: (channel) => handlers.delete(channel),
  };
  const unregister = registerIpc(
    ipc,
    api,
    (channel, data) => {
      void page
        .evaluate(([c, d]) => (window as unknown as { __nqpEvent(c: string, d: unknown): void }).__nqpEvent(c, d), [
          channel,
          data,
        ] as const)
        .catch(() => {});
    },
    (url) => url.startsWith("nqp://app/"),
  );
  await page.exposeBinding("__nqpInvoke", async (_source, channel: string, params: unknown) => {
    const h = handlers.get(channel);
    if (!h) return { ok: false, code: "unknown-method", message: `no handler for ${channel}` };
    return h({ senderFrame: { url: "nqp://app/index.html" } }, params);
  });
  await page.addInitScript(() => {
    const listeners = new Map<string, Set<(d: unknown) => void>>();
    const w = window as unknown as Record<string, unknown>;
    w.__nqpEvent = (channel: string, data: unknown) => {
      for (const l of listeners.get(channel) ?? []) l(data);
    };
    const invoke = (channel: string, params: unknown) =>
      (w.__nqpInvoke as (channel: string, params: unknown) => Promise<unknown>)(channel, params);
    w.nqp = {
      call: (method: string, params: unknown) => invoke(`nqp:${method}`, params),
      on: (event: string, listener: (d: unknown) => void) => {
        const channel = `nqp:event:${event}`;
        let set = listeners.get(channel);
        if (!set) {
          set = new Set();
          listeners.set(channel, set);
        }
        set.add(listener);
        return () => set?.delete(listener);
      },
      platform: "linux",
    };
  });
  return unregister;
}
