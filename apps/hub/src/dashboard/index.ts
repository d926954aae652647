// The hub's dashboard module: the typed dashboard API (packages/contract/src/api) over WebSocket, annotations,
// signed config pushes and rollbacks, audit search and verification, dashboard users and roles.
export { type CallContext, dashboardHandlers, ONLINE_WINDOW_MS } from "./handlers";
export { SeriesReader } from "./series";
export { type DashboardServerOptions, dashboardServer } from "./server";
export {
  addDashboardUser,
  authenticateToken,
  type DashboardUser,
  ensureDashboardSchema,
  listDashboardUsers,
  removeDashboardUser,
} from "./users";
