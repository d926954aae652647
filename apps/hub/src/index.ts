// @nqp/hub: embedded MQTT broker, SQLite store, fleet registry, signed config distribution, HTTP dashboard API.
export { type ChainReport, verifyHubAudit } from "./audit/verify";
export { mayPublish, maySubscribe, type Principal } from "./broker/access";
export { startSensorBroker } from "./broker/sensor-broker";
export { generatePassword, hashPassword, verifyPassword } from "./credentials/passwords";
export {
  addDashboardUser,
  type DashboardUser,
  listDashboardUsers,
  ONLINE_WINDOW_MS,
  removeDashboardUser,
  SeriesReader,
} from "./dashboard";
export { type ExportFormat, type ExportKind, exportRecords } from "./export/export";
export { type DashboardApiOptions, dashboardApi } from "./http/api";
export { HUB_VERSION, Hub, type HubOptions } from "./hub";
export { type HubSigningKey, loadSigningKey, SIGNING_KEY_FILE } from "./keys/signing-key";
export { type AgentRow, HUB_DB_FILE, HubStore, type IngestOutcome } from "./store/hub-store";
export type { BatchEvent } from "./sync/sync-server";
