import { type DesktopSettings, SettingsStore } from "../settings";
import { DesktopApi } from "./desktop-api";
import { HubClient } from "./hub-client";
import { JobRunner } from "./job-runner";
import { LocalStore } from "./local-store";

export { DesktopApi, type DesktopApiOptions } from "./desktop-api";
export { HubClient, type HubClientOptions } from "./hub-client";
export { type JobMessage, type JobRequest, JobRunner } from "./job-runner";
export { LOCAL_DB_FILE, LocalStore, type OutboxAnnotation } from "./local-store";

/** The main process's services, started together (plain Node: tests start them without Electron). */
export function startServices(o: { dataDir: string; settings: DesktopSettings; workerPath: string }) {
  const settings = new SettingsStore(o.dataDir, o.settings);
  const hub = new HubClient({ url: o.settings.hubUrl, token: o.settings.token });
  const store = new LocalStore(o.dataDir);
  const jobs = new JobRunner({ workerPath: o.workerPath, concurrency: 4 });
  const api = new DesktopApi({ hub, store, jobs, settings, backends: ["ts", "cpu", "webgpu", "cuda"] });
  return {
    hub,
    store,
    jobs,
    api,
    settings,
    async close() {
      api.close();
      hub.close();
      await jobs.close();
      store.close();
    },
  };
}
