// The preload script (sandboxed, context-isolated): the renderer's only door to the main process. It exposes a
// typed call/on bridge restricted to the contract's namespaced channels; no Node API reaches the page.
import {
  type ApiEventName,
  type ApiMethodName,
  eventChannel,
  isApiEvent,
  isApiMethod,
  methodChannel,
} from "@nqp/contract/api/channels";
import { contextBridge, type IpcRendererEvent, ipcRenderer } from "electron";

contextBridge.exposeInMainWorld("nqp", {
  call(method: ApiMethodName, params: unknown) {
    if (!isApiMethod(method))
      return Promise.resolve({ ok: false, code: "unknown-method", message: `unknown method '${String(method)}'` });
    return ipcRenderer.invoke(methodChannel(method), params);
  },
  on(event: ApiEventName, listener: (data: unknown) => void) {
    if (!isApiEvent(event)) throw new Error(`unknown event '${String(event)}'`);
    const channel = eventChannel(event);
    const handler = (_e: IpcRendererEvent, data: unknown) => listener(data);
    ipcRenderer.on(channel, handler);
    return () => {
      ipcRenderer.removeListener(channel, handler);
    };
  },
  platform: process.platform,
});
