import { StrictMode } from "react";
import { createRoot } from "react-dom/client";
import { App } from "./App";
import { browserJobs } from "./api/browser-jobs";
import { setApi } from "./api/client";
import { connectIpc } from "./api/ipc-transport";
import { connectWebSocket } from "./api/ws-transport";
import { useSession } from "./state/session";
import "./styles.css";

/**
 * Start-up: in Electron the preload script has put the typed bridge on window.nqp; in a browser the page came from
 * the hub, so the API is the hub's WebSocket on the same origin (a token given as #token=… is kept for the tab).
 */
function tokenFromHash(): string | undefined {
  const m = /(?:^#|[#&])token=([^&]+)/.exec(location.hash);
  if (m) {
    sessionStorage.setItem("nqp.token", decodeURIComponent(m[1]));
    history.replaceState(null, "", location.pathname + location.search);
  }
  return sessionStorage.getItem("nqp.token") ?? undefined;
}

const token = window.nqp ? undefined : tokenFromHash();
const client = window.nqp
  ? connectIpc(window.nqp)
  : connectWebSocket({ url: location.origin, token, local: browserJobs() });
setApi(client);
const session = useSession.getState();
client.on("connection.state", (s) => {
  useSession.getState().setConnection(s);
  if (s.connected) void client.session().then((info) => useSession.getState().setSession(info));
});
void client.session().then((info) => {
  session.setSession(info);
  useSession.getState().setConnection(client.connection());
});
document.documentElement.dataset.theme = session.theme;

const root = document.getElementById("root");
if (root)
  createRoot(root).render(
    <StrictMode>
      <App />
    </StrictMode>,
  );
